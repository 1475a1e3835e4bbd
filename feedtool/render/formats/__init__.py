"""Output formats: one module per format, one registry.

A format is a name, a file name and a function from a FeedDoc to bytes. Adding a
format means one new module and one line in FORMATS. The OPML index (opml.py) is
not a feed format: it lists the feeds the formats wrote.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import NamedTuple

from feedtool.model import FeedDoc
from feedtool.values import choices


class Format(NamedTuple):
    name: str  # as in the config's `formats`
    filename: str
    media_type: str  # for <link rel="alternate" type=...> and HTTP
    render: Callable[[FeedDoc, str], bytes]  # (doc, self URL) -> file contents
    label: str = ""  # for people: link titles, OPML folders


def _writer(module: str) -> Callable[[FeedDoc, str], bytes]:
    """The render function of writers/MODULE.py, imported on first use.

    The writers import feedgen and lxml; a build that renders nothing (nothing
    changed) and commands that render nothing should not pay for loading them.
    """

    def render(doc: FeedDoc, self_url: str) -> bytes:
        writer: Callable[[FeedDoc, str], bytes] = importlib.import_module(
            f"{__name__}.{module}"
        ).render
        return writer(doc, self_url)

    return render


def load(names: Iterable[str]) -> None:
    """Import the writers of these formats now (before work is split between processes)."""
    for name in names:
        importlib.import_module(f"{__name__}.{_MODULES[name]}")


_MODULES = {"rss": "rss", "atom": "atom", "json": "jsonfeed", "podcast": "podcast"}

FORMATS: dict[str, Format] = {
    "rss": Format("rss", "rss.xml", "application/rss+xml", _writer(_MODULES["rss"]), "RSS 2.0"),
    "atom": Format(
        "atom", "atom.xml", "application/atom+xml", _writer(_MODULES["atom"]), "Atom 1.0"
    ),
    "json": Format(
        "json", "feed.json", "application/feed+json", _writer(_MODULES["json"]), "JSON Feed 1.1"
    ),
}

# One fact, kept in one place: config.py checks names against values/choices.
assert {key: fmt.filename for key, fmt in FORMATS.items()} == choices.FORMATS, "see choices"

# Formats written for one document of their own (a plan's ``formats``), never for every feed.
OWN_FORMATS: dict[str, Format] = {
    "podcast": Format(
        "podcast", "podcast.xml", "application/rss+xml", _writer(_MODULES["podcast"]), "Podcast"
    ),
}


def named(names: Iterable[str]) -> list[Format]:
    """The formats with these names, from FORMATS or OWN_FORMATS."""
    return [FORMATS.get(name) or OWN_FORMATS[name] for name in names]


def filename(fmt: Format, names: tuple[tuple[str, str], ...] = ()) -> str:
    """The file name of ``fmt``'s feeds: its own, unless ``names`` (the config's
    feed_files: (format, name) pairs) gives another."""
    return next((name for key, name in names if key == fmt.name), fmt.filename)


def feed_path(key: str, fmt: Format, names: tuple[tuple[str, str], ...] = ()) -> str:
    """Where the document with ``key`` goes, relative to the output folder, / separated."""
    name = filename(fmt, names) if names else fmt.filename
    return f"{key}/{name}" if key else name


def feed_url(feeds_url: str, key: str, fmt: Format, names: tuple[tuple[str, str], ...] = ()) -> str:
    """Where the document with ``key`` is published: feeds_url (ends in /) + feed_path."""
    return feeds_url + feed_path(key, fmt, names)
