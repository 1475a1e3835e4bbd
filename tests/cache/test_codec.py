"""The cache codec: shards read back into checked records, on its fast and slow paths."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import NOW, Site, options
from feedtool.cache import codec
from feedtool.cache.folder import CacheFolder
from feedtool.cache.summary import CACHE_FORMAT
from feedtool.model import Article, Author, Body, Enclosure

WHEN = datetime(2025, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=-4)))


def _shard(source: str) -> codec.Shard:
    article = Article(
        source=source,
        id=f"tag:x,2025:{source}",
        slug="a",
        title="Ä title",
        link="https://x/a",
        published=WHEN,
        updated=WHEN.astimezone(UTC),
        body=Body(source, "markdown", 12),
        authors=(Author("N", "n@x"),),
        tags=("t1",),
        enclosures=(Enclosure("https://x/a.mp3", "audio/mpeg", 5),),
    )
    stamps = ((source, 10, 20, 30, None), (f"{source}.yaml", 1, 2, 3, b"\x00\xff"))
    return {source: (stamps, f"{source}.yaml", article)}


@pytest.mark.parametrize("source", ["c/a.md", "c/\udcff-latin1.md"])
def test_a_shard_reads_back_as_written(tmp_path: Path, source: str) -> None:
    # A file name that is not UTF-8 (surrogate escapes) takes the slower path both ways:
    # what comes back is the same.
    storage = CacheFolder(tmp_path, "key")
    shard = _shard(source)
    storage.write("articles-0.json", shard)
    again = storage.read("articles-0.json", codec.Shard)
    assert again == shard
    assert again is not None and repr(again) == repr(shard)
    article = again[source][2]
    assert article.published.utcoffset() == timedelta(hours=-4)


def test_numbers_that_remember_their_spelling_are_cached_as_numbers(tmp_path: Path) -> None:
    from feedtool.read.frontmatter import WrittenInt

    storage = CacheFolder(tmp_path, "key")
    source = "c/a.md"
    ((stamps, sidecar, article),) = _shard(source).values()
    body = article.body._replace(start=WrittenInt.of(12, "0xC"))
    storage.write("articles-0.json", {source: (stamps, sidecar, article._replace(body=body))})
    again = storage.read("articles-0.json", codec.Shard)
    assert again is not None and type(again[source][2].body.start) is int
    # And inside plain JSON values (the rendered entries' file).
    kept = json.loads(json.dumps(codec.article_out(article._replace(body=body))))
    assert codec.article_in(kept).body.start == 12


def _damaged(tmp_path: Path, damage: str) -> CacheFolder:
    storage = CacheFolder(tmp_path, "key")
    storage.write("articles-0.json", _shard("c/a.md"))
    path = tmp_path / "articles-0.json"
    header, body = path.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    record = data["c/a.md"]
    if damage == "title":
        record[2][3] = 7
    elif damage == "naive time":
        record[2][5] = "2025-01-01T00:00:00"
    elif damage == "stamp size":
        record[0][0][1] = "10"
    elif damage == "extra field":
        record[2].append(None)
    elif damage == "not a shard":
        data = ["c/a.md", record]
    path.write_bytes(header + b"\n" + json.dumps(data).encode())
    return storage


@pytest.mark.parametrize(
    "damage", ["title", "naive time", "stamp size", "extra field", "not a shard"]
)
def test_a_shard_that_does_not_verify_is_no_cache(tmp_path: Path, damage: str) -> None:
    from feedtool.cache.store import _shard_in

    storage = _damaged(tmp_path, damage)
    assert _shard_in(storage.read("articles-0.json", codec.Shard)) == {}


def test_files_of_the_format_before_are_no_cache(tmp_path: Path) -> None:
    storage = CacheFolder(tmp_path, "key")
    storage.write("state.json", {"a": 1})
    path = tmp_path / "state.json"
    body = path.read_bytes().split(b"\n", 1)[1]
    path.write_bytes(json.dumps([CACHE_FORMAT - 1, "key"]).encode() + b"\n" + body)
    assert storage.read("state.json") is None


def test_the_last_builds_summary_reads_back_with_open_ends(tmp_path: Path) -> None:
    # No scheduled post: valid until forever, which JSON has no number for.
    from feedtool.cache.summary import State, state_in, state_out

    storage = CacheFolder(tmp_path, "key")
    state = State("k", 1, -float("inf"), float("inf"), (("rss.xml", 1, 2),), 3, (), (), (), 0)
    storage.write("state.json", state_out(state))
    assert state_in(storage.read("state.json")) == state
    with pytest.raises(AttributeError):  # a record, not a bag to fill in later
        state.skipped = 1  # type: ignore[misc]


def test_a_build_with_nothing_changed_answers_from_the_summary(site: Site) -> None:
    from feedtool.config import load_config
    from feedtool.pipeline import build
    from feedtool.publish.folder import DiskFiles

    site.article("a.md", title="A", date="2025-01-01")
    old = time.time_ns() - 10 * 10**9  # older than the times the cache compares by content
    for path in site.content.rglob("*"):
        os.utime(path, ns=(old, old))
    config = load_config(site.config_path)
    cache = site.root / "cache"
    first = build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    again = build(site.content, site.output, config, options(config, NOW, cache_dir=cache))
    assert not isinstance(first.files, DiskFiles)
    assert isinstance(again.files, DiskFiles) and dict(again.files) == dict(first.files)
