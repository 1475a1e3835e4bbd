"""The ledger file itself: its text, merging, and builds at the same time."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from conftest import LEDGER_CONTENT as CONTENT
from conftest import ledger_article as article
from feedtool.errors import ConfigError
from feedtool.publish import ledger
from feedtool.publish.ledger import (
    HEADER,
    Item,
    check_ids,
    merged,
    parse,
    read_ledger,
    record,
    render,
    would_change,
)


def test_text_round_trip_with_odd_characters() -> None:
    items = {
        "urn:x:1": Item("urn:x:1", "a\tb\\c.md", "https://example.org/a/", "00ff"),
        "urn:x:0": Item("urn:x:0", "line\nbreak.md", "", ""),
    }
    text = render(items)
    assert text.startswith(HEADER)
    assert text[len(HEADER) :] == (
        "urn:x:0\tline\\nbreak.md\t\t\nurn:x:1\ta\\tb\\\\c.md\thttps://example.org/a/\t00ff\n"
    )
    assert parse(text, "feedtool.ids") == (text, items, False)  # escapes: render decides
    plain = render({"urn:x:1": Item("urn:x:1", "a.md", "https://example.org/a/", "00ff")})
    assert parse(plain, "feedtool.ids").tidy


def test_a_merge_conflict_is_reported_with_its_line() -> None:
    text = HEADER + "<<<<<<< HEAD\nurn:x:1\ta.md\thttps://example.org/a/\t\n"
    with pytest.raises(ConfigError) as caught:
        parse(text, "feedtool.ids")
    assert str(caught.value) == (
        "feedtool.ids:3: not a ledger line: expected id, file, link and digest between tabs "
        "(a merge conflict left in? keep both sides' lines)"
    )


def test_a_union_merge_keeps_one_line_per_id() -> None:
    text = "urn:x:1\ta.md\tl1\t\nurn:x:1\tb.md\tl2\t\n"  # both branches moved it
    ledger = parse(text, "f")
    assert ledger.items == {"urn:x:1": Item("urn:x:1", "b.md", "l2", "")}
    assert not ledger.tidy


def test_missing_ledger_is_empty(tmp_path: Path) -> None:
    assert read_ledger(tmp_path / "feedtool.ids").items == {}
    assert not record(tmp_path / "feedtool.ids", [], CONTENT)
    assert not (tmp_path / "feedtool.ids").exists()


def test_merge_moves_items_and_keeps_removed_ones() -> None:
    items = {
        "urn:1": Item("urn:1", "old.md", "https://example.org/old/", "d1"),
        "urn:gone": Item("urn:gone", "gone.md", "https://example.org/gone/", "d2"),
    }
    result = merged(items, [article("new.md", "urn:1")], CONTENT, lambda new: ["x"] * len(new))
    assert result == {
        "urn:1": Item("urn:1", "new.md", "https://example.org/new.md/", "d1"),
        "urn:gone": items["urn:gone"],
    }


def test_an_item_published_anew_takes_the_file_and_link() -> None:
    items = {"urn:1": Item("urn:1", "a.md", "https://example.org/a.md/", "d1")}
    result = merged(items, [article("a.md", "urn:2")], CONTENT, lambda new: ["d3"] * len(new))
    assert result == {
        "urn:1": Item("urn:1", "", "", "d1"),
        "urn:2": Item("urn:2", "a.md", "https://example.org/a.md/", "d3"),
    }


def test_check_matches_by_file_then_link() -> None:
    items = {
        "urn:1": Item("urn:1", "a.md", "https://example.org/x/", ""),
        "urn:2": Item("urn:2", "b.md", "https://example.org/b/", ""),
    }
    problems = check_ids(
        items,
        [article("a.md", "urn:10"), article("c.md", "urn:20", "https://example.org/b/")],
        CONTENT,
    )
    assert [(p.old_id, p.new_id, p.reason, p.old_source) for p in problems] == [
        ("urn:1", "urn:10", "file", "/site/content/a.md"),
        ("urn:2", "urn:20", "link", "/site/content/b.md"),
    ]


def test_an_id_another_article_has_is_no_match() -> None:
    # a.md and b.md swapped names, each keeping its id: neither changed.
    items = {
        "urn:1": Item("urn:1", "a.md", "https://example.org/a.md/", ""),
        "urn:2": Item("urn:2", "b.md", "https://example.org/b.md/", ""),
    }
    assert check_ids(items, [article("b.md", "urn:1"), article("a.md", "urn:2")], CONTENT) == []
    # A new article in the place of one that keeps its id elsewhere is new.
    assert check_ids(items, [article("x.md", "urn:1"), article("a.md", "urn:3")], CONTENT) == []


def test_would_change_reads_no_body(tmp_path: Path) -> None:
    ledger = tmp_path / "feedtool.ids"
    ledger.write_text(render({"urn:1": Item("urn:1", "a.md", "https://example.org/a.md/", "")}))
    assert not would_change(ledger, [article("a.md", "urn:1")], CONTENT)
    assert would_change(ledger, [article("b.md", "urn:1")], CONTENT)  # moved
    assert would_change(ledger, [article("c.md", "urn:3")], CONTENT)  # new (body not read)


def _record_many(ledger: str, start: int) -> None:
    for number in range(start, start + 25):
        record(Path(ledger), [article(f"p{number}.md", f"urn:{number}")], CONTENT)


def test_builds_at_the_same_time_lose_no_line(tmp_path: Path) -> None:
    ledger = tmp_path / "feedtool.ids"
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_record_many, args=(str(ledger), start)) for start in (0, 100, 200)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    ids = set(read_ledger(ledger).items)
    assert ids == {f"urn:{n}" for start in (0, 100, 200) for n in range(start, start + 25)}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_written_only_when_it_changes(tmp_path: Path) -> None:
    ledger = tmp_path / "feedtool.ids"
    assert record(ledger, [article("a.md", "urn:1")], CONTENT)
    stamp = ledger.stat().st_mtime_ns
    assert not record(ledger, [article("a.md", "urn:1")], CONTENT)
    assert ledger.stat().st_mtime_ns == stamp
    ledger.chmod(0o640)
    assert record(ledger, [article("b.md", "urn:2")], CONTENT)
    assert ledger.stat().st_mode & 0o777 == 0o640  # a rewrite keeps the file's mode


def test_an_untidy_ledger_is_read_and_written_tidy(tmp_path: Path) -> None:
    ledger = tmp_path / "feedtool.ids"
    ledger.write_text(
        HEADER + "\n# a note\nurn:2\tb.md\thttps://example.org/b.md/\t\n"
        "urn:1\ta.md\thttps://example.org/a.md/\t\n"
    )
    book = read_ledger(ledger)
    assert sorted(book.items) == ["urn:1", "urn:2"] and not book.tidy
    assert record(ledger, [article("a.md", "urn:1")], CONTENT)
    assert ledger.read_text() == render(book.items)
    assert read_ledger(ledger).tidy


# --- read as safely as any file (issue 22, item 6) -------------------------------------------


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin", "fifo"])
def test_a_ledger_that_is_no_regular_file_is_refused_at_once(tmp_path: Path, target: str) -> None:
    path = tmp_path / "feedtool.ids"
    if target == "fifo":
        os.mkfifo(path)  # opened for reading, it would wait for a writer for ever
    else:
        path.symlink_to(target)
    with pytest.raises(ConfigError) as caught:
        read_ledger(path)
    assert str(caught.value) == (
        f"{path}: cannot read the ledger of published ids: it is not a regular file (a device, "
        "FIFO or folder); make it a plain text file"
    )


def test_a_ledger_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "MAX_LEDGER_BYTES", 2**20)
    path = tmp_path / "feedtool.ids"
    path.write_bytes(HEADER.encode() + b"# \n" * (2**19))
    with pytest.raises(ConfigError) as caught:
        read_ledger(path)
    assert str(caught.value) == (
        f"{path}: cannot read the ledger of published ids: it is {len(HEADER) + 3 * 2**19} "
        "bytes, over the limit of 1 MiB; is it the right file?"
    )


def test_what_an_item_keeps_round_trips_and_old_lines_stay_as_they_were() -> None:
    items = {
        "a": Item("a", "a.md", "https://example.com/a/", "d1"),
        "b": Item("b", "b.md", "https://example.com/b.html", "", "id,link"),
        "c\tx": Item("c\tx", "c.md", "", "", "id"),
    }
    text = render(items)
    assert "a\ta.md\thttps://example.com/a/\td1\n" in text  # four fields, as before
    assert "b\tb.md\thttps://example.com/b.html\t\tid,link\n" in text
    assert parse(text, "feedtool.ids").items == items
