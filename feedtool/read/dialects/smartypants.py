"""Jekyll's ``smartify`` filter, which jekyll-feed applies to every title: curly quotes,
dashes and ellipses as kramdown's SmartyPants parser makes them.

A port of kramdown 2.4's span parsers for SmartyPants input (smart quotes, typographic
symbols; entities and HTML tags pass through), then jekyll-feed's ``strip_html`` and
``normalize_whitespace``. Checked against Jekyll 4.3's converter on the titles of
tests/data/sites/jekyll-smartify.json. Ruby's ``\\w``, ``\\s`` and ``\\b`` are ASCII: so here.
"""

from __future__ import annotations

import html
import re

_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_CLOSE = r"[^ \\\t\r\n\[{(-]"
_QUOTES = {
    ("r", '"'): "\u201d",
    ("r", "'"): "\u2019",
    ("l", '"'): "\u201c",
    ("l", "'"): "\u2018",
}
# kramdown's SQ_RULES, in its order: (pattern, what each group becomes). A string is
# text; ("l"|"r", N) is the opening or closing form of the quote in group N.
_RULES: list[tuple[re.Pattern[str], list[str | int | tuple[str, int]]]] = [
    (re.compile(r"""("|')(?=[_*]{1,2}\S)""", re.A), [("l", 1)]),
    (re.compile(rf"""("|')(?={_PUNCT}(?!\.\.)\B)""", re.A), [("r", 1)]),
    (re.compile(r"""(\s?)"'(?=\w)""", re.A), [1, "\u201c", "\u2018"]),
    (re.compile(r"""(\s?)'"(?=\w)""", re.A), [1, "\u2018", "\u201c"]),
    (re.compile(r"""(\s?)'(?=\d\ds)""", re.A), [1, "\u2019"]),
    (re.compile(r"""(\s)('|")(?=\w)""", re.A), [1, ("l", 2)]),
    (re.compile(rf"""({_CLOSE})('|")""", re.A), [1, ("r", 2)]),
    (re.compile(r"""("|')(?=\s|s\b|$)""", re.A | re.M), [("r", 1)]),
    (re.compile(r"""(.?)'""", re.A | re.S), [1, "\u2018"]),
    (re.compile(r"""(.?)\"""", re.A | re.S), [1, "\u201c"]),
]
_SYMBOLS = [
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("...", "\u2026"),
    ("\\<<", "<<"),
    ("\\>>", ">>"),
    ("<< ", "\u00ab\u00a0"),
    (" >>", "\u00a0\u00bb"),
    ("<<", "\u00ab"),
    (">>", "\u00bb"),
]
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);")
_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # Ruby's \s: a no-break space stays
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.S)


def _quote_starts(text: str, i: int) -> bool:
    """kramdown's smart quote start: a quote here, or any character but ``\\`` before one."""
    if text[i] in "\"'":
        return True
    return text[i] != "\\" and i + 1 < len(text) and text[i + 1] in "\"'"


def _smart_quote(text: str, i: int) -> tuple[str, int]:
    for pattern, parts in _RULES:
        match = pattern.match(text, i)
        if match is None:
            continue
        out = []
        for part in parts:
            if isinstance(part, int):
                out.append(match[part])
            elif isinstance(part, tuple):
                out.append(_QUOTES[(part[0], match[part[1]])])
            else:
                out.append(part)
        return "".join(out), match.end()
    return text[i], i + 1  # pragma: no cover - the last two rules match any quote


def smartify(title: str) -> str:
    """``{{ title | smartify | strip_html | normalize_whitespace }}`` as jekyll-feed writes it
    (as text: what a reader shows)."""
    if not any(c in title for c in "\"'-.<>&"):
        return title
    out: list[str] = []
    i = 0
    while i < len(title):
        if _quote_starts(title, i):
            text, i = _smart_quote(title, i)
            out.append(text)
            continue
        entity = _ENTITY.match(title, i) if title[i] == "&" else None
        if entity is not None:
            out.append(html.unescape(entity[0]))
            i = entity.end()
            continue
        symbol = next((s for s in _SYMBOLS if title.startswith(s[0], i)), None)
        if symbol is not None:
            out.append(symbol[1])
            i += len(symbol[0])
            continue
        tag = _TAG.match(title, i) if title[i] == "<" else None
        if tag is not None:
            i = tag.end()  # strip_html
            continue
        out.append(title[i])
        i += 1
    return _SPACE.sub(" ", "".join(out)).strip(" ")
