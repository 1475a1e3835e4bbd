"""Atom 1.0 (RFC 4287).

Titles, summaries and names are text constructs of type "text" (Atom's default), which
every reader tried gives back exactly; type="html" got three different readings.
Every entry names its authors (the site's when the article has none): newsboat and
feedparser show no author for an entry that relies on the feed's.

Enclosures: the article's first is a <link rel="enclosure">, further ones Media RSS
<media:content> (newsboat keeps an entry's last audio or video enclosure link, every
other reader the first), and the article's image a last image enclosure link.

feedgen writes the feed and entry elements it knows; the extensions below add the
rest (hub and archive links, xml:lang on entries, enclosure links). feedgen's root
declares the Atom namespace as a plain xmlns attribute, so added elements take
bare names to land in it.
"""

from __future__ import annotations

from lxml import etree

from feedtool.model import Article, Author, FeedDoc
from feedtool.read.media import guess_type, medium
from feedtool.render.formats._feedgen import (
    EntryExtension,
    FeedExtension,
    add_entry,
    archive_marker,
    archive_namespaces,
    generator_for,
    media_content,
)
from feedtool.xmlnames import MEDIA_NS, XML_LANG


def _person(author: Author) -> dict[str, str]:
    person = {"name": author.name}
    if author.email:
        person["email"] = author.email
    if author.uri:
        person["uri"] = author.uri
    return person


def root_namespaces(doc: FeedDoc) -> dict[str, str]:
    """The namespaces the root element declares for ``doc``, besides feedgen's own:
    Media RSS only when an entry has a further enclosure."""
    namespaces = archive_namespaces(doc)
    if any(len(entry.article.enclosures) > 1 for entry in doc.entries):
        namespaces["media"] = MEDIA_NS
    return namespaces


class _Feed(FeedExtension):
    """fh:archive, and the hub and archive links feedgen cannot write."""

    def extend_ns(self) -> dict[str, str]:
        return root_namespaces(self.doc)

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        doc = self.doc
        archive_marker(feed, doc)
        for rel, href in ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links:
            etree.SubElement(feed, "link", rel=rel, href=href)
        return feed


class _Entry(EntryExtension):
    """xml:lang, enclosures and translations: feedgen drops rel/type/length/hreflang
    on entry links (its issues #135, #143)."""

    def extend_atom(self, element: etree._Element) -> etree._Element:
        article = self.entry.article
        if article.lang:
            element.set(XML_LANG, article.lang)
        if article.enclosures:
            first = article.enclosures[0]
            _enclosure_link(element, first.url, first.type, first.length)
        for enclosure in article.enclosures[1:]:
            kind = medium(enclosure.type)
            element.append(media_content(enclosure.url, enclosure.type, enclosure.length, kind))
        if article.image:
            # Atom has no item picture; an image enclosure is how readers find one.
            # It comes last, so readers that list enclosures list the real media first.
            _enclosure_link(element, article.image, guess_type(article.image), None)
        if _own_link_here(article):
            # Readers disagree on which alternate link is the entry's: feedparser and
            # newsboat take the last, sfeed and the JavaScript readers the first (and
            # rss-parser only one with rel written out). The entry's own link first and
            # again last, with its hreflang (no two links share type and hreflang, as
            # RFC 4287 asks), makes all six open the entry in its own language.
            etree.SubElement(element, "link", rel="alternate", type="text/html", href=article.link)
        for lang, href in article.translations:
            etree.SubElement(
                element, "link", rel="alternate", type="text/html", hreflang=lang, href=href
            )
        if _own_link_here(article):
            assert article.lang is not None
            etree.SubElement(
                element,
                "link",
                rel="alternate",
                type="text/html",
                hreflang=article.lang,
                href=article.link,
            )
        return element


def _own_link_here(article: Article) -> bool:
    """Whether _Entry writes the entry's own links (a translated entry), not feedgen."""
    return bool(article.translations and article.lang)


def _enclosure_link(
    element: etree._Element, href: str, media_type: str | None, length: int | None
) -> None:
    link = etree.SubElement(element, "link", rel="enclosure", href=href)
    if media_type:
        link.set("type", media_type)
    if length is not None:  # Atom's length is optional: left out when unknown
        link.set("length", str(length))


def render(doc: FeedDoc, self_url: str) -> bytes:
    """An Atom document for ``doc``, its self link pointing at ``self_url``."""
    fg = generator_for(doc, self_url, _Feed, _Entry)
    fg.id(self_url)
    for author in doc.authors:
        fg.author(_person(author))
    if doc.image:
        fg.logo(doc.image)
    if doc.icon:
        fg.icon(doc.icon)
    for entry in doc.entries:
        article = entry.article
        fe = add_entry(fg, doc, entry)
        fe.id(article.id)
        fe.title(article.title)
        fe.updated(article.updated)
        fe.published(article.published)
        if not _own_link_here(article):  # feedgen writes it without rel and type
            fe.link(href=article.link, rel="alternate", type="text/html")
        for author in article.authors or doc.authors:
            fe.author(_person(author))
        if entry.summary:
            fe.summary(entry.summary)
        fe.content(entry.content_html, type="html")
        for category in article.tags + article.categories:
            fe.category(term=category)
    result: bytes = fg.atom_str(pretty=True)
    return result
