"""The ``[podcast]`` table of feedtool.toml: a Show, checked against Apple's rules.

Apple Podcasts and the Podcast 2.0 namespace (podcastindex.org/namespace/1.0) define
what a podcast feed's channel says; this module reads the table into a Show, as config.py
reads the rest of the file (so it sits on the floor config may import). Its art is found
in the content folder later, by read/show_art.py.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from feedtool.errors import ConfigError, FeedtoolError, raise_all
from feedtool.model import Author, Show
from feedtool.textfile import key_line
from feedtool.values import fields, podcast20
from feedtool.xmlnames import CATEGORIES

TABLE = "podcast"


# The namespace podcast:guid's UUIDv5 is made in (podcast namespace, docs/tags/guid.md).
GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

SHOW_TYPES = ("episodic", "serial")


def feed_guid(feed_url: str) -> str:
    """podcast:guid for a feed at ``feed_url``: the UUIDv5 of the URL without its scheme
    and trailing slashes, in the podcast namespace's own UUID namespace."""
    seed = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(GUID_NAMESPACE, seed))


def _category(value: object) -> tuple[tuple[str, str | None], ...]:
    written = [value] if isinstance(value, str) else value
    if not isinstance(written, list) or not written:
        raise ValueError('expected an Apple Podcasts category like "Technology" or "Arts > Books"')
    result: list[tuple[str, str | None]] = []
    for item in written:
        text = fields.required_text(item)
        top, _, sub = (part.strip() for part in text.partition(">"))
        if top not in CATEGORIES:
            close = [name for name in CATEGORIES if name.lower() == top.lower()]
            hint = f'did you mean "{close[0]}"? ' if close else ""
            raise ValueError(
                f'"{top}" is not an Apple Podcasts category ({hint}known: {", ".join(CATEGORIES)})'
            )
        if sub and sub not in CATEGORIES[top]:
            known = ", ".join(CATEGORIES[top]) or "none"
            raise ValueError(f'"{sub}" is not a subcategory of "{top}" (known: {known})')
        if (top, sub or None) not in result:
            result.append((top, sub or None))
    return tuple(result)


def _owner(value: object) -> Author:
    return fields.author(value)  # its e-mail address: see parse_show (podcast:txt)


def _show_type(value: object) -> str:
    text = fields.required_text(value)
    if text not in SHOW_TYPES:
        raise ValueError(f'"{text}" is not a show type (use "episodic" or "serial")')
    return text


def _web_url(value: object) -> str:
    result = fields.url(value)
    parts = urlsplit(result)
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(f'"{result}" must be an https:// address (podcast apps refuse http)')
    return result


def _funding(value: object) -> tuple[tuple[str, str], ...]:
    written = [value] if isinstance(value, dict) else value
    if not isinstance(written, list):
        raise ValueError('expected {url = "https://...", text = "Support the show"} or a list')
    result = []
    for item in written:
        if not isinstance(item, dict) or set(item) - {"url", "text"} or "url" not in item:
            raise ValueError('each funding entry is {url = "https://...", text = "..."}')
        text = fields.text(item.get("text", "")) or "Support the show"
        if len(text) > 128:  # the podcast namespace's limit
            raise ValueError(f"text is {len(text)} characters; the podcast namespace allows 128")
        result.append((_web_url(item["url"]), text))
    return tuple(result)


def _guid(value: object) -> str:
    text = fields.required_text(value)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise ValueError(
            f'"{text}" is not a UUID; leave guid out to get the one the podcast namespace '
            "derives from the feed's URL"
        ) from None


# key -> (parser, required?)
_KEYS: dict[str, tuple[Callable[[Any], Any], bool]] = {
    "category": (_category, True),
    "explicit": (fields.boolean, False),
    "owner": (_owner, True),
    "author": (fields.required_text, False),
    "image": (fields.url, True),
    "type": (_show_type, False),
    "locked": (fields.boolean, False),
    "complete": (fields.boolean, False),
    "new_feed_url": (_web_url, False),
    "funding": (_funding, False),
    "guid": (_guid, False),
    "copyright": (fields.required_text, False),
    "limit": (fields.positive_int, False),
    "archives": (fields.boolean, False),
    "archive_page_size": (fields.positive_int, False),
    "people": (podcast20.people, False),
    "medium": (podcast20.medium, False),
    "txt": (podcast20.txts, False),
    "license": (podcast20.license, False),
    "trailer": (podcast20.trailers, False),
    "location": (podcast20.locations, False),
}
# key -> Show attribute, where they differ
_FIELDS = {"category": "categories", "trailer": "trailers", "location": "locations"}


def table_line(text: str, key: str = "") -> int | None:
    """The line of ``[podcast]`` in TOML ``text``, or of ``key`` inside that table."""
    header = re.compile(rf"^\s*\[\s*{TABLE}\s*\]")
    setting = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=') if key else None
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if header.match(line):
            if setting is None:
                return number
            inside = True
        elif inside and re.match(r"^\s*\[", line):
            inside = False
        elif inside and setting is not None and setting.match(line):
            return number
    return None


def parse_show(value: object, source: str, text: str) -> Show:
    """The ``[podcast]`` table as a Show; raises ConfigError (or ManyErrors), each problem
    naming its key as ``podcast.KEY`` and its line."""

    def problem(message: str, key: str = "") -> ConfigError:
        line = table_line(text, key) or table_line(text)
        field = f"{TABLE}.{key}" if key else TABLE
        return ConfigError(message, path=source, line=line, field=field)

    if not isinstance(value, dict):
        raise problem("must be a table: a line [podcast], then its keys (see docs/podcast.md)")
    problems: list[FeedtoolError] = []
    values: dict[str, Any] = {}
    for key in map(str, value):
        if key not in _KEYS:
            problems.append(problem(f"unknown key (known keys: {', '.join(sorted(_KEYS))})", key))
            continue
        try:
            values[_FIELDS.get(key, key)] = _KEYS[key][0](value[key])
        except ValueError as exc:
            problems.append(problem(str(exc), key))
    for key, (_, required) in _KEYS.items():
        if required and key not in value:
            problems.append(problem(_MISSING[key], key))
    verified = any(purpose == podcast20.APPLE_VERIFY for _, purpose in values.get("txt", ()))
    if "owner" in values and not values["owner"].email and not verified:
        problems.append(
            problem(
                "needs an e-mail address, as Apple Podcasts requires: "
                '"Name <name@example.org>" (or verify the show with '
                f'txt = {{purpose = "{podcast20.APPLE_VERIFY}", text = "..."}})',
                "owner",
            )
        )
    raise_all(sorted(problems, key=lambda p: p.line or 0))
    values.setdefault("explicit", False)
    values.setdefault("author", values["owner"].name)
    lines = {key: table_line(text, key) for key in ("", *value)}
    return Show(**values, lines=tuple((k, n) for k, n in lines.items() if n))


_MISSING = {
    "category": 'is required by Apple Podcasts, e.g. category = "Technology"',
    "owner": 'is required by Apple Podcasts, e.g. owner = "Name <name@example.org>"',
    "image": 'is required (the show\'s art, 1400 to 3000 pixels square), e.g. image = "art.png"',
}


# Apple Podcasts shows at most this much of a show's description.
MAX_DESCRIPTION_BYTES = 4000


def site_problems(values: dict[str, Any], source: str, text: str) -> list[FeedtoolError]:
    """What the site's own settings must be for a podcast: https, a short description."""
    problems: list[FeedtoolError] = []
    if not values.get("language"):
        problems.append(
            ConfigError(
                "is required for a podcast: Apple Podcasts rejects a show without its "
                'language; add language = "en" (its ISO 639 code) at the top of the file',
                path=source,
                line=table_line(text),
                field="language",
            )
        )
    for key in ("base_url", "feeds_url"):
        if urlsplit(values[key]).scheme != "https":
            problems.append(
                ConfigError(
                    f'"{values[key]}" is http; podcast apps need https:// for everything in a '
                    "podcast feed (its links, its self link, its files)",
                    path=source,
                    line=key_line(text, key),
                    field=key,
                )
            )
            break  # feeds_url defaults to base_url: one fix
    size = len(values["description"].encode("utf-8"))
    if size > MAX_DESCRIPTION_BYTES:
        problems.append(
            ConfigError(
                f"is {size} bytes; Apple Podcasts takes at most {MAX_DESCRIPTION_BYTES} in a "
                "podcast's description: shorten it",
                path=source,
                line=key_line(text, "description"),
                field="description",
            )
        )
    return problems
