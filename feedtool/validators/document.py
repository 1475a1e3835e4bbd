"""One document: tell its format from its content, parse it once, run that format's checks."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from typing import Any

import msgspec
from lxml import etree

from feedtool.validators import atom, jsonfeed, rss
from feedtool.validators.common import Findings
from feedtool.values.patterns import compiled_later
from feedtool.xmlnames import ATOM, RDF_ROOT

# Root element -> (format name, checks). The one place that says which XML formats exist.
XML_FORMATS: dict[str, tuple[str, Callable[[etree._Element, Findings], None]]] = {
    "rss": ("RSS 2.0", rss.check),
    ATOM + "feed": ("Atom 1.0", atom.check),
    ATOM + "entry": ("Atom 1.0", atom.check),
}
JSON_FEED = "JSON Feed"
RDF = RDF_ROOT

# Enough to call a broken document a broken feed rather than some other file.
_XML_FEED_HINT = compiled_later(rb"<(?:rss|feed|entry)[\s>/]|</(?:rss|feed)>\s*$")
_JSON_FEED_HINT = re.compile(rb"jsonfeed\.org/version")
_COMMENT = compiled_later(rb"<!--.*?-->", re.S)


class Checked(msgspec.Struct):
    """What a document turned out to be, and what is wrong with it."""

    kind: str | None  # "RSS 2.0", "Atom 1.0", "JSON Feed"; None when it is not a feed
    findings: Findings = msgspec.field(default_factory=Findings)
    reason: str = ""  # why it is not a feed, for the list of skipped files


def _parser() -> etree.XMLParser:
    # No DTDs, no entity expansion, no network: a feed from anywhere cannot reach out or explode.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False
    )


def examine_document(data: bytes, self_url: str | None = None) -> Checked:
    """Check one feed of any supported format; ``self_url`` is where it is published, if known."""
    findings = Findings(self_url=self_url)
    start = data.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1]
    if start in (b"{", b"["):
        return _check_json(data, findings)
    return _check_xml(data, findings)


def _check_xml(data: bytes, findings: Findings) -> Checked:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        head = _COMMENT().sub(b"", data[:4096])
        if not (_XML_FEED_HINT().search(head) or _XML_FEED_HINT().search(data[-200:])):
            return Checked(None, findings, "not well-formed XML, and nothing like a feed")
        kind = "Atom 1.0" if re.search(rb"<feed[\s>]", head) else "RSS 2.0"
        # lxml repeats the position at the end of its message; the line is reported anyway.
        message = re.sub(r", line \d+, column \d+$", "", exc.msg)
        findings.error(exc.lineno, "not-well-formed", f"not well-formed XML: {message}")
        return Checked(kind, findings)
    tag = root.tag
    if not isinstance(tag, str):
        return Checked(None, findings, "XML without a root element")
    fmt = XML_FORMATS.get(tag)
    if fmt is None and etree.QName(root).localname == "feed":
        fmt = XML_FORMATS[ATOM + "feed"]  # Atom with a wrong namespace
    if fmt is None:
        if tag == RDF:
            return Checked(None, findings, "RSS 1.0 (RDF), which is not checked")
        return Checked(None, findings, f"XML whose root element is <{etree.QName(root).localname}>")
    name, check = fmt
    check(root, findings)
    return Checked(name, findings)


def _check_json(data: bytes, findings: Findings) -> Checked:
    hint = bool(_JSON_FEED_HINT.search(data[:4096]))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not hint:
            return Checked(None, findings, "not UTF-8 text")
        line = data[: exc.start].count(b"\n") + 1
        findings.error(line, "not-well-formed", "not UTF-8 text, which JSON Feed requires")
        return Checked(JSON_FEED, findings)
    try:
        parsed: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        if not hint:
            return Checked(None, findings, "not valid JSON")
        findings.error(exc.lineno, "not-well-formed", f"not valid JSON: {exc.msg}")
        return Checked(JSON_FEED, findings)
    except (ValueError, RecursionError) as exc:
        # Valid JSON no reader can take: a number of over 4,300 digits, nesting too deep.
        if not hint:
            return Checked(None, findings, "JSON that cannot be read")
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "a number too long"
        findings.error(1, "not-well-formed", f"JSON that cannot be read ({reason})")
        return Checked(JSON_FEED, findings)
    if not _looks_like_json_feed(parsed):
        return Checked(None, findings, "JSON, but not a JSON Feed (no jsonfeed.org version)")
    jsonfeed.check(text, parsed, findings)
    return Checked(JSON_FEED, findings)


def _looks_like_json_feed(parsed: Any) -> bool:
    if not isinstance(parsed, dict):
        return False
    version = parsed.get("version")
    if isinstance(version, str) and "jsonfeed.org/version" in version:
        return True
    # A feed that forgot its version still has a list of items and says what it is.
    return (
        "version" not in parsed
        and isinstance(parsed.get("items"), list)
        and bool({"title", "feed_url", "home_page_url"} & parsed.keys())
    )
