"""Article bodies: read only for the articles some feed shows, after planning.

Metadata is read for every article (read/metadata.py); a body only when a feed shows the
article — on a big site, a few hundred of many thousands. Reading them is its own stage,
before rendering, so a body that cannot be read (not UTF-8 past its front matter, say)
is a problem of that article found here, not an error in the middle of rendering.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from feedtool.errors import ContentError
from feedtool.model import Article, Body
from feedtool.textfile import read_text


def read_body(body: Body) -> str:
    """The body's text: given in memory, or read from its file (past its front matter)."""
    if body.text is not None:
        return body.text
    return read_text(Path(body.path), body.max_bytes)[body.start :]


def read_bodies(articles: Iterable[Article]) -> tuple[dict[str, str], list[ContentError]]:
    """Each article's body text, by source, and a problem for each body that cannot be
    read, in the order given."""
    texts: dict[str, str] = {}
    problems: list[ContentError] = []
    for article in articles:
        try:
            texts[article.source] = read_body(article.body)
        except ContentError as exc:
            problems.append(exc)
    return texts, problems
