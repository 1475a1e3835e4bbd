"""Atom 1.0 (RFC 4287)."""

from __future__ import annotations

from lxml import etree

from ..model import Author, FeedDoc
from ._feedgen import finish, generator_for


def _person(author: Author) -> dict[str, str]:
    person = {"name": author.name}
    if author.email:
        person["email"] = author.email
    if author.uri:
        person["uri"] = author.uri
    return person


def render(doc: FeedDoc, self_url: str) -> bytes:
    fg = generator_for(doc, self_url)
    fg.id(self_url)
    for author in doc.authors:
        fg.author(_person(author))
    if doc.image:
        fg.logo(doc.image)
    if doc.icon:
        fg.icon(doc.icon)
    for entry in doc.entries:
        article = entry.article
        fe = fg.add_entry(order="append")
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

    def patch(root: etree._Element) -> None:
        # feedgen drops rel/type/length on entry links (its issues #135, #143)
        # and cannot write hub or archive links, so those are added here. Its
        # tree declares the Atom namespace as a plain xmlns attribute, so new
        # elements take bare names to land in it.
        anchor = root.find("entry")
        position = list(root).index(anchor) if anchor is not None else len(root)
        extra = ((("hub", doc.hub),) if doc.hub else ()) + doc.extra_links
        for offset, (rel, href) in enumerate(extra):
            link = etree.Element("link", rel=rel, href=href)
            root.insert(position + offset, link)
        for element, entry in zip(root.iterfind("entry"), doc.entries, strict=True):
            if entry.article.lang:
                element.set("{http://www.w3.org/XML/1998/namespace}lang", entry.article.lang)
            for enclosure in entry.article.enclosures:
                link = etree.SubElement(element, "link", rel="enclosure", href=enclosure.url)
                if enclosure.type:
                    link.set("type", enclosure.type)
                if enclosure.length is not None:
                    link.set("length", str(enclosure.length))

    return finish(fg, "atom", patch)
