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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedtool import parallel
from feedtool.config import PLACEHOLDER_BASE_URL, SiteConfig
from feedtool.errors import ContentError, FeedtoolError, ManyErrors, PublishError
from feedtool.model import Article
from feedtool.plan.select import ProgressHook, load_all, published_articles, scheduled_articles
from feedtool.publish.folder import DiskFiles, OutputFolder
from feedtool.read.sources import find_sources, sources_from_stamps

if TYPE_CHECKING:
    from feedtool.cache.store import Cache, State
    from feedtool.plan.feeds import FeedPlan
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
) -> BuildResult:
    """Build every feed into ``output_dir``; write the changed files (unless ``check``).

    ``content`` is a content folder, or Article records made in memory (see
    feedtool.article; then there is nothing to cache). ``now`` (default: the clock)
    decides which posts are due.

    Raises ManyErrors (or one FeedtoolError) when any article is bad, or when a rendered
    feed fails validation; then nothing is written. With ``keep_going`` bad articles are
    left out instead, each with a warning. ``progress`` is told about each unit of work
    (see plan.select.BuildStep); it must not raise. ``cache_dir`` keeps what this build
    read and rendered for the next one; the output is the same without it.
    """
    now = now if now is not None else datetime.now(UTC)
    folder = OutputFolder(output_dir)
    if not isinstance(content, Path):
        articles = list(content)
        return _build(articles, [], folder, config, now, check, keep_going, None, None)
    if not content.is_dir():
        raise ContentError("content folder not found", path=content, parameter="content_dir")
    cache = _open_cache(cache_dir, config, folder)
    key = None
    if cache is not None:
        key = cache.state_key(content, (str(content), str(output_dir), keep_going))
        state = cache.unchanged(key, folder.stamp, now) if key else None
        if state is not None:
            return _unchanged_result(state, output_dir)
    # 1. read
    scan_problems: list[FeedtoolError] = []
    if cache is not None and cache.tree is not None:
        sources = sources_from_stamps(content, cache.tree)  # the folders are read once
    else:
        sources = list(find_sources(content, scan_problems))
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
    if cache is None:
        return _build(articles, problems, folder, config, now, check, keep_going, None, None)
    cache.prune_articles(sources)
    saving = cache.save_articles()  # by a helper process, while this one renders
    try:
        return _build(articles, problems, folder, config, now, check, keep_going, cache, key)
    finally:
        if saving is not None:
            saving.wait()


def _build(
    articles: list[Article],
    problems: list[FeedtoolError],
    folder: OutputFolder,
    config: SiteConfig,
    now: datetime,
    check: bool,
    keep_going: bool,
    cache: Cache | None,
    key: str | None,
) -> BuildResult:
    """Stages 2 to 6, once the articles are read."""
    from feedtool.publish.write import stale_files, write_files

    _load_renderers(config)  # done already while the articles were read, unless few

    # 2. select, and 3. bodies (a body that cannot be read leaves its article out)
    published = published_articles(articles, now)
    published, plans, entries = _plans_and_entries(published, problems, config, keep_going, cache)
    # 4. render; 5. validate, where each file was rendered (see render_files)
    rendered = _render(plans, entries, config, folder, cache)
    warnings = [f"{problem} (skipped)" for problem in problems]
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
    if check:
        changed, removed = folder.changed(files), stale_files(output_dir, files)
    else:
        changed = write_files(
            output_dir, files, removed=removed, written=written, unchanged=folder.seen(files)
        )
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
    )
    if cache is not None:
        cache.rendered.outputs_written(written)
        cache.save()
        if key and not check and not problems and cache.complete:
            cache.save_state(_state(key, cache, result, written, published, scheduled))
    return result


def _plans_and_entries(
    published: list[Article],
    problems: list[FeedtoolError],
    config: SiteConfig,
    keep_going: bool,
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

    store = cache.rendered if cache is not None else None
    while True:
        plans = plan_feeds(config, published)
        cached, missing = cached_entries(shown_articles(plans), store)
        texts, unreadable = read_bodies(missing)
        if not unreadable:
            return published, plans, render_entries(cached, missing, texts, store)
        if not keep_going:
            raise unreadable[0]  # the first, in the feeds' order
        problems.extend(unreadable)
        bad = {problem.path for problem in unreadable}
        published = [a for a in published if a.body.path not in bad]


def _render(
    plans: list[FeedPlan],
    entries: Entries,
    config: SiteConfig,
    folder: OutputFolder,
    cache: Cache | None,
) -> Rendered:
    """Stage 4 with 5 inside it: every file rendered, each checked where it was rendered."""
    from feedtool.render.files import render_files
    from feedtool.validators import FEED_SUFFIXES, check_rendered

    def checker(relative: str, data: bytes) -> list[Problem] | None:
        if not relative.endswith(FEED_SUFFIXES):
            return []  # an OPML list: no validator for it
        # A file published already, byte for byte, is not checked: an hourly build of a
        # fresh checkout renders every feed, and most are as they were.
        if folder.holds(relative, data):
            return None
        return check_rendered(relative, data, config.feeds_url)

    store = cache.rendered if cache is not None else None
    return render_files(config, plans, entries, store, validate=checker)


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

    # Not saved after a build that skipped bad articles: what a skipped article would
    # read (a missing enclosure, say) is not known, so its arrival could not be noticed.
    return State(
        key=key,
        taken_ns=cache.started_ns,
        # The same articles are published from the newest one's time until the next is due.
        valid_from=max((a.published.timestamp() for a in published), default=-math.inf),
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
