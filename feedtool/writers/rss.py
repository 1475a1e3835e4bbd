"""RSS 2.0 (https://www.rssboard.org/rss-specification) with content:encoded."""

from __future__ import annotations

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
        fe.description(entry.summary or article.title)
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
        # feedgen writes only the self atom:link, so the others are added here, before
        # the first item: after the items the W3C validator warns "Misplaced Item".
        first_item = channel.find("item")
        position = list(channel).index(first_item) if first_item is not None else len(channel)
        extra = ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links
        for offset, (link_rel, href) in enumerate(extra):
            link = etree.Element(f"{{{ATOM_NS}}}link", rel=link_rel, href=href)
            channel.insert(position + offset, link)
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
