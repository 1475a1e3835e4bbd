"""Body text to HTML, one renderer per body format, and an article's feed entry."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from feedtool.errors import ContentError
from feedtool.model import Article, Entry
from feedtool.values.patterns import compiled_later

# Lazy imports: cmarkgfm, docutils, render/html.py (nh3, lxml) and the dialects'
# templates are imported inside the functions that use them: a site loads only the
# renderers its bodies need, and a plain site never loads the dialects.

_PARAGRAPH_BREAK = compiled_later(r"\n[ \t]*\n+")


def render_markdown(text: str) -> str:
    """CommonMark, plus GitHub's tables and strikethrough, which writers expect to work.

    cmark-gfm is the CommonMark reference implementation, in C: rendering is no
    longer a noticeable part of a build. Raw HTML is passed through (UNSAFE) because
    every body is sanitised afterwards (html.clean_html), whatever its format.
    """
    import cmarkgfm  # only builds that render Markdown pay for loading it
    from cmarkgfm.cmark import Options

    html_text: str = cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=["table", "strikethrough"]
    )
    return html_text


def load() -> None:
    """Import the Markdown renderer now (before rendering is split between processes)."""
    import cmarkgfm  # noqa: F401


def render_html(text: str) -> str:
    return text


def render_text(text: str) -> str:
    """Plain text: paragraphs are separated by blank lines; everything is escaped."""

    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK().split(text.strip())]
    return "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs if p)


def render_rst(text: str) -> str:
    """reStructuredText (Pelican sites), by docutils, the reference implementation."""
    from docutils.core import publish_parts  # type: ignore[import-untyped]

    settings = {
        "report_level": 5,
        "halt_level": 5,
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "doctitle_xform": False,
        "_disable_config": True,
    }
    parts = publish_parts(text, writer="html4css1", settings_overrides=settings)
    fragment: str = parts["fragment"]
    return fragment


def _templated(kind: str, markup: Callable[[str], str]) -> Callable[[str], str]:
    """A body whose template syntax (Hugo shortcodes, Liquid) is rendered or dropped first."""

    def render(text: str) -> str:
        from feedtool.read.dialects.templates import CONVERTERS

        return markup(CONVERTERS[kind](text)[0])

    return render


RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown": render_markdown,
    "html": render_html,
    "text": render_text,
    # Sites written for other generators (read/dialects).
    "rst": render_rst,
    "hugo-markdown": _templated("hugo", render_markdown),
    "hugo-html": _templated("hugo", render_html),
    "liquid-markdown": _templated("liquid", render_markdown),
    "liquid-html": _templated("liquid", render_html),
}


# GitHub tables cost cmark-gfm several microseconds per cell and about ten bytes of HTML
# each: a Markdown body with more "|" than this (an upper bound on its cells) is refused
# before rendering, so a small file cannot take minutes and gigabytes.
MAX_TABLE_CELLS = 100_000


def make_entry(article: Article, text: str, *, max_html_bytes: int | None = None) -> Entry:
    """An article with its body ``text`` rendered to safe, absolute HTML, and its summary.

    Raises ContentError, against the article's file, when the body would make more than
    ``max_html_bytes`` of HTML (a feed must stay readable by XML parsers, which refuse
    a text of over 10 MB), or has too many table cells to render in reasonable time.
    """
    from feedtool.render.html import (  # lxml and nh3: not needed to plan a build
        MAX_DEPTH,
        clean_html,
        summarize,
        too_deep,
    )

    body = article.body
    if body.format == "markdown":
        cells = text.count("|")
        if cells > MAX_TABLE_CELLS:
            raise ContentError(
                f'has {cells:,} "|" (table cells), more than the {MAX_TABLE_CELLS:,} a '
                "Markdown body may have; split it into several articles",
                path=body.path,
            )
    try:
        html = RENDERERS[body.format](text)
    except RecursionError:
        # docutils parses and writes nested blocks by recursion: a few hundred block
        # quotes or lists inside each other (a 40 KB file) exhaust Python's stack.
        raise ContentError(
            "its body nests blocks (block quotes, lists) too deeply to render; "
            "flatten the nesting to a few dozen levels",
            path=body.path,
        ) from None
    _check_size(html, max_html_bytes, body.path)
    if too_deep(html):
        raise ContentError(
            f"its body nests HTML elements more than {MAX_DEPTH} deep (block quotes, lists "
            "or <div> inside each other); flatten the nesting to a few dozen levels",
            path=body.path,
        )
    content = clean_html(html, article.link)
    _check_size(content, max_html_bytes, body.path)  # absolute URLs are longer
    if article.summary_only:
        return _summary_entry(article, html, content)
    summary = article.summary if article.summary is not None else summarize(content)
    return Entry(article=article, content_html=content, summary=summary)


# Where a writer ends an article's excerpt: <!--more--> (WordPress, Hugo, Jekyll), also
# spaced as Zola writes it (<!-- more -->).
MORE = compiled_later(r"<!--\s*more\s*-->")
READ_MORE = "Read the whole article on the site"


def _summary_entry(article: Article, html: str, content: str) -> Entry:
    """The entry of an article whose feeds carry only its summary and a link to it.

    The summary is the article's own, else its excerpt: the text before ``<!--more-->``,
    else the first paragraph, cleaned like the whole body is.
    """

    from feedtool.render.html import clean_html, first_paragraph, summarize

    if article.summary is not None:
        summary = article.summary
        shown = f"<p>{escape(summary, quote=False)}</p>" if summary else ""
    else:
        more = MORE().search(html)
        # The first paragraph is cleaned again: lxml wrote it, and nothing unclean goes out.
        excerpt = html[: more.start()] if more else first_paragraph(content)
        shown = clean_html(excerpt, article.link)
        summary = summarize(shown)
    link = f'<p><a href="{escape(article.link)}">{READ_MORE}</a></p>'
    content_html = f"{shown}\n{link}" if shown else link
    return Entry(article=article, content_html=content_html, summary=summary)


def _check_size(html: str, limit: int | None, path: str) -> None:
    if limit is None or len(html) * 4 <= limit:  # UTF-8: at most four bytes a character
        return
    size = len(html.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise ContentError(
            f"its body makes {size:,} bytes of HTML, more than max_html_bytes ({limit:,}); "
            "split it into several articles, or raise max_html_bytes in the config",
            path=path,
        )
