"""The on-disk build cache: parsed articles, rendered HTML, rendered feeds, last result.

The cache is only an optimisation: every entry is checked against the files it
came from (size and modification time, and a content hash for files changed
too recently for their time to be trusted), against the configuration and against
feedtool's own code, and anything in doubt is read again. A cache that cannot be
read is ignored. So a build gives the same bytes with or without it.

Layout of the cache folder (default ``.feedtool-cache``):

- ``articles-N.pickle``: parsed articles, in shards, so one edit rewrites one shard;
- ``entries.pickle``: rendered, sanitised HTML and summaries of articles in feeds;
- ``documents.pickle``: which output file holds what a rendered feed file showed (by a
  digest of everything in it), with a digest of its bytes: the bytes themselves are
  read back from the output folder, and used only when they still match;
- ``state.pickle``: what the last build read and wrote, for "nothing changed".
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__
from .config import SiteConfig
from .model import Article, Entry
from .scan import Source, tree_stamp
from .stamps import RACY_NS, Stamp, settled, size_and_time, stamp, still_valid

if TYPE_CHECKING:
    from .loader import Loaded
    from .parallel import Background

CACHE_FORMAT = 5
SHARDS = 16
_DEPENDENCIES = ("feedgen", "lxml", "cmarkgfm", "nh3", "yaml", "dateutil", "click")


def fingerprint(config: SiteConfig) -> str:
    """What every cached thing depends on besides its files: config, code, libraries."""
    parts = [CACHE_FORMAT, __version__, sys.version, repr(config), config.source]
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            info = path.stat()
            parts.append((str(path.relative_to(package)), info.st_size, info.st_mtime_ns))
    for name in _DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        parts.append((name, origin, size_and_time(origin) if origin else None))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@dataclass
class State:
    """The last successful build: what it read, what it wrote, what it said."""

    key: str  # digest of the inputs' stamps, the options and the fingerprint
    taken_ns: int
    # Until a post is due or an article's date is reached again, `now` changes nothing.
    valid_from: float
    valid_until: float
    outputs: dict[str, tuple[int, int]]  # output path -> (size, mtime_ns) after writing
    articles: int
    warnings: list[str]
    scheduled: list[tuple[str, datetime]]
    drafts: list[str]
    skipped: int
    # Local enclosure files the articles depend on, beyond their own files: (path, size, mtime).
    inputs: list[tuple[str, int, int]] = field(default_factory=list)


class _Document(NamedTuple):
    """A feed file a build rendered, as the cache keeps it: where, and how to know it."""

    path: str  # in the output folder
    content: bytes  # SHA-256 of its bytes
    warnings: list[str]  # what rendering it said
    size_time: tuple[int, int] | None = None  # as a build saw it, when that can be trusted


class DiskFiles(Mapping[str, bytes]):
    """Output files known to be exactly what a build would write, read when asked for."""

    def __init__(self, output_dir: Path, paths: Iterable[str]) -> None:
        self._output_dir = output_dir
        self._paths = sorted(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return (self._output_dir / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class Cache:
    """One build's view of the cache folder. Nothing is written before save_articles()
    (which a build calls once its articles are read) or save()."""

    def __init__(self, directory: Path, config: SiteConfig, output_dir: Path | None = None) -> None:
        self.directory = directory
        self.output_dir = output_dir  # where rendered files are looked for (see document)
        self.fingerprint = fingerprint(config)
        self._now_ns = self.started_ns = time.time_ns()
        self.complete = True  # every article read was kept: the state may be saved
        self._newest_input_ns = 0
        self._known: dict[str, tuple[int, int]] = {}  # content files stat'ed by state_key
        self.tree: list[tuple[str, int, int]] | None = None  # state_key's listing, if plain
        # body path -> (stamps of its files, its sidecar's path or None, the article)
        self._shards: dict[int, dict[str, tuple[tuple[Stamp, ...], str | None, Article]]] | None = (
            None
        )
        self._dirty_shards: set[int] = set()
        self._fresh: dict[str, tuple[Stamp, ...]] = {}  # source -> stamps, read or checked now
        self._entries: dict[str, tuple[tuple[Stamp, ...], Article, Entry]] | None = None
        self._used_entries: set[str] = set()
        self._entries_dirty = False
        self._documents: dict[str, _Document] | None = None  # by a digest of its inputs
        # Output files document() took as they are: path -> (size, mtime_ns) when read.
        self.outputs_seen: dict[str, tuple[int, int]] = {}
        self._used_documents: set[str] = set()
        self._new_documents = False

    # --- the whole build --------------------------------------------------------------

    def state_key(self, content_dir: Path, options: tuple[object, ...]) -> str | None:
        """A digest of every content file's name, size and time, the options and the
        fingerprint; None when the content tree cannot be summed up plainly."""
        tree = tree_stamp(content_dir)
        if tree is None:
            return None
        stamps, self._newest_input_ns = tree
        self.tree = stamps
        self._known = {path: (size, mtime) for path, size, mtime in stamps}
        digest = hashlib.blake2b(repr((self.fingerprint, options)).encode(), digest_size=16)
        # Fields and files all end in NUL, which no path holds: one text per listing,
        # made faster than repr() makes it (50,000 files: 20 ms, not 60).
        listing = "".join([f"{path}\0{size}\0{mtime}\0" for path, size, mtime in stamps])
        digest.update(listing.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def unchanged(self, key: str, output_dir: Path, now: datetime) -> State | None:
        """The last build's state, when this build would write exactly the same files.

        ``key`` is state_key() of this build's sources and options.
        """
        state = self._read("state.pickle")
        if not isinstance(state, State) or state.key != key:
            return None
        if not state.valid_from <= now.timestamp() < state.valid_until:
            return None
        # Stamps equal but taken too soon after a change: contents decide, in the slow path.
        recent = min(self._now_ns, state.taken_ns) - RACY_NS
        if self._newest_input_ns > recent:
            return None
        for path, size, mtime_ns in state.inputs:
            if size_and_time(path) != (size, mtime_ns) or mtime_ns > recent:
                return None
        for relative, (size, mtime_ns) in state.outputs.items():
            try:
                info = os.stat(output_dir / relative)
            except OSError:
                return None
            if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
                return None
            if not settled(mtime_ns, state.taken_ns):
                return None  # a coarse time: the slow path compares the bytes
        return state

    def save_state(self, state: State) -> None:
        self._write("state.pickle", state)

    # --- articles -------------------------------------------------------------------------

    def articles(self, sources: list[Source]) -> list[Article | None]:
        """Each source's article, where its files are as they were when it was read."""
        index: dict[str, tuple[tuple[Stamp, ...], str | None, Article]] = {}
        for shard in self._load_shards().values():
            index.update(shard)
        known, fresh = self._known, self._fresh
        found: list[Article | None] = []
        for source in sources:  # every article of a big site: plain loops, few calls
            hit = index.get(source.path)
            if hit is None or hit[1] != source.sidecar:  # new, or a sidecar came or went
                found.append(None)
                continue
            stamps = hit[0]
            for recorded in stamps:
                if recorded[3] is None and known.get(recorded[0]) == (recorded[1], recorded[2]):
                    continue  # the usual case, without a call
                if not still_valid(recorded, known):
                    found.append(None)
                    break
            else:
                fresh[source.path] = stamps
                found.append(hit[2])
        return found

    def remember(self, read: list[Loaded]) -> None:
        """Keep articles just read with the stamps of their files.

        An article with a file changed within RACY_NS of this build's start is not kept
        (the file may change again unseen: say an enclosure still being copied), and the
        build then saves no "nothing changed" state either (see ``complete``).
        """
        # Stamps from before the file was read (state_key's scan): if it changed while
        # being read, the stamp is already out of date and the next build reads it again.
        known, settled = self._known, self.started_ns - RACY_NS
        shards, fresh = self._load_shards(), self._fresh
        for loaded in read:  # every article of a first build: plain loops, no calls
            stamps: list[Stamp] = []
            for path in loaded.inputs:
                found = known.get(path)
                if found is not None and found[1] <= settled:
                    stamps.append((path, found[0], found[1], None))
                    continue
                taken = stamp(path, self._now_ns, known)
                if taken is None or taken[2] > settled:
                    self.complete = False
                    break
                stamps.append(taken)
            else:
                key, checked = loaded.inputs[0], tuple(stamps)
                number = _shard(key)
                shards[number][key] = (checked, loaded.sidecar, loaded.article)
                self._dirty_shards.add(number)
                fresh[key] = checked

    def inputs_beyond_sources(self) -> list[tuple[str, int, int]]:
        """The files besides bodies the articles depend on (sidecars, local enclosures,
        wherever they are, hidden folders included), with their size and time."""
        extra: set[tuple[str, int, int]] = set()
        for stamps in self._fresh.values():
            extra.update((s[0], s[1], s[2]) for s in stamps[1:])
        return sorted(extra)

    def prune_articles(self, sources: list[Source]) -> None:
        """Forget articles whose files are gone, so the cache does not grow forever."""
        alive = {str(s.path) for s in sources}
        for number, shard in self._load_shards().items():
            for key in [k for k in shard if k not in alive]:
                del shard[key]
                self._dirty_shards.add(number)

    def _load_shards(self) -> dict[int, dict[str, tuple[tuple[Stamp, ...], str | None, Article]]]:
        if self._shards is None:
            self._shards = {}
            for number in range(SHARDS):
                data = self._read(f"articles-{number}.pickle")
                self._shards[number] = data if isinstance(data, dict) else {}
        return self._shards

    # --- rendered HTML ----------------------------------------------------------------------

    def entry(self, article: Article) -> Entry | None:
        """The rendered entry of an article whose files and metadata are unchanged."""
        if self._entries is None:
            data = self._read("entries.pickle")
            self._entries = data if isinstance(data, dict) else {}
        self._used_entries.add(article.source)
        stamps = self._fresh.get(article.source)
        hit = self._entries.get(article.source)
        if hit is not None and stamps is not None and hit[0] == stamps and hit[1] == article:
            return hit[2]
        return None

    def keep_entry(self, entry: Entry) -> None:
        """Keep an entry rendered now (only for an article whose files were stamped)."""
        source = entry.article.source
        stamps = self._fresh.get(source)
        if self._entries is not None and stamps is not None:
            self._entries[source] = (stamps, entry.article, entry)
            self._used_entries.add(source)
            self._entries_dirty = True

    # --- rendered feeds -----------------------------------------------------------------------

    def document(self, key: tuple[object, ...], path: str) -> tuple[bytes, list[str]] | None:
        """The file at ``path`` a build rendered from exactly these inputs, as it is in
        the output folder, if it is still there unchanged (see ``outputs_seen``)."""
        if self._documents is None:
            data = self._read("documents.pickle")
            self._documents = data if isinstance(data, dict) else {}
        digest = _digest(key)
        self._used_documents.add(digest)
        hit = self._documents.get(digest)
        if not isinstance(hit, _Document) or hit.path != path or self.output_dir is None:
            return None
        found = _read_regular(self.output_dir / path)
        if found is None:
            return None
        data, size_time = found
        # The size and time a build saw the file with (as the "nothing changed" check
        # trusts them too), or else the bytes themselves, decide.
        if size_time != hit.size_time:
            if _content_digest(data) != hit.content:
                return None  # edited, removed or replaced since: render it again
            if settled(size_time[1], self.started_ns):  # next time, size and time will do
                self._documents[digest] = hit._replace(size_time=size_time)
                self._new_documents = True
        if settled(size_time[1], self.started_ns):  # else compared again before writing
            self.outputs_seen[path] = size_time
        return data, hit.warnings

    def keep_document(
        self, key: tuple[object, ...], path: str, result: tuple[bytes, list[str]]
    ) -> None:
        """Remember a file rendered now: its bytes' digest, for document() to check."""
        if self._documents is not None:
            digest = _digest(key)
            self._documents[digest] = _Document(path, _content_digest(result[0]), result[1])
            self._used_documents.add(digest)
            self._new_documents = True

    def outputs_written(self, written: Mapping[str, tuple[int, int]]) -> None:
        """Note the size and time of every file a build just wrote (or left as it was):
        the next build takes a file with exactly those as still holding these bytes."""
        if self._documents is None:
            return
        now = time.time_ns()
        for digest in self._used_documents:
            hit = self._documents.get(digest)
            if hit is None or hit.path not in written or written[hit.path] == hit.size_time:
                continue
            size_time = written[hit.path]
            self._documents[digest] = hit._replace(
                # A time too coarse to tell a rewrite by: the bytes are compared next time.
                size_time=size_time if settled(size_time[1], now) else None
            )
            self._new_documents = True

    # --- storage ----------------------------------------------------------------------------

    def save_articles(self) -> Background | None:
        """Start writing the articles that changed, in a helper process when possible:
        a big site's first build would otherwise spend a tenth of its time on it,
        with a core idle. wait() for the result before the build ends. None when no
        article changed."""
        from .parallel import Background

        if not self._dirty_shards:
            return None
        shards = self._shards or {}
        dirty, self._dirty_shards = sorted(self._dirty_shards), set()

        def write() -> None:
            with contextlib.suppress(OSError):
                self.directory.mkdir(parents=True, exist_ok=True)
                for number in dirty:
                    self._write(f"articles-{number}.pickle", shards[number])

        return Background(write)

    def save(self) -> None:
        """Write what changed; a cache that cannot be written only costs speed next time."""
        saving = self.save_articles()
        if saving is not None:
            saving.wait()
        with contextlib.suppress(OSError):
            self.directory.mkdir(parents=True, exist_ok=True)
            if self._entries is not None:
                kept = {k: v for k, v in self._entries.items() if k in self._used_entries}
                if self._entries_dirty or kept.keys() != self._entries.keys():
                    self._write("entries.pickle", kept)
            if self._documents is not None:
                kept_docs = {k: v for k, v in self._documents.items() if k in self._used_documents}
                if self._new_documents or kept_docs.keys() != self._documents.keys():
                    self._write("documents.pickle", kept_docs)

    def _read(self, name: str) -> Any:
        try:
            with open(self.directory / name, "rb") as handle:
                header = pickle.load(handle)
                if header != (CACHE_FORMAT, self.fingerprint):
                    return None
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - a cache that cannot be read is no cache
            return None

    def _write(self, name: str, data: object) -> None:
        import tempfile  # not needed when nothing changed, and that start-up is counted

        fd, temp = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((CACHE_FORMAT, self.fingerprint), handle, protocol=5)
                pickle.dump(data, handle, protocol=5)
            os.replace(temp, self.directory / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def _digest(key: tuple[object, ...]) -> str:
    # repr, not pickle: equal records always print the same, while pickle's bytes
    # depend on which equal strings happen to be one object in memory.
    text = repr(key).encode("utf-8", "surrogatepass")  # small: output.py digests its parts
    return hashlib.blake2b(text, digest_size=20).hexdigest()


def _content_digest(data: bytes) -> bytes:
    # SHA-256: most CPUs compute it in hardware, twice as fast as BLAKE2 on a big site's
    # feeds (17 MB at 10,000 articles); this guards against edits, not attacks, either way.
    return hashlib.sha256(data).digest()


def _read_regular(path: Path) -> tuple[bytes, tuple[int, int]] | None:
    """A regular file's bytes and (size, mtime_ns); None for anything else (a FIFO would
    make a read wait) and for a file that changes while it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
        after = os.fstat(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    size_time = (after.st_size, after.st_mtime_ns)
    return (data, size_time) if (before.st_size, before.st_mtime_ns) == size_time else None


def _shard(path: Path | str) -> int:
    return zlib.crc32(str(path).encode("utf-8", "surrogatepass")) % SHARDS
