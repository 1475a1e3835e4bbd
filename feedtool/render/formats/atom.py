"""Atom 1.0 (RFC 4287).

feedgen writes the feed and entry elements it knows; the extensions below add the
rest (hub and archive links, xml:lang on entries, enclosure links). feedgen's root
declares the Atom namespace as a plain xmlns attribute, so added elements take
bare names to land in it.
"""

from __future__ import annotations

from lxml import etree

from feedtool.model import Author, FeedDoc
from feedtool.read.media import guess_type
from feedtool.render.formats._feedgen import (
    EntryExtension,
    FeedExtension,
    add_entry,
    archive_marker,
    generator_for,
)
from feedtool.render.html import looks_like_markup, text_as_html
from feedtool.xmlnames import XML_LANG


def _person(author: Author) -> dict[str, str]:
    person = {"name": author.name}
    if author.email:
        person["email"] = author.email
    if author.uri:
        person["uri"] = author.uri
    return person


class _Feed(FeedExtension):
    """fh:archive, and the hub and archive links feedgen cannot write."""

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        doc = self.doc
        archive_marker(feed, doc)
        for rel, href in ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links:
            etree.SubElement(feed, "link", rel=rel, href=href)
        _plain_text(feed, ("title", "subtitle"))
        return feed


class _Entry(EntryExtension):
    """xml:lang and enclosure links: feedgen drops rel/type/length on entry links
    (its issues #135, #143)."""

    def extend_atom(self, element: etree._Element) -> etree._Element:
        article = self.entry.article
        _plain_text(element, ("title", "summary"))
        if article.lang:
            element.set(XML_LANG, article.lang)
        media: list[tuple[str, str | None, int | None]] = [
            (e.url, e.type, e.length) for e in article.enclosures
        ]
        if article.image:
            # Atom has no item picture; an image enclosure is how readers find one.
            # It comes last, so podcast clients take the real media first.
            media.append((article.image, guess_type(article.image), None))
        for href, media_type, length in media:
            link = etree.SubElement(element, "link", rel="enclosure", href=href)
            if media_type:
                link.set("type", media_type)
            if length is not None:  # Atom's length is optional: left out when unknown
                link.set("length", str(length))
        return element


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
        fe.link(href=article.link, rel="alternate", type="text/html")
        for author in article.authors:
            fe.author(_person(author))
        if entry.summary:
            fe.summary(entry.summary)
        fe.content(entry.content_html, type="html")
        for category in article.tags + article.categories:
            fe.category(term=category)
    result: bytes = fg.atom_str(pretty=True)
    return result


def _plain_text(parent: etree._Element, names: tuple[str, ...]) -> None:
    """Plain text that readers might take for HTML, declared as HTML and escaped.

    type="text" is what RFC 4287 means for plain text, and type-aware readers
    show it right; but readers that guess treat "<em>" in a title as markup.
    Declared as escaped HTML, every reader shows the characters as typed.
    """
    for name in names:
        element = parent.find(name)
        if element is not None and element.text and looks_like_markup(element.text):
            element.set("type", "html")
            element.text = text_as_html(element.text)
