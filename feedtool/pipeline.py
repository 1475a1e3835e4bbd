"""build(): a site's articles to published feeds, in six stages that never reach back.

  1. read      read/load.py     the content folder -> Article records (metadata only)
  2. select    plan/            drafts and future posts out, newest first, groups,
                                archive pages -> FeedPlans
  3. bodies    read/bodies.py   the text of the bodies some plan shows (only those)
  4. render    render/files.py  bodies -> safe HTML entries; plans -> bytes per format
  5. validate  validators/      the bytes, before anything is written
  6. publish   publish/         the only stage that reads or writes the output folder

Each stage is a plain function over immutable records (model.py). The cache (cache/)
sits beside this line: it answers "do I already have this?" through small Protocols
(read.load.ArticleStore for articles, render.files.RenderCache for entries and files),
and a build without it runs the same stages and writes the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedtool import parallel
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
from feedtool.plan.select import published_articles, scheduled_articles
from feedtool.publish.folder import DiskFiles, OutputFolder
from feedtool.read.articles import load_all
from feedtool.read.sources import find_sources, sources_from_stamps

if TYPE_CHECKING:
    from feedtool.cache.store import Cache, State
    from feedtool.plan.feeds import FeedPlan
    from feedtool.publish.ledger import Ledger
    from feedtool.render.files import Entries, Rendered
    from feedtool.validators import Problem  # loads lxml: not before a build renders


@dataclass(frozen=True)
class BuildResult:
    """What a build made and did."""

    files: Mapping[str, bytes]  # output path (relative, / separated) -> contents
    changed: list[str]  # paths whose contents differ from what is on disk
    articles: int  # articles published (after drafts and future posts are left out)
    warnings: list[str] = field(default_factory=list)
    # Left out this time: future posts (source, due time), soonest first, and drafts.
    scheduled: list[tuple[str, datetime]] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    # Files an earlier build wrote that this one does not (removed, or with check: would be).
    removed: list[str] = field(default_factory=list)
    skipped: int = 0  # bad articles (or folders) left out, with keep_going
    # The ledger of published ids was written (with check: would be), see publish/ledger.py.
    ledger_changed: bool = False


def build(
    content: Path | Iterable[Article],
    output_dir: Path,
    config: SiteConfig,
    now: datetime | None = None,
    *,
    check: bool = False,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
    cache_dir: Path | None = None,
    allow_empty: bool = False,
    ledger: Path | None = None,
    new_ids: bool = False,
) -> BuildResult:
    """Build every feed into ``output_dir``; write the changed files (unless ``check``).

    ``content`` is a content folder, or Article records made in memory (see
    feedtool.article; then there is nothing to cache). ``now`` (default: the clock)
    decides which posts are due.

    Raises ManyErrors (or one FeedtoolError) when any article is bad, or when a rendered
    feed fails validation; then nothing is written. With ``keep_going`` bad articles are
    left out instead, each with a warning. ``progress`` is told about each unit of work
    (see model.BuildStep); it must not raise. ``cache_dir`` keeps what this build
    read and rendered for the next one; the output is the same without it.

    A build that would publish no article at all, over an output folder whose feeds have
    items, raises NothingToPublish and writes nothing (an empty checkout or a wrong
    content folder would empty every feed), unless ``allow_empty``.

    ``ledger`` is the file that lists every id published (publish/ledger.py; the command
    line's is feedtool.ids beside feedtool.toml): an article published before that would
    now get another id is an error (IdChanged), unless ``new_ids`` says to publish it as
    new. The ledger is written after the feeds (not with ``check``); it never makes an id.
    """
    now = now if now is not None else datetime.now(UTC)
    folder = OutputFolder(output_dir)
    if config.podcast is not None:
        from feedtool.read.show import resolve_show

        # The show's art may be a file in the content folder: checked, and made a URL.
        where = content if isinstance(content, Path) else None
        config = replace(config, podcast=resolve_show(config.podcast, where, config))
    if not isinstance(content, Path):
        articles = _without_late_updates(list(content), [], now, keep_going)
        ids = _Ids(ledger, Path(), new_ids)  # sources are names in no folder
        options = _Options(None, folder, config, now, check, keep_going, allow_empty, progress, ids)
        return _build(articles, [], options, None, None)
    if not content.is_dir():
        raise ContentError("content folder not found", path=content, parameter="content_dir")
    if config.dialect:
        # The cache's "nothing changed" check lists files as feedtool's own sites have
        # them (no _folders); a dialect's reads (Jekyll's _posts) it would not see.
        cache_dir = None
    cache = _open_cache(cache_dir, config, folder)
    key = None
    if cache is not None:
        key = cache.state_key(content, (str(content), str(output_dir), keep_going))
        state = cache.unchanged(key, folder.stamp, now) if key else None
        if state is not None:
            return _unchanged_result(state, output_dir)
    # 1. read
    scan_problems: list[FeedtoolError] = []
    if config.dialect:
        from feedtool.read import dialects

        sources = list(dialects.find_sources(content, config, scan_problems))
    elif cache is not None and cache.tree is not None:
        # The folders are read once.
        sources = sources_from_stamps(content, cache.tree, scan_problems)
    else:
        sources = find_sources(content, scan_problems, config.content_roots)
    if scan_problems:
        key = None  # a tree with problems is read in full every time
    with parallel.meanwhile(lambda: _load_renderers(config)):  # while helpers read
        articles, problems = load_all(
            content,
            config,
            progress,
            keep_going=keep_going,
            cache=cache,
            sources=sources,
            scan_problems=scan_problems,
        )
    if config.dialect:
        articles = dialects.link(articles, config)
    articles = _without_late_updates(articles, problems, now, keep_going)
    ids = _Ids(ledger, content, new_ids)
    options = _Options(content, folder, config, now, check, keep_going, allow_empty, progress, ids)
    if cache is None:
        return _build(articles, problems, options, None, None)
    cache.prune_articles(sources)
    saving = cache.save_articles()  # by a helper process, while this one renders
    try:
        return _build(articles, problems, options, cache, key)
    finally:
        if saving is not None:
            saving.wait()


def _without_late_updates(
    articles: list[Article], problems: list[FeedtoolError], now: datetime, keep_going: bool
) -> list[Article]:
    """Articles updated after the build's clock are errors (left out with keep_going)."""
    from feedtool.read.load import late_updates

    late = late_updates(articles, now)
    if not late:
        return articles
    if not keep_going:
        raise_all([problem for _, problem in late])
    problems.extend(problem for _, problem in late)
    bad = {source for source, _ in late}
    return [a for a in articles if a.source not in bad]


@dataclass(frozen=True)
class _Ids:
    """The ledger of published ids to check and keep (publish/ledger.py), if any."""

    ledger: Path | None
    content_dir: Path  # what the ledger's file names are relative to
    new_ids: bool  # an article whose id changed is published as new, on purpose


def _check_ids(
    published: list[Article], problems: list[FeedtoolError], ids: _Ids, keep_going: bool
) -> tuple[list[Article], Ledger | None]:
    """Published articles that would get another id than they were published with are
    errors (left out with keep_going); see publish/ledger.py. Also the ledger, as read."""
    from feedtool.publish.ledger import check_ids, read_ledger
    from feedtool.read.load import metadata_line

    if ids.ledger is None:
        return published, None
    book = read_ledger(ids.ledger)
    if ids.new_ids:
        return published, book
    changed = check_ids(
        book.items,
        published,
        ids.content_dir,
        lambda article: metadata_line(article, "id"),
    )
    if not changed:
        return published, book
    if not keep_going:
        raise_all(changed)
    problems.extend(changed)
    bad = {problem.new_source for problem in changed}
    return [a for a in published if a.source not in bad], book


@dataclass(frozen=True)
class _Options:
    """What build() was asked to do, as stages 2 to 6 need it."""

    content_dir: Path | None  # None: articles made in memory
    folder: OutputFolder
    config: SiteConfig
    now: datetime
    check: bool
    keep_going: bool
    allow_empty: bool
    progress: ProgressHook | None
    ids: _Ids

    def reporter(self, stage: str) -> Callable[[str, int, int], None] | None:
        """``progress`` told of each unit of work of ``stage``, as (item, done, total)."""
        if self.progress is None:
            return None
        hook = self.progress
        return lambda item, done, total: hook(BuildStep(stage, item, done, total))


def _build(
    articles: list[Article],
    problems: list[FeedtoolError],
    options: _Options,
    cache: Cache | None,
    key: str | None,
) -> BuildResult:
    """Stages 2 to 6, once the articles are read."""
    from feedtool.publish import ledger
    from feedtool.publish.write import stale_files, write_files

    folder, config, now, check = options.folder, options.config, options.now, options.check
    _load_renderers(config)  # done already while the articles were read, unless few

    # 2. select, and 3. bodies (a body that cannot be read leaves its article out)
    # (and no published id changes)
    ids, keep_going = options.ids, options.keep_going
    if config.dialect:
        from feedtool.read.dialects import published as dialect_published

        visible = dialect_published(articles, now)
    else:
        visible = published_articles(articles, now)
    # Nothing about ids changed since the last build checked and recorded them: the
    # ledger is not read, checked, merged nor written.
    known_by = ledger.known_by(visible) if ids.ledger is not None and cache else None
    recorded = bool(known_by and cache and ids.ledger and cache.ids_recorded(ids.ledger, known_by))
    if recorded:
        published, book = visible, None
    else:
        published, book = _check_ids(visible, problems, ids, keep_going)
    published, plans, entries = _plans_and_entries(published, problems, options, cache)
    if not published and not options.allow_empty:
        _refuse_to_empty(options, articles)
    # 4. render; 5. validate, where each file was rendered (see render_files)
    rendered = _render(plans, entries, options, cache)
    warnings = [f"{p}" if isinstance(p, Notice) else f"{p} (skipped)" for p in problems]
    problems = [p for p in problems if not isinstance(p, Notice)]
    if config.base_url == PLACEHOLDER_BASE_URL:
        warnings.append(
            f"{config.source}: base_url is still {PLACEHOLDER_BASE_URL}, the address feedtool "
            "init puts there: every link in the feeds leads to example.org until you set yours"
        )
    output_dir = folder.directory
    files = rendered.files
    warnings += [f"{output_dir / path}: {warning}" for path, warning in rendered.warnings]
    warnings += _validated(rendered.checked, output_dir)
    # 6. publish
    removed: list[str] = []
    written: dict[str, tuple[int, int]] = {}
    ledger_changed = False
    if check:
        changed, removed = folder.changed(files), stale_files(output_dir, files)
        if ids.ledger is not None and not recorded:
            ledger_changed = ledger.would_change(ids.ledger, published, ids.content_dir, book)
    else:
        changed = write_files(
            output_dir,
            files,
            removed=removed,
            written=written,
            unchanged=folder.seen(files),
            on_file=options.reporter("write"),
        )
        # After the feeds: the ledger lists only what was published.
        if ids.ledger is not None and not recorded:
            ledger_changed = ledger.record(ids.ledger, published, ids.content_dir, book)
    scheduled = scheduled_articles(articles, now)
    result = BuildResult(
        files=files,
        changed=changed,
        removed=removed,
        articles=len(published),
        warnings=warnings,
        scheduled=[(a.source, a.published) for a in scheduled],
        drafts=sorted(a.source for a in articles if a.draft),
        skipped=len({problem.path for problem in problems}),
        ledger_changed=ledger_changed,
    )
    if cache is not None:
        cache.rendered.outputs_written(written)
        cache.save()
        if key and not check and not problems and cache.complete:
            state = _state(key, cache, result, written, published, scheduled)
            if ids.ledger is not None:
                from feedtool.cache.stamps import size_and_time

                found = size_and_time(ids.ledger)
                state.ledger = (str(ids.ledger), *found) if found else None
                state.ids = known_by
            cache.save_state(state)
    return result


def _plans_and_entries(
    published: list[Article],
    problems: list[FeedtoolError],
    options: _Options,
    cache: Cache | None,
) -> tuple[list[Article], list[FeedPlan], Entries]:
    """Stage 2 (select) and 3 (bodies): the articles published, the plans, and an entry
    for each article the plans show.

    A body is read only when a plan shows its article. With ``keep_going`` an article whose
    body cannot be read is left out like any other bad one (appended to ``problems``), and
    the plans are made again without it; other articles may then come into view.
    """
    from feedtool.plan.feeds import plan_feeds
    from feedtool.read.bodies import read_bodies
    from feedtool.render.files import cached_entries, render_entries, shown_articles

    config, keep_going = options.config, options.keep_going
    store = cache.rendered if cache is not None else None
    while True:
        plans = plan_feeds(config, published)
        cached, missing = cached_entries(shown_articles(plans), store)
        texts, unreadable = read_bodies(missing)
        if config.dialect and not unreadable:
            from feedtool.read.dialects.references import resolve

            texts = resolve(texts, published, config)  # links between articles
        if not unreadable:
            # A body over the limits is its article's problem too, found as it is rendered.
            on_entry = options.reporter("render")
            limit = config.max_html_bytes
            entries, unreadable = render_entries(cached, missing, texts, store, limit, on_entry)
            if not unreadable:
                return published, plans, entries
        if not keep_going:
            raise unreadable[0]  # the first, in the feeds' order
        problems.extend(unreadable)
        bad = {problem.path for problem in unreadable}
        published = [a for a in published if a.body.path not in bad]


def _render(
    plans: list[FeedPlan], entries: Entries, options: _Options, cache: Cache | None
) -> Rendered:
    """Stage 4 with 5 inside it: every file rendered, each checked where it was rendered."""
    from feedtool.render.files import render_files
    from feedtool.validators import FEED_SUFFIXES, check_rendered

    config, folder = options.config, options.folder

    def checker(relative: str, data: bytes) -> list[Problem] | None:
        if not relative.endswith(FEED_SUFFIXES):
            return []  # an OPML list: no validator for it
        # A file published already, byte for byte, is not checked: an hourly build of a
        # fresh checkout renders every feed, and most are as they were.
        if folder.holds(relative, data):
            return None
        return check_rendered(relative, data, config.feeds_url)

    store = cache.rendered if cache is not None else None
    on_file = options.reporter("feeds")
    return render_files(config, plans, entries, store, validate=checker, on_file=on_file)


def _refuse_to_empty(options: _Options, articles: list[Article]) -> None:
    """Raise NothingToPublish if the output folder's feeds have items."""
    from feedtool.render.formats import FORMATS

    # Every format's main feed, not only those turned on: the config may have just changed.
    had = options.folder.feed_with_items([fmt.filename for fmt in FORMATS.values()])
    if had is None:
        return  # nothing to lose: a new site, or feeds that are empty already
    folder = options.content_dir is not None
    where = "has" if folder else "the articles given have"
    if not articles:
        what = f"{where} no article to publish"
    else:
        what = f"{where} {len(articles)} article(s), none to publish now (drafts, or dated later)"
    question = "is this the right content folder? " if folder else ""
    raise NothingToPublish(
        f"{what}, but {options.folder.directory / had} has items from an earlier build: "
        f"{question}Nothing was written",
        path=options.content_dir,
        parameter="allow_empty",
    )


def _validated(checked: Mapping[str, list[Problem]], output_dir: Path) -> list[str]:
    """Stage 5's verdict: raise when any file has an error (nothing is written), else
    the warnings. Files not in ``checked`` are published with these bytes already."""
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
    return [f"{output_dir / p.file}:{p.line}: {p.message}" for p in problems]


def _load_renderers(config: SiteConfig) -> None:
    """Import what rendering, validating and writing need (lxml, feedgen, cmark, nh3...).

    Not needed for the "nothing changed" answer, so not imported before it; done while
    helper processes read articles, and before rendering is split between processes,
    so that each of them does not load it all again.
    """
    from feedtool.render import body, formats
    from feedtool.validators import files  # noqa: F401

    body.load()
    formats.load(config.formats)


def _open_cache(cache_dir: Path | None, config: SiteConfig, folder: OutputFolder) -> Cache | None:
    if cache_dir is None:
        return None
    from feedtool.cache.store import Cache

    return Cache(cache_dir, config, folder)


def _state(
    key: str,
    cache: Cache,
    result: BuildResult,
    outputs: dict[str, tuple[int, int]],
    published: list[Article],
    scheduled: list[Article],
) -> State:
    from feedtool.cache.store import State
    from feedtool.read.load import UPDATED_SLACK

    # Not saved after a build that skipped bad articles: what a skipped article would
    # read (a missing enclosure, say) is not known, so its arrival could not be noticed.
    return State(
        key=key,
        taken_ns=cache.started_ns,
        # The same articles are published from the newest one's time until the next is due
        # (and an update a day ahead of the clock is an error before it: see late_updates).
        valid_from=max(
            max((a.published.timestamp() for a in published), default=-math.inf),
            max((a.updated.timestamp() for a in published), default=-math.inf)
            - UPDATED_SLACK.total_seconds(),
        ),
        valid_until=min((a.published.timestamp() for a in scheduled), default=math.inf),
        outputs=outputs,
        articles=result.articles,
        warnings=result.warnings,
        scheduled=result.scheduled,
        drafts=result.drafts,
        skipped=result.skipped,
        inputs=cache.inputs_beyond_sources(),
    )


def _unchanged_result(state: State, output_dir: Path) -> BuildResult:
    return BuildResult(
        files=DiskFiles(output_dir, state.outputs),
        changed=[],
        articles=state.articles,
        warnings=state.warnings,
        scheduled=state.scheduled,
        drafts=state.drafts,
        skipped=state.skipped,
    )


__all__ = ["BuildResult", "build"]
