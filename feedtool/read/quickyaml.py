"""A fast reader for the flat YAML most front matter is, falling back to PyYAML.

Parsing front matter is most of a large build's time: PyYAML builds Python
objects node by node even with its C loader. Typical front matter is a flat
list of ``key: value`` lines, which this module reads directly. Anything it is
not certain about (nesting, anchors, escapes, numbers, comments, unusual
characters) makes it return None, and the caller uses PyYAML. Where it does
answer, the answer is exactly what frontmatter's YAML loader gives (a property
test compares the two): that is the contract.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from feedtool.values.patterns import compiled_later

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
# What is not printable ASCII or a Unicode range YAML allows, and what YAML treats as
# a line break or byte-order mark (tabs too): text with any of it goes to PyYAML. The
# few characters that are out, not the many that are in: the long form cost 2 ms a start.
_UNSAFE_TEXT = compiled_later(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# What no item of a flow list ([a, b]) read here may hold: the commas between items aside.
_FLOW_INDICATOR = re.compile(r"[\[\]{}#'\"]")


# PyYAML's implicit types for plain scalars (yaml/resolver.py), written out here so
# that reading front matter does not load PyYAML (~10 ms); a test checks that they
# still match PyYAML's own table. Booleans and nulls are whole words:
_BOOLEANS = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
}
_NULLS = frozenset(("~", "null", "Null", "NULL"))
# Numbers and timestamps start with one of these; of them only a timestamp is answered
# here (as text, as frontmatter's loader keeps it), anything else goes to PyYAML.
_NUMERIC_START = frozenset("+-.0123456789")
_TIMESTAMP = re.compile(
    """^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \\t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?
                     (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    re.VERBOSE,
)
# Merge keys (<<) and the value key (=): left to PyYAML too.
_OTHER_TYPED_START = frozenset("<=")


@lru_cache(maxsize=4096)  # tags and other short values repeat from article to article
def _resolve_plain(text: str) -> tuple[bool, Any]:
    """(True, value) for a plain scalar we can type exactly as PyYAML does; (False, None) if not."""
    if not text or text in _NULLS:
        return True, None
    first = text[0]
    if first in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return False, None
    if text in _BOOLEANS:
        return True, _BOOLEANS[text]
    if first in _NUMERIC_START:
        return (True, text) if _TIMESTAMP.match(text) else (False, None)
    return (False, None) if first in _OTHER_TYPED_START else (True, text)


def _value(raw: str) -> tuple[bool, Any]:
    raw = raw.strip(" ")  # YAML trims spaces only; str.strip() would eat U+00A0 too
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        inner = raw[1:-1]
        return ('"' not in inner and "\\" not in inner), inner
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        inner = raw[1:-1]
        return ("'" not in inner), inner
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1].strip(" ")
        if not inner:
            return True, []
        if _FLOW_INDICATOR.search(inner):  # one search for the list, not one an item
            return False, None
        items = []
        for part in inner.split(","):
            ok, value = _resolve_plain(part.strip(" "))
            if not ok or value is None:  # None for an empty item too
                return False, None
            items.append(value)
        return True, items
    return _resolve_plain(raw)


@lru_cache(maxsize=512)
def _plain_key(key: str) -> bool:
    """Whether PyYAML reads ``key`` as this very text (front matter repeats a few keys)."""
    if len(key) > 1000:  # YAML caps simple keys at 1024 characters: leave it to PyYAML
        return False
    ok, value = _resolve_plain(key)
    return ok and value == key


def load(source: str) -> dict[str, Any] | None:
    """The mapping PyYAML would give for ``source``, or None when in any doubt."""
    if _unsafe(source):
        return None
    result: dict[str, Any] = {}
    for line in source.split("\n"):
        match = _KEY_LINE.fullmatch(line.rstrip(" "))
        if match is None:
            if not line.strip(" "):
                continue  # a blank line
            return None
        key, raw = match.groups()
        if not _plain_key(key):
            return None
        # raw has no spaces around it (the line's are stripped, the pattern takes those
        # after the colon). A double-quoted text, the usual title and summary, is read
        # here rather than in _value: a call less for most lines of a large site.
        if raw and raw[0] == '"' and raw[-1] == '"' and len(raw) >= 2:
            inner = raw[1:-1]
            if '"' in inner or "\\" in inner:
                return None
            result[key] = inner
            continue
        if raw and "0" <= raw[0] <= "9" and _TIMESTAMP.match(raw):
            # A date, which _resolve_plain keeps as text too: each article's is its own,
            # so asking its cache would only push the repeated values out.
            result[key] = raw
            continue
        ok, value = _value(raw or "")
        if not ok:
            return None
        result[key] = value
    return result if result else None


def _unsafe(source: str) -> bool:
    """Whether ``source`` has a character _UNSAFE_TEXT names."""
    if source.isascii():
        # In ASCII those are the controls and DEL: what is left when the printable
        # characters and line breaks are deleted from its bytes (a table lookup a byte,
        # in C; the pattern's search costs several times more).
        return bool(source.encode("ascii").translate(None, _SAFE_ASCII))
    return _UNSAFE_TEXT().search(source) is not None


_SAFE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
