"""Template syntax in bodies: Hugo shortcodes and Liquid tags.

A feed never shows them as raw text. The common ones become plain HTML (links,
figures, highlighted code as <pre><code>, video embeds as a link); the rest are
dropped, with one warning per kind naming the file and line where it first occurs.
"""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Callable

# {{< name args >}} ... {{< /name >}} and {{% ... %}}; a closing tag ends the inner text.
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*[>%]\}\}", re.S)
_LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)\s*-?%\}", re.S)
_LIQUID_OUTPUT = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)


def _args(text: str) -> tuple[list[str], dict[str, str]]:
    try:
        parts = shlex.split(text.strip())
    except ValueError:
        parts = text.split()
    positional: list[str] = []
    named: dict[str, str] = {}
    for part in parts:
        key, eq, value = part.partition("=")
        if eq and re.fullmatch(r"\w+", key):
            named[key] = value
        else:
            positional.append(part)
    return positional, named


def _a(url: str, text: str | None = None) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(text or url)}</a>'


def _figure(src: str, caption: str = "", alt: str = "") -> str:
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{html.escape(src)}" alt="{html.escape(alt)}">{cap}</figure>'


def _code(inner: str, language: str = "") -> str:
    cls = f' class="language-{html.escape(language)}"' if language else ""
    return f"<pre><code{cls}>{html.escape(inner.strip(chr(10)))}</code></pre>"


Resolver = Callable[[str], str | None]  # a content reference -> its URL, when known


def _hugo_one(name: str, args: str, inner: str | None, resolve: Resolver) -> str | None:
    pos, named = _args(args)
    first = pos[0] if pos else named.get("id", named.get("src", ""))
    if name == "youtube":
        return "<p>" + _a(f"https://www.youtube.com/watch?v={first}", "Video on YouTube") + "</p>"
    if name == "vimeo":
        return "<p>" + _a(f"https://vimeo.com/{first}", "Video on Vimeo") + "</p>"
    if name in ("x", "twitter", "tweet"):
        user, ident = named.get("user", ""), named.get("id", first)
        return "<p>" + _a(f"https://x.com/{user or 'i'}/status/{ident}", "Post on X") + "</p>"
    if name == "gist":
        return "<p>" + _a(f"https://gist.github.com/{'/'.join(pos[:2])}", "Gist") + "</p>"
    if name == "figure":
        return _figure(
            named.get("src", first),
            named.get("caption", named.get("title", "")),
            named.get("alt", ""),
        )
    if name in ("ref", "relref"):
        return resolve(first) or first
    if name == "highlight":
        return _code(inner or "", first)
    return None


def hugo(text: str, resolve: Resolver | None = None) -> tuple[str, dict[str, int]]:
    """Shortcodes rendered or dropped; and each dropped kind's first offset."""
    resolve = resolve or (lambda _ref: None)
    dropped: dict[str, int] = {}
    out: list[str] = []
    position = 0
    for match in _SHORTCODE.finditer(text):
        if match.start() < position:
            continue
        out.append(text[position : match.start()])
        position = match.end()
        closing, name, args = match[2], match[3], match[4]
        if closing:
            continue
        inner = None
        end = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}")
        close = end.search(text, match.end())
        paired = close is not None and not args.rstrip().endswith("/")
        if paired and close is not None:
            inner = text[match.end() : close.start()]
            position = close.end()
        rendered = _hugo_one(name, args, inner, resolve)
        if rendered is None:
            dropped.setdefault(name, match.start())
            rendered = inner if inner is not None and match[1] == "%" else ""
        out.append(rendered)
    out.append(text[position:])
    return "".join(out), dropped


def _liquid_one(name: str, args: str, resolve: Resolver) -> str | None:
    pos, _named = _args(args)
    if name in ("link", "post_url"):
        target = pos[0] if pos else ""
        return resolve(f"{name}:{target}") or target
    if name in ("comment", "endcomment", "assign", "capture", "endcapture"):
        return ""
    return None


def liquid(text: str, resolve: Resolver | None = None) -> tuple[str, dict[str, int]]:
    """Liquid tags rendered or dropped; and each dropped kind's first offset."""
    resolve = resolve or (lambda _ref: None)
    dropped: dict[str, int] = {}
    raws: list[str] = []

    def keep_raw(match: re.Match[str]) -> str:
        raws.append(match[1])
        return f"\x00raw{len(raws) - 1}\x00"

    text = _RAW.sub(keep_raw, text)

    def block(match: re.Match[str]) -> str:
        return _code(match[2], match[1])

    text = re.sub(
        r"\{%-?\s*highlight\s+(\w+)[^%]*%\}(.*?)\{%-?\s*endhighlight\s*-?%\}",
        block,
        text,
        flags=re.S,
    )
    text = re.sub(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", "", text, flags=re.S)
    out: list[str] = []
    position = 0
    for match in _LIQUID_TAG.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        rendered = _liquid_one(match[1], match[2], resolve)
        if rendered is None:
            dropped.setdefault(match[1], match.start())
            rendered = ""
        out.append(rendered)
    out.append(text[position:])
    text = "".join(out)

    def output(match: re.Match[str]) -> str:
        dropped.setdefault("{{ " + match[1].split("|")[0].strip() + " }}", match.start())
        return ""

    text = _LIQUID_OUTPUT.sub(output, text)
    return re.sub("\x00raw(\\d+)\x00", lambda m: raws[int(m[1])], text), dropped


CONVERTERS = {"hugo": hugo, "liquid": liquid}


def notes(kind: str, path: str, body: str, body_line: int) -> list[str]:
    """One warning per dropped kind of tag, with the file and line of its first use."""
    _text, dropped = CONVERTERS[kind](body)
    return [
        f"{path}:{body_line + body.count(chr(10), 0, offset)}: template tag "
        f"{name!r} is not rendered by feedtool; it was left out of the feed"
        for name, offset in sorted(dropped.items(), key=lambda item: item[1])
    ]
