"""Whole feeds compared byte for byte with tests/golden/ (rewrite with --update-goldens)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import NOW
from feedtool.build import build
from feedtool.config import load_config

HERE = Path(__file__).parent
SITE = HERE / "data" / "golden-site"
GOLDEN = HERE / "golden"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    output = tmp_path_factory.mktemp("golden")
    result = build(SITE / "content", output, load_config(SITE / "feedtool.toml"), NOW)
    return result.files


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_golden(built: dict[str, bytes], name: str, update_goldens: bool) -> None:
    golden = GOLDEN / name
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(built[name])
    assert built[name] == golden.read_bytes(), (
        f"{name} differs from {golden}; if on purpose, run pytest --update-goldens"
    )


def test_golden_covers_every_file(built: dict[str, bytes], update_goldens: bool) -> None:
    if update_goldens:
        for stale in set(p.name for p in GOLDEN.iterdir()) - set(built):
            (GOLDEN / stale).unlink()
    assert sorted(built) == sorted(p.name for p in GOLDEN.iterdir())


def test_build_from_a_copy_is_identical(built: dict[str, bytes], tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(SITE, copy)
    again = build(copy / "content", tmp_path / "out", load_config(copy / "feedtool.toml"), NOW)
    # Only the article paths differ (they are not in the output), so the bytes must not.
    assert again.files == built
