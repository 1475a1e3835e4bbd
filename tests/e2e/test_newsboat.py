"""A real feed reader: Debian's newsboat subscribes to the built feeds over HTTP.

The reader fixture site is built, served on 127.0.0.1 by a small HTTP server in a
thread, and newsboat reloads it into a fresh cache (its HOME, config and cache
all in tmp_path). Its sqlite cache must then hold every item, with the right
title and link, exactly once, and the same items feedparser sees.

newsboat is required, not optional: CI installs it (.ci/run); locally run
``apt-get install -y newsboat``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser
import pytest

from conftest import NOW, ROOT, TESTS, Site, newsboat, options
from feedtool.config import load_config
from feedtool.model import Article
from feedtool.pipeline import build
from feedtool.plan.select import published_articles
from feedtool.read.metadata import load_articles

pytestmark = pytest.mark.slow  # a real feed reader: out of the quick loop (make quick)

SITE = TESTS / "data" / "reader-site"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    loaded, problems = load_articles(SITE / "content", load_config(SITE / "feedtool.toml"))
    assert problems == []
    return published_articles(loaded, NOW)


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_newsboat_sees_every_item_once(
    tmp_path: Path, feed_server: Any, articles: list[Article], name: str
) -> None:
    output = tmp_path / "feeds"
    files = build(
        SITE / "content",
        output,
        load_config(SITE / "feedtool.toml"),
        options(load_config(SITE / "feedtool.toml"), NOW),
    ).files
    url = feed_server(output) + name
    items = newsboat([url], tmp_path / "home")

    assert {item["feedurl"] for item in items} == {url}
    assert Counter(item["guid"] for item in items) == Counter(a.id for a in articles)
    got = {item["guid"]: (item["title"], item["url"]) for item in items}
    # Every title exactly as in the metadata, the one that looks like markup included.
    assert got == {a.id: (a.title, a.link) for a in articles}

    # The same items as feedparser, in the same order.
    parsed = feedparser.parse(files[name])
    assert [(e.id, e.link) for e in parsed.entries] == [(i["guid"], i["url"]) for i in items]

    by_id = {item["guid"]: item for item in items}
    episode = next(a for a in articles if a.slug == "video")
    assert (by_id[episode.id]["enclosure_url"], by_id[episode.id]["enclosure_type"]) == (
        "https://media.reader.example.org/clips/v.webm",
        "video/webm",
    )
    cleo = next(a for a in articles if a.slug == "one-author")
    assert by_id[cleo.id]["author"] == "Cleo Solo"
    # The site's author, for an article without one, in both formats.
    nobody = next(a for a in articles if a.slug == "no-author")
    assert by_id[nobody.id]["author"] == "Site Desk"
    # Of three enclosures, the first is the one newsboat keeps.
    podcast = next(a for a in articles if a.slug == "podcast")
    assert by_id[podcast.id]["enclosure_url"] == podcast.enclosures[0].url


def test_subscribing_to_both_formats_shows_each_item_once(
    tmp_path: Path, feed_server: Any, articles: list[Article]
) -> None:
    # RSS guid and Atom id are the same, so a reader that has both feeds merges them.
    output = tmp_path / "feeds"
    build(
        SITE / "content",
        output,
        load_config(SITE / "feedtool.toml"),
        options(load_config(SITE / "feedtool.toml"), NOW),
    )
    base = feed_server(output)
    items = newsboat([base + "rss.xml", base + "atom.xml"], tmp_path / "home")
    assert Counter(item["guid"] for item in items) == Counter(a.id for a in articles)


# Text that readers used to show three different ways (issue 13): markup, a script, an
# element with an event handler, all meant as plain text.
EXACT_TEXTS = [
    "Ünïcödé & <b>angle</b> brackets",
    "Hostile markup <script>alert('title')</script>",
    "<img src=x onerror=alert(1)>",
    "AT&T says 1 < 2 and 3 > 2",
]


def test_readers_show_titles_and_names_exactly(
    tmp_path: Path, site: Site, feed_server: Any
) -> None:
    site.configure()
    for number, text in enumerate(EXACT_TEXTS, start=1):
        meta = {
            "title": text,
            "date": f"2025-01-0{number}T10:00:00Z",
            "summary": text,
            "author": {"name": text},
        }
        site.write(f"post-{number}.json", json.dumps(meta))
        site.write(f"post-{number}.txt", "Body.")
    site.build()
    base = feed_server(site.output)
    want = list(reversed(EXACT_TEXTS))  # newest first
    for name in ("rss.xml", "atom.xml"):
        items = newsboat([base + name], tmp_path / f"home-{name}")
        assert [(i["title"], i["author"]) for i in items] == [(t, t) for t in want], name
        entries = feedparser.parse((site.output / name).read_bytes()).entries
        assert [(e.title, e.author) for e in entries] == [(t, t) for t in want], name
        if name == "atom.xml":
            assert [e.summary for e in entries] == want


def test_readers_take_the_first_enclosure_and_keep_the_image_apart(
    tmp_path: Path, site: Site, feed_server: Any
) -> None:
    site.configure()
    first, second = "https://cdn.example.org/ep.mp3", "https://cdn.example.org/ep.ogg"
    image = "https://cdn.example.org/cover.png"
    site.article(
        "episode.md",
        "An episode",
        enclosures=json.dumps([first, second]),
        image=image,
    )
    site.build()
    base = feed_server(site.output)
    for name in ("rss.xml", "atom.xml"):
        (item,) = newsboat([base + name], tmp_path / f"home-{name}")
        assert (item["enclosure_url"], item["enclosure_type"]) == (first, "audio/mpeg"), name
        (entry,) = feedparser.parse((site.output / name).read_bytes()).entries
        assert entry.enclosures[0].href == first
        media = [m["url"] for m in entry.media_content]
        if name == "rss.xml":
            # The picture as Media RSS content and thumbnail; the enclosure stays the audio.
            assert media == [second, image]
            assert [t["url"] for t in entry.media_thumbnail] == [image]
            assert [e.href for e in entry.enclosures] == [first]
        else:
            # Atom: the picture is a last image enclosure, after the audio.
            assert media == [second]
            assert [e.href for e in entry.enclosures] == [first, image]
    assert json.loads((site.output / "feed.json").read_text())["items"][0]["image"] == image


def _feedparser_item(entry: Any, name: str) -> tuple[str, str, str, str]:
    """Title, link, authors and audio/video enclosure, as newsboat stores them."""
    names = [author.get("name", "") for author in entry.get("authors", [])]
    # newsboat joins Atom authors, and keeps the last of an RSS item's dc:creator elements.
    people = ", ".join(names) if name == "atom.xml" else names[-1]
    # newsboat keeps only audio and video enclosures (what it can play); so compare those.
    playable = [
        e.href for e in entry.get("enclosures", []) if e.type.startswith(("audio/", "video/"))
    ]
    return entry.title, entry.link, people, playable[0] if playable else ""


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_sample_site_reads_the_same_in_feedparser_and_newsboat(
    tmp_path: Path, feed_server: Any, name: str
) -> None:
    output = tmp_path / "feeds"
    build(
        ROOT / "content",
        output,
        load_config(ROOT / "feedtool.toml"),
        options(load_config(ROOT / "feedtool.toml"), NOW),
    )
    items = newsboat([feed_server(output) + name], tmp_path / "home")
    newsboat_view = {
        i["guid"]: (i["title"], i["url"], i["author"], i["enclosure_url"]) for i in items
    }
    entries = feedparser.parse((output / name).read_bytes()).entries
    assert entries and {e.id: _feedparser_item(e, name) for e in entries} == newsboat_view
