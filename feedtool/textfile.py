"""Content files as text, safely: regular files only, a size limit checked before
reading, UTF-8 (a BOM allowed) with the line of the first bad byte, and every line
ending turned into ``\\n``; and the line a key is set on, for messages. Config and read/
both read files this way, so it sits on the floor every module may import."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from feedtool import safefile
from feedtool.errors import ContentError
from feedtool.values.patterns import compiled_later


def read_text(path: str | Path, max_bytes: int | None = None) -> str:
    """A regular file's text (see decode), refusing files over ``max_bytes`` before reading
    them, and FIFOs or devices named like articles instead of waiting on them."""
    chunks: list[bytes] = []
    size = 0
    with content_file(path, max_bytes) as fd:
        while True:
            try:
                chunk = os.read(fd, _CHUNK)
            except OSError as exc:
                raise ContentError(f"cannot read the file: {exc.strerror}", path=path) from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:  # it grew since it was opened
                raise too_large(path, size, max_bytes)
    return decode(b"".join(chunks), path)


_CHUNK = 1 << 18


@contextlib.contextmanager
def content_file(path: str | Path, max_bytes: int | None) -> Iterator[int]:
    """safefile.open_regular, its refusals as ContentErrors against ``path``."""
    fd = open_content(path, max_bytes)
    try:
        yield fd
    except OSError as exc:
        raise ContentError(f"cannot read the file: {exc.strerror}", path=path) from None
    finally:
        os.close(fd)


def open_content(path: str | Path, max_bytes: int | None) -> int:
    """content_file's descriptor, for a caller that closes it itself (see
    safefile.open_regular_fd)."""
    try:
        return safefile.open_regular_fd(path, max_bytes)
    except safefile.NotRegularFile:
        raise ContentError(
            "is not a regular file (a FIFO, socket or device); only files are read", path=path
        ) from None
    except safefile.TooLarge as exc:
        assert max_bytes is not None
        raise too_large(path, exc.size, max_bytes) from None
    except OSError as exc:
        raise ContentError(f"cannot read the file: {exc.strerror}", path=path) from None


def decode_prefix(data: bytes, path: str | Path, *, complete: bool) -> str:
    """decode() for the start of a file, which may end inside a character or a CRLF."""
    if complete:
        return decode(data, path)
    try:
        text = _plain_utf8(data)  # the usual case: no character cut in two
    except UnicodeDecodeError:
        text = None
    try:
        if text is None:
            text = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
    except UnicodeDecodeError:
        decode(data, path)  # raises the ContentError that names the line
        raise
    text = text.removesuffix("\r")  # its LF may come in the next chunk
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def too_large(path: str | Path, size: int, limit: int) -> ContentError:
    return ContentError(
        f"the file is {size:,} bytes, more than max_article_bytes ({limit:,}); "
        "split it, or raise max_article_bytes in the config",
        path=path,
    )


def decode(data: bytes, path: str | Path) -> str:
    """UTF-8 (a BOM is allowed) with every line ending turned into ``\\n``."""
    try:
        text = _plain_utf8(data)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# Where in a text a key is set, for messages: front matter and feedtool.toml alike.


# Plain words after a parser's own, for the slip people make most (front matter's YAML
# says it too).
UNCLOSED = "a quote is opened and never closed: end the text with the same quote"
# tomllib's words for a string that runs to the end of its line or of the file.
_TOML_UNCLOSED = compiled_later(r"^(Illegal character '\\n'|Unterminated string|Expected [\"'])")


def toml_problem(exc: tomllib.TOMLDecodeError) -> tuple[str, int | None]:
    """tomllib's message without its position (and with a hint where a likely slip
    explains it), and the line it names (1-based)."""
    message = str(exc)
    match = re.search(r" \(at (?:line (\d+), column \d+|end of document)\)$", message)
    if match is not None:
        message = message[: match.start()]
    if _TOML_UNCLOSED().match(message):
        message += f" ({UNCLOSED.replace('text', 'string')})"
    return message, int(match[1]) if match is not None and match[1] else None


def key_line(text: str, key: str, first_line: int = 1) -> int | None:
    """The line a top-level ``key`` is set on in YAML, TOML or JSON text, for messages
    (in TOML also a table of that name: ``[key]``, ``[[key]]``, ``[key.part]``)."""
    name = rf'"?{re.escape(key)}"?'
    setting = re.compile(rf"^\s*{name}\s*[:=]")
    table = re.compile(rf"^\s*\[\[?\s*{name}\s*[\].]")
    top_level = True  # in TOML, keys after a [table] line are that table's
    for number, line in enumerate(text.split("\n")[first_line - 1 :], start=first_line):
        if table.match(line):
            return number
        top_level = top_level and not _TABLE_LINE().match(line)
        if top_level and setting.match(line):
            return number
    return None


# A TOML table's header, as people write it: at the start of its line (an indented
# "[a, b]" is more likely YAML or JSON going on from the line before).
_TABLE_LINE = compiled_later(r"^\[[^\]]*\]\]?\s*(?:#.*)?$")


_BOM = b"\xef\xbb\xbf"


def _plain_utf8(data: bytes) -> str:
    """``data.decode("utf-8-sig")``, errors included: the "utf-8-sig" codec is written in
    Python and costs more than the decoding itself, which is C; only a file that starts
    with a byte-order mark takes it (this runs for every article)."""
    if data.startswith(_BOM):
        return data.decode("utf-8-sig")
    return data.decode("utf-8")
