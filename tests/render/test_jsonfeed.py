"""JSON Feed 1.1: the same articles as RSS and Atom, valid against the JSON Feed schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from conftest import Site
from feedcheck import jsonfeed_problems
from feedtool.render.formats.jsonfeed import rfc3339


@pytest.fixture
def rich(site: Site) -> Site:
    """Articles that use every field a feed item can carry."""
    site.write("media/b.pdf", "%PDF-1.4\n")
    site.write(
        "2025-03-04-first.md",
        """\
        ---
        title: "Fish & <chips> — “quoted”"
        date: 2025-03-04T10:00:00+01:00
        updated: 2025-03-05T11:30:00Z
        summary: A short summary.
        tags: [Python, web dev]
        categories: [Notes]
        authors:
          - Ada Writer <ada@example.org>
          - {name: Ben Guest, uri: "https://ben.example.net/"}
        image: media/cover.png
        lang: de-AT
        enclosures:
          - {url: "https://cdn.example.org/a.mp3", type: audio/mpeg, length: 1234}
          - {url: "media/b.pdf", type: application/pdf}
        ---
        Grüße *aus* Wien, see [this](other/).
        """,
    )
    site.write(
        "2025-02-01-second.txt",
        """\
        ---
        title: Second
        date: 2025-02-01T00:00:00Z
        ---
        Plain text.
        """,
    )
    return site


def _json(site: Site, name: str = "feed.json") -> Any:
    return json.loads((site.output / name).read_bytes())


def test_json_feed_is_valid_and_carries_every_field(rich: Site) -> None:
    rich.build()
    data = (rich.output / "feed.json").read_bytes()
    assert jsonfeed_problems(data) == []
    feed = json.loads(data)
    assert list(feed)[0] == "version"  # the spec asks for version at the very top
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Test site"
    assert feed["description"] == "A site for tests"
    assert feed["home_page_url"] == "https://example.org/blog/"
    assert feed["feed_url"] == "https://example.org/blog/feed.json"
    assert feed["language"] == "en"
    assert feed["authors"] == [{"name": "Site Owner", "url": "mailto:owner@example.org"}]
    first, second = feed["items"]
    assert first == {
        "id": "tag:example.org,2025-03-04:/first",
        "url": "https://example.org/blog/first/",
        "title": "Fish & <chips> — “quoted”",
        "content_html": first["content_html"],
        "summary": "A short summary.",
        "image": "https://example.org/blog/first/media/cover.png",
        "date_published": "2025-03-04T10:00:00+01:00",
        "date_modified": "2025-03-05T11:30:00+00:00",
        "authors": [
            {"name": "Ada Writer", "url": "mailto:ada@example.org"},
            {"name": "Ben Guest", "url": "https://ben.example.net/"},
        ],
        "tags": ["Python", "web dev", "Notes"],
        "language": "de-AT",
        "attachments": [
            {
                "url": "https://cdn.example.org/a.mp3",
                "mime_type": "audio/mpeg",
                "size_in_bytes": 1234,
            },
            # A local file: its URL is base_url + its path in content/, its size computed.
            {
                "url": "https://example.org/blog/media/b.pdf",
                "mime_type": "application/pdf",
                "size_in_bytes": 9,
            },
        ],
    }
    assert "Grüße <em>aus</em> Wien" in first["content_html"]
    assert 'href="https://example.org/blog/first/other/"' in first["content_html"]
    # No authors of its own: the feed's authors apply, as in Atom.
    assert "authors" not in second and second["content_html"] == "<p>Plain text.</p>"
    assert second["summary"] == "Plain text."


def test_every_format_tells_the_same_story(rich: Site) -> None:
    rich.build()
    items = _json(rich)["items"]
    for name in ("atom.xml", "rss.xml"):
        parsed = rich.parsed(name)
        assert not parsed.bozo, parsed.bozo_exception
        assert len(parsed.entries) == len(items)
        for entry, item in zip(parsed.entries, items, strict=True):
            assert entry.id == item["id"]
            assert entry.link == item["url"]
            assert entry.title == item["title"]
            assert entry.summary == item["summary"]
            assert entry.content[0].value.strip() == item["content_html"].strip()
            published = datetime.fromisoformat(item["date_published"])
            assert entry.published_parsed[:6] == published.astimezone(UTC).timetuple()[:6]
            assert [t.term for t in entry.get("tags", [])] == item.get("tags", [])
            # Atom also lists the article's image as a last enclosure; JSON has "image" for it.
            enclosures = [
                link.href
                for link in entry.links
                if link.rel == "enclosure" and link.href != item.get("image")
            ]
            # The first attachment is the enclosure; further ones are Media RSS content.
            further = [
                m["url"] for m in entry.get("media_content", []) if m.get("medium") != "image"
            ]
            attachments = [a["url"] for a in item.get("attachments", [])]
            assert (enclosures, further) == (attachments[:1], attachments[1:])
    atom = rich.parsed("atom.xml")
    site_authors = _json(rich)["authors"]
    for entry, item in zip(atom.entries, items, strict=True):
        updated = datetime.fromisoformat(item["date_modified"])
        assert entry.updated_parsed[:6] == updated.astimezone(UTC).timetuple()[:6]
        # JSON Feed items without authors have the feed's (its spec); Atom names them.
        names = [a["name"] for a in item.get("authors", site_authors)]
        assert [a.name for a in entry.get("authors", [])] == names


def test_json_is_deterministic_utf8_and_ends_with_a_newline(rich: Site) -> None:
    first = rich.build().files["feed.json"]
    assert rich.build().files["feed.json"] == first
    assert first.endswith(b"}\n") and not first.endswith(b"\n\n")
    assert "Grüße".encode() in first  # UTF-8 as it is, not \u escapes
    # Re-serialising with the same settings gives the same bytes: no stray formatting.
    reparsed = json.loads(first)
    assert (json.dumps(reparsed, ensure_ascii=False, indent=2) + "\n").encode() == first


def test_feed_without_articles_or_author_is_valid(site: Site) -> None:
    site.configure('base_url = "https://example.org/"\n')
    site.build()
    data = (site.output / "feed.json").read_bytes()
    assert jsonfeed_problems(data) == []
    feed = json.loads(data)
    assert feed["items"] == []
    assert feed["authors"] == [{"name": "example.org"}]


def test_schema_check_is_not_vacuous() -> None:
    # The checks above would prove nothing if formats were not checked.
    bad = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "x",
        "items": [{"id": "1", "content_html": "", "date_published": "yesterday", "url": "a b"}],
    }
    problems = jsonfeed_problems(json.dumps(bad).encode())
    assert len(problems) == 2, problems


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "2025-01-02T03:04:05+00:00"),
        (
            datetime(2025, 1, 2, 3, 4, 5, 600, tzinfo=timezone(timedelta(hours=-5))),
            "2025-01-02T03:04:05.000600-05:00",
        ),
        # Local mean time offsets have seconds, which RFC 3339 cannot write: use UTC.
        (
            datetime(1850, 1, 1, tzinfo=timezone(timedelta(minutes=65, seconds=28))),
            "1849-12-31T22:54:32+00:00",
        ),
    ],
)
def test_rfc3339(moment: datetime, text: str) -> None:
    assert rfc3339(moment) == text


def test_formats_choose_the_files(site: Site) -> None:
    site.configure(formats=["json"])
    site.article("a.md")
    result = site.build()
    assert sorted(result.files) == ["feed.json", "index.html", "index.opml"]
