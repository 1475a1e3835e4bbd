"""Template syntax in bodies: Hugo shortcodes and Liquid tags.

A feed never shows them as raw text. The common ones become plain HTML (links,
figures, highlighted code as <pre><code>, video embeds as a link); the rest are
dropped, with one warning per kind naming the file and line where it first occurs.
"""

from __future__ import annotations

import bisect
import html
import re
import shlex
from collections.abc import Callable

import msgspec


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


class _Next:
    """The next match of a pattern at or after a position that only grows.

    A search that found nothing is not repeated: "no closing tag after here" holds for
    every later position too. So however many tags are left open, each part of the
    text is searched once, and a body costs time in proportion to its length.
    """

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern, self.text = pattern, text
        self.searched_from = -1
        self.found: re.Match[str] | None = None

    def at_or_after(self, position: int) -> re.Match[str] | None:
        if 0 <= self.searched_from <= position and (
            self.found is None or self.found.start() >= position
        ):
            return self.found
        self.found = self.pattern.search(self.text, position)
        self.searched_from = position
        return self.found


def _never_closed(opener: str) -> str:
    return f"{opener!r} is never closed; the text from there on is shown as it is"


def _not_rendered(name: str) -> str:
    return f"template tag {name!r} is not rendered by feedtool; it was left out of the feed"


_HUGO_OPEN = re.compile(r"\{\{[<%]")
_HUGO_CLOSE = re.compile(r"[>%]\}\}")
_HUGO_ESCAPED_CLOSE = re.compile(r"\*/[>%]\}\}")
_NAME = re.compile(r"[\w./-]+")


class _Shortcode(msgspec.Struct, frozen=True):
    start: int
    end: int
    delimiter: str  # "<" or "%"
    closing: bool  # {{< /name >}}
    name: str
    args: str
    literal: str | None  # {{</* name */>}}: Hugo prints it as {{< name >}}, not run


def _shortcodes(text: str, dropped: dict[str, int]) -> list[_Shortcode]:
    """Every shortcode tag in ``text``, in order, found in one pass."""
    found: list[_Shortcode] = []
    closes = _Next(_HUGO_CLOSE, text)
    escaped_closes = _Next(_HUGO_ESCAPED_CLOSE, text)
    position = 0
    while (opener := _HUGO_OPEN.search(text, position)) is not None:
        start, delimiter = opener.start(), opener[0][-1]
        escaped = text.startswith("/*", opener.end())
        close = (escaped_closes if escaped else closes).at_or_after(opener.end())
        if close is None:
            dropped.setdefault(_never_closed(opener[0]), start)
            position = opener.end()
            continue
        position = close.end()
        inside = text[opener.end() : close.start()]
        if escaped:
            # Hugo's way to show a shortcode in a post: the comment marks go, nothing runs.
            literal = opener[0] + inside[2:] + close[0][2:]
            found.append(_Shortcode(start, position, delimiter, False, "", "", literal))
            continue
        inside = inside.lstrip()
        closing = inside.startswith("/")
        if closing:
            inside = inside[1:].lstrip()
        name = _NAME.match(inside)
        if name is None:
            dropped.setdefault(_not_rendered(opener[0] + inside.strip() + close[0]), start)
            found.append(_Shortcode(start, position, delimiter, True, "", "", None))
            continue
        args = inside[name.end() :].rstrip()
        found.append(_Shortcode(start, position, delimiter, closing, name[0], args, None))
    return found


def hugo(text: str, resolve: Resolver | None = None) -> tuple[str, dict[str, int]]:
    """Shortcodes rendered or dropped; and each warning (one per kind) with the offset
    of its first cause."""
    resolve = resolve or (lambda _ref: None)
    dropped: dict[str, int] = {}
    tags = _shortcodes(text, dropped)
    # Where each name's closing tags are, so that finding a pair is a bisection.
    closings: dict[str, list[int]] = {}
    for number, tag in enumerate(tags):
        if tag.closing and tag.name:
            closings.setdefault(tag.name, []).append(number)
    out: list[str] = []
    position = 0
    number = 0
    while number < len(tags):
        tag = tags[number]
        number += 1
        out.append(text[position : tag.start])
        position = tag.end
        if tag.literal is not None:
            out.append(tag.literal)
            continue
        if tag.closing:
            if tag.name:
                dropped.setdefault(_not_rendered("/" + tag.name), tag.start)
            continue
        inner = None
        if not tag.args.endswith("/"):
            later = closings.get(tag.name, [])
            at = bisect.bisect_left(later, number)
            if at < len(later):
                close = tags[later[at]]
                inner = text[tag.end : close.start]
                position, number = close.end, later[at] + 1
        rendered = _hugo_one(tag.name, tag.args, inner, resolve)
        if rendered is None:
            dropped.setdefault(_not_rendered(tag.name), tag.start)
            rendered = inner if inner is not None and tag.delimiter == "%" else ""
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


_LIQUID_OPEN = re.compile(r"\{[{%]")
_LIQUID_CLOSE = {"{%": re.compile(r"%\}"), "{{": re.compile(r"\}\}")}
# Blocks whose inside is not Liquid: what closes each.
_LIQUID_ENDS = {
    name: re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}")
    for name in ("raw", "highlight", "comment")
}
_ATTRIBUTE_BEFORE = 120  # how far back an output tag is looked for inside an attribute


def _attribute(text: str, start: int) -> str | None:
    """The HTML attribute whose value the template output at ``start`` is part of."""
    before = text[max(0, start - _ATTRIBUTE_BEFORE) : start]
    equals = before.rfind("=")
    opened = before.rfind("<")  # inside a tag: after its "<" and no ">" since
    if equals < 0 or opened < 0 or opened < before.rfind(">") or equals < opened:
        return None
    value = before[equals + 1 :]
    if value[:1] in ("'", '"'):
        value = value[1:]
    if any(c in value for c in "\"'<> \t\n"):
        return None
    name = re.search(r"([\w:-]+)\s*\Z", before[:equals])
    return name[1] if name else None


def liquid(text: str, resolve: Resolver | None = None) -> tuple[str, dict[str, int]]:
    """Liquid tags rendered or dropped, in one pass; and each warning (one per kind)
    with the offset of its first cause."""
    resolve = resolve or (lambda _ref: None)
    dropped: dict[str, int] = {}
    closes = {opener: _Next(pattern, text) for opener, pattern in _LIQUID_CLOSE.items()}
    ends = {name: _Next(pattern, text) for name, pattern in _LIQUID_ENDS.items()}
    out: list[str] = []
    position = 0
    searched = 0
    while (opener := _LIQUID_OPEN.search(text, searched)) is not None:
        start = opener.start()
        close = closes[opener[0]].at_or_after(opener.end())
        if close is None:
            dropped.setdefault(_never_closed(opener[0]), start)
            searched = opener.end()
            continue
        out.append(text[position:start])
        position = searched = close.end()
        inside = text[opener.end() : close.start()].strip().strip("-").strip()
        if opener[0] == "{{":
            expression = inside.split("|")[0].strip()
            attribute = _attribute(text, start)
            if attribute is not None:
                warning = (
                    f"template output {'{{ ' + inside + ' }}'!r} in the {attribute} attribute "
                    "is not rendered by feedtool; the attribute is left empty in the feed"
                )
            else:
                warning = _not_rendered("{{ " + expression + " }}")
            dropped.setdefault(warning, start)
            continue
        word = re.match(r"\w+", inside)
        name, args = (word[0], inside[word.end() :]) if word else (inside, "")
        end = ends[name].at_or_after(position) if name in ends else None
        if end is not None:
            inner = text[position : end.start()]
            position = searched = end.end()
            if name == "raw":
                out.append(inner)
                continue
            if name == "comment":
                continue
            language = re.match(r"\s*(\w+)", args)
            if language is not None:  # highlight
                out.append(_code(inner, language[1]))
                continue
            position = searched = close.end()  # a highlight without a language: no block
        rendered = _liquid_one(name, args, resolve)
        if rendered is None:
            dropped.setdefault(_not_rendered(name), start)
            rendered = ""
        out.append(rendered)
    out.append(text[position:])
    return "".join(out), dropped


CONVERTERS = {"hugo": hugo, "liquid": liquid}
# What a body holds at least when a kind's tags are in it: without it, nothing to scan.
_MARKERS = {"hugo": "{{", "liquid": "{"}


MAX_NOTES = 20  # warnings per file; a body of thousands of tag kinds gets a count after


def notes(kind: str, path: str, body: str, body_line: int) -> list[str]:
    """One warning per dropped kind of tag, with the file and line of its first use."""
    if _MARKERS[kind] not in body:
        return []
    _text, dropped = CONVERTERS[kind](body)
    found: list[str] = []
    line, counted = body_line, 0
    for warning, offset in sorted(dropped.items(), key=lambda item: item[1])[:MAX_NOTES]:
        line += body.count("\n", counted, offset)  # from the last one: one pass in all
        counted = offset
        found.append(f"{path}:{line}: {warning}")
    if len(dropped) > MAX_NOTES:
        found.append(f"{path}: and {len(dropped) - MAX_NOTES} more kinds of template tag")
    return found
