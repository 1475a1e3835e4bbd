"""Ctrl-C and SIGTERM while a build publishes: every file as it was, no temporary file.

Real signals, sent to a real `feedtool build` process at exact moments: the process
runs a small wrapper that sends the signal to itself right after the Nth rename (or
the Nth temporary file written), which is where an interrupt used to leave a mix of
new and old feeds.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Site

WRAPPER = """
import os, signal, sys, threading
stage, at, signum = sys.argv[1], int(sys.argv[2]), getattr(signal, sys.argv[3])
times = 2 if stage.endswith("twice") else 1
sys.argv = ["feedtool", *sys.argv[4:]]
count = 0
lock = threading.Lock()

def hit():
    global count
    with lock:
        count += 1
        if count == at:
            for _ in range(times):
                os.kill(os.getpid(), signum)

if stage.startswith("rename"):
    real_replace = os.replace

    def replace(source, target):
        real_replace(source, target)
        hit()

    os.replace = replace
else:
    from feedtool.publish import staging

    real_write_temp = staging.write_temp

    def write_temp(*args, **kwargs):
        path = real_write_temp(*args, **kwargs)
        hit()  # in one of the threads that write the temporary files
        return path

    staging.write_temp = write_temp

from feedtool.cli import main
main()
"""

ARTICLES = 6


def _site(site: Site, version: str) -> None:
    site.configure(feeds_per=["tags"])
    for n in range(ARTICLES):
        site.article(f"a{n}.md", title=f"Article {n} {version}", tags=f"[t{n}, all]")


def _build_interrupted(site: Site, stage: str, at: int, signum: signal.Signals) -> tuple[int, str]:
    args = ["build", "--no-cache", "--now", "2026-01-01T00:00:00Z"]
    args += ["--content", str(site.content), "--output", str(site.output)]
    args += ["--config", str(site.config_path)]
    process = subprocess.run(
        [sys.executable, "-c", WRAPPER, stage, str(at), signum.name, *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return process.returncode, process.stderr


@pytest.fixture
def published(site: Site) -> dict[str, bytes]:
    """A site built once; then every article changes, so every file is to be rewritten."""
    _site(site, "old")
    site.build()
    before = site.snapshot()
    _site(site, "new")
    return before


# Three feeds for the site and for each tag (t0..t5 and "all"), and the page for people
# (index.html); OPML and manifest stay.
CHANGED = 3 * (1 + ARTICLES + 1) + 1


def test_every_feed_changes(site: Site, published: dict[str, bytes]) -> None:
    result = site.build(check=True)
    assert len(result.changed) == CHANGED


STOPPED = (
    "stopped by {}: no feed was left half-written (the output has the last complete build's files)"
)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize(
    ("stage", "at"),
    [
        ("stage", 1),  # while the temporary files are being written
        ("stage", CHANGED - 1),
        # A second signal stops at once, even while the files are renamed into place.
        ("rename-twice", 1),  # right after the first rename
        ("rename-twice", CHANGED // 2),
        ("rename-twice", CHANGED),  # right after the last one
    ],
)
def test_a_stop_signal_while_publishing_leaves_the_old_feeds(
    site: Site, published: dict[str, bytes], stage: str, at: int, signum: signal.Signals
) -> None:
    status, stderr = _build_interrupted(site, stage, at, signum)
    assert status == 128 + signum, stderr
    assert site.snapshot() == published
    assert site.leftovers() == []
    assert stderr.strip().splitlines() == [STOPPED.format(signum.name)]
    # And the next build publishes the new feeds as usual.
    assert site.run("build", "--no-cache").exit_code == 0
    assert b"Article 0 new" in (site.output / "atom.xml").read_bytes()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("at", [1, CHANGED])
def test_one_stop_signal_once_every_file_is_staged_lets_the_build_finish(
    site: Site, published: dict[str, bytes], at: int, signum: signal.Signals
) -> None:
    """The renames take no time, and stopping in the middle is what must never be: a
    signal then is noted, and the build ends with every feed new."""
    status, stderr = _build_interrupted(site, "rename", at, signum)
    assert status == 0, stderr
    assert stderr.strip().splitlines() == [
        f"{signum.name} came as the feeds were put in place: this build finished "
        "(every feed is new)"
    ]
    assert b"Article 0 new" in (site.output / "atom.xml").read_bytes()
    assert site.leftovers() == []
    site.configure(feeds_per=["tags"])
    assert site.build(check=True).changed == []


def test_handlers_are_put_back_after_the_command(site: Site) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    _site(site, "old")
    assert site.run("build", "--no-cache").exit_code == 0
    assert {s: signal.getsignal(s) for s in before} == before


def test_the_library_sets_no_handler(site: Site) -> None:
    """build() itself leaves signal handling to whoever runs it (STYLE.md)."""
    source = Path(__file__).parents[2] / "feedtool"
    users = sorted(
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "signal.signal(" in path.read_text(encoding="utf-8")
    )
    # parallel.py only in the forked children it starts (they are not the library's caller).
    assert users == ["cli/interrupts.py", "parallel.py"]


AFTER = """
import os, signal, sys
SIGNAL = sys.argv[1]
sys.argv = ["feedtool", *sys.argv[2:]]
from feedtool.cli import main
try:
    main()
finally:  # the command is done, its status decided: the process is about to end
    os.kill(os.getpid(), getattr(signal, SIGNAL))
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_after_the_command_leaves_its_exit_status(
    site: Site, signum: signal.Signals
) -> None:
    _site(site, "old")
    args = ["build", "--no-cache", "--now", "2026-01-01T00:00:00Z"]
    args += ["--content", str(site.content), "--output", str(site.output)]
    args += ["--config", str(site.config_path)]
    process = subprocess.run(
        [sys.executable, "-c", AFTER, signum.name, *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
