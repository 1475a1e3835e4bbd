"""Atom 1.0 (RFC 4287)."""

from __future__ import annotations

from lxml import etree

from feedtool.model import Article, Author, FeedDoc
from feedtool.read.media import guess_type
from feedtool.render.formats._feedgen import finish, generator_for
from feedtool.render.html import looks_like_markup, text_as_html

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _person(author: Author) -> dict[str, str]:
    person = {"name": author.name}
    if author.email:
        person["email"] = author.email
    if author.uri:
        person["uri"] = author.uri
    return person


def render(doc: FeedDoc, self_url: str) -> bytes:
    """An Atom document for ``doc``, its self link pointing at ``self_url``."""
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
        _plain_text(root, ("title", "subtitle"))
        for element, entry in zip(root.iterfind("entry"), doc.entries, strict=True):
            _plain_text(element, ("title", "summary"))
            if entry.article.lang:
                element.set(XML_LANG, entry.article.lang)
            _media_links(element, entry.article)
            for lang, href in entry.article.translations:
                etree.SubElement(
                    element, "link", rel="alternate", type="text/html", hreflang=lang, href=href
                )

    return finish(fg, "atom", patch)


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


def _media_links(element: etree._Element, article: Article) -> None:
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
