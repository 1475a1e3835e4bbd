"""The on-disk build cache: parsed articles, rendered HTML and feeds, the last result
and its plans.

The cache is only an optimisation: every entry is checked against the files it
came from (size and modification time, and a content hash for files changed
too recently for their time to be trusted), against the configuration and against
feedtool's own code, and anything in doubt is read again; the last build's plans are
taken only on the conditions kept.py gives. A cache that cannot be read is ignored. So
a build gives the same bytes with or without it.

Layout of the cache folder (default ``.feedtool-cache``; its files' format is
files.py's, JSON through codec.py):

- ``articles-N.json``: parsed articles, in shards, so one edit rewrites one shard;
- ``entries.json`` and ``documents.json``: rendered HTML and feed files (rendered.py);
- ``state.json``: what the last build read and wrote, for "nothing changed" (summary.py);
- ``kept.json``: the plans it rendered, for a build in which only bodies changed (kept.py);
- ``answer.json``: what the command line printed for it, and for which command
  (cli/quick.py).
"""

from __future__ import annotations

import contextlib
import math
import time
import zlib
from collections.abc import Callable, Mapping
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import msgspec

from feedtool.cache import codec, summary
from feedtool.cache.folder import SHARDS, CacheFolder, fingerprint
from feedtool.cache.kept import FILENAME as KEPT
from feedtool.cache.kept import Kept, changed_at, kept_out, numbers_at
from feedtool.cache.rendered import DiskRenderCache, PublishedFiles
from feedtool.cache.stamps import (
    RACY_NS,
    ListedFile,
    Stamp,
    settled,
    size_and_time,
    stamp,
    still_valid,
)
from feedtool.cache.summary import CACHE_FORMAT, Question, State
from feedtool.config import SiteConfig
from feedtool.model import Article
from feedtool.parallel import Background
from feedtool.plan.feeds import FeedPlan
from feedtool.read.readers import reader_for
from feedtool.read.sources import Listed, Source, list_content

if TYPE_CHECKING:
    from feedtool.parallel import Background
    from feedtool.read.record import Loaded

__all__ = ["CACHE_FORMAT", "DiskCache", "Outcome", "State", "fingerprint"]


class Outcome(msgspec.Struct, frozen=True):
    """What a build published and said, kept for the next build's "nothing changed" and
    its kept plans."""

    published: list[Article]
    scheduled: list[Article]  # future posts, soonest first
    warnings: list[str]
    drafts: list[str]
    skipped: int  # bad articles left out (then no state is kept)
    ledger: Path | None  # the ledger of published ids, as the build left it
    # What the ledger knows the published articles by (publish.ledger.known_by), when
    # the build checked and recorded them against it.
    ids: str | None = None
    # When an article's visibility last changed and next changes (None: never; see
    # plan.select.unchanged_between): the same feeds in between.
    unchanged: tuple[datetime | None, datetime | None] = (None, None)
    # Until when some article's update is a day ahead of the clock (read.metadata.late_until).
    late_until: float | None = None
    # The plans rendered, and how many article files were read: kept for a next build in
    # which only bodies change (kept.py).
    plans: list[FeedPlan] = msgspec.field(default_factory=list)
    files_read: int = 0


class KeptBuild(NamedTuple):
    """The last build's plans, as DiskCache.kept found them usable (see kept.py)."""

    state: State  # that build's
    record: Kept  # what kept.json holds
    # The files changed since, as listed now (in the listing's order), each to be read
    # again; and each one's size and times as that build listed it, by path.
    changed: list[ListedFile]
    was: dict[str, ListedFile]


class DiskCache:
    """One build's view of the cache folder. Nothing is written before save_articles()
    (which a build calls once its articles are read), save(), save_state() or, with the
    state, kept.json (finish() and finish_kept())."""

    def __init__(self, directory: Path, config: SiteConfig, listed: Listed | None = None) -> None:
        """A cache in ``directory`` for builds of ``config``'s site; the output folder, where
        rendered feeds are taken back from, is given to nothing_changed()."""
        self.directory = directory
        self.fingerprint = fingerprint(config)
        self._roots = config.content_roots
        self._listed = reader_for(config).listed  # what its listing leaves out
        self._given = listed  # the content folder listed already, if it was (nothing_changed)
        self._storage = CacheFolder(directory, self.fingerprint)
        self.started_ns = time.time_ns()  # "now" for every stamp this build takes
        self.complete = True  # every article read was kept: the state may be saved
        self._known_files: dict[str, ListedFile] | None = None  # see _known
        self.tree: list[tuple[str, int, int, int]] | None = None  # state_key's listing, if plain
        self.last: State | None = None  # the last build's state, as unchanged() read it
        # Shard number -> body path -> (stamps of its files, its sidecar's path or None, the
        # article): each read when first asked for (see _shard).
        self._shards: dict[int, dict[str, tuple[tuple[Stamp, ...], str | None, Article]]] = {}
        self._dirty_shards: set[int] = set()
        self._fresh: dict[str, tuple[Stamp, ...]] = {}  # source -> stamps, read or checked now
        # Rendered entries and feed files, for articles checked here (see rendered.py).
        self.rendered = DiskRenderCache(self._storage, self._fresh, None, self.started_ns)
        self._key: str | None = None  # this build's state_key, once nothing_changed asked
        self._keyed: list[tuple[str, int, int, int]] = []  # the listing it was hashed from
        self._asked: Question | None = None  # and what it asked, to compute that key
        self._answering: State | None = None  # the state saved or found unchanged for it

    # --- what a build asks (pipeline.BuildCache) ---------------------------------------------

    def nothing_changed(
        self,
        content: Path,
        output: Path,
        options: tuple[object, ...],
        published: PublishedFiles,
        now: datetime,
        stamp: Callable[[str], tuple[int, int] | None],
    ) -> State | None:
        """The last build's state when this one would write exactly the same files (see
        summary.unchanged); ``published`` is the output folder, ``stamp`` its files'
        stamps."""
        self.rendered.published = published
        roots = tuple(str(root) for root in self._roots)
        listed = self._given  # listed earlier in this process, if it was, by the same rules
        if listed is None or listed[:3] != (str(content), roots, self._listed):
            listed = list_content(str(content), roots, self._listed)
        if listed is None:  # problems listing it: the build reads and reports them
            return None
        self.tree = listed.files
        # This build's stamps are as old as its listing.
        self.started_ns = min(self.started_ns, listed.taken_ns)
        state = self.last = summary.read_state(
            self._storage.directory / "state.json", self.fingerprint
        )
        listing, newest_ns = summary.without_outputs(
            listed.files, listed.newest, str(content), str(output), state
        )
        self._key = summary.state_key(self.fingerprint, options, listing)
        self._keyed = listing
        hidden, skipped = self._listed
        self._asked = Question(
            self.fingerprint, options, str(content), roots, hidden, tuple(sorted(skipped))
        )
        if summary.unchanged(state, self._key, newest_ns, self.started_ns, stamp, now.timestamp()):
            self._answering = state
        return self._answering

    def answer(self) -> tuple[Question, State] | None:
        """What this build asked nothing_changed, and the state that now answers it:
        saved by finish(), or found unchanged (for cli/quick.py); None when none does."""
        if self._asked is None or self._answering is None:
            return None
        return self._asked, self._answering

    def listing(self) -> list[tuple[str, int, int, int]] | None:
        return self.tree

    def article_store(self) -> DiskCache:
        return self

    def keep_articles(self, sources: list[Source]) -> Background | None:
        self.prune_articles(sources)
        return self.save_articles()  # by a helper process, while the build renders

    def render_cache(self) -> DiskRenderCache:
        return self.rendered

    def finish(
        self, written: Mapping[str, tuple[int, int]], outcome: Outcome | None, clean: bool
    ) -> None:
        """Save what this build made; and its state, when it wrote (``outcome``) from a
        tree read without problems (``clean``) and every article read was kept."""
        self.rendered.outputs_written(written)
        self.save()
        if outcome is None or not clean or outcome.skipped or not self._key or not self.complete:
            return
        # Not saved after a build that skipped bad articles: what a skipped article would
        # read (a missing enclosure, say) is not known, so its arrival could not be noticed.

        published, (last, upcoming) = outcome.published, outcome.unchanged
        ledger = size_and_time(outcome.ledger) if outcome.ledger is not None else None
        state = State(
            key=self._key,
            taken_ns=self.started_ns,
            # The same articles are published from the last change of any article's
            # visibility until the next; and an update a day ahead of the clock is an
            # error before its day (read.metadata.late_until).
            valid_from=max(
                last.timestamp() if last is not None else -math.inf,
                outcome.late_until if outcome.late_until is not None else -math.inf,
            ),
            valid_until=upcoming.timestamp() if upcoming is not None else math.inf,
            outputs=tuple((path, *size_time) for path, size_time in written.items()),
            articles=len(published),
            warnings=tuple(outcome.warnings),
            scheduled=tuple((a.source, a.published) for a in outcome.scheduled),
            drafts=tuple(outcome.drafts),
            skipped=outcome.skipped,
            inputs=tuple(self.inputs_beyond_sources()),
            ledger=(str(outcome.ledger), *ledger) if outcome.ledger and ledger else None,
            ids=outcome.ids,
        )
        self.save_state(state)
        if outcome.plans and self._answering is state:
            _, numbers = summary.listing_texts(self._keyed)
            kept = kept_out(self._key, state.taken_ns, outcome.files_read, numbers, outcome.plans)
            with contextlib.suppress(OSError):
                self._storage.write(KEPT, kept)

    # --- a build from the last one's plans (kept.py) ----------------------------------------

    def kept(self, now: datetime, ledger: Path | None) -> KeptBuild | None:
        """The last build's plans, when this build may render them as they are: only
        articles' own files changed since, the time is inside its window and ``ledger`` (the
        build's ledger of ids, if any) is as it left it. The caller still reads each changed
        article and asks same_article()."""
        last = self.last
        if last is None or self._asked is None or last.skipped or last.inputs or not last.articles:
            return None
        if not last.valid_from <= now.timestamp() < last.valid_until:
            return None
        if ledger is None:
            if last.ledger is not None:
                return None  # the ids that build published may have come from its ledger
        elif last.ids is None or not self.ids_recorded(ledger, last.ids):
            return None
        kept = self._storage.read(KEPT, Kept)
        if kept is None or kept.taken_ns != last.taken_ns:
            return None
        paths, numbers = summary.listing_texts(self._keyed)
        # The key of today's paths with the sizes and times kept: the state's key only
        # when the paths, the options and the fingerprint are those of that build.
        count, options = len(self._keyed), self._asked.options
        if len(kept.numbers) != len(numbers) or kept.key != last.key:
            return None
        if summary.key_of(self.fingerprint, options, count, paths, kept.numbers) != last.key:
            return None
        at = changed_at(kept.numbers, numbers)
        # At least half of the files must be as that build listed them, to the nanosecond
        # of their change times, which no one can know before the files are made: kept
        # plans from another checkout (a cache folder from elsewhere, after a fresh clone)
        # find every file changed, and are not taken, however well they were forged. At
        # least one: a state whose outputs name the content files would leave none.
        if count == 0 or 2 * len(at) > count:
            return None
        changed = [self._keyed[number] for number in at]
        was = {
            entry[0]: (entry[0], *numbers_at(kept.numbers, number))
            for number, entry in zip(at, changed, strict=True)
        }
        return KeptBuild(last, kept, changed, was)

    def same_article(self, loaded: Loaded, kept: KeptBuild) -> bool:
        """Whether an article read again is what the build that kept the plans had for
        its file: the cache's record of it, stamped as that build listed the file (a
        later build may have read it since and saved no plans), its only input."""
        path = loaded.inputs[0]
        hit = self._shard(_shard(path)).get(path)
        was = kept.was.get(path)
        if hit is None or was is None or len(loaded.inputs) != 1 or loaded.sidecar is not None:
            return False
        stamps, sidecar, article = hit
        return sidecar is None and stamps == ((*was, None),) and article == loaded.article

    def kept_articles(
        self, kept: KeptBuild, read: Mapping[str, Article]
    ) -> dict[str, Article] | None:
        """Every article the kept plans show, by source: those ``read`` again, and the
        rest from the rendered entries (else the article shards) where their file is as
        listed now; None when one is not to be had so."""
        known, fresh = self._known, self._fresh
        entries = self.rendered.stored_entries()
        found: dict[str, Article] = dict(read)
        for plan in kept.record.plans:
            for source in plan.sources:
                if source in found:
                    continue
                listed = known.get(source)
                if listed is None:
                    return None
                stamps: tuple[Stamp, ...] = ((*listed, None),)
                hit = entries.get(source)
                if hit is not None and hit[0] == stamps:
                    found[source] = hit[1]
                else:
                    record = self._shard(_shard(source)).get(source)
                    if record is None or record[0] != stamps or record[1] is not None:
                        return None
                    found[source] = record[2]
                fresh[source] = stamps
        return found

    def finish_kept(
        self, written: Mapping[str, tuple[int, int]], kept: KeptBuild, warnings: list[str] | None
    ) -> None:
        """finish() for a build from kept plans: its state is the last one's, with this
        build's key, time, outputs and ``warnings`` (None: it wrote nothing, with check)."""
        self.rendered.outputs_written(written)
        self.save()
        if warnings is None or not self.complete or self._key is None:
            return
        state = kept.state._replace(
            key=self._key,
            taken_ns=self.started_ns,
            outputs=tuple((path, *size_time) for path, size_time in written.items()),
            warnings=tuple(warnings),
        )
        self.save_state(state)
        if self._answering is state:
            _, numbers = summary.listing_texts(self._keyed)
            renewed = msgspec.structs.replace(
                kept.record, key=self._key, taken_ns=state.taken_ns, numbers=numbers
            )
            with contextlib.suppress(OSError):
                self._storage.write(KEPT, renewed)

    # --- the whole build --------------------------------------------------------------

    @property
    def _known(self) -> dict[str, ListedFile]:
        """The content files state_key listed (as walk() lists them), by path: made when
        first asked for, as a build that answers "nothing changed" never does."""
        if self._known_files is None:
            tree = self.tree or []
            self._known_files = dict(zip(map(itemgetter(0), tree), tree, strict=True))
        return self._known_files

    def ids_recorded(self, ledger: Path, ids: str) -> bool:
        """Whether the ledger at ``ledger`` is as the last build left it, and that build
        checked and recorded articles known by the same ``ids`` (a digest of every
        published article's id, file and link): then this build's check would find
        nothing and its record add nothing, and neither need read the ledger."""
        last = self.last
        return last is not None and last.ids == ids and self.ledger_as_left(ledger)

    def ledger_as_left(self, ledger: Path) -> bool:
        """Whether the ledger at ``ledger`` is as the last build left it after recording
        ids: only then may ids_recorded() spare this build reading it."""
        last = self.last
        if last is None or last.ledger is None:
            return False
        path, size, mtime_ns = last.ledger
        return (
            path == str(ledger)
            and size_and_time(path) == (size, mtime_ns)
            and settled(mtime_ns, last.taken_ns)
        )

    def save_state(self, state: State) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written costs speed only
            self._storage.write("state.json", summary.state_out(state))
            self._answering = state

    # --- articles -------------------------------------------------------------------------

    def articles(self, sources: list[Source]) -> list[Article | None]:
        """Each source's article, where its files are as they were when it was read."""
        index: dict[str, tuple[tuple[Stamp, ...], str | None, Article]] = {}
        for shard in self._load_shards().values():
            index.update(shard)
        known, fresh = self._known, self._fresh
        found: list[Article | None] = []
        keep = found.append
        for path, sidecar in sources:  # every article of a big site: plain loops, few calls
            hit = index.get(path)
            if hit is None:  # new
                keep(None)
                continue
            stamps, kept_sidecar, article = hit
            if len(stamps) == 1 and kept_sidecar == sidecar:  # the usual case
                # Its own file, as listed now (the path is part of what is compared);
                # no digest: its time could be trusted when it was read.
                recorded = stamps[0]
                if recorded[4] is None and known.get(path) == recorded[:4]:
                    fresh[path] = stamps
                    keep(article)
                    continue
            if kept_sidecar != sidecar or not stamps or stamps[0][0] != path:
                # A sidecar came or went; or a record without the article's own file,
                # which remember() always stamps first: it vouches for nothing (no stamp
                # at all would pass every check below).
                keep(None)
                continue
            for recorded in stamps:
                if recorded[4] is None and known.get(recorded[0]) == recorded[:4]:
                    continue  # without a call
                if not still_valid(recorded, known):
                    keep(None)
                    break
            else:
                fresh[path] = stamps
                keep(article)
        return found

    def remember(self, read: list[Loaded]) -> None:
        """Keep articles just read with the stamps of their files.

        An article with a file changed within RACY_NS of this build's start is not kept
        (the file may change again unseen: say an enclosure still being copied), and the
        build then saves no "nothing changed" state either (see ``complete``).
        """
        # Stamps from before the file was read (state_key's scan): if it changed while
        # being read, the stamp is already out of date and the next build reads it again.
        known, cutoff_ns = self._known, self.started_ns - RACY_NS
        fresh, dirty, shards = self._fresh, self._dirty_shards, self._shards
        for loaded in read:  # every article of a first build: plain loops, few calls
            inputs = loaded.inputs
            key = inputs[0]
            found = known.get(key)
            if len(inputs) == 1 and found is not None and found[2] <= cutoff_ns:
                checked: tuple[Stamp, ...] = ((*found, None),)  # the usual case
            else:
                stamps: list[Stamp] = []
                for path in inputs:
                    found = known.get(path)
                    if found is not None and found[2] <= cutoff_ns:
                        stamps.append((*found, None))
                        continue
                    taken = stamp(path, self.started_ns, known)
                    if taken is None or taken[2] > cutoff_ns:
                        break
                    stamps.append(taken)
                if len(stamps) < len(inputs):  # a file changed too recently: not kept
                    self.complete = False
                    continue
                checked = tuple(stamps)
            number = _shard(key)
            shard = shards.get(number)  # read by _shard() once: a call for each article costs
            if shard is None:
                shard = self._shard(number)
            shard[key] = (checked, loaded.sidecar, loaded.article)
            dirty.add(number)
            fresh[key] = checked

    def inputs_beyond_sources(self) -> list[tuple[str, int, int, int]]:
        """The files besides bodies the articles depend on (sidecars, local enclosures,
        wherever they are, hidden folders included), with their size and time."""
        extra: set[tuple[str, int, int, int]] = set()
        for stamps in self._fresh.values():
            if len(stamps) > 1:  # most articles have their body alone
                extra.update((s[0], s[1], s[2], s[3]) for s in stamps[1:])
        return sorted(extra)

    def prune_articles(self, sources: list[Source]) -> None:
        """Forget articles whose files are gone, so the cache does not grow forever."""
        alive = {str(s.path) for s in sources}
        for number, shard in self._load_shards().items():
            for key in [k for k in shard if k not in alive]:
                del shard[key]
                self._dirty_shards.add(number)

    def _load_shards(self) -> dict[int, dict[str, tuple[tuple[Stamp, ...], str | None, Article]]]:
        for number in range(SHARDS):
            self._shard(number)
        return self._shards

    def _shard(self, number: int) -> dict[str, tuple[tuple[Stamp, ...], str | None, Article]]:
        found = self._shards.get(number)
        if found is None:
            found = self._shards[number] = _shard_in(
                self._storage.read(f"articles-{number}.json", codec.Shard)
            )
        return found

    # --- storage ----------------------------------------------------------------------------

    def save_articles(self) -> Background | None:
        """Start writing the articles that changed, in a helper process when possible:
        a big site's first build would otherwise spend a tenth of its time on it,
        with a core idle. wait() for the result before the build ends. None when no
        article changed."""

        if not self._dirty_shards:
            return None
        shards = self._shards
        dirty, self._dirty_shards = sorted(self._dirty_shards), set()

        def write() -> None:
            with contextlib.suppress(OSError):
                for number in dirty:
                    self._storage.write(f"articles-{number}.json", _shard_out(shards[number]))

        return Background(write)

    def save(self) -> None:
        """Write what changed; a cache that cannot be written only costs speed next time."""
        saving = self.save_articles()
        if saving is not None:
            saving.wait()
        with contextlib.suppress(OSError):
            self.rendered.save()


def _shard(path: Path | str) -> int:
    return zlib.crc32(str(path).encode("utf-8", "surrogatepass")) % SHARDS


_ShardEntry = codec.ShardEntry


def _shard_out(shard: dict[str, _ShardEntry]) -> codec.Shard:
    return shard  # written as it is: codec.encode knows the records


def _shard_in(data: codec.Shard | None) -> dict[str, _ShardEntry]:
    """A shard as read (its shape checked by CacheFolder.read), or nothing when it is not
    what _shard_out writes."""
    if data is None:
        return {}
    try:
        return codec.shard_in(data)
    except ValueError:
        return {}
