"""Rendered article HTML and feed files, kept between builds: the cache's (cache.py) half
that rendering asks (output.RenderCache).

- ``entries.json``: each article's rendered, sanitised HTML and summary, with the
  stamps of its files and the article itself: used only while all three are unchanged;
- ``documents.json``: which output file holds what a rendered feed file showed (by a
  digest of everything in it), with the SHA-256 of its bytes, the warnings rendering it
  gave and the size and time a build saw it with. The bytes themselves are read back
  from the output folder (through publish.folder, which reads it once), and used while
  they have that size and time (when stamps.settled says those can be trusted) or else
  that digest.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Protocol

from feedtool.cache import codec
from feedtool.cache.folder import CacheFolder
from feedtool.cache.stamps import Stamp, settled
from feedtool.model import Article, Entry

# Lazy imports: render/html.py (nh3) is imported inside _clean: a build whose files
# are all cached never loads it.


class PublishedFiles(Protocol):
    """What the cache asks of the output folder (publish.folder.OutputFolder)."""

    def read(self, relative: str, /) -> tuple[bytes, tuple[int, int]] | None: ...


class _Document(NamedTuple):
    """A feed file a build rendered, as the cache keeps it: where, and how to know it."""

    path: str  # in the output folder
    content: bytes  # SHA-256 of its bytes
    warnings: list[str]  # what rendering it said
    size_time: tuple[int, int] | None = None  # as a build saw it, when that can be trusted


class DiskRenderCache:
    """One build's view of the rendered entries and feed files the cache holds."""

    def __init__(
        self,
        storage: CacheFolder,
        fresh: Mapping[str, tuple[Stamp, ...]],
        published: PublishedFiles | None,
        started_ns: int,
    ) -> None:
        self._storage = storage
        self._fresh = fresh  # source -> stamps of its files, as the article cache checked them
        self.published = published  # where rendered files are looked for (see document)
        self._started_ns = started_ns
        # source -> (stamps of its files, the article, its content HTML, summary, the
        # entry's digest: see render/documents.py), read and checked at once by msgspec.
        self._entries: codec.Entries | None = None
        self._used_entries: set[str] = set()
        # Entries given back and not yet seen by the sanitiser (see unclean), by source,
        # and the sources of those it has passed or this build rendered; after
        # drop_unclean, entry() checks each entry it gives, as nothing may be left
        # unchecked for a second pass.
        self._unchecked: dict[str, Entry] = {}
        self._passed: set[str] = set()
        self._check_each = False
        self._entries_dirty = False
        self._documents: dict[str, _Document] | None = None  # by a digest of its inputs
        self._used_documents: set[str] = set()
        self._new_documents = False

    def stored_entries(self) -> Mapping[str, codec.EntryRecord]:
        """Every entry the cache holds, by source, as read (kept.py takes articles from
        them as from the article shards); their HTML is checked by entry() and unclean()."""
        if self._entries is None:
            self._entries = _entries_in(self._storage.read("entries.json", codec.Entries))
        return self._entries

    def entry(self, article: Article) -> tuple[Entry, bytes] | None:
        """The rendered entry of an article whose files and metadata are unchanged, and
        the digest keep_entry was given with it. Its HTML is not checked here: see
        unclean(), which every file rendered with it asks first."""
        entries = self.stored_entries()
        self._used_entries.add(article.source)
        stamps = self._fresh.get(article.source)
        hit = entries.get(article.source)
        if hit is None or not stamps:  # no stamp vouches for nothing (see DiskCache.articles)
            return None
        kept_stamps, kept_article, content_html, summary, digest = hit
        if kept_stamps != stamps or kept_article != article:
            return None
        try:
            kept_digest = bytes.fromhex(digest)
        except ValueError:
            return None  # not what keep_entry wrote: rendered again
        entry = Entry(article=article, content_html=content_html, summary=summary)
        if article.source not in self._passed:
            if self._check_each:
                if not _clean(entry):
                    return None  # rendered again, from its file
                self._passed.add(article.source)
            else:
                self._unchecked[article.source] = entry
        return entry, kept_digest

    def unclean(self, entries: Iterable[Entry]) -> list[str]:
        """The sources of those of ``entries`` given back by entry() whose HTML is not what
        the sanitiser makes of it, in their order.

        A cache folder can come from anywhere, and its HTML goes into feeds as it is: it
        is trusted no more than a body just rendered. It is checked only where it goes
        into a file rendered now, though: a big site's edit takes back hundreds of entries
        and renders a few files, while a file taken back from the output folder holds
        what was published already (see document), whatever an entry in the cache says.
        """
        bad: list[str] = []
        for entry in entries:
            source = entry.article.source
            if source not in self._unchecked:
                continue  # rendered now, or checked already
            if _clean(entry):
                del self._unchecked[source]
                self._passed.add(source)
            elif source not in bad:
                bad.append(source)
        return bad

    def drop_unclean(self) -> None:
        """Check every entry given back so far, and forget those the sanitiser would
        change: entry() then has none for their articles, which are rendered again from
        their files. From then on entry() checks each entry as it gives it (and gives none
        that fails), so unclean() finds nothing among what it gives."""
        for source, entry in sorted(self._unchecked.items()):
            if _clean(entry):
                self._passed.add(source)
            elif self._entries is not None:  # it gave the entry: it has it
                del self._entries[source]
        self._unchecked.clear()
        self._check_each = True

    def keep_entry(self, entry: Entry, digest: bytes) -> None:
        """Keep an entry rendered now, with its digest (only for an article whose files
        were stamped). Rendered now, it is as trusted as any body just rendered: unclean()
        does not ask the sanitiser about it (HTML made from some summaries is not what a
        second cleaning makes of it, and is not for that a forgery)."""
        source = entry.article.source
        self._unchecked.pop(source, None)
        self._passed.add(source)
        stamps = self._fresh.get(source)
        if self._entries is not None and stamps is not None:
            self._entries[source] = (
                stamps,
                entry.article,
                entry.content_html,
                entry.summary,
                digest.hex(),
            )
            self._used_entries.add(source)
            self._entries_dirty = True

    def document(self, key: tuple[object, ...], path: str) -> tuple[bytes, list[str]] | None:
        """The file at ``path`` a build rendered from exactly these inputs, as it is in
        the output folder, if it is still there unchanged."""
        if self._documents is None:
            self._documents = _documents_in(self._storage.read("documents.json"))
        digest = _digest(key)
        self._used_documents.add(digest)
        hit = self._documents.get(digest)
        if not isinstance(hit, _Document) or hit.path != path or self.published is None:
            return None
        found = self.published.read(path)
        if found is None:
            return None
        data, size_time = found
        # The size and time a build saw the file with (as the "nothing changed" check
        # trusts them too), or else the bytes themselves, decide.
        if size_time != hit.size_time:
            if _content_digest(data) != hit.content:
                return None  # edited, removed or replaced since: render it again
            if settled(size_time[1], self._started_ns):  # next time, size and time will do
                self._documents[digest] = hit._replace(size_time=size_time)
                self._new_documents = True
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

    def save(self) -> None:
        """Write what changed (raises OSError; see CacheFolder.write)."""
        if self._entries is not None:
            kept = {k: v for k, v in self._entries.items() if k in self._used_entries}
            if self._entries_dirty or kept.keys() != self._entries.keys():
                self._storage.write("entries.json", kept)
        if self._documents is not None:
            kept_docs = {k: v for k, v in self._documents.items() if k in self._used_documents}
            if self._new_documents or kept_docs.keys() != self._documents.keys():
                self._storage.write("documents.json", _documents_out(kept_docs))


def _entries_in(data: codec.Entries | None) -> codec.Entries:
    """The entries as read (their shape checked by CacheFolder.read), or none when they
    are not what keep_entry wrote."""
    if data is None:
        return {}
    try:
        return codec.entries_in(data)
    except ValueError:
        return {}


def _clean(entry: Entry) -> bool:
    """Whether an entry's HTML is what the sanitiser leaves as it is (see unclean).
    Cleaning is a fixpoint (render.html), so HTML this feedtool made passes, and anything
    else is rendered again."""
    # Imported here: nh3 is not needed by a build that finds nothing changed.
    from feedtool.render.html import is_clean

    return is_clean(entry.content_html, entry.article.link)


def _digest(key: tuple[object, ...]) -> str:
    # repr, not pickle: equal records always print the same, while pickle's bytes
    # depend on which equal strings happen to be one object in memory.
    text = repr(key).encode("utf-8", "surrogatepass")  # small: output.py digests its parts
    return hashlib.blake2b(text, digest_size=20).hexdigest()


def _content_digest(data: bytes) -> bytes:
    # SHA-256: most CPUs compute it in hardware, twice as fast as BLAKE2 on a big site's
    # feeds (17 MB at 10,000 articles); this guards against edits, not attacks, either way.
    return hashlib.sha256(data).digest()


def _documents_out(documents: dict[str, _Document]) -> dict[str, list[Any]]:
    return {
        digest: [d.path, d.content.hex(), d.warnings, list(d.size_time) if d.size_time else None]
        for digest, d in documents.items()
    }


def _documents_in(data: Any) -> dict[str, _Document]:
    """The documents as read, or none when they are not what _documents_out writes."""
    if not isinstance(data, dict):
        return {}
    try:
        return {
            str(digest): _Document(
                str(path),
                bytes.fromhex(content),
                [str(warning) for warning in warnings],
                (int(size_time[0]), int(size_time[1])) if size_time is not None else None,
            )
            for digest, (path, content, warnings, size_time) in data.items()
        }
    except (TypeError, ValueError, KeyError, IndexError):
        return {}
