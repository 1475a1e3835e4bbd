"""A real feed reader: Debian's newsboat subscribes to the built feeds over HTTP.

The reader fixture site is built, served on 127.0.0.1 by a small HTTP server in a
thread, and newsboat reloads it into a fresh cache (its HOME, config and cache
all in tmp_path). Its sqlite cache must then hold every item, with the right
title and link, exactly once, and the same items feedparser sees.

newsboat is required, not optional: CI installs it (.ci/run); locally run
``apt-get install -y newsboat``.
"""

from __future__ import annotations

import html
import os
import shutil
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest

from conftest import NOW, TESTS
from feedtool.config import load_config
from feedtool.model import Article
from feedtool.pipeline import build
from feedtool.plan.select import published_articles
from feedtool.read.load import load_articles
from feedtool.site.serve import start_server

SITE = TESTS / "data" / "reader-site"


@pytest.fixture
def feed_server() -> Iterator[Any]:
    """A function that serves a folder with ``feedtool serve``'s server on 127.0.0.1
    (a free port, real content types and conditional requests) and returns its URL."""
    servers: list[Any] = []

    def serve(folder: Path) -> str:
        server = start_server(folder, "127.0.0.1", 0)
        servers.append(server)
        return str(server.url).rstrip("/") + "/"

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    loaded, problems = load_articles(SITE / "content", load_config(SITE / "feedtool.toml"))
    assert problems == []
    return published_articles(loaded, NOW)


def newsboat(urls: list[str], home: Path) -> list[dict[str, Any]]:
    """Run ``newsboat -x reload`` on ``urls`` with everything in ``home``; its cached items."""
    executable = shutil.which("newsboat")
    if executable is None:
        pytest.fail(
            "newsboat is not installed; this test needs the real reader "
            "(apt-get install -y newsboat, as .ci/run does)"
        )
    home.mkdir()
    (home / "urls").write_text("".join(url + "\n" for url in urls), encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")
    cache = home / "cache.db"
    # Only what newsboat needs: no proxy settings from outside, nothing of the real HOME.
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
    }
    command = [executable, "-u", str(home / "urls"), "-c", str(cache), "-C", str(home / "config")]
    completed = subprocess.run(
        [*command, "-x", "reload"], env=env, capture_output=True, text=True, timeout=600
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with sqlite3.connect(cache) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT feedurl, guid, title, url, author, enclosure_url, enclosure_type"
            " FROM rss_item WHERE deleted = 0 ORDER BY pubDate DESC"
        )
        return [dict(row) for row in rows]


def newsboat_title(article: Article, name: str) -> str:
    """The title newsboat stores: RSS titles are taken as text, so the one title
    that looks like markup (written HTML-escaped for feedparser's sake) keeps its escapes."""
    if name == "rss.xml" and article.slug == "markup-title":
        return html.escape(article.title, quote=False)
    return article.title


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_newsboat_sees_every_item_once(
    tmp_path: Path, feed_server: Any, articles: list[Article], name: str
) -> None:
    output = tmp_path / "feeds"
    files = build(SITE / "content", output, load_config(SITE / "feedtool.toml"), NOW).files
    url = feed_server(output) + name
    items = newsboat([url], tmp_path / "home")

    assert {item["feedurl"] for item in items} == {url}
    assert Counter(item["guid"] for item in items) == Counter(a.id for a in articles)
    got = {item["guid"]: (item["title"], item["url"]) for item in items}
    assert got == {a.id: (newsboat_title(a, name), a.link) for a in articles}
    # Nothing is lost in the one title that differs.
    assert {i: html.unescape(t) for i, (t, _) in got.items()} == {a.id: a.title for a in articles}

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


def test_subscribing_to_both_formats_shows_each_item_once(
    tmp_path: Path, feed_server: Any, articles: list[Article]
) -> None:
    # RSS guid and Atom id are the same, so a reader that has both feeds merges them.
    output = tmp_path / "feeds"
    build(SITE / "content", output, load_config(SITE / "feedtool.toml"), NOW)
    base = feed_server(output)
    items = newsboat([base + "rss.xml", base + "atom.xml"], tmp_path / "home")
    assert Counter(item["guid"] for item in items) == Counter(a.id for a in articles)
