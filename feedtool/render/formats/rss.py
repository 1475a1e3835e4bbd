"""RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded.

RSS leaves open whether text elements hold HTML, and readers disagree: feedparser
(and the readers built on it) render a title as HTML when it looks like markup,
newsboat shows it as it is. So plain text is written so that no reader
interprets it (see ``plain_text``), and the description, which RSS defines as
HTML, gets the summary HTML-escaped.
"""

from __future__ import annotations

from lxml import etree

from feedtool.model import Article, Author, FeedDoc
from feedtool.read.media import DEFAULT_TYPE, guess_type, medium
from feedtool.render.formats._feedgen import ATOM_NS, finish, generator_for
from feedtool.render.html import looks_like_markup, text_as_html

DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def plain_text(text: str) -> str:
    """Text for an RSS text element that readers show as text, never as markup.

    Text an HTML-sniffing reader would render as HTML is HTML-escaped once more,
    so such readers show the characters; readers that take RSS titles as plain
    text (newsboat) then show the escapes, the lesser harm. All other text
    (``AT&T``, ``1 < 2``, ``<br> tags``) is written once and looks right everywhere.
    """
    return text_as_html(text) if looks_like_markup(text) else text


def _rss_author(author: Author) -> str:
    # RSS <author> is an e-mail address, optionally followed by the name in brackets.
    return f"{author.email} ({author.name})" if author.name != author.email else str(author.email)


def render(doc: FeedDoc, self_url: str) -> bytes:
    """An RSS 2.0 document for ``doc``, its self link pointing at ``self_url``."""
    fg = generator_for(doc, self_url, namespaces={"dc": DC_NS, "media": MEDIA_NS})
    fg.title(plain_text(doc.title))
    fg.description(plain_text(doc.description))
    # RSS has one channel picture; a site with only an icon uses that.
    picture = doc.image or doc.icon
    if picture:
        fg.image(url=picture, title=plain_text(doc.title), link=doc.site_url)
    for entry in doc.entries:
        article = entry.article
        fe = fg.add_entry(order="append")
        fe.title(plain_text(article.title))
        fe.link(href=article.link)
        fe.guid(article.id, permalink=article.id == article.link)
        fe.pubDate(article.published)
        fe.description(text_as_html(entry.summary or article.title))
        fe.content(entry.content_html)
        for category in article.tags + article.categories:
            fe.category(term=category)
        if article.enclosures:
            # RSS allows one enclosure per item (the others become media:content).
            # RSS requires a length; the RSS Best Practices Profile says 0 when unknown.
            first = article.enclosures[0]
            fe.enclosure(first.url, str(first.length or 0), first.type or DEFAULT_TYPE)

    def patch(root: etree._Element) -> None:
        channel = root.find("channel")
        assert channel is not None
        if doc.language:
            # <language> names the feed's language; xml:lang also tells XML-aware
            # readers (feedparser) the language of each item's text.
            channel.set(XML_LANG, doc.language)
        # feedgen writes only the self atom:link, so the others are added here, before
        # the first item: after the items the W3C validator warns "Misplaced Item".
        first_item = channel.find("item")
        position = list(channel).index(first_item) if first_item is not None else len(channel)
        extra = ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links
        for offset, (link_rel, href) in enumerate(extra):
            link = etree.Element(f"{{{ATOM_NS}}}link", rel=link_rel, href=href)
            channel.insert(position + offset, link)
        for item, entry in zip(channel.iterfind("item"), doc.entries, strict=True):
            _patch_item(item, entry.article, entry.article.authors or doc.authors)

    return finish(fg, "rss", patch)


def _patch_item(item: etree._Element, article: Article, authors: tuple[Author, ...]) -> None:
    """People, language and media: what feedgen cannot write for an item."""
    anchor = item.find("guid")
    position = list(item).index(anchor) if anchor is not None else len(item)
    # <author> holds one e-mail address and must not appear twice, nor beside
    # dc:creator (the W3C validator warns): one person with an e-mail gets
    # <author>, anyone else (no e-mail, or several people) dc:creator each.
    if len(authors) == 1 and authors[0].email:
        people = [_element("author", _rss_author(authors[0]))]
    else:
        # feedparser and other readers take dc:creator as plain text: no extra escaping.
        people = [_element(f"{{{DC_NS}}}creator", a.name) for a in authors]
    for offset, element in enumerate(people):
        item.insert(position + offset, element)
    if article.lang:
        # xml:lang is what feedparser reads; dc:language what RSS-only tools read.
        item.set(XML_LANG, article.lang)
        item.append(_element(f"{{{DC_NS}}}language", article.lang))
    for enclosure in article.enclosures[1:]:
        _media_content(
            item, enclosure.url, enclosure.type, enclosure.length, medium(enclosure.type)
        )
    if article.image:
        # Media RSS's item picture, which readers such as Feedly and Inoreader show.
        _media_content(item, article.image, guess_type(article.image), None, "image")


def _media_content(
    item: etree._Element, url: str, media_type: str | None, length: int | None, kind: str | None
) -> None:
    element = etree.SubElement(item, f"{{{MEDIA_NS}}}content", url=url)
    if media_type:
        element.set("type", media_type)
    if kind:
        element.set("medium", kind)
    if length:  # Media RSS wants a positive fileSize, so unknown (or 0) is left out
        element.set("fileSize", str(length))


def _element(tag: str, text: str) -> etree._Element:
    element = etree.Element(tag)
    element.text = text
    return element
