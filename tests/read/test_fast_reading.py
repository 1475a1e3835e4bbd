"""The fast paths of reading front matter give exactly what the plain ways give.

textfile decodes UTF-8 without the "utf-8-sig" codec (written in Python) unless a file
starts with a byte-order mark, and read_head opens files with a plain call rather than a
context manager: same text, same errors, same refusals.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, SupportsIndex

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedtool.errors import ContentError, FeedtoolError
from feedtool.read import record, typos
from feedtool.read.frontmatter import _closing_fence, read_head, split
from feedtool.read.record import Lines
from feedtool.textfile import decode, decode_prefix, read_text
from feedtool.values import fields

BOM = b"\xef\xbb\xbf"
# Bytes near the traps: a BOM or part of one, cut characters, CR/LF, fences.
PIECES = st.sampled_from(
    [BOM, b"\xef", b"\xef\xbb", b"\xc3", b"\xa9", b"\xff", b"\r", b"\n", b"\r\n", b"---\n"]
)
DATA = st.lists(st.one_of(PIECES, st.binary(max_size=8), st.text(max_size=8).map(str.encode)))


def codec_decode(data: bytes) -> str:
    """What decode() gave before: the "utf-8-sig" codec, line endings turned into \\n."""
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def outcome(function: object, *args: object, **kwargs: object) -> tuple[str, object]:
    try:
        return "ok", function(*args, **kwargs)  # type: ignore[operator]
    except ContentError as exc:
        return "error", (str(exc), exc.line)
    except UnicodeDecodeError as exc:
        return "unicode", (exc.start, exc.end, exc.reason)


@given(DATA.map(b"".join))
@example(BOM)
@example(BOM + b"\xff")
@example(b"")
@example(b"\xef\xbb")
def test_decode_as_the_codec(data: bytes) -> None:
    try:
        expected: tuple[str, object] = ("ok", codec_decode(data))
    except UnicodeDecodeError:
        expected = ("error", None)
    got = outcome(decode, data, "a.md")
    assert got[0] == expected[0]
    if expected[0] == "ok":
        assert got == expected


@given(DATA.map(b"".join))
@example(BOM + b"title: \xc3")
def test_decode_prefix_as_the_codec(data: bytes) -> None:
    """A prefix decodes as the codec would, with the codec's error where it fails."""

    def by_codec() -> str:
        import codecs

        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
        text = text.removesuffix("\r")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    expected = outcome(by_codec)
    got = outcome(decode_prefix, data, "a.md", complete=False)
    if expected[0] == "ok":
        assert got == expected
    else:
        assert got[0] == "error"  # decode() names the line of the bad byte


@given(DATA.map(b"".join))
@example(b"---\ntitle: x\n---\nbody")
@example(BOM + b"---\ntitle: x\n---\n\xff")
@example(b"---\n" + b"a: b\n" * 600 + b"---\nbody")  # closed in the second chunk
@example(b"---\n" + b"a: b\n" * 409 + b"a: \n----\n...\nbody")  # a near miss at its edge
@example(b"---\n" + b"a: b\n" * 408 + b"ab: \r\n--- \r\nbody")
def test_read_head_is_the_start_of_read_text(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("head") / "a.md"
    path.write_bytes(data)
    whole = outcome(read_text, path)
    head = outcome(read_head, path)
    if whole[0] == "ok" and head[0] == "ok":
        assert isinstance(whole[1], str) and isinstance(head[1], str)
        assert whole[1].startswith(head[1])
        # Front matter split from the head is the same as from the whole text.
        assert outcome(split, head[1], path) == outcome(split, whole[1], path)
    elif head[0] == "ok":
        assert whole[0] == "error"  # a bad byte past the front matter: found with the body
    else:
        assert whole[0] == "error"


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.isdir("/proc/self/fd"), reason="Linux")
def test_read_head_refuses_what_read_text_refuses(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: x\n---\n" + "x" * 100)
    assert outcome(read_head, fifo) == outcome(read_text, fifo)
    assert outcome(read_head, big, 10) == outcome(read_text, big, 10)
    assert outcome(read_head, tmp_path / "none.md") == outcome(read_text, tmp_path / "none.md")
    assert outcome(read_head, fifo)[0] == "error"
    # Every descriptor was closed again.
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        outcome(read_head, fifo)
        outcome(read_head, big, 10)
    assert len(os.listdir("/proc/self/fd")) == before


def closing_fence_reference(
    text: str, first_end: int, fence: str, start: int | None = None
) -> tuple[int, int] | None:
    """frontmatter._closing_fence as it was: both names looked for to the end of the text."""
    names = ("---", "...") if fence == "---" else (fence,)
    position = first_end if start is None else start
    dashes = text.find("\n" + fence, position)
    dots = text.find("\n...", position) if fence == "---" else -1
    while dashes >= 0 or dots >= 0:
        found = dashes if dots < 0 or 0 <= dashes < dots else dots
        end = text.find("\n", found + 1)
        if end < 0:
            end = len(text)
        if text[found + 1 : end].rstrip() in names:
            return found + 1, end
        if found == dashes:
            dashes = text.find("\n" + fence, found + 1)
        else:
            dots = text.find("\n...", found + 1)
    return None


LINES = st.sampled_from(
    [
        "---",
        "...",
        "+++",
        "--- ",
        "... ",
        "----",
        "....",
        "---x",
        "...x",
        "+++ ",
        "a. b...",
        "",
        "x",
    ]
)


@settings(max_examples=500)
@given(
    st.sampled_from(["---", "+++"]),
    st.lists(LINES, max_size=12).map("\n".join),
    st.integers(min_value=0, max_value=40),
)
@example("---", "....\n---x\n...", 0)
@example("---", "a...\n---", 0)
def test_closing_fence_is_found_as_before(fence: str, rest: str, start: int) -> None:
    # "..." is looked for only before the next "---" line now: the same line is found.
    text = f"{fence}\n{rest}"
    first_end = len(fence)
    begin = max(first_end, min(start, len(text)))
    if begin != first_end:
        begin = text.rfind("\n", 0, begin + 1)  # resume at a newline, as read_head does
        begin = max(begin, first_end)
    assert _closing_fence(text, first_end, fence, begin) == closing_fence_reference(
        text, first_end, fence, begin
    )
    assert _closing_fence(text, first_end, fence) == closing_fence_reference(text, first_end, fence)


class _Searches(str):
    """Text that records how far each search for a "..." line may look."""

    ends: list[int]

    def find(self, sub: str, *bounds: SupportsIndex | None) -> int:
        if sub == "\n...":
            end = bounds[1] if len(bounds) > 1 else None
            self.ends.append(len(self) if end is None else int(end))
        return super().find(sub, *bounds)


def test_the_body_is_not_searched_for_a_closing_line() -> None:
    # Prose is full of dots: looking for a "..." line through the whole body cost more
    # than the rest of finding the closing line, for every article.
    text = _Searches("---\ntitle: x\n---\n" + "Some prose... and more. " * 200)
    text.ends = []
    assert _closing_fence(text, 3, "---") == (13, 16)
    assert text.ends and max(text.ends) <= 16


def test_the_closing_line_is_looked_for_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # read_head finds the line closing front matter; split, called on that text next,
    # takes it from there (for every article, the search cost as much as the YAML).
    from feedtool.read import frontmatter

    searches: list[int] = []
    search = frontmatter._closing_fence

    def counted(*args: Any) -> tuple[int, int] | None:
        searches.append(1)
        return search(*args)

    monkeypatch.setattr(frontmatter, "_closing_fence", counted)
    path = tmp_path / "a.md"
    for head in ("---\ntitle: x\n---\n", "---\n" + "a: b\n" * 600 + "...\n"):
        path.write_text(head + "body\n")
        searches.clear()
        text = read_head(path)
        assert split(text, path) == split(head + "body\n", path)
        # One search for read_head (a chunk more for the long head) and one for the copy.
        assert len(searches) == (2 if len(head) < 2048 else 3)


def simple_values_reference(
    meta: dict[str, Any], lines: Lines, problems: list[FeedtoolError]
) -> dict[str, Any]:
    """build_article's reading of the simple keys as it was: unknown keys, then every key
    of the table in its order."""
    for key in meta:
        if key not in record.KEYS and (close := typos.meant(key, record.KEYS)):
            message = f"unknown key: {typos.did_you_mean(close)}"
            problems.append(ContentError(message, path=lines.path, line=lines.of(key), field=key))
    values: dict[str, Any] = {}
    for key, (attribute, parser) in record._SIMPLE_KEYS.items():
        raw = meta.get(key)
        if raw is not None:
            try:
                value = parser(raw)
            except ValueError as exc:
                problems.append(
                    ContentError(str(exc), path=lines.path, line=lines.of(key), field=key)
                )
                continue
            if value is not None:
                values[attribute] = value
    return values


META_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from(["Title", " x ", "", "a, b", "Bob <bob@example.org>", "bob@", "en", "xx-!"]),
    st.sampled_from(["full", "summary", "https://example.org/a.png", "a b", "\x01"]),
    st.lists(st.sampled_from(["a", "b", " a ", "", 1, True, None]), max_size=3),
)


@settings(max_examples=500)
@given(
    st.dictionaries(
        st.sampled_from([*record._SIMPLE_KEYS, "titel", "tag", "colour", "date"]), META_VALUES
    ),
    st.booleans(),
)
@example({"authors": "Ann", "author": "Bob"}, True)  # authors wins, whatever the order
@example({"tags": 1, "title": True, "titel": "x"}, False)
def test_simple_keys_are_read_as_before(meta: dict[str, Any], written: bool) -> None:
    # One pass over the keys written, not over the whole table: the same values, and the
    # same problems in the same order (on one line each, or all without a line).
    text = "\n".join(f"{key}: x" for key in meta) if written else ""
    lines = Lines("a.md", text, 1)
    expected: list[FeedtoolError] = []
    got: list[FeedtoolError] = []
    assert record._simple_values(meta, lines, got) == simple_values_reference(meta, lines, expected)
    assert [(p.message, p.line, p.field) for p in got] == [
        (p.message, p.line, p.field) for p in expected
    ]


@settings(max_examples=500)
@given(
    st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=30, max_size=60)
    | st.text(min_size=30, max_size=60)
)
@example("A summary of forty characters or more, all ASCII.")
@example("A summary of forty characters or more\x01 with a control.")
@example("A summary of forty characters or more\x7f with DEL in it.")
def test_long_text_is_checked_as_xml_safe_checks_it(value: str) -> None:
    # Text of 40 characters or more (summaries) is checked in C when it is ASCII, not
    # by the pattern's search: the same text comes out.
    expected = (
        value.strip() if not fields._XML_ILLEGAL.search(value) else fields.clean(value).strip()
    )
    assert fields.text(value) == expected
