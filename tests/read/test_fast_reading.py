"""The fast paths of reading front matter give exactly what the plain ways give.

textfile decodes UTF-8 without the "utf-8-sig" codec (written in Python) unless a file
starts with a byte-order mark, and read_head opens files with a plain call rather than a
context manager: same text, same errors, same refusals.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from feedtool.errors import ContentError
from feedtool.read.frontmatter import read_head, split
from feedtool.textfile import decode, decode_prefix, read_text

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
