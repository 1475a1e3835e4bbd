"""Each entry's XML rendered once per build, and reused in every feed that shows it.

A site with a feed per tag shows each entry in the main feed and in the feed of each of
its tags, and feedgen would build it again every time. But an RSS item or an Atom entry
is written the same in any feed of a site (given the few things of the document it
reads: see _context), and pretty-printed RSS and Atom documents are a head, their
entries' lines one after another, and a fixed tail. So a document is made here of its
head and tail (from the format's own render of it with only the entries not seen yet,
or none) with the entries' lines in between, each cut once out of a document that
showed it.

Text in these documents is always escaped (no CDATA), so a line that starts an entry
element cannot occur inside one; a document is cut only when it holds exactly as many
such lines as it has entries and ends with the tail, else the format renders it
whole. This is a fast path behind the same interface as a format's render: a test
renders documents both ways and compares the bytes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from msgspec.structs import replace

from feedtool.model import Entry, FeedDoc
from feedtool.render.formats import Format

# The formats whose documents are cut: the tail after their entries, and how a line that
# starts an entry starts (then a space or ">"). JSON Feed's documents are not made of
# lines this way, and the json module writes them fast anyway.
_SHAPES: dict[str, tuple[bytes, bytes]] = {
    "rss": (b"  </channel>\n</rss>\n", b"    <item"),
    "atom": (b"</feed>\n", b"  <entry"),
}


def _namespaces(fmt: Format) -> Callable[[FeedDoc], dict[str, str]]:
    """The namespaces ``fmt``'s root element declares for a document (they depend on
    its entries: Atom declares Media RSS's only for an entry with further enclosures).
    The format's module is imported when it renders, not before (see formats)."""
    namespaces: Callable[[FeedDoc], dict[str, str]]
    namespaces = importlib.import_module(f"{__package__}.{fmt.name}").root_namespaces
    return namespaces


def _context(doc: FeedDoc, namespaces: dict[str, str]) -> tuple[object, ...]:
    # What of the document an entry's lines depend on: the people it falls back to
    # (RSS and Atom write the document's authors for an entry with none), and the
    # namespaces the root declares (an element of one it does not declares it itself);
    # and, to be safe, the language, also on the root.
    return (doc.authors, tuple(sorted(namespaces.items())), doc.language)


class Fragments:
    """One build's entries as lines, by format: render() is a format's render, faster."""

    def __init__(self) -> None:
        # (format, source, context) -> (the entry, its lines); the entry itself is kept
        # to tell it from another one with the same source.
        self._lines: dict[tuple[str, str, tuple[object, ...]], tuple[Entry, bytes]] = {}

    def render(self, fmt: Format, doc: FeedDoc, self_url: str) -> bytes:
        """What ``fmt.render(doc, self_url)`` gives, byte for byte."""
        shape = _SHAPES.get(fmt.name)
        if shape is None or not doc.entries:
            return fmt.render(doc, self_url)
        namespaces = _namespaces(fmt)
        declared = namespaces(doc)
        context = _context(doc, declared)
        keys = [(fmt.name, entry.article.source, context) for entry in doc.entries]
        missing: dict[tuple[str, str, tuple[object, ...]], Entry] = {}
        for key, entry in zip(keys, doc.entries, strict=True):
            known = self._lines.get(key)
            if known is None or known[0] is not entry:
                missing[key] = entry
        if len(missing) == len(doc.entries):  # nothing to reuse: the document itself
            data = fmt.render(doc, self_url)
            self._keep(data, missing, shape)
            return data
        # The entries not seen yet (or none), in a document with this one's head and
        # tail: the head depends on the entries only through the namespaces the root
        # declares (feedtool sets every time itself), so those must be the same.
        other = replace(doc, entries=tuple(missing.values()))
        if namespaces(other) != declared:
            return fmt.render(doc, self_url)
        data = fmt.render(other, self_url)
        head = self._keep(data, missing, shape)
        if head is None:
            return fmt.render(doc, self_url)
        return head + b"".join([self._lines[key][1] for key in keys]) + shape[0]

    def _keep(
        self,
        data: bytes,
        entries: dict[tuple[str, str, tuple[object, ...]], Entry],
        shape: tuple[bytes, bytes],
    ) -> bytes | None:
        """Keep the lines of each of ``entries`` (the entries ``data`` shows, in order);
        return its head, or None when it does not cut into one block per entry."""
        tail, start = shape
        if not data.endswith(tail):
            return None
        starts = _line_starts(data, start)
        if len(starts) != len(entries):
            return None
        end = len(data) - len(tail)
        ends = [*starts[1:], end] if starts else []
        for (key, entry), begin, until in zip(entries.items(), starts, ends, strict=True):
            self._lines[key] = (entry, data[begin:until])
        return data[: starts[0] if starts else end]


def _line_starts(data: bytes, start: bytes) -> list[int]:
    """Where the lines of ``data`` that begin with ``start`` and then a space or ">"
    begin. bytes.find, not a regular expression: a multi-line pattern anchored at line
    starts is tried at every byte of the document."""
    found = []
    if data.startswith(start) and data[len(start) : len(start) + 1] in (b" ", b">"):
        found.append(0)
    needle = b"\n" + start
    at = data.find(needle)
    while at != -1:
        after = at + len(needle)
        if data[after : after + 1] in (b" ", b">"):
            found.append(at + 1)
        at = data.find(needle, after)
    return found
