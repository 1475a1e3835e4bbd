"""index.opml lists every subscribable feed written, each of which passes its validator."""

from __future__ import annotations

from lxml import etree

from conftest import Site
from feedcheck import feed_problems

FEEDS = "https://example.org/blog/"


def outlines(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Folder text -> the feed outlines in it."""
    body = etree.fromstring(data).find("body")
    assert body is not None
    return {
        folder.get("text", ""): [dict(o.attrib) for o in folder.iterfind("outline")]
        for folder in body.iterfind("outline")
    }


def test_opml_lists_exactly_the_feeds_written(site: Site) -> None:
    site.configure(feeds_per=["tags", "authors"], archives=True, archive_page_size=1)
    site.article("a.md", title="A", tags='["x", "Y z"]')
    site.article("b.md", title="B", date="2025-02-02", tags="[x]")
    result = site.build()
    data = result.files["index.opml"]
    root = etree.fromstring(data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Test site: all feeds"
    assert root.findtext("head/ownerEmail") == "owner@example.org"
    folders = outlines(data)
    assert list(folders) == ["RSS 2.0", "Atom 1.0", "JSON Feed 1.1"]
    listed = [o["xmlUrl"].removeprefix(FEEDS) for feeds in folders.values() for o in feeds]
    written = [
        p
        for p in result.files
        if p not in ("index.opml", "index.html") and not p.startswith("archive/")
    ]
    assert sorted(listed) == sorted(written) and len(listed) == len(set(listed))
    # Archive pages are written but reached through prev-archive, not subscribed to.
    assert any(p.startswith("archive/") for p in result.files)
    for outline in (o for feeds in folders.values() for o in feeds):
        assert outline["type"] == "rss"
        assert outline["htmlUrl"] == "https://example.org/blog/"
        assert outline["text"] == outline["title"] and outline["title"].startswith("Test site")
        path = outline["xmlUrl"].removeprefix(FEEDS)
        assert feed_problems(path, result.files[path]) == [], path
    assert folders["Atom 1.0"][0]["title"] == "Test site"
    assert {o["title"] for o in folders["Atom 1.0"][1:]} == {
        "Test site: tag x",
        "Test site: tag Y z",
        "Test site: author Site Owner",
    }


def test_opml_follows_formats_and_can_be_turned_off(site: Site) -> None:
    site.configure(formats=["atom"])
    assert list(outlines(site.build().files["index.opml"])) == ["Atom 1.0"]
    site.configure(opml=False)
    assert "index.opml" not in site.build().files


def test_opml_escapes_and_is_deterministic(site: Site) -> None:
    site.configure('base_url = "https://example.org/"\ntitle = "Fish & <Chips> \\"Co\\""\n')
    first = site.build().files["index.opml"]
    assert site.build().files["index.opml"] == first
    root = etree.fromstring(first)
    assert root.findtext("head/title") == 'Fish & <Chips> "Co": all feeds'
    assert [o.get("title") for o in root.iterfind("body/outline/outline")] == [
        'Fish & <Chips> "Co"'
    ] * 3
    assert root.find("head/ownerName") is None  # no author configured
