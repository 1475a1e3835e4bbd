"""Input nested past what a recursive parser can hold is one error line naming its file,
never an internal error (issue 22, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from feedtool.cli import cli

PELICANCONF = 'SITENAME = "Deep"\nSITEURL = "https://deep.example.org"\nTIMEZONE = "UTC"\n'
TOO_DEEP = (
    "its body nests blocks (block quotes, lists) too deeply to render; "
    "flatten the nesting to a few dozen levels"
)


def in_folder(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(folder)
    return CliRunner().invoke(cli, list(args))


def quotes(levels: int) -> str:
    """reST with ``levels`` block quotes inside each other (200: about 40 KB)."""
    return "".join("  " * level + "para\n\n" for level in range(levels))


def bullets(levels: int) -> str:
    return "".join("    " * level + "- item\n\n" for level in range(levels))


@pytest.fixture
def pelican(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICANCONF)
    (site / "content" / "fine.rst").write_text("Fine\n####\n\n:date: 2026-01-03 10:00\n\nok\n")
    result = in_folder(site, monkeypatch, "init", "--from", ".")
    assert result.exit_code == 0, result.output
    return site


@pytest.mark.parametrize("body", [quotes(200), bullets(200)], ids=["block quotes", "lists"])
def test_deeply_nested_rest_is_an_error_naming_the_file(
    pelican: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    deep = pelican / "content" / "deep.rst"
    deep.write_text("Deep\n####\n\n:date: 2026-01-02 10:00\n\n" + body)
    assert 40_000 <= deep.stat().st_size <= 90_000
    now = "2026-02-01T00:00:00Z"
    result = in_folder(pelican, monkeypatch, "build", "--no-cache", "--now", now)
    assert (result.exit_code, result.output) == (1, f"error: content/deep.rst: {TOO_DEEP}\n")
    result = in_folder(pelican, monkeypatch, "build", "--no-cache", "--now", now, "--keep-going")
    assert result.exit_code == 0, result.output
    assert f"warning: content/deep.rst: {TOO_DEEP} (skipped)\n" in result.output
    assert "1 article(s) published, 1 skipped" in result.output


def test_rest_nested_a_few_dozen_deep_still_renders(
    pelican: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (pelican / "content" / "deep.rst").write_text(
        "Deep\n####\n\n:date: 2026-01-02 10:00\n\n" + quotes(30)
    )
    result = in_folder(pelican, monkeypatch, "build", "--no-cache", "--now", "2026-02-01T00:00Z")
    assert result.exit_code == 0, result.output
    assert "2 article(s) published" in result.output


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("-" * 100_000 + "1", 8),  # the parser's stack: MemoryError
        ("+".join(["1"] * 100_000), 8),  # RecursionError
    ],
    ids=["unary minus", "sum"],
)
def test_a_pelicanconf_too_deep_to_parse_is_an_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, line: int
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    conf = PELICANCONF + "if True:\n    A = 1\nelse:\n    A = 2\n" + f"X = {value}\nZ = 1\n"
    (site / "pelicanconf.py").write_text(conf)
    result = in_folder(tmp_path, monkeypatch, "init", "--from", "site")
    assert (result.exit_code, result.output) == (
        1,
        f"error: site/pelicanconf.py:{line}: has an expression nested too deeply for Python to "
        "parse; write the value plainly (feedtool reads only literal values here)\n",
    )
    assert not (site / "feedtool.toml").exists()
