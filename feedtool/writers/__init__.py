"""Output formats: one module per format, one registry.

A format is a name, a file name and a function from a FeedDoc to bytes. Adding a
format means one new module and one line in FORMATS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import FeedDoc
from . import atom, rss


@dataclass(frozen=True)
class Format:
    name: str
    filename: str
    media_type: str
    render: Callable[[FeedDoc, str], bytes]  # (doc, self URL) -> file contents


FORMATS: dict[str, Format] = {
    "rss": Format("rss", "rss.xml", "application/rss+xml", rss.render),
    "atom": Format("atom", "atom.xml", "application/atom+xml", atom.render),
}


def output_path(doc: FeedDoc, fmt: Format) -> str:
    """Where a document goes, relative to the output folder, with / separators."""
    return f"{doc.key}/{fmt.filename}" if doc.key else fmt.filename
