"""Small pieces several dialects share."""

from __future__ import annotations

import os
import re
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from feedtool import safefile
from feedtool.errors import ContentError, Notice
from feedtool.read.dates import parse_date
from feedtool.textfile import read_text
from feedtool.values import checks

if TYPE_CHECKING:
    from feedtool.config import SiteConfig

FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[-_](.+)$")


def lower_keys(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter keys as Hugo and Pelican read them: case does not matter."""
    return {str(k).lower(): v for k, v in meta.items()}


def file_date(stem: str) -> tuple[str, str] | None:
    """``2024-01-05-hello`` -> ("2024-01-05", "hello")."""
    match = FILE_DATE.match(stem)
    if match is None:
        return None
    return f"{match[1]}-{match[2]}-{match[3]}", match[4]


def words(value: Any, sep: str | None = None) -> list[str]:
    """A list, or a string split on ``sep`` (None: whitespace), as generators read tags."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [w.strip() for w in str(value).split(sep) if w.strip()]


def join_url(base_url: str, path: str) -> str:
    """base_url (ending in "/") and a site path (with or without its leading "/")."""
    return base_url + path.lstrip("/")


def key_line(text: str, end: int, key: str) -> int | None:
    """The line of ``key:`` in the front matter (``text[:end]``), for messages."""
    match = re.search(rf"(?mi)^\s*{re.escape(key)}\s*[:=]", text[:end])
    return text.count("\n", 0, match.start()) + 1 if match else None


def site_image(value: str, base_url: str, path: str, line: int | None = None) -> str:
    """An image named in front matter as the site serves it: ``/a.png`` and ``a.png``
    under base_url, ``//host/a.png`` (valid for a browser, not in a feed) with base_url's
    scheme. A value that still is no web address is this file's error, so with
    --keep-going it costs this item only, never the build."""
    url = value.strip()
    if url.startswith("//"):
        url = base_url.split("//", 1)[0] + url
    elif "://" not in url:
        url = join_url(base_url, url)
    problem = checks.web_address(url)
    if problem:
        raise ContentError(f'"{value}" {problem}', path=path, line=line, field="image")
    return url


def as_date(value: Any, tz: Any) -> datetime | None:

    if value is None or value == "":
        return None
    try:
        return parse_date(value, tz)
    except ValueError:
        return None


def skip(path: str, why: str, line: int | None = None) -> Notice:
    """A file left out with a warning (raised; the build goes on)."""
    return Notice(f"{why} (left out)", path=path, line=line)


def listing(directory: str) -> tuple[str, ...]:
    """A folder's names, sorted; read once per folder and change (a section of thousands
    of posts is listed once, not once per post)."""
    try:
        return _listing(directory, os.stat(directory).st_mtime_ns)
    except OSError:
        return ()


@lru_cache(maxsize=64)
def _listing(directory: str, mtime_ns: int) -> tuple[str, ...]:
    return tuple(sorted(os.listdir(directory)))


_TRANSLATION = re.compile(r"^(.+)\.([a-z]{2}(?:-[a-z]{2,4})?)\.(?:md|markdown|html|htm)$", re.I)


_PLAIN = re.compile(r"^(.+)\.(?:md|markdown|html|htm)$", re.I)


def translation_files(
    path: str, stem: str, language: str, default_language: str
) -> list[tuple[str, str]]:
    """The other languages of the page at ``path`` (in ``language``): files beside it of the
    same ``stem``, ``STEM.LANG.md`` or (the default language) ``STEM.md``: (language, path)."""
    directory = os.path.dirname(path)
    found = []
    for name in listing(directory):
        match = _TRANSLATION.match(name)
        if match is not None:
            other, other_language = match[1], match[2]
        else:
            plain = _PLAIN.match(name)
            if plain is None:
                continue
            other, other_language = plain[1], default_language
        if other == stem and other_language.lower() != language.lower():
            found.append((other_language, os.path.join(directory, name)))
    return found


def site_text(path: str, content_dir: str, config: SiteConfig) -> str:
    """The text of a file a dialect reads beside the articles (a directory data file, a
    translation): as an article is read, inside the content folder (or linked_folders),
    a regular file, and within the article size limit; else a ContentError naming it."""
    safefile.inside(path, [content_dir, *config.content_roots])
    return read_text(path, config.max_article_bytes)


def content_dir(page_path: str, page_rel: str) -> str:
    """The content folder a page was found in, from its path and its relative name."""
    return page_path[: len(page_path) - len(page_rel)] or "."
