"""OPML 2.0 (http://opml.org/spec2.opml) subscription lists: one file to subscribe to every feed.

Not a feed format (it lists feeds), so it is not in FORMATS. Feeds sit in one folder
outline per format, so a reader that imports the file can keep one folder and get every
feed once. There is no dateCreated/dateModified: the clock must not reach the output, and
the list changes only when the feeds do.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from lxml import etree

from feedtool.model import Author

FILENAME = "index.opml"


class Subscription(msgspec.Struct, frozen=True):
    title: str
    xml_url: str
    html_url: str
    description: str = ""


class Folder(msgspec.Struct, frozen=True):
    text: str
    feeds: tuple[Subscription, ...]


def render(title: str, owner: Author | None, folders: Sequence[Folder]) -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    if owner is not None:
        etree.SubElement(head, "ownerName").text = owner.name
        if owner.email:
            etree.SubElement(head, "ownerEmail").text = owner.email
    body = etree.SubElement(root, "body")
    for folder in folders:
        # A folder has only text: with more attributes, OPML wants a type.
        parent = etree.SubElement(body, "outline", text=folder.text)
        for feed in folder.feeds:
            outline = etree.SubElement(parent, "outline")
            # type="rss" is what OPML 2.0 subscription lists use for every feed format.
            outline.set("type", "rss")
            outline.set("text", feed.title)
            outline.set("title", feed.title)
            outline.set("xmlUrl", feed.xml_url)
            outline.set("htmlUrl", feed.html_url)
            if feed.description:
                outline.set("description", feed.description)
    data: bytes = etree.tostring(
        etree.ElementTree(root), pretty_print=True, encoding="UTF-8", xml_declaration=True
    )
    return data
