"""Content files as text, safely: regular files only, a size limit checked before
reading, UTF-8 (a BOM allowed) with the line of the first bad byte, and every line
ending turned into ``\\n``."""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from feedtool.errors import ContentError


def read_text(path: str | Path, max_bytes: int | None = None) -> str:
    """A regular file's text (see decode), refusing files over ``max_bytes`` before reading them.

    Opening without blocking and checking the type first means a FIFO or device
    named like an article is reported instead of hanging the build.
    """
    with _open_regular(path, max_bytes) as handle:
        try:
            # Read one byte more than allowed: a file that grew since fstat is caught too.
            data = handle.read(max_bytes + 1 if max_bytes is not None else -1)
        except OSError as exc:
            raise ContentError(f"cannot read the file: {exc.strerror}", path=path) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise too_large(path, len(data), max_bytes)
    return decode(data, path)


def decode_prefix(data: bytes, path: str | Path, *, complete: bool) -> str:
    """decode() for the start of a file, which may end inside a character or a CRLF."""
    if complete:
        return decode(data, path)
    try:
        text = data.decode("utf-8-sig")  # the usual case: no character cut in two
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


@contextlib.contextmanager
def _open_regular(path: str | Path, max_bytes: int | None) -> Iterator[BinaryIO]:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ContentError(f"cannot read the file: {exc.strerror}", path=path) from None
    with os.fdopen(fd, "rb") as handle:
        check_regular(path, os.fstat(fd), max_bytes)
        yield handle


def check_regular(path: str | Path, info: os.stat_result, max_bytes: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ContentError(
            "is not a regular file (a FIFO, socket or device); only files are read", path=path
        )
    if max_bytes is not None and info.st_size > max_bytes:
        raise too_large(path, info.st_size, max_bytes)


def too_large(path: str | Path, size: int, limit: int) -> ContentError:
    return ContentError(
        f"the file is {size:,} bytes, more than max_article_bytes ({limit:,}); "
        "split it, or raise max_article_bytes in the config",
        path=path,
    )


def decode(data: bytes, path: str | Path) -> str:
    """UTF-8 (a BOM is allowed) with every line ending turned into ``\\n``."""
    try:
        text = data.decode("utf-8-sig")
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
