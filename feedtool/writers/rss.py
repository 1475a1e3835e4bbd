"""RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded."""

from __future__ import annotations

import html

from lxml import etree

from ..model import Author, FeedDoc
from ._feedgen import ATOM_NS, finish, generator_for

DC_NS = "http://purl.org/dc/elements/1.1/"


def _rss_author(author: Author) -> str:
    # RSS <author> is an e-mail address, optionally followed by the name in brackets.
    return f"{author.email} ({author.name})" if author.name != author.email else str(author.email)


def render(doc: FeedDoc, self_url: str) -> bytes:
    fg = generator_for(doc, self_url, namespaces={"dc": DC_NS})
    if doc.image:
        fg.image(url=doc.image, title=doc.title, link=doc.site_url)
    for entry in doc.entries:
        article = entry.article
        fe = fg.add_entry(order="append")
        fe.title(article.title)
        fe.link(href=article.link)
        fe.guid(article.id, permalink=article.id == article.link)
        fe.pubDate(article.published)
        # Readers show <description> as HTML; the summary is plain text, so it is escaped.
        fe.description(html.escape(entry.summary or article.title, quote=False))
        fe.content(entry.content_html)
        for category in article.tags + article.categories:
            fe.category(term=category)
        if article.enclosures:
            # RSS allows one enclosure per item; the others are in the Atom and JSON feeds.
            first = article.enclosures[0]
            fe.enclosure(
                first.url, str(first.length or 0), first.type or "application/octet-stream"
            )

    def patch(root: etree._Element) -> None:
        channel = root.find("channel")
        assert channel is not None
        for link_rel, href in ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", rel=link_rel, href=href)
        for item, entry in zip(channel.iterfind("item"), doc.entries, strict=True):
            authors = entry.article.authors or doc.authors
            anchor = item.find("guid")
            position = list(item).index(anchor) if anchor is not None else len(item)
            people = [
                _element("author", _rss_author(a))
                if a.email
                else _element(f"{{{DC_NS}}}creator", a.name)
                for a in authors
            ]
            for offset, element in enumerate(people):
                item.insert(position + offset, element)

    return finish(fg, "rss", patch)


def _element(tag: str, text: str) -> etree._Element:
    element = etree.Element(tag)
    element.text = text
    return element
