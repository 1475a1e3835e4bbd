"""The pipeline: articles (articles.py) -> planned feeds (plan.py) -> bytes (output.py) ->
checked (validate) -> on disk (publish.py), with the cache (cache.py) answering for
whatever has not changed since the last build."""

from __future__ import annotations

import functools
import gc
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from feedtool.cache.store import Cache, DiskFiles, State
from feedtool.config import PLACEHOLDER_BASE_URL, SiteConfig
from feedtool.errors import ContentError, FeedtoolError, Notice
from feedtool.model import Article
from feedtool.plan.select import ProgressHook, load_all, published_articles, scheduled_articles
from feedtool.read.sources import find_sources, sources_from_stamps

if TYPE_CHECKING:
    from feedtool.validate import Problem  # loads lxml: not before a build renders


@dataclass(frozen=True)
class BuildResult:
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


P = ParamSpec("P")
R = TypeVar("R")


def _no_gc_pauses(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with the cyclic garbage collector paused.

    A big build makes hundreds of thousands of long-lived objects (articles, their
    dates and tags), and each time allocations pass the collector's threshold it
    walks all of them again: ~40 ms of a one-change rebuild of 10,000 articles. A
    build makes little cyclic garbage; the collector resumes when it returns.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@_no_gc_pauses
def build(
    content_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    now: datetime,
    *,
    check: bool = False,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
    cache_dir: Path | None = None,
) -> BuildResult:
    """Build every feed; write the changed files (unless ``check``) and say what changed.

    Raises ManyErrors (or one FeedtoolError) when any article is bad, or when a rendered
    feed fails validation; then nothing is written. With ``keep_going`` bad articles are
    left out instead, each with a warning (see load_all). ``progress`` is told about each
    unit of work (see BuildStep); it must not raise. ``cache_dir`` keeps what this build
    read and rendered for the next one (see cache.py); the output is the same without it.
    """
    if not content_dir.is_dir():
        raise ContentError(
            "content folder not found (give another with --content)", path=content_dir
        )
    if config.dialect:
        # The cache's "nothing changed" check lists files as feedtool's own sites have
        # them (no _folders); a dialect's reads (Jekyll's _posts) it would not see.
        cache_dir = None
    cache = Cache(cache_dir, config, output_dir) if cache_dir is not None else None
    key = None
    if cache is not None:
        key = cache.state_key(content_dir, (str(content_dir), str(output_dir), keep_going))
        state = cache.unchanged(key, output_dir, now) if key else None
        if state is not None:
            return _unchanged_result(state, output_dir)
    scan_problems: list[FeedtoolError] = []
    if config.dialect:
        from feedtool.read import dialects

        sources = list(dialects.find_sources(content_dir, config, scan_problems))
    elif cache is not None and cache.tree is not None:
        sources = sources_from_stamps(content_dir, cache.tree)  # the folders are read once
    else:
        sources = list(find_sources(content_dir, scan_problems))
    if scan_problems:
        key = None  # a tree with problems is read in full every time
    articles, problems = load_all(
        content_dir,
        config,
        progress,
        keep_going=keep_going,
        cache=cache,
        sources=sources,
        scan_problems=scan_problems,
        meanwhile=lambda: _load_renderers(config),
    )
    if cache is None:
        return _publish(articles, problems, output_dir, config, now, check, keep_going, None, None)
    cache.prune_articles(sources)
    saving = cache.save_articles()  # by a helper process, while this one renders
    try:
        return _publish(articles, problems, output_dir, config, now, check, keep_going, cache, key)
    finally:
        if saving is not None:
            saving.wait()


def _publish(
    articles: list[Article],
    problems: list[FeedtoolError],
    output_dir: Path,
    config: SiteConfig,
    now: datetime,
    check: bool,
    keep_going: bool,
    cache: Cache | None,
    key: str | None,
) -> BuildResult:
    """build(), once the articles are read: render, validate, write, remember."""
    from feedtool.plan.feeds import plan_feeds
    from feedtool.publish.write import changed_files, stale_files, write_files
    from feedtool.render.body import make_entry
    from feedtool.render.files import render_files
    from feedtool.validate import check_rendered
    from feedtool.validate.gate import check_before_publishing

    if config.dialect:
        from feedtool.read.dialects import published as dialect_published

        published = dialect_published(articles, now)
    else:
        published = published_articles(articles, now)

    def checker(relative: str, data: bytes) -> list[Problem] | None:
        # A file published already, byte for byte, is not checked (the gate skips it):
        # an hourly build of a fresh checkout renders every feed, and most are as they were.
        if not changed_files(output_dir, {relative: data}):
            return None
        return check_rendered(relative, data, config.feeds_url)

    while True:
        try:
            store = cache.rendered if cache is not None else None
            plans = plan_feeds(config, published)
            rendered = render_files(config, plans, make_entry, store, validate=checker)
            break
        except ContentError as exc:
            # A body is read only when a feed shows it, so a body that cannot be read (not
            # UTF-8 past its front matter, say) shows up only now. With keep_going that
            # article is left out like any other bad one, and the feeds are planned again.
            if not keep_going or not any(a.body.path == exc.path for a in published):
                raise
            problems.append(exc)
            published = [a for a in published if a.body.path != exc.path]
    warnings = [f"{p}" if isinstance(p, Notice) else f"{p} (skipped)" for p in problems]
    problems = [p for p in problems if not isinstance(p, Notice)]
    if config.base_url == PLACEHOLDER_BASE_URL:
        warnings.append(
            f"{config.source}: base_url is still {PLACEHOLDER_BASE_URL}, the address feedtool "
            "init puts there: every link in the feeds leads to example.org until you set yours"
        )
    files = rendered.files
    warnings += [f"{output_dir / path}: {warning}" for path, warning in rendered.warnings]
    # Never publish what a reader would reject: validate the rendered bytes before writing.
    warnings += check_before_publishing(
        files, config.feeds_url, output_dir, rendered.on_disk, rendered.checked
    )
    removed: list[str] = []
    written: dict[str, tuple[int, int]] = {}
    if check:
        changed, removed = changed_files(output_dir, files), stale_files(output_dir, files)
    else:
        seen = cache.rendered.outputs_seen if cache is not None else None
        changed = write_files(output_dir, files, removed=removed, written=written, unchanged=seen)
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


def _load_renderers(config: SiteConfig) -> None:
    """Import what rendering, validating and writing need (lxml, feedgen, cmark, nh3...).

    Not needed for the "nothing changed" answer, so not imported before it; done while
    helper processes read articles, and before rendering is split between processes,
    so that each of them does not load it all again.
    """
    from feedtool.render import body as render
    from feedtool.render import formats as writers
    from feedtool.validate import gate  # noqa: F401

    render.load()
    writers.load(config.formats)


def _state(
    key: str,
    cache: Cache,
    result: BuildResult,
    outputs: dict[str, tuple[int, int]],
    published: list[Article],
    scheduled: list[Article],
) -> State:
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


__all__ = ["BuildResult", "FeedtoolError", "build"]
