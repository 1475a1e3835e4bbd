"""The cache's records as JSON, and back: data, never code, checked as it is read.

A cache folder can come from anywhere (a repository that committed it, a CI cache
restored from another branch), so it is read as JSON, which can only ever make lists,
strings and numbers. msgspec reads it straight into the records' own types (model.py's
named tuples, as arrays), checking every field's type in C as it goes: a title that is
not text, a count that is not a whole number, a field too many, raise ValueError
(msgspec.ValidationError), and the caller takes the file for no cache at all. The one
check msgspec cannot make from a type, that a time carries its offset, is made here.

msgspec reads and writes a big site's cache faster than json.loads with hand-written
checks did, and unlike pickle it runs no code from the file (figures in docs/speed.md).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeVar

from feedtool.cache.stamps import Stamp
from feedtool.model import ARTICLE_TIMES, Article

if TYPE_CHECKING:
    import msgspec

# msgspec is imported where it is first used, not here: the "nothing changed" answer reads
# only the plain JSON values of the last build's summary, and need not load it.

T = TypeVar("T")

# A shard of the article cache: body path -> (stamps of its files, its sidecar's path or
# None, the article).
ShardEntry = tuple[tuple[Stamp, ...], str | None, Article]
Shard = dict[str, ShardEntry]

# A rendered entry (cache/rendered.py), by its article's body path: the stamps of the
# article's files, the article, its content HTML, its summary and its digest (hex).
EntryRecord = tuple[tuple[Stamp, ...], Article, str, str, str]
Entries = dict[str, EntryRecord]

_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def encode(data: object) -> bytes:
    """``data`` (JSON values, bytes, times and model.py's records) as JSON.

    Text that is not Unicode (a file name read with surrogate escapes) has no UTF-8:
    such data is written by the json module with every non-ASCII character escaped,
    which decode() reads back on its slower path.
    """
    import msgspec

    try:
        return msgspec.json.encode(data, enc_hook=_plain)
    except UnicodeEncodeError:
        plain = msgspec.to_builtins(data, enc_hook=_plain)
        return json.dumps(plain, separators=(",", ":")).encode("ascii")


def _plain(value: object) -> object:
    # Subclasses of plain types (read.frontmatter.WrittenInt, a number that remembers how
    # it was written) are written as the plain value, as the json module writes them.
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    raise NotImplementedError(f"{type(value).__name__} is not cached")


def decode(data: bytes | memoryview, kind: type[T] | Any = Any) -> T:
    """JSON ``data`` as ``kind``, every field's type checked; raises ValueError
    (msgspec's errors are ValueErrors) when it is not JSON of that shape. Plain JSON
    values (``kind`` Any) are read by the json module: see the imports."""
    if kind is Any:
        return json.loads(bytes(data))  # type: ignore[no-any-return]
    import msgspec

    decoder = _DECODERS.get(kind)
    if decoder is None:
        decoder = _DECODERS[kind] = msgspec.json.Decoder(kind)
    try:
        result: T = decoder.decode(data)
    except msgspec.DecodeError:
        text = bytes(data)
        if b"\\ud" not in text and b"\\uD" not in text:
            raise
        # Surrogate escapes (see encode), which msgspec refuses: the slower path.
        result = msgspec.convert(json.loads(text), kind)
    return result


def shard_in(shard: Shard) -> Shard:
    """A shard as decode() read it, once its times are checked (raises ValueError)."""
    aware(article for _, _, article in shard.values())
    return shard


def entries_in(entries: Entries) -> Entries:
    """Rendered entries as decode() read them, once their times are checked (raises
    ValueError)."""
    aware(article for _, article, _, _, _ in entries.values())
    return entries


def aware(articles: Any) -> None:
    """Raise ValueError unless every time of these articles has its offset.

    msgspec reads a time without one as a naive datetime, which no article has
    (they would then compare and print differently).
    """
    for article in articles:
        for name in ARTICLE_TIMES:
            moment = getattr(article, name)
            if moment is not None and moment.tzinfo is None:
                raise ValueError("a cached time without its offset")


# Records inside plain JSON values (rendered.py's entries): as encode() and decode() write
# and read them, with the same checks.


def stamps_out(stamps: tuple[Stamp, ...]) -> Any:
    """``stamps`` as plain JSON values (stamps_in reads them back)."""
    import msgspec

    return msgspec.to_builtins(stamps, enc_hook=_plain)


def stamps_in(data: Any) -> tuple[Stamp, ...]:
    """The stamps stamps_out wrote; raises msgspec.ValidationError when ``data`` is not such."""
    import msgspec

    return msgspec.convert(data, tuple[Stamp, ...])


def article_out(article: Article) -> Any:
    """``article`` as plain JSON values (article_in reads it back)."""
    import msgspec

    return msgspec.to_builtins(article, enc_hook=_plain)


def article_in(data: Any) -> Article:
    """The article article_out wrote, with decode()'s checks; raises when ``data`` is not one."""
    import msgspec

    article = msgspec.convert(data, Article)
    aware((article,))
    return article
