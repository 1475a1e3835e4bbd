"""max_bytes: the oldest items are left out until each feed file fits, and the build says so."""

from __future__ import annotations

import json

import feedparser
import pytest

from conftest import Site
from feedtool.pipeline import BuildResult

FORMAT_FILES = ("atom.xml", "rss.xml", "feed.json")


def titles(name: str, data: bytes) -> list[str]:
    if name.endswith(".json"):
        return [item["title"] for item in json.loads(data)["items"]]
    return [entry.title for entry in feedparser.parse(data).entries]


@pytest.fixture
def long_posts(site: Site) -> Site:
    for day in range(1, 11):
        site.article(
            f"{day:02d}.md",
            title=f"Day {day}",
            date=f"2025-01-{day:02d}T12:00:00Z",
            tags="[big]",
            body=f"Paragraph {day}. " + "Lorem ipsum dolor sit amet. " * 40,
        )
    return site


def _build_with(site: Site, **config: object) -> BuildResult:
    site.configure(**config)
    return site.build()


@pytest.mark.parametrize("name", FORMAT_FILES)
def test_items_are_dropped_from_the_end_until_the_file_fits(long_posts: Site, name: str) -> None:
    full = _build_with(long_posts).files[name]
    budget = len(full) // 2
    result = _build_with(long_posts, max_bytes=budget)
    data = result.files[name]
    assert len(data) <= budget
    kept = titles(name, data)
    newest_first = [f"Day {d}" for d in range(10, 0, -1)]
    assert 0 < len(kept) < 10 and kept == newest_first[: len(kept)]
    # As many as fit: one more item would not.
    one_more = _build_with(long_posts, limit=len(kept) + 1).files[name]
    assert len(one_more) > budget
    assert any(
        # Named as every other file in a message is: below the output folder.
        w.startswith(f"{long_posts.output / name}: left out the oldest {10 - len(kept)} of 10")
        for w in result.warnings
    )


def test_group_feeds_fit_too_and_small_files_are_untouched(long_posts: Site) -> None:
    full = _build_with(long_posts, feeds_per=["tags"])
    budget = len(full.files["tags/big/rss.xml"]) - 1
    result = _build_with(long_posts, feeds_per=["tags"], max_bytes=budget)
    assert all(len(data) <= budget for data in result.files.values())
    assert len(titles("rss.xml", result.files["tags/big/rss.xml"])) == 9
    # A budget every file meets changes nothing and says nothing.
    roomy = _build_with(long_posts, feeds_per=["tags"], max_bytes=10_000_000)
    assert roomy.files == full.files and roomy.warnings == []


def test_cli_reports_what_was_left_out(long_posts: Site) -> None:
    long_posts.configure(max_bytes=8000)
    result = long_posts.run("build")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 3 and all("max_bytes (" in w for w in warnings)


def test_a_budget_too_small_for_an_empty_feed_is_an_error(long_posts: Site) -> None:
    assert long_posts.run("build").exit_code == 0
    before = long_posts.snapshot()
    long_posts.configure(max_bytes=200)
    result = long_posts.run("build")
    assert result.exit_code == 1
    assert "max_bytes: 200 is too small:" in result.output and "with no items" in result.output
    assert long_posts.snapshot() == before


def test_archive_pages_stay_complete_and_are_reported(long_posts: Site) -> None:
    result = _build_with(long_posts, archives=True, archive_page_size=10, max_bytes=8000)
    page = result.files["archive/1/atom.xml"]
    assert len(page) > 8000 and len(titles("atom.xml", page)) == 10
    assert any(
        w.startswith(f"{long_posts.output / 'archive/1/atom.xml'}: ")
        and "lower archive_page_size" in w
        for w in result.warnings
    )
