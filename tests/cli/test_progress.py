"""Progress: a bar for long builds at a terminal, silence in CI and pipes, -q and -v."""

from __future__ import annotations

import io
import os
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import feedtool.cli.build
from conftest import Site
from feedtool.cli import cli
from feedtool.cli.progress import Progress, wants_progress_bar
from feedtool.model import BuildStep


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("tty", "env", "wanted"),
    [
        (True, {}, True),
        (True, {"CI": ""}, True),
        (True, {"CI": "false"}, True),
        (True, {"CI": "true"}, False),
        (True, {"CI": "1"}, False),
        (False, {}, False),
    ],
)
def test_wants_progress_bar(tty: bool, env: dict[str, str], wanted: bool) -> None:
    stream = FakeTerminal() if tty else io.StringIO()
    assert wants_progress_bar(stream, env) is wanted


def test_bar_appears_only_once_the_build_is_slow() -> None:
    clock = FakeClock()
    terminal = FakeTerminal()
    progress = Progress(bar=True, verbose=False, stream=terminal, delay=0.5, clock=clock)
    for done in range(1, 4):
        progress(BuildStep("read", f"content/{done}.md", done, 10))
    assert terminal.getvalue() == ""  # a quick build says nothing
    clock.now += 1
    for done in range(4, 11):
        progress(BuildStep("read", f"content/{done}.md", done, 10))
    progress.close()
    shown = terminal.getvalue()
    assert "Reading articles" in shown and "100%" in shown


def test_quick_build_shows_no_bar() -> None:
    terminal = FakeTerminal()
    progress = Progress(bar=True, verbose=False, stream=terminal)
    progress(BuildStep("read", "content/a.md", 1, 1))
    progress.close()
    assert terminal.getvalue() == ""


def test_build_at_a_terminal_draws_the_bar(
    site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole command with stderr a terminal and CI unset (delay 0 to make it 'long')."""
    for number in range(5):
        site.article(f"{number}.md", title=f"Post {number}")
    terminal = FakeTerminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(feedtool.cli.build, "Progress", partial(Progress, delay=0))
    args = ["build", "--content", str(site.content), "--output", str(site.output)]
    args += ["--config", str(site.config_path)]
    with pytest.raises(SystemExit) as done:
        cli.main(args, prog_name="feedtool")
    assert done.value.code == 0
    assert "Reading articles" in terminal.getvalue() and "100%" in terminal.getvalue()
    assert "5 article(s) published" in capsys.readouterr().out
    monkeypatch.setenv("CI", "true")
    terminal.seek(0)
    terminal.truncate()
    with pytest.raises(SystemExit):
        cli.main(args, prog_name="feedtool")
    assert "Reading articles" not in terminal.getvalue()  # in CI: no bar


def test_not_a_terminal_no_bar(site: Site) -> None:
    site.article("a.md")
    result = site.run("build")
    assert result.exit_code == 0
    assert "Reading articles" not in result.output


def test_quiet_prints_only_problems(site: Site) -> None:
    site.article("a.md")
    assert site.run("build", "-q").output == ""
    assert site.run("build", "-q", "--check").output == ""
    site.write("bad.md", "---\ntitle: x\n---\n", dedent=False)
    result = site.run("build", "-q")
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "bad.md: date: is required" in result.output


def test_verbose_tells_each_file(site: Site) -> None:
    site.article("a.md", title="A")
    site.article("d.md", title="D", draft="true")
    site.article("f.md", title="F", date="2030-01-01T00:00:00Z")
    result = site.run("build", "-v", "--now", "2026-01-01T00:00:00Z")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for name in ("a.md", "d.md", "f.md"):
        assert f"read {site.content / name}" in lines
    assert f"draft, left out: {site.content / 'd.md'}" in lines
    assert f"scheduled for 2030-01-01T00:00:00+00:00: {site.content / 'f.md'}" in lines
    assert f"wrote {site.output / 'atom.xml'}" in lines
    again = site.run("build", "-v", "--now", "2026-01-01T00:00:00Z").output.splitlines()
    assert f"unchanged {site.output / 'rss.xml'}" in again
    check = site.run("build", "-v", "--check", "--now", "2026-01-01T00:00:00Z").output
    assert f"up to date: {site.output / 'rss.xml'}" in check.splitlines()


def test_quiet_and_verbose_together_is_a_usage_error(site: Site) -> None:
    assert site.run("build", "-q", "-v").exit_code == 2


def test_build_function_reports_each_file(site: Site, tmp_path: Path) -> None:
    for name in ("a.md", "b.md", "sub/c.md"):
        site.article(name, title=name)
    steps: list[BuildStep] = []
    site.build(progress=steps.append)
    read = [s for s in steps if s.stage == "read"]
    assert [(s.stage, s.done, s.total) for s in read] == [("read", n, 3) for n in (1, 2, 3)]
    assert sorted(Path(s.item).name for s in read) == ["a.md", "b.md", "c.md"]


def test_articles_from_the_cache_are_one_step(site: Site, tmp_path: Path) -> None:
    # An edit of one article of a big site finds every other one in the cache: one step
    # for all of them (a call each cost more than checking them), then one per file
    # read; the count still ends at the total, for the bar.
    def read_steps(count: int) -> list[tuple[str, int, int]]:
        cache = tmp_path / f"cache-{count}"
        for number in range(count):
            site.article(f"{number:03}.md", title=f"Post {number}")
            # An hour old: the cache keeps no file changed in the last seconds.
            os.utime(site.content / f"{number:03}.md", (time.time() - 3600,) * 2)
        site.build(cache_dir=cache)
        site.article("000.md", title="Post 0, edited")
        steps: list[BuildStep] = []
        site.build(cache_dir=cache, progress=steps.append)
        return [(s.item, s.done, s.total) for s in steps if s.stage == "read"]

    assert read_steps(3) == [
        ("2 unchanged article(s), from the cache", 2, 3),
        (str(site.content / "000.md"), 3, 3),
    ]
    many = read_steps(60)
    assert len(many) == 2 and many[0][1:] == (59, 60) and many[-1][1:] == (60, 60)


def test_build_function_reports_every_stage(site: Site) -> None:
    # Reading, rendering bodies, rendering and checking feeds, writing: in that order,
    # each counting up to its total.
    for name in ("a.md", "b.md", "sub/c.md"):
        site.article(name, title=name)
    steps: list[BuildStep] = []
    site.build(progress=steps.append)
    stages = [s.stage for s in steps]
    assert sorted(set(stages), key=stages.index) == ["read", "render", "feeds", "write"]
    assert stages == sorted(stages, key=["read", "render", "feeds", "write"].index)
    for stage in ("read", "render", "feeds", "write"):
        done = [(s.done, s.total) for s in steps if s.stage == stage]
        assert done == [(n, len(done)) for n in range(1, len(done) + 1)]
    written = sorted(s.item for s in steps if s.stage == "write")
    outputs = ["atom.xml", "rss.xml", "feed.json", "index.opml", "index.html", ".feedtool-files"]
    assert written == sorted(outputs)
    assert len([s for s in steps if s.stage == "render"]) == 3
    # A second build changes nothing: nothing is written again.
    again: list[BuildStep] = []
    site.build(progress=again.append)
    assert "write" not in {s.stage for s in again}


def test_a_big_cold_build_shows_the_bar_to_the_end(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """5,000 articles, cold: the bar follows reading, rendering, checking and writing."""
    for number in range(5000):
        (site.content / f"{number:04}.md").write_text(
            f"---\ntitle: Post {number}\ndate: 2025-01-01T00:00:00Z\n---\nBody {number}.\n"
        )
    terminal = FakeTerminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(feedtool.cli.build, "Progress", partial(Progress, delay=0))
    args = ["build", "--content", str(site.content), "--output", str(site.output)]
    args += ["--config", str(site.config_path), "--cache", str(tmp_path / "cache")]
    with pytest.raises(SystemExit) as done:
        cli.main(args, prog_name="feedtool")
    assert done.value.code == 0
    shown = terminal.getvalue()
    labels = ["Reading articles", "Rendering articles", "Rendering and checking feeds"]
    labels.append("Writing feeds")
    at = [shown.find(label) for label in labels]
    assert -1 not in at and at == sorted(at), shown[-2000:]
    assert shown.rstrip().endswith("100%") or "100%" in shown[at[-1] :]


def test_each_file_is_reported_as_it_is_read(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # A progress bar must move during the build, not jump to the end after it.
    import feedtool.read.article_file

    for name in ("a.md", "b.md", "c.md"):
        site.article(name, title=name)
    events: list[str] = []
    real = feedtool.read.article_file.read_source

    def reading(source: Any, *args: Any) -> Any:
        events.append(f"read {Path(source.path).name}")
        return real(source, *args)

    monkeypatch.setattr(feedtool.read.article_file, "read_source", reading)
    site.build(
        progress=lambda step: (
            events.append(f"step {Path(step.item).name}") if step.stage == "read" else None
        )
    )
    assert events == ["read a.md", "step a.md", "read b.md", "step b.md", "read c.md", "step c.md"]
