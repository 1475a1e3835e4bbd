"""Media types are read from the bytes, so any feed in the output folder is served right."""

from __future__ import annotations

import pytest

from feedtool.site.mediatypes import content_type, is_feed, media_type

RSS = b"<?xml version='1.0' encoding='UTF-8'?>\n<rss version='2.0'><channel/></rss>"
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("rss.xml", RSS, "application/rss+xml"),
        ("atom.xml", ATOM, "application/atom+xml"),
        ("tags/python/atom.xml", ATOM, "application/atom+xml"),
        ("misnamed-rss.xml", ATOM, "application/atom+xml"),
        ("feed.atom", ATOM, "application/atom+xml"),
        ("feed.json", b'{"version": "https://jsonfeed.org/version/1.1"}', "application/feed+json"),
        ("data.json", b'{"version": 2}', "application/json"),
        ("list.json", b"[1, 2]", "application/json"),
        ("index.opml", b"<opml version='2.0'/>", "text/x-opml"),
        ("broken.xml", b"not xml at all", "application/xml"),
        ("truncated.xml", b"<rss version='2.0'><chan", "application/rss+xml"),
        ("empty.xml", b"", "application/xml"),
        ("other.xml", b"<urlset/>", "application/xml"),
        ("index.html", b"<p>hi</p>", "text/html"),
        ("blob.bin", b"\x00", "application/octet-stream"),
    ],
)
def test_media_type(name: str, data: bytes, expected: str) -> None:
    assert media_type(name, data) == expected


def test_charset_follows_the_xml_declaration() -> None:
    assert content_type("rss.xml", RSS) == "application/rss+xml; charset=utf-8"
    latin = b'<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"/>'
    assert content_type("rss.xml", latin) == "application/rss+xml; charset=iso-8859-1"
    assert content_type("atom.xml", b"\xef\xbb\xbf" + ATOM).endswith("charset=utf-8")
    assert content_type("x.bin", b"") == "application/octet-stream"


def test_is_feed() -> None:
    assert is_feed("rss.xml", RSS) and is_feed("atom.xml", ATOM)
    assert not is_feed("index.opml", b"<opml/>") and not is_feed("x.xml", b"<urlset/>")


def test_entities_are_not_expanded() -> None:
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><rss version="2.0">&a;</rss>'
    assert media_type("rss.xml", bomb) == "application/rss+xml"
