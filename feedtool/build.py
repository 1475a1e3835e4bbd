"""The pipeline: articles -> published ones -> planned feeds (plan.py) -> bytes (output.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .config import SiteConfig
from .errors import ContentError, FeedtoolError, ManyErrors
from .frontmatter import decode
from .html import clean_html, summarize
from .loader import load_articles
from .model import Article, Entry
from .output import render_files
from .plan import plan_feeds
from .publish import changed_files, write_files
from .render import RENDERERS


@dataclass(frozen=True)
class BuildResult:
    files: dict[str, bytes]  # output path (relative, / separated) -> contents
    changed: list[str]  # paths whose contents differ from what is on disk
    articles: int  # articles published (after drafts and future posts are left out)
    warnings: list[str] = field(default_factory=list)


def published_articles(articles: list[Article], now: datetime) -> list[Article]:
    """Drop drafts and posts whose time has not come; newest first, ties by file name."""
    visible = [a for a in articles if not a.draft and a.published <= now]
    return sorted(visible, key=lambda a: a.sort_key)


def make_entry(article: Article) -> Entry:
    """Read and render an article's body: only done for articles a feed shows."""
    body = article.body
    try:
        text = decode(body.path.read_bytes(), body.path)[body.start :]
    except OSError as exc:
        raise ContentError(f"cannot read the file: {exc.strerror}", path=body.path) from None
    content = clean_html(RENDERERS[body.format](text), article.link)
    summary = article.summary if article.summary is not None else summarize(content)
    return Entry(article=article, content_html=content, summary=summary)


def load_published(content_dir: Path, config: SiteConfig, now: datetime) -> list[Article]:
    """The articles a build at ``now`` publishes; every bad article is reported together."""
    articles, problems = load_articles(content_dir, config)
    if problems:
        raise ManyErrors(problems) if len(problems) > 1 else problems[0]
    return published_articles(articles, now)


def build(
    content_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    now: datetime,
    *,
    check: bool = False,
) -> BuildResult:
    """Build every feed; write the changed files (unless ``check``) and say what changed.

    Raises ManyErrors (or one FeedtoolError) when any article is bad; then nothing is written.
    """
    published = load_published(content_dir, config, now)
    rendered = render_files(config, plan_feeds(config, published), make_entry)
    files = rendered.files
    changed = changed_files(output_dir, files) if check else write_files(output_dir, files)
    return BuildResult(
        files=files, changed=changed, articles=len(published), warnings=rendered.warnings
    )


__all__ = [
    "BuildResult",
    "FeedtoolError",
    "build",
    "load_published",
    "make_entry",
    "plan_feeds",
    "published_articles",
]
