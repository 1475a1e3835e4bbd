"""A build with nothing to do is answered before click and the config are loaded
(cli/quick.py): the same lines as the whole way, and never when anything changed."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import feedtool.cli
from conftest import DEFAULT_CONFIG, Site
from feedtool.cache import summary
from feedtool.cache.summary import ANSWER
from feedtool.cli import quick

NOW = "2026-01-01T00:00:00Z"


def age(*paths: Path, seconds: int = 60) -> None:
    """Files written seconds ago are compared by content, never answered from stamps."""
    for path in paths:
        for each in [path, *path.rglob("*")] if path.is_dir() else [path]:
            when = each.stat().st_mtime_ns - seconds * 1_000_000_000
            os.utime(each, ns=(when, when), follow_symlinks=False)


@pytest.fixture
def ready(site: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A site with three articles (one scheduled), run from its folder."""
    site.article("a.md", title="First", tags="[python]")
    site.article("a2.md", title="Second")
    site.article("b.md", title="Later", date="2030-01-01T00:00:00Z")
    age(site.content, site.config_path)
    monkeypatch.chdir(site.root)
    return site


frozen: list[int] = []  # objects the script froze, each run (see cli/build.py)


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[bool, str, str, int]:
    """feedtool ARGV as the script runs it: (answered by quick.py, stdout, stderr, exit)."""
    answered = []
    look = quick.look

    def spy(arguments: list[str]) -> quick.Look:
        looked = look(arguments)
        answered.append(looked.answered)
        return looked

    monkeypatch.setattr(quick, "look", spy)
    monkeypatch.setattr(sys, "argv", ["feedtool", *argv])
    code = 0
    try:
        feedtool.cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        frozen.append(gc.get_freeze_count())
        gc.unfreeze()  # as the script freezes what the build made: not in the tests' process
    out, err = capsys.readouterr()
    return answered[0], out, err, code


BUILD = ("build", "--now", NOW)


def test_the_same_build_again_is_answered_with_the_same_lines(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for flags in [(), ("-q",), ("-v",), ("--check",), ("--check", "-v")]:
        first = run(monkeypatch, capsys, *BUILD, *flags)
        assert first[0] is False
        # The whole way with nothing changed, then quick.py: the same lines.
        (ready.root / ".feedtool-cache" / ANSWER).unlink()
        whole = run(monkeypatch, capsys, *BUILD, *flags)
        quick_one = run(monkeypatch, capsys, *BUILD, *flags)
        assert whole[0] is False and quick_one[0] is True, flags
        assert quick_one[1:] == whole[1:], flags
        assert "1 scheduled article(s)" in whole[1] or "-q" in flags or "--check" in flags


def test_it_loads_neither_click_nor_the_config(ready: Site) -> None:
    command = [sys.executable, "-m", "feedtool", *BUILD]
    subprocess.run(command, check=True, capture_output=True, cwd=ready.root)
    heavy = (
        "('click', 'feedtool.config', 'feedtool.pipeline', 'msgspec', 'yaml', 'lxml', 'pathlib')"
    )
    loaded = f"print(sorted(m for m in sys.modules if m in {heavy}))"
    probe = f"import sys; from feedtool.cli import main; sys.argv[0] = 'feedtool'; main(); {loaded}"
    done = subprocess.run(
        [sys.executable, "-c", probe, *BUILD], check=True, capture_output=True, cwd=ready.root
    )
    # What Python itself loads before (an editable install's import hook loads pathlib).
    start = subprocess.run([sys.executable, "-c", f"import sys; {loaded}"], capture_output=True)
    assert done.stdout.decode().splitlines()[-1] == start.stdout.decode().strip()
    assert "article(s) published; 0 of" in done.stdout.decode()


@pytest.mark.parametrize(
    "change",
    [
        "edit an article",
        "touch an article",
        "add an article",
        "remove an article",
        "edit the config",
        "touch the config only",
        "edit a feed",
        "remove a feed",
        "edit the ledger",
        "other arguments",
        "another folder",
        "other code",
        "a scheduled post comes due",
        "a damaged answer",
        "an answer for another cache",
        "a forged answer",
    ],
)
def test_anything_changed_takes_the_whole_way(
    change: str,
    ready: Site,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    argv: tuple[str, ...] = BUILD
    run(monkeypatch, capsys, *argv)
    assert run(monkeypatch, capsys, *argv)[0] is True  # nothing changed yet
    article, answer = ready.content / "a.md", ready.root / ".feedtool-cache" / ANSWER
    if change == "edit an article":
        article.write_text(article.read_text() + "More.\n")
        age(article)
    elif change == "touch an article":
        os.utime(article, ns=(0, article.stat().st_mtime_ns + 1))
    elif change == "add an article":
        ready.article("c.md", title="New")
        age(ready.content / "c.md")
    elif change == "remove an article":
        article.unlink()
    elif change == "edit the config":
        ready.configure(DEFAULT_CONFIG.replace("Test site", "Another title"))
        age(ready.config_path)
    elif change == "touch the config only":
        # The same bytes, but another time: the whole way (which leaves a new answer).
        os.utime(ready.config_path, ns=(0, ready.config_path.stat().st_mtime_ns - 10**9))
    elif change == "edit a feed":
        (ready.output / "rss.xml").write_bytes(b"<rss/>")
    elif change == "remove a feed":
        (ready.output / "atom.xml").unlink()
    elif change == "edit the ledger":
        ledger = ready.root / "feedtool.ids"
        ledger.write_text(ledger.read_text() + "\n")
    elif change == "other arguments":
        argv = (*BUILD, "-q")
    elif change == "another folder":
        elsewhere = tmp_path_factory.mktemp("elsewhere")
        argv = (*BUILD, "--content", str(ready.content), "--output", str(ready.output))
        argv += ("--config", str(ready.config_path), "--cache", str(answer.parent))
        run(monkeypatch, capsys, *argv)
        assert run(monkeypatch, capsys, *argv)[0] is True
        monkeypatch.chdir(elsewhere)
    elif change == "other code":
        monkeypatch.setattr(summary, "code_key", lambda: "another")
    elif change == "a scheduled post comes due":
        argv = ("build",)  # the clock's time
        run(monkeypatch, capsys, *argv)
        assert run(monkeypatch, capsys, *argv)[0] is True
        monkeypatch.setattr(time, "time", lambda: 1_893_456_000.0)  # 2030-01-01
    elif change == "a damaged answer":
        answer.write_bytes(answer.read_bytes()[:-20])
    elif change == "an answer for another cache":
        data = answer.read_bytes().split(b"\n", 1)
        record = json.loads(data[1])
        record["cache"] = "elsewhere"
        answer.write_bytes(data[0] + b"\n" + json.dumps(record).encode())
    elif change == "a forged answer":  # a terminal's escape sequence, which no line has
        data = answer.read_bytes().split(b"\n", 1)
        record = json.loads(data[1])
        record["stderr"] = "\x1b]0;owned\x07\n"
        answer.write_bytes(data[0] + b"\n" + json.dumps(record).encode())
    answered, _, err, code = run(monkeypatch, capsys, *argv)
    assert answered is False
    assert code == 0 and "error" not in err  # a build that ran, not one that failed


@pytest.mark.parametrize("flags", [("--no-cache",), ("--ping",)], ids=["no cache", "ping"])
def test_nothing_is_left_to_answer_for(
    flags: tuple[str, ...],
    ready: Site,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if "--ping" in flags:
        ready.configure(hub="http://127.0.0.1:9/")  # nothing listens: a warning, not an error
        age(ready.config_path)
    run(monkeypatch, capsys, *BUILD, *flags)
    run(monkeypatch, capsys, *BUILD, *flags)
    assert not (ready.root / ".feedtool-cache" / ANSWER).exists()


def test_the_placeholder_base_url_is_always_told_the_whole_way(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from feedtool.config import PLACEHOLDER_BASE_URL

    ready.configure(DEFAULT_CONFIG.replace("https://example.org/blog/", PLACEHOLDER_BASE_URL))
    age(ready.config_path)
    run(monkeypatch, capsys, *BUILD)
    answered, _, err, _ = run(monkeypatch, capsys, *BUILD)
    assert answered is False and PLACEHOLDER_BASE_URL in err


def test_the_script_leaves_what_a_build_made_out_of_the_collectors_passes(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(monkeypatch, capsys, *BUILD, "--no-cache")  # the whole way, as the script
    assert frozen[-1] > 0 and gc.isenabled()
    assert run(monkeypatch, capsys, *BUILD)[0] is False  # the whole way again: the same
    assert frozen[-1] > 0
    assert run(monkeypatch, capsys, *BUILD)[0] is True  # answered: frozen too, for the exit
    assert frozen[-1] > 0 and gc.isenabled()


def test_a_build_after_the_quick_check_lists_and_hashes_the_content_folder_once(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from feedtool.read import sources

    run(monkeypatch, capsys, *BUILD)
    walks: list[str] = []
    hashed: list[int] = []
    walk, digest = sources.walk, summary._state_key

    def walked(content_dir: Path, *rest: Any) -> sources.Listing:
        walks.append(str(content_dir))
        return walk(content_dir, *rest)

    def hashing(fingerprint: str, options: tuple[object, ...], listing: Any) -> str:
        hashed.append(len(listing))
        return digest(fingerprint, options, listing)

    monkeypatch.setattr(sources, "walk", walked)
    monkeypatch.setattr(summary, "_state_key", hashing)
    article = ready.content / "a.md"
    article.write_text(article.read_text() + "More.\n")
    age(article)
    answered, out, _, code = run(monkeypatch, capsys, *BUILD)
    assert (answered, code) == (False, 0) and "wrote" in out
    # The quick check's listing and key, used by the build's cache.
    assert walks == ["content"] and len(hashed) == 1
    walks.clear()
    assert run(monkeypatch, capsys, *BUILD)[0] is True  # and that key answers the next run
    assert walks == ["content"]


def test_a_listing_is_hashed_anew_unless_it_is_the_very_list_hashed_last() -> None:
    listing = [("content/a.md", 10, 1, 2), ("content/b.md", 20, 3, 4)]
    key = summary.state_key("f", ("content", "feeds", False), listing)
    assert summary.state_key("f", ("content", "feeds", False), listing) == key
    assert summary.state_key("f", ("content", "feeds", False), list(listing)) == key
    changed = [listing[0], ("content/b.md", 21, 3, 4)]
    assert summary.state_key("f", ("content", "feeds", False), changed) != key
    assert summary.state_key("f", ("content", "feeds", True), listing) != key
    assert summary.state_key("g", ("content", "feeds", False), listing) != key


def test_an_answer_is_never_given_from_another_builds_state(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A build through the library (or with --ping) leaves another state and no answer:
    # the answer left before must not be printed for it.
    from feedtool.config import load_config
    from feedtool.pipeline import BuildOptions, build, open_cache

    run(monkeypatch, capsys, *BUILD)
    ready.article("c.md", title="Third")
    age(ready.content / "c.md")
    # Spelled as the command line spells them, so that it asks the very same question.
    config = load_config(Path("feedtool.toml"))
    cache = open_cache(Path(".feedtool-cache"), config)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    options = BuildOptions(now=now, cache=cache, ledger=Path("feedtool.ids"))
    build(Path("content"), Path("feeds"), config, options)
    answered, out, _, _ = run(monkeypatch, capsys, *BUILD)
    assert answered is False and out.startswith("3 article(s) published; 0 of")


def test_the_quick_answer_is_what_a_build_without_the_cache_prints(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(monkeypatch, capsys, *BUILD)
    answered, *quick_one = run(monkeypatch, capsys, *BUILD)
    assert answered is True
    assert quick_one == list(run(monkeypatch, capsys, *BUILD, "--no-cache")[1:])


def test_a_config_file_written_again_with_the_same_bytes_is_another_file(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As a checkout writes it: an answer from another checkout (a committed cache
    # folder) never names this very file, whatever it says.
    run(monkeypatch, capsys, *BUILD)
    text = ready.config_path.read_bytes()
    ready.config_path.unlink()
    ready.config_path.write_bytes(text)
    age(ready.config_path)
    assert run(monkeypatch, capsys, *BUILD)[0] is False
    assert run(monkeypatch, capsys, *BUILD)[0] is True  # answered again from then on


def test_an_answer_naming_another_config_file_is_no_answer(
    ready: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(monkeypatch, capsys, *BUILD)
    answer = ready.root / ".feedtool-cache" / ANSWER
    header, body = answer.read_bytes().split(b"\n", 1)
    record = json.loads(body)
    elsewhere = ready.root / "other.toml"
    elsewhere.write_bytes(ready.config_path.read_bytes())
    age(elsewhere)
    info = elsewhere.stat()
    record["config"] = str(elsewhere)
    record["config_stamp"] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    answer.write_bytes(header + b"\n" + json.dumps(record).encode())
    assert run(monkeypatch, capsys, *BUILD)[0] is False  # build reads feedtool.toml


def test_a_closed_stdout_takes_the_whole_way_without_a_traceback(ready: Site) -> None:
    command = [sys.executable, "-m", "feedtool", *BUILD]
    subprocess.run(command, check=True, capture_output=True, cwd=ready.root)
    closed = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *command], capture_output=True, cwd=ready.root
    )
    assert b"Traceback" not in closed.stderr
    assert closed.returncode == 0
