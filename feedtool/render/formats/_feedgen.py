"""What RSS and Atom share: a feedgen FeedGenerator filled in from a FeedDoc.

feedgen has traps this module exists to contain: entries are prepended unless
``order="append"``, ``updated``/``lastBuildDate`` default to now, and the RSS
channel link is the last link added. Every field is set explicitly here.

feedgen is used only through its public API: its setters, ``rss_str``/``atom_str``,
and its extension API for what it does not write itself. Each format registers
one feed extension (``extend_ns`` and ``extend_rss``/``extend_atom``, called after
the feed-level elements and before the entries) and one entry extension (called
last for each entry), both given the records they write from.
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedtool.model import Entry, FeedDoc
from feedtool.xmlnames import FH_NS, MEDIA_NS

# No uri: feedtool has no public home page yet, and a link that 404s helps nobody.
GENERATOR_NAME = "feedtool"
# RSS's <docs>, in both RSS feeds: feedgen's default is an http URL, which podcast apps flag.
RSS_DOCS = "https://www.rssboard.org/rss-specification"
# The attribute feedgen gives the generator, and each entry, for feedtool's extensions.
EXTENSION = "feedtool"


class FeedExtension(BaseExtension):  # type: ignore[misc]
    """What a format adds to a feed: ``doc`` is set before the feed is written."""

    doc: FeedDoc

    def extend_ns(self) -> dict[str, str]:
        return archive_namespaces(self.doc)


def archive_namespaces(doc: FeedDoc) -> dict[str, str]:
    """RFC 5005's namespace, on an archive document's root."""
    return {"fh": FH_NS} if doc.archive else {}


class EntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """What a format adds to an entry: ``doc`` and ``entry`` are set when it is added."""

    doc: FeedDoc
    entry: Entry


def archive_marker(parent: etree._Element, doc: FeedDoc) -> None:
    """RFC 5005's <fh:archive/> on an archive document, before its first entry or item."""
    if doc.archive:
        etree.SubElement(parent, f"{{{FH_NS}}}archive")


def generator_for(
    doc: FeedDoc,
    self_url: str,
    feed_extension: type[FeedExtension],
    entry_extension: type[EntryExtension],
) -> Any:
    """A FeedGenerator with the feed-level fields both formats use and the format's
    extensions registered (entries added with ``add_entry`` get theirs set up)."""
    fg = FeedGenerator()
    fg.register_extension(EXTENSION, feed_extension, entry_extension)
    getattr(fg, EXTENSION).doc = doc
    fg.title(doc.title)
    fg.description(doc.description)
    fg.subtitle(doc.description)
    # The RSS channel <link> is feedgen's last link: self first, the site last.
    fg.link(href=self_url, rel="self")
    fg.link(href=doc.site_url, rel="alternate", type="text/html")
    fg.updated(doc.updated)
    fg.lastBuildDate(doc.updated)
    fg.generator(GENERATOR_NAME)
    if doc.language:
        fg.language(doc.language)
    return fg


def add_entry(fg: Any, doc: FeedDoc, entry: Entry) -> Any:
    """A new FeedEntry at the end of the feed, its extension told what it writes."""
    fe = fg.add_entry(order="append")
    extension = getattr(fe, EXTENSION)
    extension.doc = doc
    extension.entry = entry
    return fe


def media_content(
    url: str, media_type: str | None, length: int | None, kind: str | None
) -> etree._Element:
    """A Media RSS <media:content>: further enclosures and pictures, in RSS and Atom."""
    element = etree.Element(f"{{{MEDIA_NS}}}content", url=url)
    if media_type:
        element.set("type", media_type)
    if kind:
        element.set("medium", kind)
    if length:  # Media RSS wants a positive fileSize, so unknown (or 0) is left out
        element.set("fileSize", str(length))
    return element
