"""Where an article lives on the web: its slug, its link and its default id."""

from __future__ import annotations

import os
import re
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit

from feedtool.config import SiteConfig
from feedtool.values import checks, fields

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
# What quote(..., safe="") leaves as it is: a slug made only of these needs no quoting.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")
# Characters that make urljoin's full rules matter: query, fragment, scheme, backslash,
# and the spaces and control characters it strips or drops.
_ODD = re.compile(r"[?#:\\\x00-\x20\x7f]")
_ODD_BASE = re.compile(r"[?#]")


def slug(value: object, path: str) -> str:
    """The slug set in the metadata (``value``), or else one made from the file name."""
    if value is None:
        # Plain string work, not a Path: this runs for every article of a large site.
        # Runs of white space become one "-", none at the ends: str.split() splits on
        # what \s matches, without a call into the pattern's engine.
        slug = "-".join(_DATE_PREFIX.sub("", _stem(os.path.basename(path))).split())
        try:
            slug.encode("utf-8")
        except UnicodeEncodeError:
            # The OS hands over such names with surrogates; they cannot go in a URL.
            raise ValueError("the file name is not UTF-8; rename the file or set slug") from None
    else:
        slug = fields.required_text(value)
    if "/" in slug or "\\" in slug or slug in (".", ".."):
        raise ValueError(f'"{slug}" cannot be used in a URL path (no slashes, not . or ..)')
    if not slug:
        raise ValueError("is empty")
    return slug


def _stem(name: str) -> str:
    """os.path.splitext(name)[0] for a file name, without its cost (a call into genericpath
    for every article): the suffix starts at the last dot, unless only dots come before it."""
    dot = name.rfind(".")
    return name[:dot] if dot > 0 and name[:dot].strip(".") else name


def link(value: object, slug: str, published: datetime, config: SiteConfig) -> str:
    """The link set in the metadata (``value``), or else the site's permalink pattern filled in."""
    if value is not None:
        link = fields.url(value)
        try:
            absolute = urljoin(config.base_url, link)
        except ValueError:  # "http://[::1": an IPv6 host never closed
            absolute = link  # web_address says what is wrong with it
        problem = checks.web_address(absolute)
        if problem:
            raise ValueError(f'"{link}" {problem}')
        return absolute
    pattern = config.permalink
    if "year" in pattern or "month" in pattern or "day" in pattern:
        path = pattern.format(
            slug=_quote(slug),
            year=f"{published.year:04d}",
            month=f"{published.month:02d}",
            day=f"{published.day:02d}",
        )
    else:  # "/{slug}/", the default: no date to write out for every article
        path = pattern.format(slug=_quote(slug))
    return _join(config.base_url, path.lstrip("/"))


def _join(base: str, relative: str) -> str:
    """urljoin(base, relative) for a base ending in "/", without its cost in the common case."""
    segments = relative.split("/")
    # urljoin also drops empty segments ("a//b") and resolves dot segments, in the base
    # as well: all of those take its way.
    odd_segments = "" in segments[:-1] or "." in segments or ".." in segments
    if odd_segments or _ODD.search(relative) or not _plain_base(base):
        return urljoin(base, relative)
    return base + relative


@lru_cache(maxsize=8)
def _plain_base(base: str) -> bool:
    path = urlsplit(base).path
    return not _ODD_BASE.search(base) and not any(p in path for p in ("//", "/./", "/../"))


def default_id(base_url: str, published: datetime, slug: str) -> str:
    """A tag URI (RFC 4151) that does not change when the title or text is edited."""
    # Written out, not strftime: a third of its cost (this runs for every article), and
    # the same on every platform. Years before 1000 stay unpadded, as Linux strftime
    # wrote them when such ids were first made: an id must never change.
    if published.year >= 1000:
        day = published.date().isoformat()  # the same text, in C
    else:
        day = f"{published.year}-{published.month:02d}-{published.day:02d}"
    return f"tag:{_host(base_url)},{day}:/{_quote(slug)}"


def _quote(slug: str) -> str:
    return slug if _UNRESERVED.fullmatch(slug) else quote(slug, safe="")


@lru_cache(maxsize=8)
def _host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "localhost"
