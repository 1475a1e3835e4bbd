"""The whole pipeline through build(): what goes in comes back out of feedparser."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from conftest import NOW, Site
from feedcheck import atom_problems


def test_round_trip_through_feedparser(site: Site) -> None:
    site.write(
        "2025-03-04-first.md",
        """\
        ---
        title: First & <best> post
        date: 2025-03-04T10:00:00+01:00
        updated: 2025-03-05T11:00:00Z
        summary: A short summary.
        tags: [one, two]
        ---
        Hello *world*, see [this](other/).
        """,
    )
    result = site.build()
    assert sorted(result.changed) == [
        "atom.xml",
        "feed.json",
        "index.html",
        "index.opml",
        "rss.xml",
    ]
    for name in ("atom.xml", "rss.xml"):
        feed = site.parsed(name)
        assert not feed.bozo, feed.bozo_exception
        (entry,) = feed.entries
        assert entry.title == "First & <best> post"
        assert entry.link == "https://example.org/blog/first/"
        assert entry.id == "tag:example.org,2025-03-04:/first"
        assert entry.published_parsed[:6] == (2025, 3, 4, 9, 0, 0)
        assert entry.summary == "A short summary."
        assert "<em>world</em>" in entry.content[0].value
        # Relative links are made absolute against the article's own URL.
        assert 'href="https://example.org/blog/first/other/"' in entry.content[0].value
        assert [t.term for t in entry.tags] == ["one", "two"]
    atom = site.parsed("atom.xml")
    assert atom.entries[0].updated_parsed[:6] == (2025, 3, 5, 11, 0, 0)
    assert atom.feed.updated_parsed[:6] == (2025, 3, 5, 11, 0, 0)
    assert atom_problems((site.output / "atom.xml").read_bytes()) == []


def test_newest_first_ties_broken_by_file_name_and_limit(site: Site) -> None:
    site.configure(limit=3)
    site.article("b.md", title="B", date="2025-01-01T00:00:00Z")
    site.article("a.md", title="A", date="2025-01-01T00:00:00Z")
    site.article("c.md", title="C", date="2025-02-01T00:00:00Z")
    site.article("d.md", title="D", date="2024-01-01T00:00:00Z")
    site.build()
    for name in ("atom.xml", "rss.xml"):
        assert [e.title for e in site.parsed(name).entries] == ["C", "A", "B"]


def test_drafts_and_future_posts_are_left_out(site: Site) -> None:
    site.article("draft.md", title="Draft", draft="true")
    site.article("future.md", title="Future", date="2026-06-01T00:00:00Z")
    site.article("now.md", title="Now", date="2026-01-01T00:00:00Z")
    result = site.build(now=NOW)
    assert result.articles == 1
    assert [e.title for e in site.parsed().entries] == ["Now"]
    site.build(now=datetime(2026, 6, 1, tzinfo=UTC))
    assert [e.title for e in site.parsed().entries] == ["Future", "Now"]


def test_same_input_gives_identical_bytes_and_no_rewrite(site: Site) -> None:
    site.article("a.md", title="A")
    site.article("b.md", title="B", date="2025-05-05")
    first = site.build()
    before = site.snapshot()
    mtimes = {p: (site.output / p).stat().st_mtime_ns for p in before}
    second = site.build()
    assert second.changed == []
    assert site.snapshot() == before
    assert {p: (site.output / p).stat().st_mtime_ns for p in before} == mtimes
    assert first.files == second.files
    # A later clock does not change anything: every date comes from content.
    assert site.build(now=datetime(2027, 1, 1, tzinfo=UTC)).changed == []


def test_default_id_survives_title_and_text_edits(site: Site) -> None:
    site.article("2025-01-02-post.md", title="Old title", body="Old text")
    site.build()
    old_id = site.parsed().entries[0].id
    site.article("2025-01-02-post.md", title="New title", body="New text")
    site.build()
    assert site.parsed().entries[0].id == old_id
    assert site.parsed().entries[0].title == "New title"


def test_feed_with_no_articles_is_still_valid(site: Site) -> None:
    site.build()
    data = (site.output / "atom.xml").read_bytes()
    assert atom_problems(data) == []
    assert site.parsed("rss.xml").feed.title == "Test site"


def test_text_xml_cannot_carry_is_dropped_not_fatal(site: Site) -> None:
    site.write(
        "a.md",
        '---\ntitle: "bell\\a and \\x0c form feed ]]> end"\ndate: 2025-01-01\n---\n'
        "body \x0b here ]]> &\n",
        dedent=False,
    )
    site.build()
    for name in ("atom.xml", "rss.xml"):
        entry = site.parsed(name).entries[0]
        assert entry.title == "bell and  form feed ]]> end"
        assert "body  here ]]&gt; &amp;" in entry.content[0].value


@pytest.mark.parametrize("fmt", ["atom.xml", "rss.xml"])
def test_rss_and_atom_self_and_site_links(site: Site, fmt: str) -> None:
    site.article("a.md")
    site.build()
    feed = site.parsed(fmt).feed
    links = {link.rel: link.href for link in feed.links}
    assert links["self"] == f"https://example.org/blog/{fmt}"
    assert feed.link == "https://example.org/blog/"


def test_feeds_url_moves_self_links(site: Site) -> None:
    site.configure(feeds_url="https://cdn.example.net/feeds/")
    site.build()
    links = {link.rel: link.href for link in site.parsed("rss.xml").feed.links}
    assert links["self"] == "https://cdn.example.net/feeds/rss.xml"


def test_the_library_leaves_the_garbage_collector_alone(site: Site) -> None:
    import gc

    seen: list[bool] = []
    site.article("a.md")
    site.build(progress=lambda step: seen.append(gc.isenabled()))
    assert seen and all(seen) and gc.isenabled()  # process-wide state is the caller's


def test_the_command_pauses_the_garbage_collector_only_during_a_build(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import feedtool.cli.build

    seen: list[bool] = []
    real = feedtool.cli.build.build_feeds

    def watching(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(feedtool.cli.build, "build_feeds", watching)
    site.article("a.md")
    assert site.run("build").exit_code == 0
    assert seen == [False] and gc.isenabled()
    site.write("bad.md", "---\ntitle: No date\n---\n")
    assert site.run("build").exit_code == 1
    assert seen == [False, False] and gc.isenabled()  # back on after a failed build too
