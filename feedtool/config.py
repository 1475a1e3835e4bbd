"""The site's settings: feedtool.toml parsed into a frozen SiteConfig."""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from feedtool import safefile
from feedtool.errors import (
    ConfigError,
    ContentError,
    FeedtoolError,
    ManyErrors,
    Notice,
    raise_all,
)
from feedtool.model import Author, Show
from feedtool.textfile import decode, key_line, toml_problem
from feedtool.values import checks, choices, fields
from feedtool.values.patterns import compiled_later
from feedtool.values.zones import get_timezone, zone_caution, zone_problem

# Lazy imports: values/podcast_settings.py is imported where a [podcast] table is read: a site
# without a podcast never loads it.

# What `feedtool init` puts in base_url when it is not told the site's address.
PLACEHOLDER_BASE_URL = "https://example.org/"


# A last path segment with one of these suffixes names a page, not the site's folder.
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".xml", ".json")


def _web_address(value: object, what: str) -> str:
    result = fields.url(value)
    problem = checks.web_address(result)
    if problem:
        raise ValueError(f'"{result}" must be {what} (it {problem})')
    return result


def _base_url(value: object) -> str:
    result = _web_address(value, 'an absolute http(s) URL, like "https://example.org/"')
    parts = urlsplit(result)
    # Links are made by appending to this address: "…/index.html" would give
    # "…/index.html/2026/12/post/", and a query or fragment would end up mid-link.
    folder, _, last = parts.path.rpartition("/")
    page = last.lower().endswith(_PAGE_SUFFIXES)
    if page or parts.query or parts.fragment or result.endswith(("?", "#")):
        path = folder + "/" if page else parts.path.rstrip("/") + "/"
        meant = f"{parts.scheme}://{parts.netloc}{path}"
        raise ValueError(
            f'"{result}" is a page, not the folder the site is published in: '
            f'did you mean "{meant}"?'
        )
    return result if result.endswith("/") else result + "/"


def _hub(value: object) -> str:
    # Unlike base_url, kept exactly as written: a hub's endpoint is not a folder.
    return _web_address(value, "the absolute http(s) URL of a WebSub hub")


def _timezone(value: object) -> str:
    name = fields.required_text(value)
    problem = zone_problem(name)  # get_timezone loads exactly the names this passes
    if problem:
        raise ValueError(problem)
    return name


_PERMALINK_FIELDS = ("slug", "year", "month", "day")


def _permalink(value: object) -> str:
    pattern = fields.required_text(value)
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        raise ValueError(f'"{pattern}" is not a pattern: {exc} (write {{{{ for a brace)') from None
    for name in names:
        if name not in _PERMALINK_FIELDS:
            raise ValueError(
                f'"{pattern}" uses an unknown placeholder {{{name}}} (known: {{slug}}, {{year}}, '
                "{month}, {day})"
            )
    if "slug" not in names:
        raise ValueError(f'"{pattern}" must contain {{slug}} so every article gets its own URL')
    filled = pattern.format(slug="my-post", year="2026", month="01", day="31")
    if filled.startswith("//") or _has_scheme(filled):
        raise ValueError(
            f'"{pattern}" must be a path on the site, like "/{{year}}/{{slug}}/" '
            "(to link elsewhere, set link in the article)"
        )
    # Every article's link is made from it: a quote or "<" here would fail every feed's
    # validation, far from this line (a slug is percent-encoded; the rest is as written).
    example = urljoin(PLACEHOLDER_BASE_URL, filled.lstrip("/"))
    problem = checks.web_address(example)
    if problem:
        raise ValueError(f'"{pattern}" makes links that are not URLs: "{example}" {problem}')
    return pattern


def _has_scheme(text: str) -> bool:
    try:
        return bool(urlsplit(text).scheme)
    except ValueError:
        return True


def _globs(value: object) -> tuple[str, ...]:
    """include/exclude: glob patterns of paths relative to the content folder."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError('expected a list of glob patterns, like ["posts/**", "*.md"]')
    return tuple(v.strip() for v in value)


def _dialect(value: object) -> str:
    name = fields.required_text(value)
    if name not in choices.DIALECTS:
        raise ValueError(f"unknown dialect {name!r} (known: {', '.join(sorted(choices.DIALECTS))})")
    return name


def _table(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("expected a table of settings")
    return value


def _choices(known: Collection[str], what: str) -> Callable[[object], tuple[str, ...]]:
    """A parser for a list of names from a registry: order kept, repeats dropped."""

    def parse(value: object) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ValueError(f"expected a list of {what}s, like {sorted(known)!r}")
        result: list[str] = []
        for item in value:
            if not isinstance(item, str) or item not in known:
                raise ValueError(f"unknown {what} {item!r} (known: {', '.join(sorted(known))})")
            if item not in result:
                result.append(item)
        return tuple(result)

    return parse


def _formats(value: object) -> tuple[str, ...]:
    result = _choices(choices.FORMATS, "format")(value)
    if not result:
        raise ValueError("must name at least one format")
    return result


def _bounded(upper: int, what: str) -> Callable[[object], int]:
    """A whole number from 1 to ``upper``: a limit beyond that is no limit, and a number
    too big for the system's calls would fail later, far from this line."""

    def parse(value: object) -> int:
        number = fields.positive_int(value)
        if number > upper:
            raise ValueError(f"{number:,} is more than {upper:,} {what}")
        return number

    return parse


_size = _bounded(1024**3, "bytes (1 GiB)")
_count = _bounded(1_000_000, "(a million)")


_PLAIN_NAME = compiled_later(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def _feed_files(value: object) -> tuple[tuple[str, str], ...]:
    """feed_files: another file name for a format's feeds (a site switched from another
    generator keeps the names its subscribers know), as (format, name) pairs."""
    if not isinstance(value, dict):
        raise ValueError('expected a table of format = file name, like { atom = "feed.xml" }')
    pairs: list[tuple[str, str]] = []
    for name, filename in value.items():
        if name not in choices.FORMATS:
            known = ", ".join(sorted(choices.FORMATS))
            raise ValueError(f"unknown format {name!r} (known: {known})")
        suffix = PurePosixPath(choices.FORMATS[name]).suffix
        if not isinstance(filename, str) or not _PLAIN_NAME().fullmatch(filename):
            raise ValueError(f'{name}: expected a plain file name, like "feed{suffix}"')
        if not filename.endswith(suffix):
            raise ValueError(f'{name}: "{filename}" must end in {suffix}')
        if filename in choices.OWN_FILES:
            raise ValueError(f'{name}: "{filename}" is a file feedtool writes itself; pick another')
        pairs.append((name, filename))
    names = [filename for _, filename in pairs]
    defaults = [filename for key, filename in choices.FORMATS.items() if key not in value]
    if len(set(names + defaults)) != len(names) + len(defaults):
        raise ValueError("two formats would be written to the same file name")
    return tuple(pairs)


def _folders(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError('expected a list of folders, like ["../shared-posts"]')
    return tuple(fields.required_text(item) for item in value)


# key -> (parser, default). The one place that says which keys feedtool.toml has.
_KEYS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "title": (fields.required_text, None),
    "description": (fields.text, None),
    "base_url": (_base_url, None),
    "feeds_url": (_base_url, None),
    "author": (fields.author, None),
    "language": (fields.language, None),
    "timezone": (_timezone, "UTC"),
    "limit": (_count, 20),
    "permalink": (_permalink, "/{slug}/"),
    "image": (fields.url, None),
    "icon": (fields.url, None),
    "formats": (_formats, tuple(choices.FORMATS)),
    "feed_files": (_feed_files, ()),
    "feeds_per": (_choices(choices.GROUPINGS, "grouping"), ()),
    "archives": (fields.boolean, False),
    "archive_page_size": (_count, 50),
    "max_bytes": (_size, None),
    "opml": (fields.boolean, True),
    "html_page": (fields.boolean, True),
    "hub": (_hub, None),
    "max_article_bytes": (_size, 4 * 1024 * 1024),
    "max_html_bytes": (_size, 8 * 1024 * 1024),
    "linked_folders": (_folders, ()),
    "max_tags": (_count, 100),
    "max_group_feeds": (_count, 1000),
    "item_content": (fields.item_content, "full"),
    # Sites written for another generator (read/dialects), and which files are articles.
    "content": (fields.required_text, None),
    "output": (fields.required_text, None),
    "include": (_globs, ()),
    "exclude": (_globs, ()),
    "dialect": (_dialect, None),
    "dialect_options": (_table, None),
}


def _podcast(value: object, source: str, text: str) -> Show:
    from feedtool.values.podcast_settings import parse_show

    return parse_show(value, source, text)


# [table] -> parser(value, source, text), which raises ConfigError or ManyErrors itself.
_TABLES: dict[str, Callable[[Any, str, str], Any]] = {"podcast": _podcast}


@dataclass(frozen=True)
class SiteConfig:
    base_url: str
    title: str
    description: str
    feeds_url: str  # where the output folder is published; self links point here
    author: Author | None = None
    language: str | None = None
    timezone: str = "UTC"
    limit: int = 20
    permalink: str = "/{slug}/"
    image: str | None = None
    icon: str | None = None
    formats: tuple[str, ...] = ("rss", "atom", "json")  # values/choices.FORMATS (render/formats)
    # (format, file name) for formats whose feeds take another name than the format's
    # own (feed.xml for Atom, say): a switched site keeps its generator's feed URLs.
    feed_files: tuple[tuple[str, str], ...] = ()
    feeds_per: tuple[str, ...] = ()  # values/choices.GROUPINGS (plan/groups)
    archives: bool = False  # RFC 5005 archive pages of the main feed
    archive_page_size: int = 50
    max_bytes: int | None = None  # largest feed file; items are dropped to fit
    opml: bool = True  # write index.opml
    html_page: bool = True  # write index.html, the feeds' page for people
    hub: str | None = None  # WebSub hub: advertised in the feeds, pinged by build --ping
    max_article_bytes: int = 4 * 1024 * 1024  # bigger files are an error, checked before reading
    max_html_bytes: int = 8 * 1024 * 1024  # an article's rendered HTML; more is an error
    # Folders outside the content folder that symlinks in it may lead to (relative to
    # the config file's folder); everything else a link leads to is refused.
    linked_folders: tuple[str, ...] = ()
    max_tags: int = 100  # tags and categories of one article together
    max_group_feeds: int = 1000  # tag, category and author feeds of one build together
    item_content: str = "full"  # or "summary": feeds carry the summary and a link (values.fields)
    podcast: Show | None = None  # the [podcast] table: write podcast.xml
    content: str | None = None  # the content folder, relative to the config file
    output: str | None = None  # the output folder, relative to the config file
    include: tuple[str, ...] = ()  # globs (relative to the content folder) of article files
    exclude: tuple[str, ...] = ()  # globs of files that are not articles
    dialect: str | None = None  # a key of values/choices.DIALECTS: "hugo", "jekyll", ...
    # What the generator's own config says (permalinks, ids...), as the dialect reads it.
    dialect_options: dict[str, Any] | None = field(default=None, hash=False)
    source: str = field(default=choices.CONFIG_NAME, compare=False)

    @property
    def content_roots(self) -> tuple[str, ...]:
        """linked_folders as paths: the folders besides the content folder content is
        read from."""
        base = os.path.dirname(self.source)
        return tuple(os.path.join(base, folder) for folder in self.linked_folders)

    @property
    def tz(self) -> tzinfo:
        zone = get_timezone(self.timezone)
        assert zone is not None  # checked when the config was read
        return zone


def config_from_mapping(
    data: dict[str, Any], source: str = choices.CONFIG_NAME, text: str = ""
) -> SiteConfig:
    """Check every key and build a SiteConfig; all problems are reported together.

    ``text`` is the file the mapping was read from, to give each problem its line.
    """
    problems: list[FeedtoolError] = []
    values: dict[str, Any] = {}
    for key in sorted(data):
        if key in _TABLES:
            try:
                values[key] = _TABLES[key](data[key], source, text)
            except ManyErrors as exc:
                problems.extend(exc.errors)
            except ConfigError as exc:
                problems.append(exc)
            continue
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            value = data[key]
            table = isinstance(value, dict) or (
                isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
            )
            # A table is mostly [site] put around settings that belong at the top.
            what = (
                "unknown table: the only ones are [podcast] and [dialect_options]; "
                "every other setting goes at the top"
            )
            close = [name for name in sorted(_KEYS) if checks.one_edit_apart(key, name)]
            if not table and close:
                problems.append(
                    ConfigError(
                        f"unknown key: {checks.did_you_mean(close)}",
                        path=source,
                        line=key_line(text, key),
                        field=key,
                    )
                )
                continue
            what = what if table else "unknown key"
            line = key_line(text, key)
            problems.append(
                ConfigError(f"{what} (known keys: {known})", path=source, line=line, field=key)
            )
            continue
        parser, _ = _KEYS[key]
        try:
            values[key] = parser(data[key])
        except ValueError as exc:  # its line looked for only now: a regex for each key
            line = key_line(text, key)
            problems.append(ConfigError(str(exc), path=source, line=line, field=key))
    if "base_url" not in data:
        problems.append(
            ConfigError(
                'is required, e.g. base_url = "https://example.org/"', path=source, field="base_url"
            )
        )
    if problems:
        raise ManyErrors(problems) if len(problems) > 1 else problems[0]
    for key, (_, default) in _KEYS.items():
        values.setdefault(key, default)
    values["title"] = values["title"] or urlsplit(values["base_url"]).netloc
    values["description"] = values["description"] or values["title"]
    values["feeds_url"] = values["feeds_url"] or values["base_url"]
    # The feed's pictures may be given relative to the site, like links in articles.
    for key in ("image", "icon"):
        if values[key]:
            try:
                values[key] = urljoin(values["base_url"], values[key])
            except ValueError:  # "http://[::1": an IPv6 host never closed
                pass  # web_address says what is wrong with it
            problem = checks.web_address(values[key])
            if problem:
                line = key_line(text, key)
                raise ConfigError(f'"{data[key]}" {problem}', path=source, line=line, field=key)
    if values.get("podcast") is not None:
        from feedtool.values.podcast_settings import site_problems

        raise_all(site_problems(values, source, text))
    return SiteConfig(source=source, **values)


def config_notices(config: SiteConfig) -> list[Notice]:
    """What a person should know of settings that load but may not mean what they seem
    (a warning each; the command line prints them on every build)."""
    caution = zone_caution(config.timezone)
    return [Notice(caution, path=config.source, field="timezone")] if caution else []


def load_config(path: Path) -> SiteConfig:
    """Read a site's settings file (feedtool.toml) into a SiteConfig."""
    try:
        raw, _ = safefile.read_regular(path)  # never a FIFO: it would make the read wait
    except safefile.NotRegularFile:
        raise ConfigError("is not a regular file", path=path) from None
    except FileNotFoundError:
        # The folder in full: a relative name does not say where the command was run.
        folder = os.path.abspath(path.parent)
        # No feedtool.toml at all is most often a site never set up (the command line
        # suggests how); another name given is a typo in it.
        parameter = "new_site" if path.name == choices.CONFIG_NAME else "path"
        raise ConfigError(
            f"config file not found in {folder}", path=path, parameter=parameter
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the config file: {exc.strerror}", path=path) from None
    try:
        text = decode(raw, path)
    except ContentError as exc:
        raise ConfigError(exc.message, path=path, line=exc.line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = toml_problem(exc)
        raise ConfigError(f"TOML does not parse: {message}", path=path, line=line) from None
    except ValueError as exc:  # an integer of over 4,300 digits
        reason = str(exc).split(":")[0]
        raise ConfigError(f"TOML has a value that cannot be read ({reason})", path=path) from None
    return config_from_mapping(data, source=str(path), text=text)
