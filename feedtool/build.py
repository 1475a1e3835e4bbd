"""The pipeline: articles -> published ones -> planned feeds (plan.py) -> bytes (output.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .config import SiteConfig
from .errors import ContentError, FeedtoolError, ManyErrors, raise_all
from .frontmatter import read_text
from .html import clean_html, summarize
from .loader import load_articles
from .model import Article, Entry
from .output import render_files
from .plan import plan_feeds
from .publish import changed_files, write_files
from .render import RENDERERS
from .validate.gate import check_before_publishing


@dataclass(frozen=True)
class BuildResult:
    files: dict[str, bytes]  # output path (relative, / separated) -> contents
    changed: list[str]  # paths whose contents differ from what is on disk
    articles: int  # articles published (after drafts and future posts are left out)
    warnings: list[str] = field(default_factory=list)
    # Left out this time: future posts (source, due time), soonest first, and drafts.
    scheduled: list[tuple[str, datetime]] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    skipped: int = 0  # bad articles (or folders) left out, with keep_going


@dataclass(frozen=True)
class BuildStep:
    """One unit of work done, for progress bars and -v: ``done`` of ``total`` in ``stage``."""

    stage: str  # "read": an article file was read
    item: str
    done: int
    total: int


ProgressHook = Callable[[BuildStep], None]


def published_articles(articles: list[Article], now: datetime) -> list[Article]:
    """Drop drafts and posts whose time has not come; newest first, ties by file name."""
    visible = [a for a in articles if not a.draft and a.published <= now]
    return sorted(visible, key=lambda a: a.sort_key)


def scheduled_articles(articles: list[Article], now: datetime) -> list[Article]:
    """Posts whose time has not come yet, soonest first: the next build at or after that
    time publishes them, with no edit needed."""
    waiting = [a for a in articles if not a.draft and a.published > now]
    return sorted(waiting, key=lambda a: (a.published.timestamp(), a.source))


def make_entry(article: Article) -> Entry:
    """Read and render an article's body: only done for articles a feed shows."""
    body = article.body
    text = read_text(body.path, body.max_bytes)[body.start :]
    content = clean_html(RENDERERS[body.format](text), article.link)
    summary = article.summary if article.summary is not None else summarize(content)
    return Entry(article=article, content_html=content, summary=summary)


def load_all(
    content_dir: Path,
    config: SiteConfig,
    progress: ProgressHook | None = None,
    *,
    keep_going: bool = False,
) -> tuple[list[Article], list[FeedtoolError]]:
    """Every article, drafts and future posts included, and the problems skipped.

    Without ``keep_going`` any problem is raised, all of them together. With it, bad
    articles are left out and returned as problems, unless every article is bad:
    publishing empty feeds over good ones because of, say, a broken checkout would
    lose what subscribers have.
    """

    def on_file(path: Path, done: int, total: int) -> None:
        if progress is not None:
            progress(BuildStep("read", str(path), done, total))

    articles, problems = load_articles(content_dir, config, on_file, keep_going=keep_going)
    if problems and not keep_going:
        raise_all(problems)
    if problems and not articles:
        raise ManyErrors(
            [
                *problems,
                ContentError(
                    "--keep-going: no article could be read, so nothing is published "
                    "(the feeds are left as they were)",
                    path=content_dir,
                ),
            ]
        )
    return articles, problems


def load_published(content_dir: Path, config: SiteConfig, now: datetime) -> list[Article]:
    """The articles a build at ``now`` publishes."""
    return published_articles(load_all(content_dir, config)[0], now)


def build(
    content_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    now: datetime,
    *,
    check: bool = False,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
) -> BuildResult:
    """Build every feed; write the changed files (unless ``check``) and say what changed.

    Raises ManyErrors (or one FeedtoolError) when any article is bad, or when a rendered
    feed fails validation; then nothing is written. With ``keep_going`` bad articles are
    left out instead, each with a warning (see load_all). ``progress`` is told about each
    unit of work (see BuildStep); it must not raise.
    """
    articles, problems = load_all(content_dir, config, progress, keep_going=keep_going)
    warnings = [f"{problem} (skipped)" for problem in problems]
    published = published_articles(articles, now)
    rendered = render_files(config, plan_feeds(config, published), make_entry)
    files = rendered.files
    # Never publish what a reader would reject: validate the rendered bytes before writing.
    warnings += rendered.warnings + check_before_publishing(files, config.feeds_url, output_dir)
    changed = changed_files(output_dir, files) if check else write_files(output_dir, files)
    return BuildResult(
        files=files,
        changed=changed,
        articles=len(published),
        warnings=warnings,
        scheduled=[(a.source, a.published) for a in scheduled_articles(articles, now)],
        drafts=sorted(a.source for a in articles if a.draft),
        skipped=len({problem.path for problem in problems}),
    )


__all__ = [
    "BuildResult",
    "BuildStep",
    "FeedtoolError",
    "ProgressHook",
    "build",
    "load_published",
    "make_entry",
    "plan_feeds",
    "published_articles",
    "scheduled_articles",
]
