"""Finding articles: one walk of the content tree, which never leaves it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TESTS
from feedtool import safefile
from feedtool.errors import ContentError
from feedtool.read.sources import find_sources, sources_from_stamps, tree_stamp, walk

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
def test_articles_and_stamps_come_from_one_walk(
    root: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = nested_tree(tmp_path / "content") if root in ("nested", ".") else Path(root)
    roots = [str(tmp_path / "elsewhere")]
    if root == ".":  # --content . names files "a.md", not "./a.md", either way
        monkeypatch.chdir(folder)
        folder = Path(".")
    listing = walk(folder, roots)
    assert listing.problems == []
    tree = tree_stamp(folder, roots)
    assert tree is not None and tree[0] == listing.files
    assert find_sources(folder, roots=roots) == sources_from_stamps(folder, listing.files)
    if root in ("nested", "."):
        prefix = "" if root == "." else f"{folder}/"
        found = [
            (s.path.removeprefix(prefix), s.sidecar) for s in find_sources(folder, roots=roots)
        ]
        assert found == [
            ("10.md", None), ("9.md", None), ("B.txt", f"{prefix}B.toml"),
            ("a.md", f"{prefix}a.yaml"), ("notes.txt", None), ("z.md", None),
            ("2025/03/b.md", None), ("linked/w.md", None),
            ("n1/x.md", None), ("n1/n2/p.md", None), ("sub/a.markdown", None),
            ("sub/b.html", f"{prefix}sub/b.json"), ("sub/deeper/c.md", f"{prefix}sub/deeper/c.yml"),
            ("sub-2/d.htm", None), ("zz/y.MD", None),
        ]  # fmt: skip


def test_odd_trees_are_not_summed_up(tmp_path: Path) -> None:
    # Then the build reads the tree in full and reports each problem.
    (tmp_path / "a.md").write_text("x")
    os.mkfifo(tmp_path / "pipe.md")
    assert tree_stamp(tmp_path) is None
    assert [p.path for p in walk(tmp_path).problems] == [str(tmp_path / "pipe.md")]
    (tmp_path / "pipe.md").unlink()
    os.symlink(tmp_path, tmp_path / "loop")
    assert tree_stamp(tmp_path) is None


def test_the_file_systems_root_is_never_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_listing(folder: object) -> None:
        raise AssertionError(f"listed {folder}")

    monkeypatch.setattr(os, "scandir", no_listing)
    assert tree_stamp(Path("/")) is None
    assert "root" in walk(Path("/")).problems[0].message


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("../.git/config", "outside the content folder"),
        ("/proc/self/environ", "a system folder"),
        ("/etc/hostname", "outside the content folder"),
    ],
)
def test_links_out_of_the_content_folder_are_refused(tmp_path: Path, target: str, why: str) -> None:
    # Finding 1 of issue 17: a link in content/ published the CI token or the environment.
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("token = secret\n")
    (content / "notes.txt").symlink_to(target)
    (content / "notes.yaml").write_text("title: x\ndate: 2025-01-01\n")
    problems = walk(content).problems
    assert len(problems) == 1
    assert problems[0].path == str(content / "notes.txt")
    assert "is a symlink to" in problems[0].message and why in problems[0].message
    assert find_sources(content) == []


def test_a_linked_sidecar_or_folder_is_refused_too(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text("body")
    (content / "a.yaml").symlink_to("/proc/self/environ")
    (content / "sys").symlink_to("/sys")
    found = sorted(p.path or "" for p in walk(content).problems)
    assert found == [str(content / "a.yaml"), str(content / "sys")]


def test_links_inside_the_content_folder_are_followed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "real").mkdir(parents=True)
    (content / "real" / "a.md").write_text("x")
    (content / "b.md").symlink_to("real/a.md")
    assert walk(content).problems == []
    assert [s.path for s in find_sources(content)] == [
        str(content / "b.md"),
        str(content / "real/a.md"),
    ]


def test_inside_refuses_git_and_system_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    with pytest.raises(ContentError, match="a .git folder"):
        safefile.inside(tmp_path / ".git" / "config", [tmp_path])
    with pytest.raises(ContentError, match="a system folder"):
        safefile.inside("/proc/self/environ", ["/"])
    safefile.inside(tmp_path / "x.md", [tmp_path])  # a file that may not exist yet: fine
