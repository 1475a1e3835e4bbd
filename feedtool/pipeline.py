"""build(): a site's articles to published feeds, in six stages that never reach back.

  1. read      read/content.py  the content folder -> Article records (metadata only)
  2. select    plan/             drafts and future posts out, newest first, ids kept,
                                 groups, archive pages -> FeedPlans
  3. bodies    read/body_text.py    the text of the bodies some plan shows (only those),
                                 rendered to safe HTML entries (render/documents.py)
  4. render    render/documents.py   plans -> bytes per format
  5. validate  validators/       the bytes, before anything is written
  6. publish   publish/write.py  the only stage that reads or writes the output folder

Each stage is a plain function over immutable records (model.py), and returns one
frozen record carrying its own problems. The output folder and the ledger of published
ids are read once, as a value (publish.write.snapshot). The cache (cache/), made by
the caller, sits beside this line: it answers "do I already have this?" through small
Protocols (BuildCache below; read.content.SourceStore and read.metadata.ArticleStore for
articles; render.documents.RenderCache for entries and files), and a build without it runs
the same stages and writes the same bytes.

A build in which only articles' bodies changed since the last one (cache/kept.py) does
stages 1 and 2 as "read the changed articles again, find them what the last build had,
take its plans" (_build_kept), and stages 3 to 6 as any build: a one-article edit of a
big site does not decode and plan every article again to find the same plans. When the
plans turn out not to be takeable (at the latest as the files are rendered, before
anything is validated or written), it gives up and the build starts over at stage 1:
the one way back, and it has published nothing.

Reading, rendering and validating load much (YAML, cmark, lxml, feedgen): their modules
are imported inside the helpers below that call them, because the cache's "nothing
changed" answer needs none of them. Everything else is imported here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import msgspec
from msgspec.structs import replace

from feedtool import parallel
from feedtool.cache.kept import plans_in
from feedtool.cache.store import DiskCache, KeptBuild, Outcome
from feedtool.config import PLACEHOLDER_BASE_URL, SiteConfig
from feedtool.errors import (
    ContentError,
    FeedtoolError,
    ManyErrors,
    NothingToPublish,
    Notice,
    PublishError,
    raise_all,
)
from feedtool.model import Article, BuildStep, ProgressHook
from feedtool.plan.feeds import FeedPlan, plan_feeds
from feedtool.plan.select import scheduled_articles, unchanged_between
from feedtool.publish import ledger
from feedtool.publish import write as publish
from feedtool.publish.folder import DiskFiles, OutputFolder
from feedtool.publish.ledger import check_ids, kept_ids
from feedtool.read import content as read_stage
from feedtool.read.content import Read, SourceStore
from feedtool.read.readers import Reader, reader_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedtool.cache.rendered import PublishedFiles
    from feedtool.cache.store import State
    from feedtool.read.record import Loaded
    from feedtool.read.sources import Listed
    from feedtool.render.documents import Entries, RenderCache, Rendered
    from feedtool.validators import Problem  # loads lxml: not before a build renders


class BuildCache(SourceStore, Protocol):
    """What build() asks of a cache (cache.store.DiskCache, made by the caller)."""

    def nothing_changed(
        self,
        content: Path,
        output: Path,
        options: tuple[object, ...],
        published: PublishedFiles,
        now: datetime,
        stamp: Callable[[str], tuple[int, int] | None],
        /,
    ) -> State | None:
        """The last build's state, when this build would write exactly the same files."""
        ...

    def render_cache(self) -> RenderCache: ...

    def ids_recorded(self, ledger: Path, ids: str, /) -> bool:
        """Whether the last build left ``ledger`` as it is now, after checking and
        recording articles known by the same ``ids`` (publish.ledger.known_by), which
        the ledger kept no other id or link for."""
        ...

    def ledger_as_left(self, ledger: Path, /) -> bool:
        """Whether ``ledger`` is as the last build left it after recording ids (else
        ids_recorded is false whatever the ids)."""
        ...

    def finish(
        self, written: Mapping[str, tuple[int, int]], outcome: Outcome | None, clean: bool, /
    ) -> None:
        """Save what this build made (``outcome``: what it published, when it wrote)."""
        ...

    # A build from the last build's plans (_build_kept; cache/kept.py).

    def kept(self, now: datetime, ledger: Path | None, /) -> KeptBuild | None:
        """The last build's plans, when only articles' own files changed since."""
        ...

    def same_article(self, loaded: Loaded, kept: KeptBuild, /) -> bool:
        """Whether an article read again is what the build that kept the plans had."""
        ...

    def kept_articles(
        self, kept: KeptBuild, read: Mapping[str, Article], /
    ) -> Mapping[str, Article] | None:
        """Every article the kept plans show, by source (``read``: those read again)."""
        ...

    def finish_kept(
        self, written: Mapping[str, tuple[int, int]], kept: KeptBuild, warnings: list[str] | None, /
    ) -> None:
        """finish() for a build from kept plans (``warnings`` None: it wrote nothing)."""
        ...


class BuildOptions(msgspec.Struct, frozen=True):
    """How to build: every choice besides what to read, where to write and the site."""

    now: datetime | None = None  # decides which posts are due (as an instant); None: the clock
    check: bool = False  # write nothing; tell what would change
    keep_going: bool = False  # leave bad articles out (each a warning) instead of raising
    # Told about each unit of work (see model.BuildStep), only where stopping is safe: it
    # may raise a BaseException to stop the build (the command line's stop signals do),
    # and then nothing is published.
    progress: ProgressHook | None = None
    # What an earlier build read and rendered (open_cache(folder, config)); the
    # output is the same without it.
    cache: BuildCache | None = None
    allow_empty: bool = False  # publish no article over feeds that have some
    # The file that lists every id published (publish/ledger.py): an article published
    # before that would now get another id is an error (IdChanged), unless new_ids.
    ledger: Path | None = None
    new_ids: bool = False  # an article whose id changed is published as new, on purpose

    def reporter(self, stage: str) -> Callable[[str, int, int], None] | None:
        """``progress`` told of each unit of work of ``stage``, as (item, done, total)."""
        if self.progress is None:
            return None
        hook = self.progress
        return lambda item, done, total: hook(BuildStep(stage, item, done, total))


class BuildResult(msgspec.Struct, frozen=True):
    """What a build made and did."""

    files: Mapping[str, bytes]  # output path (relative, / separated) -> contents
    changed: list[str]  # paths whose contents differ from what is on disk
    articles: int  # articles published (after drafts and future posts are left out)
    warnings: list[str] = msgspec.field(default_factory=list)
    # Left out this time: future posts (source, due time), soonest first, and drafts.
    scheduled: list[tuple[str, datetime]] = msgspec.field(default_factory=list)
    drafts: list[str] = msgspec.field(default_factory=list)
    # Files an earlier build wrote that this one does not (removed, or with check: would be).
    removed: list[str] = msgspec.field(default_factory=list)
    skipped: int = 0  # bad articles (or folders) left out, with keep_going
    # The ledger of published ids was written (with check: would be), see publish/ledger.py.
    ledger_changed: bool = False


class Selection(msgspec.Struct, frozen=True):
    """Stage 2's result: the articles published now (and, once bodies are read, the
    plans and their entries), with the problems that left others out."""

    published: list[Article]
    problems: list[FeedtoolError]
    plans: list[FeedPlan] = msgspec.field(default_factory=list)
    entries: Entries | None = None
    # id -> what the ledger is to keep for it from now on (publish/ledger.kept_ids)
    keeps: Mapping[str, str] = msgspec.field(default_factory=dict)
    # What the ledger knows the published articles by (publish.ledger.known_by), when it
    # keeps nothing else for them; and whether the last build checked and recorded them
    # so: then the ledger is not read, checked nor written.
    known_by: str | None = None
    ids_recorded: bool = False


def build(
    content: Path | Iterable[Article],
    output_dir: Path,
    config: SiteConfig,
    options: BuildOptions | None = None,
) -> BuildResult:
    """Build every feed into ``output_dir``; write the changed files (see BuildOptions).

    ``content`` is a content folder, or Article records made in memory (see
    feedtool.article; then there is nothing to cache).

    Raises ManyErrors (or one FeedtoolError) when any article is bad, or when a rendered
    feed fails validation; then nothing is written. With ``keep_going`` bad articles are
    left out instead, each with a warning. A build that would publish no article at all,
    over an output folder whose feeds have items, raises NothingToPublish and writes
    nothing (an empty checkout or a wrong content folder would empty every feed), unless
    ``allow_empty``. The ledger is written after the feeds (not with ``check``); it
    never makes an id.
    """
    options = options if options is not None else BuildOptions()
    now = options.now if options.now is not None else datetime.now(UTC)
    if now.tzinfo is not None:
        # As an instant: a time in a zone whose offset changes would be compared with
        # articles' times of that zone as wall clocks (read.metadata.late_updates).
        now = now.astimezone(UTC)
    snapshot = publish.snapshot(output_dir, options.ledger)
    cache = options.cache if isinstance(content, Path) else None
    # Articles and entries are kept only for a reader that allows it (not a dialect's);
    # "nothing changed" is asked of every site's cache.
    store = cache if cache is not None and reader_for(config).cacheable else None
    if cache is not None and isinstance(content, Path):
        asked = (str(content), str(output_dir), options.keep_going)
        folder = snapshot.folder
        state = cache.nothing_changed(content, output_dir, asked, folder, now, folder.stamp)
        if state is not None:
            return unchanged_result(state, output_dir)
        # Not for a podcast: its read stage also makes the show's art a URL in the config,
        # which kept plans do not stand for.
        if store is not None and config.podcast is None:
            done = _build_kept(content, output_dir, config, options, now, snapshot, store)
            if done is not None:
                return done
    with parallel.meanwhile(lambda: _load_renderers(config, snapshot, cache)):  # while helpers read
        read = read_stage.read(
            content,
            config,
            now,
            keep_going=options.keep_going,
            progress=options.progress,
            store=store,
        )
    saving = store.keep_articles(read.sources) if store is not None else None
    try:
        selection = _select(read, snapshot, now, options, cache)
        shown = _bodies(selection, read, options, store)
        shown, rendered = _render_trusted(shown, selection, read, snapshot, options, store)
        warnings = _validated(rendered, read.config, shown.problems, output_dir)
        written = _publish(snapshot, rendered, shown, read.content_dir, read.config, options)
        return _finished(read, shown, rendered, warnings, written, now, options, cache)
    finally:
        if saving is not None:
            saving.wait()


def _build_kept(
    content: Path,
    output_dir: Path,
    config: SiteConfig,
    options: BuildOptions,
    now: datetime,
    snapshot: publish.Snapshot,
    cache: BuildCache,
) -> BuildResult | None:
    """The build, from the last build's plans, when only articles' bodies changed since
    (cache/kept.py): stages 1 and 2 are reading the changed articles again, and finding
    them what the last build had, so that every plan stays as it was; stages 3 to 6 run
    as in any build. None when the plans cannot be taken: then the full build runs, which
    gives the same files (and says what is wrong, if anything is)."""
    kept = cache.kept(now, snapshot.ledger_path)
    if kept is None:
        return None  # before the imports below: a full build loads them while helpers read
    from feedtool.read.metadata import cached_step  # reading: loads what a file's read needs
    from feedtool.render.documents import UncleanEntries, shown_articles

    reader = reader_for(config)
    # The changed files as the full build finds them (in its order): each must be an
    # article of its own, with no sidecar (else its planning could change).
    sources, problems = reader.sources(content, config, kept.changed)
    if problems or len(sources) != len(kept.changed) or any(s.sidecar for s in sources):
        return None
    loaded: list[Loaded] = []
    for source in sources:
        try:
            found = reader.read_source(source, config, content)
        except FeedtoolError:
            return None
        if found is None or not cache.same_article(found, kept):
            return None
        loaded.append(found)
    articles = cache.kept_articles(kept, {found.inputs[0]: found.article for found in loaded})
    if articles is None:
        return None
    # Every step is told once this build is sure to finish from the plans, or to fail: one
    # that gives up on them runs the full build, which tells its own. The read steps are
    # load_articles', the unchanged articles as one.
    total = kept.record.files_read
    done = total - len(loaded)
    steps = [BuildStep("read", cached_step(done), done, total)] if done else []
    for number, found in enumerate(loaded, start=done + 1):
        steps.append(BuildStep("read", found.inputs[0], number, total))
    buffered = replace(options, progress=steps.append) if options.progress else options
    cache.article_store().remember(loaded)
    _load_renderers(config, snapshot, cache)
    plans = plans_in(kept.record, articles)
    notices: list[FeedtoolError] = [Notice(note) for found in loaded for note in found.notes]
    # No published list for resolve(): a cacheable reader's reads none (links between
    # articles are a dialect's, and a dialect's site keeps no plans).
    entries, unreadable = _entries(shown_articles(plans), [], config, reader, buffered, cache)
    if unreadable:
        if options.keep_going:
            return None  # the full build leaves the article out and plans without it
        _tell(options, steps)
        raise unreadable[0]  # the first, in the feeds' order, as _bodies raises it
    # No article list: after rendering, only the ledger would read one, and it is as the
    # last build left it after checking and recording these very articles (kept() found
    # the ledger unchanged, and the articles are those that build had: same_article).
    shown = Selection([], notices, plans, entries, known_by=kept.state.ids, ids_recorded=True)
    try:
        rendered = _render_files(shown, config, snapshot, buffered, cache)
    except UncleanEntries:
        # A forged or damaged cache: every entry it gives is checked from now on, and the
        # full build renders without the failing ones (no retry of its own is needed).
        cache.render_cache().drop_unclean()
        return None
    _tell(options, steps)
    warnings = _validated(rendered, config, notices, output_dir)
    written = _publish(snapshot, rendered, shown, content, config, options)
    cache.finish_kept(written.stamps, kept, None if options.check else warnings)
    state = kept.state
    return BuildResult(
        files=rendered.files,
        changed=written.changed,
        removed=written.removed,
        articles=state.articles,
        warnings=warnings,
        scheduled=list(state.scheduled),
        drafts=list(state.drafts),
        ledger_changed=written.ledger_changed,
    )


def _tell(options: BuildOptions, steps: list[BuildStep]) -> None:
    """Tell ``options.progress`` of steps made while it was not told (it may stop the build)."""
    if options.progress is not None:
        for step in steps:
            options.progress(step)


def open_cache(directory: Path, config: SiteConfig, *, listed: Listed | None = None) -> BuildCache:
    """The cache in ``directory`` for builds of ``config``'s site (BuildOptions.cache):
    what one build read and rendered, for the next. ``listed``: the content folder as
    read.sources.list_content listed it moments ago (the command line's quick check),
    used when the build's folder and rules are the same."""
    return DiskCache(directory, config, listed)


def _select(
    read: Read,
    snapshot: publish.Snapshot,
    now: datetime,
    options: BuildOptions,
    cache: BuildCache | None,
) -> Selection:
    """Stage 2: the articles published at ``now``, with the ids (and links) the ledger
    keeps for their files, without those that would get another id than they were
    published with (see publish/ledger.py; left out with keep_going)."""
    from feedtool.read.record import metadata_line

    problems = read.problems
    published = read.reader.visible(read.articles, now)
    if snapshot.ledger_path is None:
        return Selection(published, problems)
    # Nothing about ids changed since the last build checked and recorded them, and the
    # ledger kept no other id or link for any of them: it is not read, checked nor
    # written (kept_ids would give the articles as they are, check_ids find nothing,
    # record add nothing). Not for ids made from the placeholder base_url, never recorded.
    known_by = None
    if cache is not None and read.config.base_url != PLACEHOLDER_BASE_URL:
        known_by = ledger.known_by(published)
        if cache.ids_recorded(snapshot.ledger_path, known_by):
            return Selection(published, problems, known_by=known_by, ids_recorded=True)
    book = snapshot.ledger
    if book is None:
        return Selection(published, problems)
    where = read.content_dir if read.content_dir is not None else Path()
    # What the ledger keeps for a file (an adopted feed's ids and links) holds even when
    # changed ids are published anew on purpose; a host move is then not kept.
    path = snapshot.ledger_path
    kept = kept_ids(book.items, published, where, path, moves=not options.new_ids)
    if kept.articles is not published:  # the ledger gave some article another id or link
        known_by = None
    published, problems = kept.articles, [*problems, *kept.notices]
    if options.new_ids:
        return Selection(published, problems, keeps=kept.keeps, known_by=known_by)
    line = lambda article: metadata_line(article, "id")  # noqa: E731
    changed = check_ids(book.items, published, where, line)
    if changed and not options.keep_going:
        raise_all(changed)
    bad = {problem.new_source for problem in changed}
    published = [a for a in published if a.source not in bad]
    return Selection(published, [*problems, *changed], keeps=kept.keeps, known_by=known_by)


def _bodies(
    selection: Selection, read: Read, options: BuildOptions, cache: BuildCache | None
) -> Selection:
    """Stage 3: the plans, and an entry for each article they show.

    A body is read only when a plan shows its article. One that cannot be read (or is
    over the limits, found as it is rendered) is raised; with ``keep_going`` its article
    is left out like any other bad one, and the plans are made once more without it:
    every other published body is read first, so that the articles that then come into
    view are known to be readable (one bounded re-selection, not a loop).
    """
    from feedtool.render.documents import shown_articles

    config, published = read.config, selection.published
    plans = plan_feeds(config, published, read.reader.main_feed(published, config))
    reader = read.reader
    entries, unreadable = _entries(shown_articles(plans), published, config, reader, options, cache)
    if not unreadable:
        assert entries is not None
        return replace(selection, plans=plans, entries=entries)
    if not options.keep_going:
        raise unreadable[0]  # the first, in the feeds' order
    bad = {problem.path for problem in unreadable}
    rest = [a for a in published if a.body.path not in bad]
    entries, more = _entries(rest, rest, config, reader, options, cache, every=True)
    bad |= {problem.path for problem in more}
    published = [a for a in rest if a.body.path not in bad]
    problems = [*selection.problems, *unreadable, *more]
    plans = plan_feeds(config, published, read.reader.main_feed(published, config))
    return replace(selection, published=published, problems=problems, plans=plans, entries=entries)


def _entries(
    shown: list[Article],
    published: list[Article],
    config: SiteConfig,
    reader: Reader,
    options: BuildOptions,
    cache: BuildCache | None,
    every: bool = False,
) -> tuple[Entries | None, list[ContentError]]:
    """The entries of the ``shown`` articles, and the problems of bodies that cannot be
    read or rendered (with ``every``, entries for the readable ones even so)."""
    from feedtool.read.body_text import read_bodies
    from feedtool.render.documents import cached_entries, render_entries

    store = cache.render_cache() if cache is not None else None
    cached, missing = cached_entries(shown, store)
    texts, unreadable = read_bodies(missing)
    if unreadable and not every:
        return None, unreadable
    missing = [a for a in missing if a.source in texts]
    texts = reader.resolve(texts, published, config)  # links between articles
    limit, on_entry = config.max_html_bytes, options.reporter("render")
    entries, too_big = render_entries(cached, missing, texts, store, limit, on_entry)
    return entries, [*unreadable, *too_big]


def _render(
    shown: Selection,
    read: Read,
    snapshot: publish.Snapshot,
    options: BuildOptions,
    cache: BuildCache | None,
) -> Rendered:
    """Stage 4 with 5 inside it: every file rendered, each checked where it was rendered."""
    if not shown.published and not options.allow_empty:
        _refuse_to_empty(snapshot.folder, read)
    return _render_files(shown, read.config, snapshot, options, cache)


def _render_files(
    shown: Selection,
    config: SiteConfig,
    snapshot: publish.Snapshot,
    options: BuildOptions,
    cache: BuildCache | None,
) -> Rendered:
    """The files of ``shown``'s plans, each checked where it was rendered."""
    from feedtool.render.documents import render_files
    from feedtool.validators import FEED_SUFFIXES, validate_output_file

    folder = snapshot.folder

    def checker(relative: str, data: bytes) -> list[Problem] | None:
        if not relative.endswith(FEED_SUFFIXES):
            return []  # an OPML list: no validator for it
        # A file published already, byte for byte, is not checked: an hourly build of a
        # fresh checkout renders every feed, and most are as they were.
        if folder.holds(relative, data):
            return None
        return validate_output_file(relative, data, config.feeds_url)

    store = cache.render_cache() if cache is not None else None
    on_file = options.reporter("feeds")
    assert shown.entries is not None
    return render_files(
        config, shown.plans, shown.entries, store, validate=checker, on_file=on_file
    )


def _render_trusted(
    shown: Selection,
    selection: Selection,
    read: Read,
    snapshot: publish.Snapshot,
    options: BuildOptions,
    cache: BuildCache | None,
) -> tuple[Selection, Rendered]:
    """_render(), with the bodies again when the cache gave an entry whose HTML the
    sanitiser would change (a forged or damaged cache: render/documents.UncleanEntries):
    the cache then drops every such entry, and the entries and files are made once more.
    One bounded retry: from then on the cache checks each entry as it gives it, so the
    second _render finds none to refuse."""
    from feedtool.render.documents import UncleanEntries  # loaded by _bodies already

    try:
        return shown, _render(shown, read, snapshot, options, cache)
    except UncleanEntries:
        assert cache is not None  # only a cache gives entries
        cache.render_cache().drop_unclean()
        shown = _bodies(selection, read, options, cache)
        return shown, _render(shown, read, snapshot, options, cache)


def _refuse_to_empty(folder: OutputFolder, read: Read) -> None:
    """Raise NothingToPublish if the output folder's feeds have items."""
    from feedtool.render.formats import FORMATS, filename

    # Every format's main feed, not only those turned on: the config may have just changed.
    names = read.config.feed_files
    had = folder.feed_with_items([filename(fmt, names) for fmt in FORMATS.values()])
    if had is None:
        return  # nothing to lose: a new site, or feeds that are empty already
    in_folder = read.content_dir is not None
    where = "has" if in_folder else "the articles given have"
    if not read.articles:
        what = f"{where} no article to publish"
    else:
        count = len(read.articles)
        what = f"{where} {count} article(s), none to publish now (drafts, or dated later)"
    question = "is this the right content folder? " if in_folder else ""
    raise NothingToPublish(
        f"{what}, but {folder.directory / had} has items from an earlier build: "
        f"{question}Nothing was written",
        path=read.content_dir,
        parameter="allow_empty",
    )


def _validated(
    rendered: Rendered, config: SiteConfig, read_problems: list[FeedtoolError], output_dir: Path
) -> list[str]:
    """Stage 5's verdict: raise when any file has an error (nothing is written), else
    every warning of the build (``read_problems``: the articles left out, and notices).
    Files not in ``rendered.checked`` are published with these bytes already."""
    checked = rendered.checked
    problems = [problem for path in sorted(checked) for problem in checked[path]]
    errors: list[FeedtoolError] = [
        PublishError(p.message, path=output_dir / p.file, line=p.line)
        for p in problems
        if p.level == "error"
    ]
    if errors:
        errors.append(
            PublishError("refusing to publish invalid feeds: nothing was written", path=output_dir)
        )
        raise ManyErrors(errors)
    warnings = [f"{p}" if isinstance(p, Notice) else f"{p} (skipped)" for p in read_problems]
    if config.base_url == PLACEHOLDER_BASE_URL:
        warnings.append(
            f"{config.source}: base_url is still {PLACEHOLDER_BASE_URL}, the address feedtool "
            "init puts there: every link in the feeds leads to example.org until you set yours"
        )
    warnings += [f"{output_dir / path}: {warning}" for path, warning in rendered.warnings]
    return warnings + [f"{output_dir / p.file}:{p.line}: {p.message}" for p in problems]


def _publish(
    snapshot: publish.Snapshot,
    rendered: Rendered,
    shown: Selection,
    content_dir: Path | None,
    config: SiteConfig,
    options: BuildOptions,
) -> publish.Written:
    """Stage 6: the files written (with ``check``: compared), then the ledger."""
    return publish.write(
        snapshot,
        rendered.files,
        shown.published,
        content_dir,
        keeps=shown.keeps,
        # Ids made from the placeholder base_url are never recorded: they were meant for
        # no reader, and recorded they would be errors (or kept) once the real address is set.
        record_ids=config.base_url != PLACEHOLDER_BASE_URL,
        check=options.check,
        on_file=options.reporter("write"),
        ids_recorded=shown.ids_recorded,
    )


def _finished(
    read: Read,
    shown: Selection,
    rendered: Rendered,
    warnings: list[str],
    written: publish.Written,
    now: datetime,
    options: BuildOptions,
    cache: BuildCache | None,
) -> BuildResult:
    """The build's result; the cache told what was made, for the next build."""
    from feedtool.read.metadata import late_until  # loaded by the read stage already

    scheduled = scheduled_articles(read.articles, now)
    drafts = sorted(a.source for a in read.articles if a.draft)
    skipped = len({p.path for p in shown.problems if not isinstance(p, Notice)})
    if cache is not None:
        outcome = None
        if not options.check:
            outcome = Outcome(
                shown.published,
                scheduled,
                warnings,
                drafts,
                skipped,
                options.ledger,
                shown.known_by,
                unchanged_between(read.articles, now),
                late_until(read.articles),
                shown.plans,
                len(read.sources),
            )
        cache.finish(written.stamps, outcome, read.listed_cleanly)
    return BuildResult(
        files=rendered.files,
        changed=written.changed,
        removed=written.removed,
        articles=len(shown.published),
        warnings=warnings,
        scheduled=[(a.source, a.published) for a in scheduled],
        drafts=drafts,
        skipped=skipped,
        ledger_changed=written.ledger_changed,
    )


def _load_renderers(
    config: SiteConfig, snapshot: publish.Snapshot, cache: BuildCache | None
) -> None:
    """Import what rendering, validating and writing need (lxml, feedgen, cmark, nh3...),
    and read the ledger when the build is sure to need it.

    Not needed for the "nothing changed" answer, so not done before it; done while
    helper processes read articles, and before rendering is split between processes,
    so that each of them does not load it all again.
    """
    from feedtool.render import body_html, documents, formats  # noqa: F401
    from feedtool.validators import folders  # noqa: F401

    body_html.load()
    formats.load(config.formats)
    path = snapshot.ledger_path
    if path is not None and (cache is None or not cache.ledger_as_left(path)):
        # A ledger that cannot be read is reported where the build asks for it (after
        # the articles' problems), as if it had not been read here.
        with contextlib.suppress(FeedtoolError):
            snapshot.ledger  # noqa: B018 - read once, kept by the snapshot


def unchanged_result(state: State, output_dir: Path) -> BuildResult:
    """What a build that finds nothing changed since ``state`` returns."""
    return BuildResult(
        files=DiskFiles(output_dir, (path for path, _, _ in state.outputs)),
        changed=[],
        articles=state.articles,
        warnings=list(state.warnings),
        scheduled=list(state.scheduled),
        drafts=list(state.drafts),
        skipped=state.skipped,
    )


__all__ = ["BuildCache", "BuildOptions", "BuildResult", "build", "open_cache", "unchanged_result"]
