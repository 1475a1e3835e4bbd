"""Dates that never lie: no update from the future, none before the article existed, and
a feed's own date never older than its newest item."""

from __future__ import annotations

import calendar
import json
from datetime import UTC, datetime

import pytest

from conftest import NOW, Site
from feedtool.errors import ContentError

LATE = "2026-01-02T00:00:01+00:00"  # NOW is 2026-01-01T00:00Z


def test_an_update_from_the_future_is_an_error_at_its_line(site: Site) -> None:
    site.article("a.md", date="2025-12-30", updated=LATE)
    result = site.run("build", "--now", NOW.isoformat())
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {site.content / 'a.md'}:4: updated: {LATE} is more than a day after the "
        "build (2026-01-01T00:00:00+00:00): a feed would show a change that has not happened; "
        "set it to when the article last changed\n"
    )
    assert not site.output.exists()


def test_an_update_within_a_day_is_fine(site: Site) -> None:
    site.article("a.md", date="2025-12-30", updated="2026-01-02T00:00:00+00:00")
    assert site.run("build", "--now", NOW.isoformat()).exit_code == 0


def test_a_future_post_updated_long_after_its_date(site: Site) -> None:
    site.write("a.yaml", "title: T\ndate: 2026-03-01\nupdated: 2026-03-05\n")
    site.write("a.md", "Text.\n")
    with pytest.raises(ContentError) as caught:
        site.build()
    assert str(caught.value) == (
        f"{site.content / 'a.yaml'}:3: updated: 2026-03-05T00:00:00+00:00 is more than a day "
        "after date (2026-03-01T00:00:00+00:00): a feed would show a change that has not "
        "happened; set it to when the article last changed"
    )


def test_keep_going_leaves_it_out(site: Site) -> None:
    site.article("a.md", date="2025-12-30", updated=LATE)
    site.article("b.md", date="2025-12-30")
    result = site.build(keep_going=True)
    assert result.articles == 1
    assert result.skipped == 1
    assert "is more than a day after the build" in result.warnings[0]


def test_the_cache_does_not_hide_it_from_an_earlier_clock(site: Site) -> None:
    site.article("a.md", date="2025-12-30", updated="2026-01-01T12:00:00Z")
    cache = site.root / "cache"
    assert site.build(cache_dir=cache).articles == 1
    assert site.build(cache_dir=cache).changed == []  # nothing changed: from the cache
    with pytest.raises(ContentError):
        site.build(datetime(2025, 12, 31, tzinfo=UTC), cache_dir=cache)


def test_updated_before_date_says_how_to_fix_it(site: Site) -> None:
    site.article("a.md", date="2025-12-30", updated="2025-12-29")
    with pytest.raises(ContentError) as caught:
        site.build()
    assert str(caught.value) == (
        f"{site.content / 'a.md'}:4: updated: is earlier than date (the article cannot change "
        "before it exists): correct one of them, or remove updated if it never changed"
    )


def test_a_feed_is_never_older_than_its_newest_item(site: Site) -> None:
    site.configure(feeds_per=["tags"], archives=True, archive_page_size=2)
    site.article("a.md", date="2025-12-01", tags="[x]")
    site.article("b.md", date="2025-11-01", updated="2025-12-20", tags="[x, y]")
    site.article("c.md", date="2025-12-10", updated="2025-12-11", tags="[y]")
    assert site.run("build", "--now", NOW.isoformat()).exit_code == 0
    checked = 0
    for path in site.output.rglob("*.xml"):
        if path.name == "index.opml":
            continue
        feed = site.parsed(str(path.relative_to(site.output)))
        # dict.get: feedparser's own get maps a missing updated to published, and warns.
        channel = calendar.timegm(dict.get(feed.feed, "updated_parsed"))
        for entry in feed.entries:
            for key in ("published_parsed", "updated_parsed"):
                if dict.get(entry, key):
                    assert channel >= calendar.timegm(dict.get(entry, key)), (path, entry.id)
                    checked += 1
    for path in site.output.rglob("*.json"):
        items = json.loads(path.read_bytes())["items"]
        assert all(i["date_modified"] >= i["date_published"] for i in items)
    assert checked > 10
