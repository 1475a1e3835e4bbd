"""What RSS and Atom share: a feedgen FeedGenerator filled in from a FeedDoc.

feedgen has traps this module exists to contain: entries are prepended unless
``order="append"``, ``updated``/``lastBuildDate`` default to now, the RSS channel
link is the last link added, and some elements cannot be expressed at all. Every
field is set explicitly here; what feedgen cannot write is patched into its lxml
tree before serialisation (feedgen is pinned, so its tree-building methods are a
known quantity).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedtool.model import FeedDoc

# No uri: feedtool has no public home page yet, and a link that 404s helps nobody.
GENERATOR_NAME = "feedtool"
ATOM_NS = "http://www.w3.org/2005/Atom"
FH_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005

Patch = Callable[[etree._Element], None]


class _Namespaces(BaseExtension):  # type: ignore[misc]
    """Declares extra namespaces on the root, so patched-in elements do not repeat them."""

    namespaces: dict[str, str] = {}  # noqa: RUF012 - replaced per instance, never mutated

    def extend_ns(self) -> dict[str, str]:
        return self.namespaces


class _Archive(BaseExtension):  # type: ignore[misc]
    """Marks an RFC 5005 archive document with <fh:archive/>, before the first entry/item."""

    def extend_ns(self) -> dict[str, str]:
        return {"fh": FH_NS}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        etree.SubElement(feed, f"{{{FH_NS}}}archive")
        return feed

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        channel = rss.find("channel")
        assert channel is not None
        etree.SubElement(channel, f"{{{FH_NS}}}archive")
        return rss


def generator_for(doc: FeedDoc, self_url: str, namespaces: dict[str, str] | None = None) -> Any:
    """A FeedGenerator with the feed-level fields both formats use."""
    fg = FeedGenerator()
    if namespaces:
        fg.register_extension("feedtool_namespaces", _Namespaces, None)
        fg.feedtool_namespaces.namespaces = namespaces
    if doc.archive:
        # feedgen calls extensions after the feed-level elements and before the entries.
        fg.register_extension("feedtool_archive", _Archive, None)
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


def finish(fg: Any, kind: str, patch: Patch) -> bytes:
    """Build feedgen's tree, let ``patch`` add what feedgen cannot, and serialise."""
    root, tree = fg._create_rss() if kind == "rss" else fg._create_atom()
    patch(root)
    result: bytes = etree.tostring(tree, pretty_print=True, encoding="UTF-8", xml_declaration=True)
    return result
