"""The last build's summary and the one question it answers: would this build write
exactly the same files as the last one did?

Everything here is light (the standard library and the few small modules of feedtool's
own that list the content folder and stamp files): the "nothing changed" answer is given
from this module alone, by DiskCache (store.py) inside a build and by the command line
before it loads anything else (cli/quick.py); no config, record or msgspec. It also
holds what every file of the cache folder starts with (its format and fingerprint), and
the part of the fingerprint that is feedtool's own code and libraries.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import sys
from array import array
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from feedtool import __version__
from feedtool.cache.stamps import content_version
from feedtool.read.sources import listed_prefix
from feedtool.safefile import RACY_NS, read_regular, settled, size_and_time

if TYPE_CHECKING:
    from pathlib import Path  # the quick check loads no pathlib (see cli/quick.py)

# 7: JSON, not pickle; content stamps by change time (ctime). 8: records whole, as msgspec
# writes them (no path left out where it repeats).
CACHE_FORMAT = 8
_DEPENDENCIES = (
    "feedgen",
    "lxml",
    "cmarkgfm",
    "nh3",
    "yaml",
    "dateutil",
    "click",
    "mutagen",
    "PIL",
    "msgspec",
)


# The command line's file in the cache folder (cli/quick.py): what a build with nothing to
# do prints, and for which command.
ANSWER = "answer.json"


class State(NamedTuple):
    """The last successful build: what it read, what it wrote, what it said."""

    key: str  # digest of the inputs' stamps, the options and the fingerprint (state_key)
    taken_ns: int
    # Until a post is due or an article's date is reached again, `now` changes nothing.
    valid_from: float
    valid_until: float
    outputs: tuple[tuple[str, int, int], ...]  # (output path, size, mtime_ns) after writing
    articles: int
    warnings: tuple[str, ...]
    scheduled: tuple[tuple[str, datetime], ...]
    drafts: tuple[str, ...]
    skipped: int
    # Local enclosure files the articles depend on, beyond their own files:
    # (path, size, change time).
    inputs: tuple[tuple[str, int, int, int], ...] = ()
    # The ledger of published ids as this build left it (path, size, mtime_ns): changed
    # since (a pull brought lines from elsewhere), it is checked again.
    ledger: tuple[str, int, int] | None = None
    # A digest of what the ledger knows each published article by (id, file, link), as
    # this build checked and recorded them (see DiskCache.ids_recorded).
    ids: str | None = None


class Question(NamedTuple):
    """What a build asked the summary: "is this still what my last build made?"."""

    fingerprint: str  # of the config, code and libraries (cache/folder.fingerprint)
    options: tuple[object, ...]  # the content and output folders, and such (pipeline.build)
    content: str  # the content folder, and the folders it may link into (walk's roots)
    roots: tuple[str, ...]
    # What its listing leaves out (read/sources.Rule): the characters names it hides
    # start with, and the folders it skips.
    hidden: str
    skipped: tuple[str, ...]


# --- the fingerprint and the files' header ----------------------------------------------


def code_key() -> str:
    """What every cached thing depends on besides its files and the config: the cache's
    format, feedtool's version and code, Python's, and the libraries'.

    Scanned once per process: a process runs the code it imported, whatever becomes of
    the files since, and a build asks for the key three times (the quick check, the
    cache's fingerprint, the answer's file). So a long-running ``feedtool serve`` sees
    feedtool or a library upgraded under it (one it had not imported yet, say Pillow)
    only once it is started again."""
    global _code_key
    if _code_key is None:
        _code_key = _scan_code()
    return _code_key


_code_key: str | None = None  # code_key() of this process


def _scan_code() -> str:
    parts: list[object] = [CACHE_FORMAT, __version__, sys.version]
    parts += _code_files(os.path.dirname(os.path.dirname(__file__)))  # the whole package
    for name in _DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        parts.append((name, origin, size_and_time(origin) if origin else None))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _code_files(package: str) -> list[tuple[str, int, int]]:
    """(path below ``package``, size, modification time) of each of its files but
    compiled ones, sorted. os.scandir and strings, not Path.rglob: every build, even
    one that finds nothing changed, asks, and Path objects cost four times as much."""
    found: list[tuple[str, int, int]] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(os.path.join(package, folder)) as entries:
            for entry in entries:
                path = folder + entry.name
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        pending.append(path + os.sep)
                elif entry.is_file():
                    info = entry.stat()
                    found.append((path, info.st_size, info.st_mtime_ns))
    found.sort()
    return found


def header(fingerprint: str) -> bytes:
    """The first line of every cache file made with ``fingerprint``."""
    return json.dumps([CACHE_FORMAT, fingerprint]).encode()


def read_body(path: str | Path, fingerprint: str) -> memoryview | None:
    """What the cache file at ``path`` holds after its header (a view of the bytes read,
    not a copy: a big site's article shards are megabytes); None when it is missing, not
    a regular file, unreadable, or was made with another format or fingerprint."""
    try:
        data, _ = read_regular(path)
        end = data.index(b"\n")
        if json.loads(data[:end]) != [CACHE_FORMAT, fingerprint]:
            return None
    except (OSError, ValueError, RecursionError):  # a cache that cannot be read is no cache
        return None
    return memoryview(data)[end + 1 :]


# --- the state: what the last build read, wrote and said ------------------------------

Entry = tuple[str, int, int, int]  # a content file as walk() lists it: path, size, times


def state_key(fingerprint: str, options: tuple[object, ...], listing: Sequence[Entry]) -> str:
    """A digest of every content file's name, size and times (``listing``: walk()'s
    files), the build's options and the fingerprint."""
    global _last_key
    last = _last_key
    if last is not None and last[0] is listing and last[1] == (fingerprint, options):
        # The command line's quick check hashed this very listing (the build is handed
        # the same list, never changed once made): a big site's listing is not hashed twice.
        return last[2]
    key = _state_key(fingerprint, options, listing)
    _last_key = (listing, (fingerprint, options), key)
    return key


# The last listing state_key() hashed (the list itself, so that no other list can be taken
# for it), what with, and its key.
_last_key: tuple[Sequence[Entry], tuple[str, tuple[object, ...]], str] | None = None


def _state_key(fingerprint: str, options: tuple[object, ...], listing: Sequence[Entry]) -> str:
    global _last_texts
    texts = _last_texts = (listing, *listing_texts(listing))
    return key_of(fingerprint, options, len(listing), texts[1], texts[2])


# One file's size, modification time and change time in listing_texts' numbers.
FILE_BYTES = 3 * 8


def leads_out(relative: str) -> bool:
    """Whether a relative path leads out of the folder it is relative to."""
    normal = os.path.normpath(relative)
    return os.path.isabs(normal) or normal == os.pardir or normal.startswith(os.pardir + os.sep)


def listing_texts(listing: Sequence[Entry]) -> tuple[bytes, bytes]:
    """What state_key hashes of a listing: the paths, each ending in NUL (which no path
    holds), and every size and time as 64-bit numbers (a third of the time one text of
    them all takes). cache/kept.py keeps the numbers, to tell which files changed."""
    if _last_texts is not None and _last_texts[0] is listing:
        return _last_texts[1], _last_texts[2]
    paths = "".join([f"{entry[0]}\0" for entry in listing]).encode("utf-8", "surrogatepass")
    numbers = array("q", [n for _, size, m, c in listing for n in (size, m, c)]).tobytes()
    return paths, numbers


def key_of(
    fingerprint: str, options: tuple[object, ...], count: int, paths: bytes, numbers: bytes
) -> str:
    """state_key of the listing of ``count`` files whose listing_texts are these."""
    digest = hashlib.blake2b(repr((fingerprint, options, count)).encode(), digest_size=16)
    digest.update(paths)
    digest.update(numbers)
    return digest.hexdigest()


# The texts of the last listing state_key hashed, with that very list.
_last_texts: tuple[Sequence[Entry], bytes, bytes] | None = None


def without_outputs(
    listing: list[Entry], newest_ns: int, content: str, output: str, state: State | None
) -> tuple[list[Entry], int]:
    """``listing`` (walk()'s, of the ``content`` folder, whose newest modification time is
    ``newest_ns``) without the files the build that left ``state`` wrote, when the
    ``output`` folder is inside the content folder (a Jekyll site's feeds go where its
    articles are listed from: the summary has their stamps), and the newest modification
    time of the rest. An output the state names outside the output folder is no build's
    (a forged state could take content files out of the listing so): it is left in."""
    inside = os.path.relpath(output, content)
    if state is not None and state.outputs and not leads_out(inside):
        prefix = listed_prefix(content)
        written = {
            prefix + os.path.normpath(os.path.join(inside, p))
            for p, _, _ in state.outputs
            if not leads_out(p)
        }
        kept = [entry for entry in listing if entry[0] not in written]
        if len(kept) != len(listing):
            return kept, max((entry[2] for entry in kept), default=0)
    return listing, newest_ns


def unchanged(
    state: State | None,
    key: str,
    newest_ns: int,
    started_ns: int,
    stamp: Callable[[str], tuple[int, int] | None],
    now: float,
) -> bool:
    """Whether a build would write exactly the files the build that left ``state`` did.

    ``key`` is state_key() of this build; ``newest_ns`` its newest content file's
    modification time; ``started_ns`` when it began; ``stamp(path)`` an output file's
    (size, mtime_ns) now, or None; ``now`` the time it builds at (a timestamp).
    """
    if state is None or state.key != key:
        return False
    if not state.valid_from <= now < state.valid_until:
        return False
    # Stamps equal but taken too soon after a change: contents decide, in the slow path.
    recent = min(started_ns, state.taken_ns) - RACY_NS
    if newest_ns > recent:
        return False
    for path, size, mtime_ns, ctime_ns in state.inputs:
        if content_version(path) != (size, mtime_ns, ctime_ns) or mtime_ns > recent:
            return False
    if state.ledger is not None:
        path, size, mtime_ns = state.ledger
        if size_and_time(path) != (size, mtime_ns) or not settled(mtime_ns, state.taken_ns):
            return False
    for relative, size, mtime_ns in state.outputs:
        if stamp(relative) != (size, mtime_ns):
            return False
        if not settled(mtime_ns, state.taken_ns):
            return False  # a coarse time: the slow path compares the bytes
    return True


def read_state(path: str | Path, fingerprint: str) -> State | None:
    """The state in the cache file at ``path``, or None (see read_body and state_in)."""
    body = read_body(path, fingerprint)
    if body is None:
        return None
    try:
        return state_in(json.loads(bytes(body)))
    except (ValueError, RecursionError):
        return None


def state_out(state: State) -> dict[str, Any]:
    """``state`` as plain JSON values (state_in reads them back)."""
    return {
        "key": state.key,
        "taken_ns": state.taken_ns,
        "valid_from": float_out(state.valid_from),
        "valid_until": float_out(state.valid_until),
        "outputs": {path: [size, mtime_ns] for path, size, mtime_ns in state.outputs},
        "articles": state.articles,
        "warnings": state.warnings,
        "scheduled": [[source, datetime_out(due)] for source, due in state.scheduled],
        "drafts": state.drafts,
        "skipped": state.skipped,
        "inputs": [list(stamp) for stamp in state.inputs],
        "ledger": list(state.ledger) if state.ledger is not None else None,
        "ids": state.ids,
    }


def state_in(data: Any) -> State | None:
    """The state as read, or None when it is not what state_out writes."""
    try:
        state = State(
            key=str(data["key"]),
            taken_ns=int(data["taken_ns"]),
            valid_from=float(data["valid_from"]),
            valid_until=float(data["valid_until"]),
            outputs=tuple((str(p), int(size), int(t)) for p, (size, t) in data["outputs"].items()),
            articles=int(data["articles"]),
            warnings=tuple(str(warning) for warning in data["warnings"]),
            scheduled=tuple((str(s), datetime_in(due)) for s, due in data["scheduled"]),
            drafts=tuple(str(draft) for draft in data["drafts"]),
            skipped=int(data["skipped"]),
            inputs=tuple((str(p), int(s), int(m), int(c)) for p, s, m, c in data["inputs"]),
            ledger=_ledger_in(data["ledger"]),
            ids=None if data["ids"] is None else str(data["ids"]),
        )
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None
    return state


def _ledger_in(data: Any) -> tuple[str, int, int] | None:
    if data is None:
        return None
    path, size, mtime_ns = data
    return (str(path), int(size), int(mtime_ns))


def datetime_out(value: datetime) -> str:
    return value.isoformat()


def datetime_in(value: Any) -> datetime:
    result = datetime.fromisoformat(value)  # TypeError unless text
    if result.tzinfo is None:
        raise ValueError("a cached time without its offset")
    return result


def float_out(value: float) -> float | str:
    """A number as JSON holds it: an infinity (which msgspec would write as null) as the
    text float() reads back."""
    return value if math.isfinite(value) else repr(value)
