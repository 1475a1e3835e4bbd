"""RSS 2.0 (https://www.rssboard.org/rss-specification), checked element by element.

Elements in other namespaces are extensions: those of known vocabularies (iTunes,
Media RSS, Dublin Core...) are checked by extensions.py, others left alone; atom:link
carries the feed's self link.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from feedtool.validators.common import Findings, children, line, self_link, shown
from feedtool.validators.extensions import check_extensions
from feedtool.validators.rssparts import (
    DAYS,
    Check,
    absolute_url,
    cloud,
    date,
    duplicate,
    element_attributes,
    email,
    enclosure,
    form_name,
    guid,
    integer,
    language,
    missing,
    skip,
    source,
    trimmed,
    undefined,
)
from feedtool.xmlnames import ATOM

ATOM_LINK = ATOM + "link"
VERSIONS = ("2.0", "0.91", "0.92", "2.0.1")

# Elements that may appear at most once in a channel, and the ones that must appear.
_CHANNEL_SINGLE = frozenset(
    "title link description language copyright managingEditor webMaster pubDate lastBuildDate"
    " generator docs cloud ttl image rating textInput skipHours skipDays".split()
)
_CHANNEL_REQUIRED = ("title", "link", "description")
_ITEM_MULTI = frozenset(("category", "enclosure"))


def _children_in(
    f: Findings,
    element: etree._Element,
    checks: dict[str, Check | None],
    required: tuple[str, ...],
) -> None:
    """A small element (image, textInput) whose children are each allowed once."""
    _check_children(f, element, children(element), checks, required, once=None)


def _check_children(
    f: Findings,
    parent: etree._Element,
    nodes: Iterable[etree._Element],
    checks: dict[str, Check | None],
    required: tuple[str, ...],
    once: frozenset[str] | None,
) -> None:
    """Check ``nodes`` (children of ``parent`` in no namespace) against ``checks``: each
    known, those in ``once`` (all, when None) at most once, every ``required`` one there."""
    seen: set[str] = set()
    for child in nodes:
        element_attributes(f, child)
        name = child.tag
        if not isinstance(name, str) or name.startswith("{"):
            continue
        if name not in checks:
            undefined(f, child, parent)
            continue
        if name in seen and (once is None or name in once):
            duplicate(f, child, parent)
        seen.add(name)
        check = checks[name]
        if check:
            check(f, child)
    for name in required:
        if name not in seen:
            missing(f, parent, name)


def _image(f: Findings, element: etree._Element) -> None:
    _children_in(
        f,
        element,
        {
            "url": absolute_url,
            "title": None,
            "link": absolute_url,
            "width": integer(1, 144),
            "height": integer(1, 400),
            "description": None,
        },
        ("url", "title", "link"),
    )


def _text_input(f: Findings, element: etree._Element) -> None:
    _children_in(
        f,
        element,
        {"title": None, "description": None, "name": form_name, "link": absolute_url},
        ("title", "description", "name", "link"),
    )


def _text_only(f: Findings, element: etree._Element) -> None:
    """RSS text (HTML in a description is escaped, never raw elements)."""
    for child in children(element):
        f.error(
            line(child),
            "undefined-element",
            f"{shown(child)} inside {shown(element)} is raw markup: escape it (&lt;) or put "
            "it in a CDATA section",
        )


_CHANNEL_CHECKS: dict[str, Check | None] = {
    "title": _text_only,
    "link": absolute_url,
    "description": _text_only,
    "language": language,
    "copyright": None,
    "managingEditor": email,
    "webMaster": email,
    "pubDate": date,
    "lastBuildDate": date,
    "category": None,
    "generator": None,
    "docs": absolute_url,
    "cloud": cloud,
    "ttl": integer(1, None),
    "image": _image,
    "rating": None,
    "textInput": _text_input,
    "skipHours": skip("hour", tuple(str(h) for h in range(24)), 24),
    "skipDays": skip("day", DAYS, 7),
}
_ITEM_CHECKS: dict[str, Check | None] = {
    "title": _text_only,
    "link": absolute_url,
    "description": _text_only,
    "author": email,
    "category": None,
    "comments": absolute_url,
    "enclosure": enclosure,
    "guid": guid,
    "pubDate": date,
    "source": source,
}


def _item(f: Findings, item: etree._Element, guids: dict[str, int]) -> None:
    seen: set[str] = set()
    extensions: list[etree._Element] = []
    for child in item:  # runs for every item of every feed a build writes: kept lean
        tag = child.tag
        if type(tag) is not str:
            continue  # comments and processing instructions
        if tag[0] == "{":
            extensions.append(child)
            continue
        if child.attrib:
            element_attributes(f, child)
        if tag not in _ITEM_CHECKS:
            undefined(f, child, item)
            continue
        if tag == "enclosure" and tag in seen:
            f.warning(
                line(child),
                "duplicate-element",
                "<item> has more than one <enclosure>; many readers show only the first",
            )
        elif tag in seen and tag not in _ITEM_MULTI:
            duplicate(f, child, item)
        seen.add(tag)
        check = _ITEM_CHECKS[tag]
        if check:
            check(f, child)
        if tag == "guid":
            value = trimmed(child)
            if value in guids:
                f.error(
                    line(child),
                    "duplicate-id",
                    f'<guid> "{value}" is also the guid of the item on line {guids[value]}',
                )
            else:
                guids[value] = line(child) or 0
    if extensions:
        check_extensions(f, item, "item", extensions)
    if "title" not in seen and "description" not in seen:
        f.error(line(item), "missing-element", "<item> needs a <title> or a <description>")
    if "guid" not in seen:
        f.warning(line(item), "missing-guid", "<item> has no <guid>, so readers may show it twice")


def check(root: etree._Element, f: Findings) -> None:
    """Check a document whose root element is <rss>."""
    element_attributes(f, root)
    version = root.get("version")
    if version is None:
        f.error(line(root), "missing-attribute", '<rss> needs version="2.0"')
    elif version.strip() not in VERSIONS:
        f.warning(line(root), "rss-version", f'<rss> version "{version}" is checked as RSS 2.0')
    channels = [c for c in children(root) if c.tag == "channel"]
    for child in children(root):
        if child.tag != "channel" and not child.tag.startswith("{"):
            undefined(f, child, root)
    if not channels:
        f.error(line(root), "missing-element", "<rss> has no <channel>")
        return
    for extra in channels[1:]:
        duplicate(f, extra, root)
    _channel(f, channels[0])


def _channel(f: Findings, channel: etree._Element) -> None:
    element_attributes(f, channel)
    plain: list[etree._Element] = []  # the channel's own RSS elements
    atom_links: list[etree._Element] = []
    extensions: list[etree._Element] = []
    guids: dict[str, int] = {}
    for child in children(channel):
        tag = child.tag
        if tag == "item":
            if child.attrib:
                element_attributes(f, child)
            _item(f, child, guids)
            continue
        if tag == ATOM_LINK:
            atom_links.append(child)
            if child.get("href") is None:
                f.error(line(child), "missing-attribute", '<atom:link> needs an "href" attribute')
            continue
        if not tag.startswith("{"):
            plain.append(child)
        else:
            extensions.append(child)
    _check_children(f, channel, plain, _CHANNEL_CHECKS, _CHANNEL_REQUIRED, _CHANNEL_SINGLE)
    check_extensions(f, channel, "channel", extensions)
    self_link(f, channel, atom_links, "<channel>")
