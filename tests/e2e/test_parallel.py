"""Work split between processes gives exactly what one process gives, failures included."""

from __future__ import annotations

import os
import sys
import threading
import time
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import feedtool.render.formats
from conftest import DEFAULT_CONFIG, NOW, Site, options
from feedtool import parallel
from feedtool.config import load_config
from feedtool.errors import FeedtoolError, ManyErrors
from feedtool.model import ARTICLE_TIMES
from feedtool.pipeline import build
from feedtool.read import metadata as loader
from feedtool.read.article_file import read_source
from feedtool.read.readers import reader_for
from feedtool.read.record import Loaded
from feedtool.read.sources import Source
from feedtool.read.transport import LoadedAsJson, Outcome

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="work is split only on Linux"
)


@pytest.fixture(autouse=True)
def three_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the machine has: two children besides this process, so each path is taken.
    monkeypatch.setattr(parallel, "processes", lambda: 3)
    # Work is never forked while another thread runs (parallel.can_fork): a thread an
    # earlier test started (a test server's) is given a moment to end, and one that does
    # not fails these tests at once (each would wait for children that never come).
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(timeout=5)
    if not parallel.can_fork():
        pytest.fail(f"threads an earlier test left running: {threading.enumerate()}")


def square(number: int) -> int:
    return number * number


def test_results_come_back_in_order_from_every_process(tmp_path: Path) -> None:
    seen = tmp_path / "pids"

    deadline = time.monotonic() + 20  # for the whole split: unsplit, 100 waits would be long

    def pid_once_all_are_working(_: int) -> int:
        # Each process notes itself, then waits (a while at most) until all three have
        # some of the work: the split is shown, whatever else the machine is doing.
        with seen.open("a") as file:
            file.write(f"{os.getpid()}\n")
        while len(set(seen.read_text().split())) < 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        return os.getpid()

    items = list(range(100))
    pids = parallel.split_map(pid_once_all_are_working, items, min_items=2)
    assert len(set(pids)) == 3  # split three ways
    assert parallel.split_map(square, items, min_items=2) == [n * n for n in items]


def test_progress_is_told_of_every_item_once() -> None:
    seen: list[int] = []
    parallel.split_map(square, list(range(50)), min_items=2, on_done=seen.append)
    assert sorted(seen) == list(range(50))


def test_few_items_stay_in_this_process() -> None:
    pids = parallel.split_map(lambda _: os.getpid(), list(range(10)), min_items=100)
    assert set(pids) == {os.getpid()}


def test_a_child_that_dies_costs_only_time(tmp_path: Path) -> None:
    parent = os.getpid()

    def die_in_children(number: int) -> int:
        if os.getpid() != parent:
            (tmp_path / f"died-{os.getpid()}").touch()  # shows a child did die
            os._exit(3)  # a crash: no exception, no results
        deadline = time.monotonic() + 20  # this process waits (a while at most) for one
        while not any(tmp_path.glob("died-*")) and time.monotonic() < deadline:
            time.sleep(0.005)
        return number + 1

    items = list(range(60))
    assert parallel.split_map(die_in_children, items, min_items=2) == [n + 1 for n in items]
    assert list(tmp_path.glob("died-*")), "no child took work, so none died"


def test_a_child_that_dies_midway_keeps_what_it_sent() -> None:
    parent = os.getpid()

    def die_late(number: int) -> int:
        time.sleep(0.001)
        if number >= 150 and os.getpid() != parent:
            os._exit(3)  # after sending results for earlier chunks
        return number * 2

    items = list(range(200))
    assert parallel.split_map(die_late, items, min_items=2) == [n * 2 for n in items]


def test_an_error_in_a_child_is_raised_here() -> None:
    def fail_on_last(number: int) -> int:
        if number == 59:  # in the last child's slice
            raise ValueError("item 59 is bad")
        return number

    with pytest.raises(ValueError, match="item 59 is bad"):
        parallel.split_map(fail_on_last, list(range(60)), min_items=2)


def test_the_first_failing_item_is_the_one_raised_whoever_took_it() -> None:
    def fail_twice(number: int) -> int:
        time.sleep(0.001)  # every process takes some of the work
        if number in (5, 95):
            raise ValueError(f"item {number} is bad")
        return number

    for _ in range(5):  # the same answer every time, as without children
        with pytest.raises(ValueError, match="item 5 is bad"):
            parallel.split_map(fail_twice, list(range(100)), min_items=2)


def test_nothing_is_split_while_threads_run() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        pids = parallel.split_map(lambda _: os.getpid(), list(range(100)), min_items=2)
        job = parallel.Background(lambda: None)
        assert set(pids) == {os.getpid()} and job.pid == 0  # done here, at once
    finally:
        release.set()
        thread.join()


def test_no_child_is_left_behind_after_an_error_here() -> None:
    def fail_here(number: int) -> int:
        if number == 0:
            raise KeyError("first")
        return number

    with pytest.raises(KeyError):
        parallel.split_map(fail_here, list(range(60)), min_items=2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child was reaped


def test_split_reading_gives_the_same_articles_and_problems(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(40):
        site.write(
            f"post-{number:02d}.md",
            f"---\ntitle: Post {number}\ndate: 2025-01-{number % 28 + 1:02d}\n"
            f"tags: [t{number % 3}]\n---\nBody {number}.\n",
        )
    site.write("bad-1.md", "---\ntitle: No date\n---\nBody.\n")
    site.write("zz-bad-2.md", "---\ndate: 2025-01-01\n---\nNo title.\n")
    config = load_config(site.config_path)

    def read() -> tuple[list[object], list[str]]:
        articles, problems = loader.load_articles(site.content, config, keep_going=True)
        return list(articles), [str(p) for p in problems]

    one = read()
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 2)
    assert read() == one
    assert len(one[0]) == 40 and len(one[1]) == 2

    with pytest.raises(FeedtoolError):
        build(
            site.content, site.output, config, options(config, NOW)
        )  # the bad ones fail a build, split or not


def test_split_rendering_and_validating_give_the_same_files(
    site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Enough entries (> output.SPLIT_MIN_ENTRIES) and files (> validate's SPLIT_MIN_FILES)
    # for every stage to be split.
    site.configure(formats=["rss", "atom", "json"], feeds_per=["tags"], limit=40)
    for number in range(90):
        site.article(
            f"post-{number:02d}.md",
            title=f"Post {number}",
            date=f"2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}T10:00:00Z",
            body=f"Some *text* for post {number}, with [a link](../about/{number}).",
            tags=f"[t{number % 12}, all]",
        )
    config = load_config(site.config_path)
    builds = []
    runs = ((1, None), (3, None), (3, tmp_path / "c"), (3, tmp_path / "c"))  # cold, then cached
    for number, (processes, cache) in enumerate(runs):
        monkeypatch.setattr(parallel, "processes", lambda processes=processes: processes)
        result = build(
            site.content, tmp_path / f"out-{number}", config, options(config, NOW, cache_dir=cache)
        )
        builds.append(dict(result.files))
    assert len(builds[0]) > 32 and all(files == builds[0] for files in builds)


def test_background_work_is_done_by_the_time_wait_returns(tmp_path: Path) -> None:
    marker = tmp_path / "done"
    job = parallel.Background(lambda: marker.write_text(str(os.getpid())))
    job.wait()
    assert marker.read_text() != str(os.getpid())  # done in a child, and finished
    parallel.Background(lambda: 1 / 0).wait()  # a failure stays in the child
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # and every child was reaped


def test_problems_found_in_split_rendering_are_reported_as_one_process_reports_them(
    site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Files are checked in the process that rendered them: the refusal must not depend
    # on which process that was.
    site.configure(feeds_per=["tags"])
    for number in range(40):
        site.article(f"post-{number:02d}.md", title=f"Post {number}", tags=f"[t{number}]")
    rss = feedtool.render.formats.FORMATS["rss"]
    wrong_self = rss._replace(render=lambda doc, url: rss.render(doc, url + "?moved"))
    monkeypatch.setitem(feedtool.render.formats.FORMATS, "rss", wrong_self)
    config = load_config(site.config_path)
    messages = []
    for processes in (1, 3):
        monkeypatch.setattr(parallel, "processes", lambda processes=processes: processes)
        with pytest.raises(ManyErrors) as raised:
            build(site.content, tmp_path / f"out-{processes}", config, options(config, NOW))
        messages.append(str(raised.value).replace(f"out-{processes}", "out"))
        assert not (tmp_path / f"out-{processes}").exists()
    assert messages[0] == messages[1]
    assert messages[0].count("is not where this feed is published") == 41  # site + 40 tags


class Halves:
    """A transport (parallel.Transport) that sends even numbers only, as text, and can be
    told to fail on reading them back."""

    def __init__(self, *, broken: bool = False) -> None:
        self.broken = broken
        self.loaded = 0  # chunks read back by this transport, in this process

    def dumps(self, results: list[int], /) -> bytes | None:
        if any(number % 2 for number in results):
            return None  # goes by pickle
        return " ".join(map(str, results)).encode()

    def loads(self, data: bytes | memoryview, /) -> list[int]:
        if self.broken:
            raise ValueError("cannot read it")
        self.loaded += 1
        return [int(text) for text in bytes(data).split()]


def twice_in_children(number: int) -> int:
    time.sleep(0.0005)  # every process takes some of the work
    return number * 2


def test_a_transport_carries_the_chunks_it_can_and_pickle_the_rest() -> None:
    items = list(range(600))  # 200 chunks of 3: some all even when doubled, some not
    parent = os.getpid()

    def doubled_below_300(number: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.005)  # the children take most chunks, whatever else the machine does
        return number * 2 if number < 300 else number

    halves = Halves()
    assert parallel.split_map(doubled_below_300, items, min_items=2, transport=halves) == [
        n * 2 if n < 300 else n for n in items
    ]
    assert halves.loaded > 0  # the even chunks came by the transport


def test_a_chunk_the_transport_cannot_read_back_is_done_here() -> None:
    halves = Halves(broken=True)
    items = list(range(300))
    results = parallel.split_map(twice_in_children, items, min_items=2, transport=halves)
    assert results == [n * 2 for n in items]


def test_split_reading_sends_articles_back_alike(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Times in UTC, with offsets, and without (then in the site's zone, a named one, which
    # JSON would not keep: those go by pickle); an article with every kind of field.
    site.configure(DEFAULT_CONFIG.replace("UTC", "Europe/Berlin"))
    for number in range(30):
        dates = ("2025-01-02T03:04:05Z", "2025-03-30T02:30:00+01:00", "2025-10-26 02:30")
        site.article(f"post-{number:02d}.md", title=f"Post é {number}", date=dates[number % 3])
    site.article(
        "full.md",
        date="2025-05-01T10:00:00-05:30",
        updated="2025-05-02T10:00:00+00:00",
        summary="A summary",
        tags="[a, b]",
        categories="[c]",
        author="Ann <ann@example.org>",
        lang="fr",
        draft="false",
        slug="full-one",
        enclosures="[{url: 'https://example.org/a.mp3', type: audio/mpeg, length: 10}]",
    )
    config = load_config(site.config_path)

    def read() -> list[str]:
        articles, problems = loader.load_articles(site.content, config)
        assert not problems
        return [repr(article) for article in articles]  # zones and types, not only values

    one = read()
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 2)
    # This process waits (a while at most) for a child to have read an article: the split
    # is shown, however fast this process alone would be.
    parent, marker, read_one = os.getpid(), site.root / "child-read", loader._read_one

    def read_one_shared(source: Source, **kwargs: Any) -> Outcome:
        if os.getpid() != parent:
            marker.touch()
        deadline = time.monotonic() + 20
        while os.getpid() == parent and not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        return read_one(source, **kwargs)

    monkeypatch.setattr(loader, "_read_one", read_one_shared)
    received = []
    loads = LoadedAsJson.loads

    def counted(self: LoadedAsJson, data: bytes | memoryview) -> list[Outcome]:
        received.append(len(data))  # here, in this process: what children sent as JSON
        return loads(self, data)

    monkeypatch.setattr(LoadedAsJson, "loads", counted)
    assert read() == one
    assert received, "no chunk came back as JSON"
    assert "zoneinfo.ZoneInfo(key='Europe/Berlin')" in "".join(one)


def loaded_articles(site: Site) -> list[Loaded]:
    config = load_config(site.config_path)
    sources, _ = reader_for(config).sources(site.content, config, None)
    return [read_source(source, config, site.content) for source in sources]


@pytest.mark.parametrize(
    ("date", "as_json"),
    [
        ("2025-01-02T03:04:05Z", True),
        ("2025-01-02T03:04:05+05:45", True),
        ("2025-01-02T03:04:05-00:30", True),
        ("2025-01-02 03:04", False),  # in the site's named zone
        ("2025-01-02T03:04:05+01:00:30", False),  # an offset with seconds
        ("Thu, 02 Jan 2025 03:04:05 +0100", True),  # read by dateutil, as a plain offset
    ],
)
def test_json_carries_articles_only_when_they_come_back_alike(
    site: Site, date: str, as_json: bool
) -> None:
    site.configure(DEFAULT_CONFIG.replace("UTC", "America/New_York"))
    site.article("post.md", date=date, tags="[x, y]", author="Ann <ann@example.org>")
    loaded = loaded_articles(site)
    transport = LoadedAsJson()
    data = transport.dumps(list(loaded))
    assert (data is not None) == as_json
    if data is not None:
        back = transport.loads(data)
        assert repr(back) == repr(loaded) and back == loaded


def test_json_leaves_problems_and_odd_text_to_pickle(site: Site) -> None:
    site.article("post.md")
    (loaded,) = loaded_articles(site)
    transport = LoadedAsJson()
    assert transport.dumps([loaded]) is not None
    assert transport.dumps([loaded, [FeedtoolError("bad")]]) is None  # a problem: pickled

    class Text(str):
        pass

    odd_title = loaded._replace(article=loaded.article._replace(title=Text("A title")))
    assert transport.dumps([odd_title]) is None  # a subclass would come back as str
    surrogate = loaded._replace(inputs=("post-\udcff.md",))
    assert transport.dumps([surrogate]) is None  # no UTF-8 for it


class RefusesOne:
    """A transport that sends every chunk as text, and refuses to read back the one
    holding 100."""

    def dumps(self, results: list[int], /) -> bytes | None:
        return " ".join(map(str, results)).encode()

    def loads(self, data: bytes | memoryview, /) -> list[int]:
        numbers = [int(text) for text in bytes(data).split()]
        if 100 in numbers:
            raise ValueError("not this one")
        return numbers


def test_a_chunk_the_transport_refuses_costs_that_chunk_alone() -> None:
    parent = os.getpid()
    made_here: list[int] = []

    def slow_here(number: int) -> int:
        if os.getpid() == parent:
            made_here.append(number)
            time.sleep(0.01)  # the children do most of the work
        return number

    items = list(range(512))
    assert parallel.split_map(slow_here, items, min_items=2, transport=RefusesOne()) == items
    assert 100 in made_here  # refused: done again here
    assert len(made_here) < 256, "the chunks after the refused one were thrown away"


def times_in(kind: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Where a record of ``kind`` holds a time: attribute paths, through records, optional
    values and tuples of records (model.py's records are named tuples)."""
    if kind is datetime:
        return [path]
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) in (tuple, typing.Union):
        found = []
        for part in typing.get_args(kind):
            # A record inside a tuple has no attribute path of its own: "[]" marks it.
            inner = path if isinstance(kind, types.UnionType) else (*path, "[]")
            found += times_in(part, inner)
        return found
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        hints = typing.get_type_hints(kind)
        return [found for name in kind._fields for found in times_in(hints[name], (*path, name))]
    return []


def test_every_time_an_article_comes_back_with_is_checked_before_it_goes_as_json() -> None:
    # A time field added to a record a Loaded holds, and not to model.ARTICLE_TIMES, would come back
    # from a helper in another zone than it was read in.
    assert times_in(Loaded) == [("article", name) for name in ARTICLE_TIMES]
