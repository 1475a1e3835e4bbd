"""The feedtool script (cli.run) ends a build's process at once, once its output is
flushed: the same lines and exit status as Python's own exit gave, without its teardown."""

from __future__ import annotations

import atexit
import gc
import io
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

import feedtool.cli
from conftest import Site
from feedtool.cache.store import DiskCache
from feedtool.pipeline import BuildResult

NOW = "2026-01-01T00:00:00Z"


class Ended(Exception):
    """What os._exit raises here: the process is the tests'."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class Output(io.StringIO):
    def __init__(self, *, broken: bool = False) -> None:
        super().__init__()
        self.broken, self.flushed = broken, False

    def flush(self) -> None:
        if self.broken:
            raise BrokenPipeError(32, "Broken pipe")
        self.flushed = True


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    ended: list[int] = []

    def end(code: int) -> None:
        ended.append(code)
        raise Ended(code)

    monkeypatch.setattr(os, "_exit", end)
    # The tests' own process has exit handlers (pytest's): these tests are about the rest.
    monkeypatch.setattr(feedtool.cli, "_nothing_left_at_exit", lambda: True)
    yield ended
    gc.unfreeze()  # as the script freezes what the build made: not in the tests' process


def run(site: Site, monkeypatch: pytest.MonkeyPatch, *argv: str) -> None:
    monkeypatch.chdir(site.root)
    monkeypatch.setattr(sys, "argv", ["feedtool", *argv])
    feedtool.cli.run()


def test_a_build_ends_its_process_once_its_output_is_flushed(
    site: Site, monkeypatch: pytest.MonkeyPatch, ran: list[int]
) -> None:
    site.article("post.md")
    out, err = Output(), Output()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    with pytest.raises(Ended):
        run(site, monkeypatch, "build", "--now", NOW)
    assert ran == [0] and out.flushed and err.flushed
    assert "1 article(s) published" in out.getvalue()


def test_a_failed_build_ends_with_its_status(
    site: Site, monkeypatch: pytest.MonkeyPatch, ran: list[int]
) -> None:
    site.write("bad.md", "---\ntitle: No date\n---\nBody.\n")
    monkeypatch.setattr(sys, "stderr", Output())
    with pytest.raises(Ended):
        run(site, monkeypatch, "build", "--now", NOW)
    assert ran == [1]


def test_output_that_cannot_be_flushed_ends_as_python_ends_it(
    site: Site, monkeypatch: pytest.MonkeyPatch, ran: list[int]
) -> None:
    site.article("post.md")
    monkeypatch.setattr(sys, "stdout", Output(broken=True))
    with pytest.raises(SystemExit) as ended:
        run(site, monkeypatch, "build", "-q", "--now", NOW)  # quiet: only run() flushes
    assert ended.value.code == 0 and ran == []  # Python's exit then reports the pipe


def test_other_commands_end_as_python_ends_them(
    site: Site, monkeypatch: pytest.MonkeyPatch, ran: list[int]
) -> None:
    monkeypatch.setattr(sys, "stdout", Output())
    with pytest.raises(SystemExit) as ended:
        run(site, monkeypatch, "--version")
    assert ended.value.code == 0 and ran == []


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["build", "--now", NOW], 0),
        (["build", "--now", NOW, "--check"], 0),  # up to date after the first
        (["build", "--no-such-option"], 2),
    ],
)
def test_the_script_gives_every_line_and_status(site: Site, argv: list[str], status: int) -> None:
    for number in range(30):
        site.article(f"post-{number:02d}.md", title=f"Post {number}")
    subprocess.run(
        [sys.executable, "-m", "feedtool", "build", "--now", NOW],
        cwd=site.root,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "feedtool", *argv], cwd=site.root, capture_output=True, text=True
    )
    assert done.returncode == status, done.stderr
    if status == 0:
        assert done.stdout.rstrip("\n").endswith(("file(s) changed in feeds.", "files)."))
    else:
        assert "No such option" in done.stderr


def test_a_build_leaves_no_exit_handler_that_ending_at_once_would_skip(site: Site) -> None:
    for number in range(30):
        site.article(f"post-{number:02d}.md", title=f"Post {number}", tags="[a, b]")
    probe = (
        "import atexit, sys; from feedtool.cli import main; sys.argv[0] = 'feedtool'\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('handlers', atexit._ncallbacks())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "build", "--now", NOW],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "handlers 0"


def test_an_exit_handler_or_a_profiler_gets_python_s_own_exit(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.article("post.md")
    for number in range(30):
        site.article(f"post-{number:02d}.md", title=f"Post {number}")
    # A profiler reports at exit: python -m cProfile prints its table after the build.
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-s", "ncalls", "-m", "feedtool", "build", "-q"]
        + ["--now", NOW],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "function calls" in done.stdout
    handler = lambda: None  # noqa: E731
    atexit.register(handler)
    try:
        assert not feedtool.cli._nothing_left_at_exit()
    finally:
        atexit.unregister(handler)


def test_the_script_holds_what_the_build_made_until_the_process_ends(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Held by run() until os._exit, it is never taken apart object by object.
    site.article("post.md")
    monkeypatch.chdir(site.root)
    monkeypatch.setattr(sys, "argv", ["feedtool", "build", "-q", "--now", NOW])
    kept: list[object] = []
    try:
        with pytest.raises(SystemExit):
            feedtool.cli._main(kept)
    finally:
        gc.unfreeze()
    (result,) = [held for held in kept if isinstance(held, BuildResult)]
    assert "rss.xml" in result.files
    assert any(isinstance(held, DiskCache) for held in kept)  # its articles, by far the most
