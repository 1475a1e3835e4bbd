"""RFC 5005 archives: pages that hold every article once; old pages are never rewritten."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from conftest import Site
from feedcheck import feed_problems
from feedtool.pipeline import BuildResult

FEEDS = "https://example.org/blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
FH_ARCHIVE = "{http://purl.org/syndication/history/1.0}archive"
FORMAT_FILES = ("atom.xml", "rss.xml", "feed.json")


def history(path: str, data: bytes) -> tuple[dict[str, str], bool, list[str]]:
    """(links by rel, marked as archive?, item ids) of any feed file, read the plain way."""
    if path.endswith(".json"):
        feed = json.loads(data)
        extension = feed.get("_rfc5005", {})
        links = {k: v for k, v in extension.items() if k not in ("about", "archive")}
        if "next_url" in feed:
            assert feed["next_url"] == links["prev-archive"]
        return links, extension.get("archive") is True, [i["id"] for i in feed["items"]]
    root = etree.fromstring(data)
    top = root.find("channel") if root.tag == "rss" else root
    assert top is not None
    links = {
        link.get("rel", ""): link.get("href", "")
        for link in top.iterfind(f"{ATOM}link")
        if link.get("rel") in ("current", "prev-archive", "next-archive")
    }
    marked = top.find(FH_ARCHIVE) is not None
    if root.tag == "rss":
        ids = [item.findtext("guid") or "" for item in top.iterfind("item")]
    else:
        ids = [entry.findtext(f"{ATOM}id") or "" for entry in top.iterfind(f"{ATOM}entry")]
    return links, marked, ids


def add_articles(site: Site, start: int, stop: int) -> None:
    for day in range(start, stop):
        site.article(f"{day:02d}.md", title=f"Day {day}", date=f"2025-01-{day:02d}T12:00:00Z")


@pytest.fixture
def archived(site: Site) -> Site:
    site.configure(archives=True, archive_page_size=3, limit=2)
    add_articles(site, 1, 8)  # 7 articles: pages of 3, 3 and 1
    return site


@pytest.mark.parametrize("front", FORMAT_FILES)
def test_walking_prev_archive_reaches_every_article_once(archived: Site, front: str) -> None:
    result = archived.build()
    all_ids = [f"tag:example.org,2025-01-{d:02d}:/{d:02d}" for d in range(1, 8)]
    links, marked, front_ids = history(front, result.files[front])
    assert not marked and front_ids == all_ids[::-1][:2]  # the newest `limit`, newest first
    seen: list[str] = []
    visited: list[str] = []
    url = links.get("prev-archive")
    previous_url = None
    while url:
        path = url.removeprefix(FEEDS)
        visited.append(path)
        data = result.files[path]
        assert feed_problems(path, data) == []
        links, marked, ids = history(path, data)
        assert marked, f"{path} lacks fh:archive"
        assert links["current"] == FEEDS + front
        if previous_url:
            assert links["next-archive"] == previous_url
        else:
            assert "next-archive" not in links  # the newest page
        seen.extend(ids)
        previous_url, url = url, links.get("prev-archive")
    suffix = front
    assert visited == [f"archive/{n}/{suffix}" for n in (3, 2, 1)]
    assert sorted(seen) == sorted(all_ids) and len(seen) == len(all_ids)
    # Pages fill from the oldest article: page 1 is days 1-3, newest first within it.
    assert history(visited[-1], result.files[visited[-1]])[2] == all_ids[2::-1]


def _changed(before: BuildResult, after: BuildResult) -> set[str]:
    return {p for p in after.files if before.files.get(p) != after.files[p]}


def test_new_articles_change_only_the_newest_page_and_front(archived: Site) -> None:
    before = archived.build()
    add_articles(archived, 8, 9)  # page 3 now holds 2
    after = archived.build()
    fronts = {"atom.xml", "rss.xml", "feed.json", "index.html"}
    newest = {f"archive/3/{f}" for f in FORMAT_FILES}
    assert _changed(before, after) == fronts | newest
    add_articles(archived, 9, 11)  # page 3 fills up, page 4 starts
    later = archived.build()
    page4 = {f"archive/4/{f}" for f in FORMAT_FILES}
    # Page 3 was the newest page; it gains its next-archive link.
    assert _changed(after, later) == fronts | newest | page4
    for n in (1, 2):
        for fmt in FORMAT_FILES:
            assert later.files[f"archive/{n}/{fmt}"] == before.files[f"archive/{n}/{fmt}"]


def test_archive_pages_are_valid_and_complete_in_every_format(archived: Site) -> None:
    result = archived.build()
    pages = sorted(p for p in result.files if p.startswith("archive/"))
    assert pages == [f"archive/{n}/{f}" for n in (1, 2, 3) for f in sorted(FORMAT_FILES)]
    for path in pages:
        assert feed_problems(path, result.files[path]) == []
    # Archive pages are not trimmed by limit (2) nor listed for subscription.
    assert len(archived.parsed("archive/1/rss.xml").entries) == 3
    assert b"archive/" not in result.files["index.opml"]


def test_rss_archive_marker_sits_in_the_channel_before_the_items(archived: Site) -> None:
    result = archived.build()
    channel = etree.fromstring(result.files["archive/2/rss.xml"]).find("channel")
    assert channel is not None
    tags = [child.tag for child in channel]
    first_item = tags.index("item")
    assert tags.index(FH_ARCHIVE) < first_item
    assert all(i < first_item for i, tag in enumerate(tags) if tag == f"{ATOM}link")


def test_no_articles_no_pages(site: Site) -> None:
    site.configure(archives=True)
    result = site.build()
    assert not [p for p in result.files if p.startswith("archive/")]
    assert history("atom.xml", result.files["atom.xml"])[0] == {}


def test_archives_are_off_by_default(site: Site) -> None:
    add_articles(site, 1, 3)
    assert not [p for p in site.build().files if p.startswith("archive/")]
