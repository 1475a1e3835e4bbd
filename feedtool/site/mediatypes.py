"""What a published file is: its media type, for Content-Type headers and WebSub pings.

Decided by looking at the bytes, not only the name, so per-tag feeds, archive
pages and files written by other tools get the right type too.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import PurePosixPath

from lxml import etree

from feedtool.read.media import guess_type
from feedtool.render.formats import FORMATS
from feedtool.xmlnames import ATOM as ATOM_NAME
from feedtool.xmlnames import RDF_ROOT

# The feed formats' types come from their registry, so a server and a writer never disagree.
RSS = FORMATS["rss"].media_type
ATOM = FORMATS["atom"].media_type
JSON_FEED = FORMATS["json"].media_type
OPML = "text/x-opml"
FEED_TYPES = frozenset(fmt.media_type for fmt in FORMATS.values())

_ATOM_FEED = ATOM_NAME + "feed"
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BY_SUFFIX = {
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".xsl": "application/xslt+xml",
    ".vtt": "text/vtt",  # transcripts and chapters of podcast episodes
    ".srt": "application/x-subrip",
}


def media_type(name: str, data: bytes) -> str:
    """The media type of a file called ``name`` with contents ``data``."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in (".xml", ".rss", ".atom", ".rdf"):
        return _xml_type(data)
    if suffix == ".opml":
        return OPML
    if suffix == ".json":
        return JSON_FEED if _is_json_feed(data) else "application/json"
    # Then the media table articles' enclosures are typed by (audio, video, pictures).
    return _BY_SUFFIX.get(suffix) or guess_type(name) or "application/octet-stream"


def content_type(name: str, data: bytes) -> str:
    """A Content-Type header value: the media type, with a charset for text formats."""
    kind = media_type(name, data)
    if kind.endswith("xml") or kind == OPML:
        # XML names its own encoding and an HTTP charset would override it (RFC 7303),
        # so the header repeats what the document says (UTF-8 when it says nothing).
        match = _XML_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
        charset = match.group(1).decode("ascii").lower() if match else "utf-8"
        return f"{kind}; charset={charset}"
    if kind.startswith("text/") or kind in (JSON_FEED, "application/json"):
        return f"{kind}; charset=utf-8"  # JSON is always UTF-8 (RFC 8259); feedtool writes UTF-8
    return kind


def is_feed(name: str, data: bytes) -> bool:
    """RSS, Atom or JSON Feed: what a reader subscribes to and a hub is told about."""
    return media_type(name, data) in FEED_TYPES


def _xml_type(data: bytes) -> str:
    try:
        for _, element in etree.iterparse(
            io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True
        ):
            tag = element.tag
            break
        else:
            return "application/xml"
    except etree.XMLSyntaxError:
        return "application/xml"
    if tag == "rss" or tag == RDF_ROOT:
        return RSS if tag == "rss" else "application/rdf+xml"
    if tag == _ATOM_FEED:
        return ATOM
    if tag == "opml":
        return OPML
    return "application/xml"


def _is_json_feed(data: bytes) -> bool:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and version.startswith("https://jsonfeed.org/version/")
