"""A committed symlink where the output or cache folder goes is refused, naming the link
(issue 22, item 10): a build would write, and remove, files wherever it points."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Site
from feedtool.cli import cli
from feedtool.errors import PublishError
from feedtool.publish.write import write_files


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder of the user's, outside the site, that a link may point to."""
    folder = tmp_path / "home-documents"
    folder.mkdir()
    (folder / "taxes.txt").write_text("mine\n")
    (folder / "atom.xml").write_text("not a feed, a user's file\n")
    return folder


@pytest.fixture
def run_in(site: Site, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str]]:
    """feedtool in the site's folder, with relative paths, as a checkout builds."""
    monkeypatch.chdir(site.root)

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args))
        return result.exit_code, result.output

    return run


def test_an_output_folder_that_is_a_symlink_is_refused(
    site: Site, elsewhere: Path, run_in: Callable[..., tuple[int, str]]
) -> None:
    site.article("a.md", title="A")
    (site.root / "feeds").symlink_to(elsewhere)
    before = tree(elsewhere)
    code, output = run_in("build", "--no-cache")
    assert (code, output) == (
        1,
        f'error: feeds: is a symlink (to "{elsewhere}"): the output folder must be a real '
        "folder, or a build would write and remove files wherever the link points; remove the "
        "link, or name the folder it points to (give another with --output)\n",
    )
    assert tree(elsewhere) == before
    code, _ = run_in("build", "--no-cache", "--check")
    assert code == 1 and tree(elsewhere) == before


def test_a_folder_on_the_way_to_the_output_folder_that_is_a_symlink_is_refused(
    site: Site, elsewhere: Path, run_in: Callable[..., tuple[int, str]]
) -> None:
    site.article("a.md", title="A")
    (site.root / "static").symlink_to(elsewhere)
    code, output = run_in("build", "--no-cache", "--output", "static/feeds")
    assert code == 1
    assert output.startswith(f'error: static: is a symlink (to "{elsewhere}"): the output folder')
    assert not (elsewhere / "feeds").exists()


def test_a_cache_folder_that_is_a_symlink_is_refused(
    site: Site, elsewhere: Path, run_in: Callable[..., tuple[int, str]]
) -> None:
    site.article("a.md", title="A")
    (site.root / ".feedtool-cache").symlink_to(elsewhere)
    (elsewhere / "state.pickle").write_bytes(b"a file the cache would remove")
    before = tree(elsewhere)
    code, output = run_in("build")
    assert (code, output) == (
        1,
        f'error: .feedtool-cache: is a symlink (to "{elsewhere}"): the cache folder must be '
        "a real folder, or a build would write and remove files wherever the link points; "
        "remove the link, or name the folder it points to (give another with --cache, or use "
        "--no-cache)\n",
    )
    assert tree(elsewhere) == before
    assert not (site.root / "feeds").exists()
    code, output = run_in("build", "--no-cache", "-q")  # no cache: nothing to refuse
    assert (code, output) == (0, "")


def test_folders_named_by_an_absolute_path_may_lie_behind_links(site: Site, tmp_path: Path) -> None:
    # The folders above an absolute path are the machine's (/tmp is a link on macOS).
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "via").symlink_to(real)
    site.article("a.md", title="A")
    result = site.run("build", "--output", str(tmp_path / "via" / "feeds"))
    assert result.exit_code == 0, result.output
    assert (real / "feeds" / "atom.xml").is_file()


def test_the_library_refuses_too(tmp_path: Path, elsewhere: Path) -> None:
    (tmp_path / "feeds").symlink_to(elsewhere)
    with pytest.raises(PublishError, match="is a symlink"):
        write_files(tmp_path / "feeds", {"atom.xml": b"<feed/>"})
    assert (elsewhere / "atom.xml").read_text() == "not a feed, a user's file\n"


@pytest.mark.parametrize(
    ("spelled", "found"),
    [
        ("real/link/deeper", "real/link"),
        ("./real//link/./deeper/", "real/link"),
        ("link", "link"),
        ("real/deeper", None),
        (".", None),
    ],
)
def test_every_folder_of_a_relative_path_is_looked_at_however_it_is_spelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelled: str, found: str | None
) -> None:
    from feedtool.safefile import linked_folder

    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere" / "deeper").mkdir(parents=True)
    (tmp_path / "real" / "deeper").mkdir(parents=True)
    (tmp_path / "real" / "link").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    for given in (spelled, Path(spelled)):
        answer = linked_folder(given, "the output folder")
        assert (str(answer[0]) if answer else None) == found
    # An absolute path: only its last part is the user's to answer for.
    assert linked_folder(tmp_path / "real" / "link" / "deeper", "x") is None
    assert linked_folder(tmp_path / "link", "x") is not None
