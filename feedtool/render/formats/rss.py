"""RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded.

Titles and names are plain text, written as they are: XML-escaped once, never
HTML-escaped on top, which is the one form every reader tried (feedparser,
newsboat, sfeed, rss-parser, feed-extractor, feedsmith) gives back exactly. The
description, which RSS defines as HTML, gets the summary HTML-escaped.

Enclosures: RSS has one <enclosure>, the article's first; further ones are Media
RSS <media:content>, written before it, because newsboat keeps the last audio or
video element of an item it reads and every other reader takes <enclosure>.

feedgen writes the channel and the item elements it knows; the extensions below
add the rest (language, people, RFC 5005 and WebSub links, Media RSS).
"""

from __future__ import annotations

from lxml import etree

from feedtool.model import Author, FeedDoc
from feedtool.read.media import DEFAULT_TYPE, guess_type, medium
from feedtool.render.formats._feedgen import (
    RSS_DOCS,
    EntryExtension,
    FeedExtension,
    add_entry,
    archive_marker,
    archive_namespaces,
    generator_for,
    media_content,
)
from feedtool.render.html import text_as_html
from feedtool.xmlnames import ATOM_NS, DC_NS, MEDIA_NS, XML_LANG


def _rss_author(author: Author) -> dict[str, str]:
    # RSS <author> is an e-mail address, optionally followed by the name in brackets
    # (feedgen writes "email (name)"; a name that is the address is not repeated).
    assert author.email
    if author.name == author.email:
        return {"email": author.email}
    return {"email": author.email, "name": author.name}


def root_namespaces(doc: FeedDoc) -> dict[str, str]:
    """The namespaces the root element declares for ``doc``, besides feedgen's own."""
    return {"dc": DC_NS, "media": MEDIA_NS, **archive_namespaces(doc)}


class _Channel(FeedExtension):
    """The channel's language attribute, fh:archive, and the hub and archive links."""

    def extend_ns(self) -> dict[str, str]:
        return root_namespaces(self.doc)

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        doc = self.doc
        channel = rss[0]
        if doc.language:
            # <language> names the feed's language; xml:lang also tells XML-aware
            # readers (feedparser) the language of each item's text.
            channel.set(XML_LANG, doc.language)
        archive_marker(channel, doc)
        # feedgen writes only the self atom:link. The others go here, before the
        # first item: after the items the W3C validator warns "Misplaced Item".
        for rel, href in ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", rel=rel, href=href)
        return rss


class _Item(EntryExtension):
    """People (dc:creator), language and Media RSS: what feedgen cannot write for an item."""

    def extend_rss(self, item: etree._Element) -> etree._Element:
        article = self.entry.article
        authors = article.authors or self.doc.authors
        if not _has_rss_author(authors):
            # Where feedgen writes <author>: before the guid, which every item has.
            guid = item.find("guid")
            assert guid is not None
            for author in authors:
                guid.addprevious(_element(f"{{{DC_NS}}}creator", author.name))
        if article.lang:
            # xml:lang is what feedparser reads; dc:language what RSS-only tools read.
            item.set(XML_LANG, article.lang)
            etree.SubElement(item, f"{{{DC_NS}}}language").text = article.lang
        if len(article.enclosures) > 1:
            # Before <enclosure>: newsboat keeps an item's last audio or video element.
            first = item.find("enclosure")
            assert first is not None  # feedgen wrote the first enclosure
            for enclosure in article.enclosures[1:]:
                kind = medium(enclosure.type)
                first.addprevious(
                    media_content(enclosure.url, enclosure.type, enclosure.length, kind)
                )
        if article.image:
            # The item's picture in both forms readers look for (Feedly and Mailchimp
            # among them): Media RSS content of medium image, and a thumbnail.
            item.append(media_content(article.image, guess_type(article.image), None, "image"))
            etree.SubElement(item, f"{{{MEDIA_NS}}}thumbnail", url=article.image)
        return item


def _has_rss_author(authors: tuple[Author, ...]) -> bool:
    # <author> holds one e-mail address and must not appear twice, nor beside
    # dc:creator (the W3C validator warns): one person with an e-mail gets
    # <author>, anyone else (no e-mail, or several people) dc:creator each.
    return len(authors) == 1 and bool(authors[0].email)


def render(doc: FeedDoc, self_url: str) -> bytes:
    """An RSS 2.0 document for ``doc``, its self link pointing at ``self_url``."""
    fg = generator_for(doc, self_url, _Channel, _Item)
    fg.docs(RSS_DOCS)
    # RSS has one channel picture; a site with only an icon uses that.
    picture = doc.image or doc.icon
    if picture:
        fg.image(url=picture, title=doc.title, link=doc.site_url)
    for entry in doc.entries:
        article = entry.article
        fe = add_entry(fg, doc, entry)
        fe.title(article.title)
        fe.link(href=article.link)
        fe.guid(article.id, permalink=article.id == article.link)
        fe.pubDate(article.published)
        fe.description(text_as_html(entry.summary or article.title))
        fe.content(entry.content_html)
        authors = article.authors or doc.authors
        if _has_rss_author(authors):
            fe.author(_rss_author(authors[0]))
        for category in article.tags + article.categories:
            fe.category(term=category)
        if article.enclosures:
            # RSS allows one enclosure per item (the others become media:content);
            # feedgen's enclosure() keeps only the last it is given, so it gets one.
            # RSS requires a length; the RSS Best Practices Profile says 0 when unknown.
            first = article.enclosures[0]
            fe.enclosure(first.url, str(first.length or 0), first.type or DEFAULT_TYPE)
    result: bytes = fg.rss_str(pretty=True)
    return result


def _element(tag: str, text: str) -> etree._Element:
    element = etree.Element(tag)
    element.text = text
    return element
