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

from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
# What is not printable ASCII or a Unicode range YAML allows, and what YAML treats as
# a line break or byte-order mark (tabs too): text with any of it goes to PyYAML. The
# few characters that are out, not the many that are in: the long form cost 2 ms a start.
_UNSAFE_TEXT = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_ITEM = re.compile(r"[^\[\]{},#'\"]+")


@lru_cache(maxsize=4096)  # tags and other short values repeat from article to article
def _resolve_plain(text: str) -> tuple[bool, Any]:
    """(True, value) for a plain scalar we can type exactly as PyYAML does; (False, None) if not."""
    if not text:
        return True, None
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return False, None
    for tag, pattern in Resolver.yaml_implicit_resolvers.get(text[0], []):
        if pattern.match(text):
            kind = tag.rsplit(":", 1)[1]
            if kind == "null":
                return True, None
            if kind == "bool":
                return True, SafeConstructor.bool_values[text.lower()]
            if kind == "timestamp":  # frontmatter's loader keeps timestamps as text
                return True, text
            return False, None  # numbers, merge keys and the like: leave to PyYAML
    return True, text


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
        items = []
        for part in inner.split(","):
            part = part.strip(" ")
            if not _FLOW_ITEM.fullmatch(part):
                return False, None
            ok, value = _resolve_plain(part)
            if not ok or value is None:
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
    if _UNSAFE_TEXT.search(source):
        return None
    result: dict[str, Any] = {}
    for line in source.split("\n"):
        match = _KEY_LINE.fullmatch(line.rstrip(" "))
        if match is None:
            if not line.strip(" "):
                continue  # a blank line
            return None
        key = match[1]
        if not _plain_key(key):
            return None
        ok, value = _value(match[2] or "")
        if not ok:
            return None
        result[key] = value
    return result if result else None
