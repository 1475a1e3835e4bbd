"""The sample site that ships with the repo: feeds/ is current and every feed reads back right."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import pytest

from conftest import ROOT, options
from feedcheck import atom_problems, feed_problems
from feedtool.config import load_config
from feedtool.pipeline import build
from feedtool.plan.select import published_articles
from feedtool.read.metadata import load_articles

ROOT = ROOT


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    config = load_config(ROOT / "feedtool.toml")
    out = tmp_path_factory.mktemp("samples")
    return build(ROOT / "content", out, config, options(config, datetime.now(UTC))).files


def test_committed_feeds_match_content(fresh: dict[str, bytes]) -> None:
    for name, data in fresh.items():
        assert (ROOT / "feeds" / name).read_bytes() == data, (
            f"feeds/{name} is stale: run `make feeds`"
        )


def test_every_sample_article_reads_back(fresh: dict[str, bytes]) -> None:
    config = load_config(ROOT / "feedtool.toml")
    articles, problems = load_articles(ROOT / "content", config)
    assert problems == []
    expected = published_articles(articles, datetime.now(UTC))
    assert len(expected) >= 4
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(fresh[name])
        assert not feed.bozo
        got = [(e.id, e.title, e.link) for e in feed.entries]
        assert got == [(a.id, a.title, a.link) for a in expected[: config.limit]]
        for entry, article in zip(feed.entries, expected, strict=False):
            assert entry.published_parsed[:6] == article.published.astimezone(UTC).timetuple()[:6]
            assert entry.content[0].value.strip()
    assert atom_problems(fresh["atom.xml"]) == []


def test_every_sample_file_validates(fresh: dict[str, bytes]) -> None:
    # The sample config turns on every kind of output, so this covers each kind of file.
    assert {"feed.json", "index.opml", "tags/feedtool/atom.xml", "archive/1/rss.xml"} <= set(fresh)
    for name, data in fresh.items():
        if name not in ("index.opml", "index.html"):
            assert feed_problems(name, data) == [], name


def test_seed_article_is_first_sample() -> None:
    text = (ROOT / "content" / "2025-08-16-melania-trump-letter-putin.txt").read_text(
        encoding="utf-8"
    )
    assert text.startswith("In a rare personal intervention")
    assert "There are no comments" not in text and "Add yours" not in text
