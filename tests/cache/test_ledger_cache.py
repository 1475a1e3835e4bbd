"""The ledger of published ids with the cache: not read while nothing about ids changed,
checked as before when anything did (an id, a file, a link, or the ledger itself)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import NOW, Site, options
from feedtool.config import load_config
from feedtool.errors import FeedtoolError
from feedtool.pipeline import BuildResult, build
from feedtool.publish import ledger


def _age(site: Site) -> None:
    # Older than the times the cache compares by content: a build may then be remembered.
    old = time.time_ns() - 10 * 10**9
    for path in site.content.rglob("*"):
        os.utime(path, ns=(old, old))


def _build(site: Site, **kwargs: object) -> BuildResult:
    config = load_config(site.config_path)
    chosen = options(
        config, NOW, cache_dir=site.root / "cache", ledger=site.root / "feedtool.ids", **kwargs
    )
    return build(site.content, site.output, config, chosen)


@pytest.fixture
def built(site: Site) -> Site:
    site.article("a.md", title="A", date="2025-01-01", body="First text.")
    site.article("b.md", title="B", date="2025-01-02", body="Second text.")
    _age(site)
    _build(site)
    assert (site.root / "feedtool.ids").is_file()
    return site


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    parse = ledger.parse

    def counted(text: str, path: Path | str) -> ledger.Ledger:
        read.append(str(path))
        return parse(text, path)

    monkeypatch.setattr(ledger, "parse", counted)
    return read


def test_an_edit_that_changes_no_id_leaves_the_ledger_unread(
    built: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (built.root / "feedtool.ids").read_bytes()
    path = built.content / "a.md"
    path.write_text(path.read_text().replace("First text.", "First text, edited."))
    _age(built)
    read = _reads(monkeypatch)
    result = _build(built)
    assert read == [] and not result.ledger_changed
    assert (built.root / "feedtool.ids").read_bytes() == before
    # The same feeds as a build without the cache, which reads the ledger.
    config = load_config(built.config_path)
    fresh = build(built.content, built.root / "fresh", config, options(config, NOW))
    assert dict(result.files) == dict(fresh.files)


def test_a_new_article_is_recorded(built: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    built.article("c.md", title="C", date="2025-01-03")
    _age(built)
    read = _reads(monkeypatch)
    assert _build(built).ledger_changed and read
    assert "c.md" in (built.root / "feedtool.ids").read_text()


def test_a_ledger_changed_since_is_checked_again(built: Site) -> None:
    # A pull brings a ledger that published a.md under another id: that is caught.
    path = built.root / "feedtool.ids"
    book = ledger.read_ledger(path)
    (mine,) = [item for item in book.items.values() if item.source == "a.md"]
    text = path.read_text().replace(f"{mine.id}\t", "tag:elsewhere,2024:a\t")
    path.write_text(text)
    other = built.content / "b.md"
    other.write_text(other.read_text().replace("Second text.", "Second text, edited."))
    _age(built)
    with pytest.raises(FeedtoolError, match="would change from"):
        _build(built)


def test_a_renamed_file_is_checked_again(built: Site) -> None:
    (built.content / "a.md").rename(built.content / "renamed.md")
    _age(built)
    with pytest.raises(FeedtoolError, match="would change from"):
        _build(built)


def test_ids_the_ledger_keeps_still_apply_after_an_edit(built: Site) -> None:
    # An adopted feed's item: the ledger gives a.md its id and link, whatever it computes.
    path = built.root / "feedtool.ids"
    book = ledger.read_ledger(path)
    (mine,) = [item for item in book.items.values() if item.source == "a.md"]
    adopted = "tag:adopted.example,2020:a\ta.md\thttps://adopted.example/a/\t\tid,link"
    lines = [line for line in path.read_text().splitlines() if not line.startswith(mine.id)]
    path.write_text("\n".join([*lines, adopted]) + "\n")
    _age(built)
    first = _build(built)
    assert b"tag:adopted.example,2020:a" in first.files["atom.xml"]
    other = built.content / "b.md"
    other.write_text(other.read_text().replace("Second text.", "Second text, edited."))
    _age(built)
    again = _build(built)
    assert b"tag:adopted.example,2020:a" in again.files["atom.xml"]
    assert b"Second text, edited." in again.files["atom.xml"]


def test_a_first_build_reads_the_ledger_once(built: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # Read while the articles are (pipeline._load_renderers), then used as read.
    built.article("c.md", title="C", date="2025-01-03")
    read = _reads(monkeypatch)
    config = load_config(built.config_path)
    result = build(
        built.content,
        built.output,
        config,
        options(config, NOW, ledger=built.root / "feedtool.ids"),
    )
    assert read == [str(built.root / "feedtool.ids")] and result.ledger_changed


def test_a_ledger_that_cannot_be_read_is_reported_after_the_articles_problems(
    built: Site,
) -> None:
    (built.root / "feedtool.ids").write_text("not a ledger line\n")
    built.write("bad.md", "---\ntitle: No date\n---\nBody.\n")
    with pytest.raises(FeedtoolError, match="date: is required") as found:
        _build(built)
    assert "not a ledger line" not in str(found.value)
    (built.content / "bad.md").unlink()
    with pytest.raises(FeedtoolError, match="not a ledger line"):
        _build(built)
