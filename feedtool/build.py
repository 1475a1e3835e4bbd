"""The pipeline: articles -> selected entries -> feed documents -> bytes per output file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .config import SiteConfig
from .errors import ContentError, FeedtoolError, ManyErrors, raise_all
from .frontmatter import read_text
from .html import clean_html, summarize
from .loader import load_articles
from .model import Article, Author, Entry, FeedDoc
from .publish import changed_files, write_files
from .render import RENDERERS
from .writers import FORMATS, output_path

# A feed with no items still needs an updated time; the clock would break determinism.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BuildResult:
    files: dict[str, bytes]  # output path (relative, / separated) -> contents
    changed: list[str]  # paths whose contents differ from what is on disk
    articles: int  # articles published (after drafts and future posts are left out)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0  # bad articles (or folders) left out, with keep_going


def published_articles(articles: list[Article], now: datetime) -> list[Article]:
    """Drop drafts and posts whose time has not come; newest first, ties by file name."""
    visible = [a for a in articles if not a.draft and a.published <= now]
    return sorted(visible, key=lambda a: a.sort_key)


def make_entry(article: Article) -> Entry:
    """Read and render an article's body: only done for articles a feed shows."""
    body = article.body
    text = read_text(body.path, body.max_bytes)[body.start :]
    content = clean_html(RENDERERS[body.format](text), article.link)
    summary = article.summary if article.summary is not None else summarize(content)
    return Entry(article=article, content_html=content, summary=summary)


def site_authors(config: SiteConfig) -> tuple[Author, ...]:
    # Atom needs an author on the feed or on every entry: fall back to the site's name.
    return (config.author,) if config.author else (Author(name=config.title),)


def plan_feeds(config: SiteConfig, articles: list[Article]) -> list[FeedDoc]:
    """The feed documents to write, from published articles (newest first)."""
    entries = tuple(make_entry(a) for a in articles[: config.limit])
    updated = max((e.article.updated for e in entries), default=_EPOCH)
    main = FeedDoc(
        key="",
        title=config.title,
        description=config.description,
        site_url=config.base_url,
        updated=updated,
        entries=entries,
        language=config.language,
        authors=site_authors(config),
        generator_version=__version__,
        image=config.image,
        icon=config.icon,
    )
    return [main]


def render_files(config: SiteConfig, docs: list[FeedDoc]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for doc in docs:
        for fmt in FORMATS.values():
            path = output_path(doc, fmt)
            files[path] = fmt.render(doc, config.feeds_url + path)
    return files


def build(
    content_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    now: datetime,
    *,
    check: bool = False,
    keep_going: bool = False,
) -> BuildResult:
    """Build every feed; write the changed files (unless ``check``) and say what changed.

    Raises ManyErrors (or one FeedtoolError) when any article is bad; then nothing
    is written. With ``keep_going`` bad articles are left out instead, each with a
    warning, unless every article is bad: publishing empty feeds over good ones
    because of, say, a broken checkout would lose what subscribers have.
    """
    articles, problems = load_articles(content_dir, config, keep_going=keep_going)
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
    warnings = [f"{problem} (skipped)" for problem in problems]
    published = published_articles(articles, now)
    docs = plan_feeds(config, published)
    files = render_files(config, docs)
    changed = changed_files(output_dir, files) if check else write_files(output_dir, files)
    return BuildResult(
        files=files,
        changed=changed,
        articles=len(published),
        warnings=warnings,
        skipped=len({problem.path for problem in problems}),
    )


__all__ = ["BuildResult", "FeedtoolError", "build", "plan_feeds", "published_articles"]
