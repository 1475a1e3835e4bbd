"""The documentation: README is a short front door; docs/ documents every command and config
key, and builds with `mkdocs build --strict` (broken links and anchors are errors)."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import ROOT
from feedtool import config
from feedtool.cli import cli

DOCS = ROOT / "docs"
# ::: mkdocs-click blocks: each renders one command's --help from the code.
DIRECTIVE = re.compile(r"^::: mkdocs-click\n((?:    :\w+: .*\n)+)", re.MULTILINE)


def directives() -> list[dict[str, str]]:
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for match in DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            options = dict(re.findall(r":(\w+): (.*)", match.group(1)))
            found.append({"page": page.name, **options})
    return found


def test_every_command_has_its_generated_reference() -> None:
    documented: dict[str, click.Command] = {}
    for found in directives():
        command = getattr(importlib.import_module(found["module"]), found["command"])
        assert isinstance(command, click.Command), found
        documented[found["prog_name"]] = command
    expected = {f"feedtool {name}": command for name, command in cli.commands.items()}
    missing = sorted(expected.keys() - documented.keys())
    assert not missing, f"add a ::: mkdocs-click block for {missing} to docs/commands.md"
    assert documented == expected  # and no block names something that is not a command


def test_every_config_key_is_in_the_config_table() -> None:
    text = (DOCS / "config.md").read_text(encoding="utf-8")
    first_cells = re.findall(r"^\| (`.*?`) \|", text, re.MULTILINE)
    rows = {key for cell in first_cells for key in re.findall(r"`\[?(\w+)\]?`", cell)}
    keys = set(config._KEYS) | set(config._TABLES)  # what feedtool.toml is read with
    assert keys - rows == set(), "document these keys in docs/config.md"
    assert rows - keys == set(), "docs/config.md documents keys feedtool does not read"


def test_the_docs_build_strictly_with_every_option(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    page = (site / "commands" / "index.html").read_text(encoding="utf-8")
    for name, command in [("", cli), *cli.commands.items()]:
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                for flag in param.opts:
                    assert flag in page, f"feedtool {name} {flag}: not in the built reference"


def test_readme_is_a_short_front_door() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) < 10_000
    for step in ("init", "new", "build", "serve", "validate"):
        assert f"feedtool {step}" in readme
    # The test command README gives is the one CI runs.
    assert "make test" in readme and "\nmake test\n" in (ROOT / ".ci" / "run").read_text()
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert links and all((ROOT / link).is_file() for link in links), links


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_every_page_is_in_the_nav(page: str) -> None:
    assert f": {page}\n" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
