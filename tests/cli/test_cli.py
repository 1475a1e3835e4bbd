"""The command line: exit codes, one-line messages, nothing written on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import Site
from feedtool.cli import cli
from feedtool.publish.write import MANIFEST


def test_build_then_check(site: Site) -> None:
    site.article("a.md")
    result = site.run("build", "--now", "2026-01-01T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "1 article(s) published" in result.output
    check = site.run("build", "--check", "--now", "2026-01-01T00:00:00Z")
    assert check.exit_code == 0, check.output
    assert "up to date" in check.output
    site.article("b.md", title="B")
    stale = site.run("build", "--check", "--now", "2026-01-01T00:00:00Z")
    assert stale.exit_code == 1
    assert "would change:" in stale.output and "atom.xml" in stale.output


def test_bad_content_exit_1_one_line_each_and_nothing_written(site: Site) -> None:
    site.article("good.md")
    assert site.run("build").exit_code == 0
    before = site.snapshot()
    site.write("bad1.md", "---\ntitle: x\n---\n", dedent=False)
    site.write("bad2.md", "---\ntitle: [x]\ndate: 2025-01-01\n---\n", dedent=False)
    site.article("good.md", title="Changed")
    result = site.run("build")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: ") and "bad1.md: date: is required" in lines[0]
    assert "bad2.md:2: title: expected text, got a list" in lines[1]
    assert "Traceback" not in result.output
    assert site.snapshot() == before
    assert not [p for p in site.output.iterdir() if p.name.startswith(".") and p.name != MANIFEST]


def test_bad_config_exit_1(site: Site) -> None:
    site.configure('base_url = "https://x.org"\nmystery = 1\n')
    result = site.run("build")
    assert result.exit_code == 1
    assert "mystery: unknown key" in result.output


def test_bad_usage_exit_2(site: Site) -> None:
    result = site.run("build", "--now", "whenever")
    assert result.exit_code == 2
    assert "cannot read" in result.output
    assert CliRunner().invoke(cli, ["build", "--no-such-flag"]).exit_code == 2


def test_internal_error_is_one_line_and_exit_3(site: Site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import feedtool.cli.build

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(feedtool.cli.build, "build_feeds", explode)
    result = site.run("build")
    assert result.exit_code == 3
    assert result.output.strip().splitlines() == [
        "internal error: RuntimeError: boom (this is a bug in feedtool; "
        "run again with --debug for the traceback)"
    ]


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help"
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0


def test_python_dash_m(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "feedtool", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("feedtool, version ")


def test_debug_shows_the_traceback_of_an_internal_error(site: Site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import feedtool.cli.build

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(feedtool.cli.build, "build_feeds", explode)
    result = CliRunner().invoke(
        cli,
        ["--debug", "build", "--content", str(site.content), "--output", str(site.output),
         "--config", str(site.config_path)],
    )  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert 'raise RuntimeError("boom")' in result.stderr
    assert result.stderr.splitlines()[-1].startswith("internal error: RuntimeError: boom")


def test_a_reader_that_goes_away_stops_the_build_quietly(site: Site) -> None:
    # feedtool build -v | head -1: the pipe closes under the progress lines.
    site.article("a.md")
    command = [sys.executable, "-m", "feedtool", "build", "-v", "--no-cache",
               "--content", str(site.content), "--output", str(site.output),
               "--config", str(site.config_path)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the first line is written
    with process.stderr:
        errors = process.stderr.read().decode()
    assert process.wait() == 1
    assert "internal error" not in errors and "Traceback" not in errors
    assert site.snapshot() == {} and site.leftovers() == []  # stopped before writing


def test_a_folder_with_no_feedtool_toml_is_told_about_init(tmp_path: Path) -> None:
    config = tmp_path / "feedtool.toml"
    result = CliRunner().invoke(cli, ["build", "--config", str(config)])
    assert result.exit_code == 1
    assert result.output == (
        f"error: {config}: config file not found in {tmp_path}: run feedtool init to start "
        "a site here, or give another with --config\n"
    )
