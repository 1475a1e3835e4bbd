"""A cache folder can come from anywhere: forged records change nothing a build writes.

Issue 22, item 5: records with empty stamp lists were trusted, and cached HTML skipped
the sanitiser, so a committed cache published <script>.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Site, forge, options
from feedtool.config import load_config
from feedtool.pipeline import build
from feedtool.publish.write import MANIFEST

SCRIPT = "<script>alert(document.cookie)</script>"


@pytest.fixture
def posts(site: Site) -> Site:
    site.configure(feeds_per=["tags"])
    for number in range(4):
        path = site.article(
            f"2025-01-0{number + 1}-post-{number}.md",
            title=f"Post {number}",
            date=f"2025-01-0{number + 1}T10:00:00Z",
            tags="[all]",
            body=f"Body {number}.",
        )
        # Old enough for the cache to keep (files changed just now are not kept).
        when = path.stat().st_mtime_ns - 60 * 1_000_000_000
        os.utime(path, ns=(when, when))
    return site


def build_both(site: Site, cache: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """What a build with the cache wrote, and what one without it gives."""
    config = load_config(site.config_path)
    out = site.root / "cached"
    build(site.content, out, config, options(config, NOW, cache_dir=cache))
    fresh = dict(
        build(site.content, site.root / "fresh", config, options(config, NOW, check=True)).files
    )
    written = {
        str(p.relative_to(out)): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    return written, fresh


def poison_entries(data: dict[str, list[Any]], *, stamps: bool) -> None:
    for record in data.values():
        if stamps:
            record[0] = []  # no stamp: nothing to check
        record[2] += SCRIPT
        record[4] = "00" * 16  # a new digest: no feed file rendered before matches


def test_records_without_stamps_are_not_trusted(posts: Site, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_both(posts, cache)
    shards = sorted(cache.glob("articles-*.json"))
    assert shards  # else the forging below would be skipped and prove nothing
    for shard in shards:

        def unstamped(data: dict[str, list[Any]]) -> None:
            for record in data.values():
                record[0] = []
                record[2] = json.loads(json.dumps(record[2]).replace("Post ", "Forged "))

        forge(shard, unstamped)
    forge(cache / "entries.json", lambda data: poison_entries(data, stamps=True))
    (cache / "state.json").unlink()
    # A fresh checkout: every file has a new change time, so no real stamp matches.
    for path in posts.content.iterdir():
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    written, fresh = build_both(posts, cache)
    assert not any(b"<script" in data or b"Forged" in data for data in written.values())
    assert written == fresh


def test_cached_html_is_not_trusted_more_than_fresh_html(posts: Site, tmp_path: Path) -> None:
    # Stamps that match (forged on the very machine, say): the HTML is still checked.
    cache = tmp_path / "cache"
    build_both(posts, cache)
    forge(cache / "entries.json", lambda data: poison_entries(data, stamps=False))
    (cache / "state.json").unlink()
    written, fresh = build_both(posts, cache)
    assert not any(b"<script" in data for data in written.values())
    assert written == fresh


def test_cached_html_is_checked_where_it_goes_into_a_file(
    posts: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Poisoned HTML kept under its old digest: files taken back from the output folder
    hold what was published, and no file rendered now has it."""
    import feedtool.render.html

    cache = tmp_path / "cache"
    build_both(posts, cache)

    def poison_one(data: dict[str, list[Any]]) -> None:
        data[sorted(data)[0]][2] += SCRIPT  # the digest (record[4]) as it was

    forge(cache / "entries.json", poison_one)
    (cache / "state.json").unlink()
    checked: list[str] = []
    is_clean = feedtool.render.html.is_clean

    def counted(fragment: str, base_url: str) -> bool:
        checked.append(fragment)
        return is_clean(fragment, base_url)

    monkeypatch.setattr(feedtool.render.html, "is_clean", counted)
    written, fresh = build_both(posts, cache)
    assert written == fresh and not any(b"<script" in data for data in written.values())
    assert SCRIPT in checked[-1]  # caught where the page was rendered with it
    newest = posts.content / "2025-01-04-post-3.md"
    newest.write_text(newest.read_text() + "More.\n")
    written, fresh = build_both(posts, cache)
    assert written == fresh and not any(b"<script" in data for data in written.values())


def test_entries_in_files_taken_back_are_not_checked_again(
    posts: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedtool.render.html

    posts.configure(feeds_per=["tags"], html_page=False, limit=2)
    other = posts.article(
        "2024-12-01-other.md", title="Other", date="2024-12-01T10:00:00Z", tags="[x]"
    )
    when = other.stat().st_mtime_ns - 60 * 1_000_000_000
    os.utime(other, ns=(when, when))
    cache = tmp_path / "cache"
    build_both(posts, cache)
    checked: list[str] = []
    is_clean = feedtool.render.html.is_clean
    monkeypatch.setattr(
        feedtool.render.html, "is_clean", lambda f, b: checked.append(f) or is_clean(f, b)
    )
    other.write_text(other.read_text() + "More.\n")
    written, fresh = build_both(posts, cache)
    assert written == fresh
    # Only the edited article's files (tag x's feeds) are rendered, with no cached entry:
    # the four cached entries the other feeds show come back with files taken back.
    assert checked == []


def test_honest_entries_the_sanitiser_would_change_build_as_without_the_cache(
    site: Site, tmp_path: Path
) -> None:
    """HTML feedtool made that a second cleaning changes (a summary with a no-break space
    comes back as &nbsp;) is taken for a forgery only in what the cache gives: the build
    makes it again, and every build after an edit succeeds with the bytes of one without
    the cache."""
    site.configure(item_content="summary")
    for day, name in ((1, "a"), (2, "b")):
        path = site.article(
            f"{name}.md",
            title=name.upper(),
            date=f"2025-01-0{day}T10:00:00Z",
            summary=f'"Le {day}\u00a0mai"',
        )
        when = path.stat().st_mtime_ns - 60 * 1_000_000_000
        os.utime(path, ns=(when, when))
    cache = tmp_path / "cache"
    build_both(site, cache)
    edited = site.content / "b.md"
    for _ in range(2):
        edited.write_text(edited.read_text() + "More.\n")
        when = edited.stat().st_mtime_ns - 60 * 1_000_000_000
        os.utime(edited, ns=(when, when))
        written, fresh = build_both(site, cache)
        assert written == fresh
