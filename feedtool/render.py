"""Body text to HTML, one renderer per body format."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Body file suffix -> format name. Anything else in content/ is not an article.
BODY_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only builds that render Markdown pay for loading it

    # CommonMark, plus GitHub's tables and strikethrough, which writers expect to work.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def render_markdown(text: str) -> str:
    html_text: str = _markdown().render(text)
    return html_text


def render_html(text: str) -> str:
    return text


def render_text(text: str) -> str:
    """Plain text: paragraphs are separated by blank lines; everything is escaped."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text.strip())]
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown": render_markdown,
    "html": render_html,
    "text": render_text,
}
