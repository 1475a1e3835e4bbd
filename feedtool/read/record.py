"""One article from its metadata: every key parsed and checked, into an Article record.

Feedtool's own files (read/metadata.py), the dialects' (read/dialects/) and articles made in
memory all end here, so this module sits below both readers and imports neither.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from feedtool.config import SiteConfig
from feedtool.errors import ContentError, FeedtoolError, raise_all
from feedtool.model import Article, Body
from feedtool.read import permalink, typos
from feedtool.read.dates import parse_date
from feedtool.read.frontmatter import read_head
from feedtool.read.sources import find_sidecar
from feedtool.textfile import key_line, read_text
from feedtool.values import fields
from feedtool.values.choices import BODY_SUFFIXES

# Keys whose value needs nothing but the value itself. Keys that depend on the
# site (dates, links, ids) are handled in build_article.
_SIMPLE_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "title": ("title", fields.required_text),
    "summary": ("summary", fields.text),
    "tags": ("tags", fields.text_list),
    "categories": ("categories", fields.text_list),
    "draft": ("draft", fields.boolean),
    "image": ("image", fields.url),
    "enclosures": ("enclosures", fields.enclosures),
    "lang": ("lang", fields.language),
    "author": ("authors", fields.authors),
    "authors": ("authors", fields.authors),
    "item_content": ("item_content", fields.item_content),
}
# Keys whose value depends on the site or on other keys: handled in build_article.
_SITE_KEYS = ("date", "updated", "slug", "link", "id")
# The article keys episode.py reads for a podcast episode (besides enclosures and image):
# listed here, so that a site without a podcast does not load episode.py to know them.
EPISODE_KEYS = (
    "episode",
    "season",
    "episode_type",
    "explicit",
    "block",
    "duration",
    "transcript",
    "chapters",
    "people",
    "license",
    "location",
)
# Every key feedtool reads: one edit away from one of these is taken for a typo
# (see typos.py), so a key added to either table is covered. A podcast episode's keys
# (episode.py) count with or without [podcast]: "seasn" is a typo either way.
KEYS = frozenset((*_SIMPLE_KEYS, *_SITE_KEYS, *EPISODE_KEYS))


class Loaded(NamedTuple):
    """An article and every file it was read from (body, sidecar, local enclosures)."""

    article: Article
    inputs: tuple[str, ...]  # body first; text, not Paths: cheaper to send between processes
    sidecar: str | None = None
    notes: tuple[str, ...] = ()  # warnings about it (dialect sites: template syntax dropped)


class Lines(NamedTuple):
    """Where the metadata came from, to put a line number on a problem (a named tuple:
    one is made for every article)."""

    path: str
    text: str
    first_line: int  # the line metadata starts on (2 in front matter, after the fence)

    def of(self, key: str) -> int | None:
        """The line ``key`` is on, or None when it is not written there."""
        return key_line(self.text, key, self.first_line)


# What YAML reads unquoted as true or false (and TOML and JSON write true and false).
_BOOLEAN_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "y", "n"})


def _written_word(lines: Lines, key: str) -> str | None:
    """The word a true/false value was written as ("Yes"), from the key's line.

    A title is taken as written: YAML's numbers are kept as written (WrittenInt) and its
    dates as text, so "title: Yes" is a title too, not a true/false to refuse."""
    line = lines.of(key)
    if line is None:
        return None
    written = re.split(r"[:=]", lines.text.split("\n")[line - 1], maxsplit=1)[-1]
    word = written.split(" #")[0].strip().rstrip(",").strip()
    return word if word.lower() in _BOOLEAN_WORDS else None


def build_article(meta: dict[str, Any], lines: Lines, body: Body, config: SiteConfig) -> Article:
    """Check every key; all problems of one article are reported together."""
    # Each parser is called directly in a try, not through a helper taking *args: this
    # runs for every article, and the calls were a tenth of reading one. Problems are
    # noted in the same order as ever (ties in the final sort keep it).
    problems: list[FeedtoolError] = []
    title = meta.get("title")
    if title.__class__ is bool:
        meta = {**meta, "title": _written_word(lines, "title") or title}
    values = _simple_values(meta, lines, problems)
    if title is None:
        # A missing title has no line of its own: name where the metadata starts (the
        # opening --- of front matter), where it goes.
        problems.append(
            ContentError(
                "is required (every article needs a title)",
                path=lines.path,
                line=max(lines.first_line - 1, 1) if lines.text else None,
                field="title",
            )
        )
    published: datetime | None = None
    updated: datetime | None = None
    raw = meta.get("date")
    if raw is None:
        # A file in the content folder may not be meant as an article: say how to leave
        # it out. (Articles made in memory have no metadata text and no folder.)
        name = os.path.basename(body.path)
        hint = f'; not an article? leave it out with exclude = ["**/{name}"] in feedtool.toml'
        problems.append(
            ContentError(
                "is required (when the article was published)" + (hint if lines.text else ""),
                path=lines.path,
                field="date",
            )
        )
    else:
        try:
            published = parse_date(raw, config.tz)
        except ValueError as exc:
            problems.append(_problem(exc, lines, "date"))
    raw = meta.get("updated")
    if raw is not None:
        try:
            updated = parse_date(raw, config.tz)
        except ValueError as exc:
            problems.append(_problem(exc, lines, "updated"))
    if updated is None:
        updated = published
    labels = len(values.get("tags", ())) + len(values.get("categories", ()))
    if labels > config.max_tags:
        key = "tags" if "tags" in values else "categories"
        problems.append(_problem(_too_many_tags(labels, config.max_tags), lines, key))
    if published is not None and updated is not None and updated < published:
        problems.append(_problem(_earlier(), lines, "updated"))
    link: str | None = None
    article_id: str | None = None
    slug: str | None
    try:
        slug = permalink.slug(meta.get("slug"), body.path)
    except ValueError as exc:
        problems.append(_problem(exc, lines, "slug"))
        slug = None
    if slug is not None and published is not None:
        try:
            link = permalink.link(meta.get("link"), slug, published, config)
        except ValueError as exc:
            problems.append(_problem(exc, lines, "link"))
        article_id = permalink.default_id(config.base_url, published, slug)
    raw = meta.get("id")
    if raw is not None:
        try:
            article_id = fields.identifier(raw)
        except ValueError as exc:
            problems.append(_problem(exc, lines, "id"))
            article_id = None
    if problems:
        # In the order of the file; missing keys (no line) first.
        raise_all(sorted(problems, key=lambda p: p.line or 0))
    assert published and updated and slug and link and article_id  # else a problem was noted
    # The article's own choice, else the site's: one flag, so rendering needs no config.
    values["summary_only"] = values.pop("item_content", config.item_content) == "summary"
    return Article(
        source=body.path,
        id=article_id,
        slug=slug,
        link=link,
        published=published,
        updated=updated,
        body=body,
        **values,
    )


def _simple_values(
    meta: dict[str, Any], lines: Lines, problems: list[FeedtoolError]
) -> dict[str, Any]:
    """The values of _SIMPLE_KEYS, as attributes of Article; problems are noted: unknown
    keys first, then refused values in the table's order."""
    # One pass over the keys written (a few of the eleven, all good, in most articles);
    # the table's order matters only when a value is refused (the order of the problems)
    # or both author and authors are set (authors wins): then again in that order.
    values: dict[str, Any] = {}
    refused = False
    for key in meta:
        entry = _SIMPLE_KEYS.get(key)
        if entry is None:
            if key not in KEYS and (close := typos.meant(key, KEYS)):
                problems.append(
                    ContentError(
                        f"unknown key: {typos.did_you_mean(close)}",
                        path=lines.path,
                        line=lines.of(key),
                        field=key,
                    )
                )
            continue
        raw = meta[key]
        if raw is not None:
            try:
                value = entry[1](raw)
            except ValueError:
                refused = True
                continue
            if value is not None:
                values[entry[0]] = value
    if not refused and not ("author" in meta and "authors" in meta):
        return values
    values = {}
    for key, (attribute, parser) in _SIMPLE_KEYS.items():
        raw = meta.get(key)
        if raw is not None:
            try:
                value = parser(raw)
            except ValueError as exc:
                problems.append(_problem(exc, lines, key))
                continue
            if value is not None:
                values[attribute] = value
    return values


def _problem(exc: ValueError, lines: Lines, key: str) -> ContentError:
    """A parser's refusal of ``key``'s value, against the line it is set on."""
    return ContentError(str(exc), path=lines.path, line=lines.of(key), field=key)


def _too_many_tags(count: int, limit: int) -> ValueError:
    return ValueError(
        f"{count:,} tags and categories, more than max_tags ({limit:,}); each makes feeds "
        "of its own, so keep the few that readers follow (or raise max_tags in the config)"
    )


def _earlier() -> ValueError:
    return ValueError(
        "is earlier than date (the article cannot change before it exists): "
        "correct one of them, or remove updated if it never changed"
    )


def metadata_line(article: Article, key: str) -> tuple[str, int | None]:
    """The file holding an article's metadata (body or sidecar) and the line of ``key``
    in it, for a problem found after reading (against the cache's copy, say)."""
    if article.body.text is not None:
        return article.source, None  # made in memory: no file to point to
    sidecar = find_sidecar(Path(article.source))
    try:
        if sidecar is not None:
            return str(sidecar), key_line(read_text(sidecar), key, 1)
        return article.source, key_line(read_head(article.source), key, 2)
    except ContentError:
        return str(sidecar or article.source), None


def article_from_metadata(
    config: SiteConfig,
    metadata: dict[str, Any],
    text: str,
    *,
    source: str,
    format: str = "markdown",
) -> Article:
    """An article made in memory: ``metadata`` as front matter would give it (title, date,
    tags...), ``text`` its body in ``format`` ("markdown", "html" or "text"). ``source``
    names it in messages and stands for its file name (the default slug comes from it).

    Raises ContentError (or ManyErrors) as a file with that front matter would.
    """
    if format not in set(BODY_SUFFIXES.values()):
        known = ", ".join(sorted(set(BODY_SUFFIXES.values())))
        raise ContentError(f'unknown body format "{format}" (one of: {known})', path=source)
    body = Body(path=source, format=format, start=0, text=text)
    return build_article(dict(metadata), Lines(source, "", 1), body, config)
