"""Whole feeds compared byte for byte with tests/golden/ (rewrite with --update-goldens)."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest

from conftest import NOW, TESTS, options
from feedcheck import atom_problems, feed_problems
from feedtool.config import load_config
from feedtool.pipeline import build

HERE = TESTS
SITE = HERE / "data" / "golden-site"
GOLDEN = HERE / "golden"


def golden_files() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    output = tmp_path_factory.mktemp("golden")
    result = build(
        SITE / "content",
        output,
        load_config(SITE / "feedtool.toml"),
        options(load_config(SITE / "feedtool.toml"), NOW),
    )
    return result.files


def test_golden(built: dict[str, bytes], update_goldens: bool) -> None:
    if update_goldens:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    assert sorted(built) == golden_files()
    for name in golden_files():
        assert built[name] == (GOLDEN / name).read_bytes(), (
            f"{name} differs from {GOLDEN / name}; if on purpose, run pytest --update-goldens"
        )


def test_build_from_a_copy_is_identical(built: dict[str, bytes], tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(SITE, copy)
    again = build(
        copy / "content",
        tmp_path / "out",
        load_config(copy / "feedtool.toml"),
        options(load_config(copy / "feedtool.toml"), NOW),
    )
    # Only the article paths differ (they are not in the output), so the bytes must not.
    assert again.files == built


FEEDS = [name for name in golden_files() if name.endswith((".xml", ".json"))]


@pytest.mark.parametrize("name", FEEDS)
def test_golden_feed_passes_its_schema_and_feedparser(name: str) -> None:
    """Not only feedtool's own validator: RFC 4287's RELAX NG schema for every Atom file,
    JSON Feed 1.1's JSON Schema for every feed.json, and feedparser (which reads no JSON
    Feed before 6.1) for every RSS and Atom file, with every item."""
    data = (GOLDEN / name).read_bytes()
    is_atom = b"<feed" in data[:500] and b"http://www.w3.org/2005/Atom" in data[:500]
    assert (atom_problems(data) if is_atom else feed_problems(name, data)) == []
    if name.endswith(".json"):
        return
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version, f"feedparser does not recognise {name}"
    assert len(parsed.entries) == data.count(b"<item>") + data.count(b"<entry>")


def test_every_golden_atom_file_is_checked_against_the_schema() -> None:
    atom = [n for n in FEEDS if b'http://www.w3.org/2005/Atom"' in (GOLDEN / n).read_bytes()[:400]]
    assert "atom.xml" in atom and len(atom) > 1  # the main feed, and group or archive feeds
