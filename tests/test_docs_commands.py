"""Every `feedtool` command line the README and docs/ show in a fenced ``sh`` block runs.

A page is a small tutorial: its blocks run in order, in one temporary folder, as a reader
would type them (``cd`` included). The folder starts empty when the page's first command is
``feedtool init``, holds a copy of the Hugo test site as ``my-site`` for ``init --from``,
and is otherwise a site ``feedtool init`` made. Lines that are not feedtool commands (``make
test``, ``.venv/bin/pytest``...) are the developer's, not the reader's, and are left out.
A line whose comment says ``exit N`` must exit N; every other one 0. ``feedtool serve`` is
started on a free port and stopped with Ctrl-C (SIGINT) once it says it is serving.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TESTS

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^( *)```(?:sh|bash|shell)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"\bexit (\d+)\b")


def command_lines(page: Path) -> list[tuple[str, int]]:
    """The page's feedtool and cd lines, in order, each with the exit status it should give."""
    found = []
    for block in _BLOCK.finditer(page.read_text(encoding="utf-8")):
        for raw in block.group(2).splitlines():
            words = shlex.split(raw, comments=True)
            if not words or words[0] not in ("feedtool", "cd"):
                continue
            wanted = _EXIT.search(raw.partition("#")[2]) if "#" in raw else None
            found.append((shlex.join(words), int(wanted[1]) if wanted else 0))
    return found


def _script(lines: list[tuple[str, int]]) -> str:
    steps = []
    for line, wanted in lines:
        words = shlex.split(line)
        if words[0] == "cd":
            steps.append(f"{line} || exit 99")
            continue
        run = _serving(line) if words[1:2] == ["serve"] else f"{line}\nstatus=$?"
        steps.append(
            f"{run}\nif [ $status -ne {wanted} ]; then "
            f'echo {shlex.quote("FAILED: " + line)} "(exit $status, expected {wanted})" >&2; '
            "exit 1; fi"
        )
    return "\n".join(steps) + "\n"


def _serving(line: str) -> str:
    """``feedtool serve`` on a free port, stopped with Ctrl-C once it says it serves (its
    first build may take a while on a slow machine), or as soon as it exits of itself."""
    return (
        f'log=$(mktemp)\n{line} --port 0 > "$log" 2>&1 &\npid=$!\n'
        "until grep -q '^Serving ' \"$log\" || ! kill -0 $pid 2>/dev/null; do sleep 0.1; done\n"
        'kill -INT $pid 2>/dev/null\nwait $pid\nstatus=$?\ncat "$log" >&2\nrm -f "$log"'
    )


def _prepare(folder: Path, lines: list[tuple[str, int]]) -> None:
    commands = [shlex.split(line) for line, _ in lines]
    if any(words[1:3] == ["init", "--from"] for words in commands):
        shutil.copytree(
            TESTS / "data" / "sites" / "hugo", folder / "my-site", ignore=_not_the_sites
        )
    elif next((words[1] for words in commands if words[0] == "feedtool"), None) != "init":
        feedtool = Path(sys.executable).parent / "feedtool"
        subprocess.run(
            [str(feedtool), "init", ".", "--base-url", "https://docs.example.org/"],
            cwd=folder,
            check=True,
            capture_output=True,
        )


def _not_the_sites(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "expected.json"]


@pytest.mark.parametrize(
    "page", [p for p in PAGES if command_lines(p)], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_every_command_line_shown_runs(page: Path, tmp_path: Path) -> None:
    lines = command_lines(page)
    _prepare(tmp_path, lines)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
    }
    env.pop("FEEDTOOL_CONFIG", None)
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", _script(lines)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pages_show_commands_at_all() -> None:
    # The README's quick start is the tutorial most readers follow.
    readme = [line for line, _ in command_lines(ROOT / "README.md")]
    assert readme[0].startswith("feedtool init ")
    assert any(line.startswith("feedtool serve") for line in readme)


def test_a_failing_line_fails(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```sh\nfeedtool build --no-such-option\n```\n")
    lines = command_lines(page)
    assert lines == [("feedtool build --no-such-option", 0)]
    done = subprocess.run(
        ["bash", "-c", _script(lines)],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "FAILED: feedtool build --no-such-option" in done.stderr


def test_serve_is_stopped_only_once_it_serves(tmp_path: Path) -> None:
    """A first build slower than any fixed wait is not taken for a failure."""
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    fake = bin_folder / "feedtool"  # builds for 6 s; Ctrl-C before it serves is exit 130
    fake.write_text(
        f"#!{sys.executable}\nimport signal, sys, time\n"
        "signal.signal(signal.SIGINT, lambda *_: sys.exit(130))\n"
        "time.sleep(6)\nprint('Serving . at http://127.0.0.1:1/', flush=True)\n"
        "signal.signal(signal.SIGINT, lambda *_: sys.exit(0))\ntime.sleep(600)\n"
    )
    fake.chmod(0o755)
    done = subprocess.run(
        ["bash", "-c", _script([("feedtool serve", 0)])],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{bin_folder}{os.pathsep}/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Serving . at" in done.stderr
