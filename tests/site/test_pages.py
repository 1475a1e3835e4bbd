"""Where GitHub Pages serves a plain site's feeds, said by the first build (issue 23 item 5)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from feedtool.cli import cli
from feedtool.site.pages import pages_address, pages_url


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/Ann/notes.git", "https://ann.github.io/notes/"),
        ("https://github.com/Ann/notes", "https://ann.github.io/notes/"),
        ("git@github.com:ann/notes.git", "https://ann.github.io/notes/"),
        ("ssh://git@github.com/ann/my.blog.git", "https://ann.github.io/my.blog/"),
        ("https://x-access-token:t@github.com/ann/notes", "https://ann.github.io/notes/"),
        ("https://github.com/Ann/ann.github.io.git", "https://ann.github.io/"),
        ("https://gitlab.com/ann/notes.git", None),
        ("/srv/git/notes.git", None),
    ],
)
def test_pages_address_from_the_origin_remote(
    tmp_path: Path, remote: str, expected: str | None
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", remote], check=True)
    (tmp_path / "site").mkdir()
    assert pages_address(tmp_path / "site", {}) == expected


def test_github_actions_names_the_repository(tmp_path: Path) -> None:
    environ = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "Ann/notes"}
    assert pages_address(tmp_path, environ) == "https://ann.github.io/notes/"
    assert pages_address(tmp_path, {}) is None  # no git, no Actions: nothing to say
    assert pages_url("Org", "org.github.io") == "https://org.github.io/"


def test_the_first_build_says_where_the_feeds_will_be_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0  # no --base-url
    subprocess.run(["git", "init", "-q", "."], check=True)
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:ann/notes.git"], check=True)
    built = runner.invoke(cli, ["build", "--no-cache"])
    assert built.exit_code == 0, built.output
    assert (
        "warning: feedtool.toml: the workflow feedtool init wrote serves the feeds on GitHub "
        'Pages at https://ann.github.io/notes/: set base_url = "https://ann.github.io/notes/"'
    ) in built.output
    # Once base_url is set, nothing more is said.
    config = Path("feedtool.toml")
    config.write_text(
        config.read_text().replace("https://example.org/", "https://ann.github.io/notes/")
    )
    built = runner.invoke(cli, ["build", "--no-cache"])
    assert "GitHub Pages" not in built.output
