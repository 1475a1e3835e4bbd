"""What every format's checks share: the Problem record, a per-document collector, XML helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal
from urllib.parse import urljoin

import msgspec
from lxml import etree

from feedtool.errors import printable

Level = Literal["error", "warning"]


class Problem(msgspec.Struct, frozen=True, order=True):
    """One thing wrong with a feed, where it is, and how bad it is."""

    file: str
    line: int
    level: Level
    code: str  # a stable short name ("missing-element"), for machines and tests
    message: str

    def __str__(self) -> str:
        """One printable line: a hostile feed's text cannot retitle a terminal or forge lines."""
        return printable(f"{self.file}:{self.line}: {self.level}: {self.message}")

    def as_json(self) -> dict[str, object]:
        """The problem as the JSON object `feedtool validate --json` prints."""
        return {
            "file": self.file,
            "line": self.line,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }


class Findings(msgspec.Struct):
    """Problems in one document, before it is known which file they belong to.

    ``self_url`` is where the document is published, when the caller knows it;
    then a self link must point there.
    """

    self_url: str | None = None
    items: list[tuple[int, Level, str, str]] = msgspec.field(default_factory=list)

    def error(self, line: int | None, code: str, message: str) -> None:
        """Record an error at ``line`` (1 when unknown)."""
        self.items.append((line or 1, "error", code, message))

    def warning(self, line: int | None, code: str, message: str) -> None:
        """Record a warning at ``line`` (1 when unknown)."""
        self.items.append((line or 1, "warning", code, message))

    def problems(self, file: str) -> list[Problem]:
        """Sorted by line, so the output reads top to bottom."""
        found = [Problem(file, line, level, code, msg) for line, level, code, msg in self.items]
        return sorted(found, key=lambda p: p.line)


# An element's name as people write it: the prefix they would expect, then the local name.
_PREFIXES = {
    "http://www.w3.org/2005/Atom": "atom:",
    "http://www.w3.org/1999/xhtml": "xhtml:",
}


def line(element: etree._Element) -> int:
    """The line of the element's start tag (lxml-stubs leave sourceline untyped)."""
    found: Any = element.sourceline
    return int(found) if found else 1


def shown(element: etree._Element, bare_ns: str = "") -> str:
    """``<title>`` or ``<atom:link>``: no prefix for the format's own namespace."""
    tag = element.tag
    assert isinstance(tag, str)
    ns, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if ns == bare_ns:
        return f"<{name}>"
    prefix = element.prefix or _PREFIXES.get(ns, "")
    return f"<{prefix}:{name}>" if prefix and not prefix.endswith(":") else f"<{prefix}{name}>"


def children(element: etree._Element) -> Iterator[etree._Element]:
    """Child elements, leaving out comments and processing instructions."""
    for child in element:
        if isinstance(child.tag, str):
            yield child


def has_text(element: etree._Element) -> bool:
    """True when non-whitespace text sits directly in the element (not in its children)."""
    if element.text and element.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in element)


def unexpected_attributes(
    findings: Findings, element: etree._Element, allowed: frozenset[str], bare_ns: str = ""
) -> None:
    """Un-namespaced attributes the format does not define (namespaced ones are extensions)."""
    for attr in map(str, element.attrib):
        if not attr.startswith("{") and attr not in allowed:
            findings.error(
                line(element),
                "unexpected-attribute",
                f'{shown(element, bare_ns)} has an attribute "{attr}" that is not defined there',
            )


def self_link(
    findings: Findings, parent: etree._Element, links: list[etree._Element], name: str
) -> None:
    """A feed should say where it lives (rel="self"); when we know where, it must say so."""
    selves = [link for link in links if link.get("rel") == "self"]
    if not selves:
        findings.warning(
            line(parent),
            "missing-self-link",
            f'{name} has no self link (<atom:link rel="self" href="...">), '
            "so readers cannot tell where the feed lives",
        )
        return
    href = (selves[0].get("href") or "").strip()
    if href and selves[0].base:  # a relative href is relative to xml:base
        href = urljoin(selves[0].base, href)
    if findings.self_url is not None and href and href != findings.self_url:
        findings.error(
            line(selves[0]),
            "self-link-mismatch",
            f'the self link "{href}" is not where this feed is published ({findings.self_url})',
        )
