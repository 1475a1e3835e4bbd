"""Finding articles: the listing the cache already made gives what a fresh scan gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TESTS
from feedtool.read.sources import find_sources, sources_from_stamps, tree_stamp

HERE = TESTS


def nested_tree(root: Path) -> Path:
    """Folders, sidecars of every kind, hidden files and folders, names that sort oddly."""
    files = [
        "z.md", "a.md", "a.yaml", "B.txt", "B.toml", "10.md", "9.md", "_draft.md", ".x.md",
        "sub/b.html", "sub/b.json", "sub/a.markdown", "sub/deeper/c.md", "sub/deeper/c.yml",
        "sub-2/d.htm", "_media/e.md", ".git/f.md", "notes.txt", "data.json", "zz/y.MD",
        # Folders with no file of their own, and a subfolder's files sorting first:
        "2025/03/b.md", "n1/n2/p.md", "n1/x.md",
    ]  # fmt: skip
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "w.md").write_text("x")
    os.symlink(elsewhere, root / "linked")  # a symlinked folder is followed too
    return root


@pytest.mark.parametrize(
    "root",
    [HERE.parent / "content", HERE / "data" / "reader-site" / "content", "nested", "."],
)
def test_same_sources_as_a_fresh_scan(
    root: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = nested_tree(tmp_path / "content") if root in ("nested", ".") else Path(root)
    if root == ".":  # --content . names files "a.md", not "./a.md", either way
        monkeypatch.chdir(folder)
        folder = Path(".")
    tree = tree_stamp(folder)
    assert tree is not None
    assert sources_from_stamps(folder, tree[0]) == list(find_sources(folder))


def test_odd_trees_are_not_summed_up(tmp_path: Path) -> None:
    # Then find_sources reads the tree itself and reports each problem.
    (tmp_path / "a.md").write_text("x")
    os.mkfifo(tmp_path / "pipe.md")
    assert tree_stamp(tmp_path) is None
    (tmp_path / "pipe.md").unlink()
    os.symlink(tmp_path, tmp_path / "loop")
    assert tree_stamp(tmp_path) is None


def test_the_file_systems_root_is_never_summed_up(monkeypatch: pytest.MonkeyPatch) -> None:
    # Its paths ("/a.md") are spelled unlike any folder's ("dir/a.md"): read it plainly,
    # without even listing it here.
    def no_listing(folder: object) -> None:
        raise AssertionError(f"listed {folder}")

    monkeypatch.setattr(os, "scandir", no_listing)
    assert tree_stamp(Path("/")) is None
