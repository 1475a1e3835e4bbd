"""Atom's smaller constructs: text (RFC 4287 3.1), content (4.1.3), link, category, generator."""

from __future__ import annotations

import binascii
import re

from lxml import etree

from feedtool.validators.common import Findings, children, has_text, line
from feedtool.values import checks

# Lazy imports: base64 is imported where Atom content is Base64-encoded: few feeds have any.

XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
TEXT_TYPES = ("text", "html", "xhtml")
# RFC 4287 4.2.7.2 plus the IANA registry; anything else must be an absolute IRI.
LINK_RELATIONS = frozenset(
    "alternate related self enclosure via current first last next previous next-archive"
    " prev-archive license replies edit edit-media hub search service up payment"
    " describedby".split()
)
_NAME = re.compile(r"[A-Za-z_][\w.\-]*")  # an XML NCName, near enough


def _name(element: etree._Element) -> str:
    return f"<{etree.QName(element).localname}>"


def _no_markup(f: Findings, element: etree._Element, kind: str) -> None:
    for child in children(element):
        inner = etree.QName(child).localname
        f.error(
            line(child),
            "unexpected-markup",
            f'{_name(element)} of type "{kind}" contains the element <{inner}>;'
            ' escape the markup (type="html") or use type="xhtml" with a <div>',
        )
        return


def _xhtml(f: Findings, element: etree._Element) -> None:
    elements = list(children(element))
    if len(elements) != 1 or elements[0].tag != XHTML_DIV or has_text(element):
        f.error(
            line(element),
            "missing-xhtml-div",
            f'{_name(element)} of type "xhtml" must hold exactly one '
            '<div xmlns="http://www.w3.org/1999/xhtml"> and nothing else',
        )
        return
    for inner in elements[0].iter():
        tag = inner.tag
        if isinstance(tag, str) and not tag.startswith("{"):
            f.error(
                line(inner),
                "no-namespace",
                f"<{tag}> inside the xhtml <div> is in no namespace, so it is not XHTML",
            )
            return


def text_construct(f: Findings, element: etree._Element) -> None:
    """type is text (default), html or xhtml; each has its own rule for what is inside."""
    kind = element.get("type", "text")
    if kind not in TEXT_TYPES:
        f.error(
            line(element),
            "invalid-type",
            f'{_name(element)} type "{kind}" must be "text", "html" or "xhtml"',
        )
        return
    if kind == "xhtml":
        _xhtml(f, element)
    else:
        _no_markup(f, element, kind)


def _is_xml(media_type: str) -> bool:
    return media_type.endswith(("+xml", "/xml"))


def content(f: Findings, element: etree._Element) -> bool:
    """Check atom:content; True when the entry must also have a summary (RFC 4287 4.1.1.1)."""
    kind = element.get("type", "text")
    src = element.get("src")
    at = line(element)
    if src is not None:
        problem = checks.uri(src, absolute=False)
        if problem:
            f.error(at, "invalid-url", f'<content> src "{src}" {problem}')
        if "type" in element.attrib and (kind in TEXT_TYPES or checks.media_type(kind)):
            f.error(at, "invalid-media-type", f'<content src> type "{kind}" must be a media type')
        if len(element) or has_text(element):
            f.error(at, "unexpected-text", "<content> with a src attribute must be empty")
        return True
    if kind in TEXT_TYPES:
        if kind == "xhtml":
            _xhtml(f, element)
        else:
            _no_markup(f, element, kind)
        return False
    problem = checks.media_type(kind)
    if problem or kind.lower().startswith(("multipart/", "message/")):
        f.error(
            at,
            "invalid-media-type",
            f'<content> type "{kind}" must be text, html, xhtml or a single media type',
        )
        return False
    if _is_xml(kind):
        elements = list(children(element))
        if len(elements) > 1 or (elements and has_text(element)):
            f.error(at, "unexpected-text", f'<content> of type "{kind}" must hold one XML element')
        return False
    if kind.lower().startswith("text/"):
        _no_markup(f, element, kind)
        return False
    # Any other media type travels Base64-encoded, and readers need a summary to show.
    if len(element):
        _no_markup(f, element, kind)
    else:
        import base64

        try:
            base64.b64decode("".join((element.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            f.error(at, "not-base64", f'<content> of type "{kind}" must be Base64-encoded')
    return True


def link(f: Findings, element: etree._Element) -> None:
    """atom:link: href required, rel a name or IRI, type, hreflang and length well-formed."""
    at = line(element)
    href = element.get("href")
    if href is None:
        f.error(at, "missing-attribute", '<link> needs an "href" attribute')
    elif problem := checks.uri(href, absolute=False):
        f.error(at, "invalid-url", f'<link> href "{href}" {problem}')
    rel = element.get("rel")
    if rel is not None:
        _rel(f, at, rel)
    attribute_checks = (
        ("type", checks.media_type, "invalid-media-type"),
        ("hreflang", checks.language, "invalid-language"),
        ("length", checks.non_negative_integer, "invalid-number"),
    )
    for attribute, check, code in attribute_checks:
        value = element.get(attribute)
        if value is not None and (problem := check(value)):
            f.error(at, code, f'<link> {attribute} "{value}" {problem}')
    if has_text(element):
        f.warning(at, "unexpected-text", "<link> should be empty; readers ignore its text")


def _rel(f: Findings, line: int | None, rel: str) -> None:
    """A relation is a name (registered or not, any case) or an absolute IRI (RFC 4287 4.2.7.2)."""
    name = rel.strip()
    if name != rel:
        f.warning(line, "invalid-value", f'<link> rel "{rel}" has spaces around it')
    if _NAME.fullmatch(name):
        if name.lower() not in LINK_RELATIONS:
            f.warning(line, "unknown-relation", f'<link> rel "{rel}" is not a registered relation')
    elif checks.uri(name, absolute=True):
        f.error(line, "invalid-value", f'<link> rel "{rel}" is neither a relation name nor a URI')


def category(f: Findings, element: etree._Element) -> None:
    """atom:category: term required, scheme an absolute IRI."""
    if element.get("term") is None:
        f.error(line(element), "missing-attribute", '<category> needs a "term" attribute')
    scheme = element.get("scheme")
    if scheme is not None and (problem := checks.uri(scheme, absolute=True)):
        f.error(line(element), "invalid-url", f'<category> scheme "{scheme}" {problem}')


def generator(f: Findings, element: etree._Element) -> None:
    """atom:generator: uri an IRI reference, text only."""
    uri = element.get("uri")
    if uri is not None and (problem := checks.uri(uri, absolute=False)):
        f.error(line(element), "invalid-url", f'<generator> uri "{uri}" {problem}')
    for child in children(element):
        f.error(line(child), "unexpected-markup", "<generator> holds text only, no elements")
        break
