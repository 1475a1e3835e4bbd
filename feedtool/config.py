"""The site's settings: feedtool.toml parsed into a frozen SiteConfig."""

from __future__ import annotations

import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import fields
from .dates import get_timezone
from .errors import ConfigError, ContentError, ManyErrors
from .frontmatter import decode, key_line, toml_problem
from .model import Author


def _base_url(value: object) -> str:
    result = fields.url(value)
    parts = urlsplit(result)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f'"{result}" must be an absolute http(s) URL, like "https://example.org/"')
    return result if result.endswith("/") else result + "/"


def _timezone(value: object) -> str:
    name = fields.required_text(value)
    if get_timezone(name) is None:
        raise ValueError(f'unknown time zone "{name}" (use an IANA name like "Europe/Berlin")')
    return name


def _permalink(value: object) -> str:
    pattern = fields.required_text(value)
    try:
        pattern.format(slug="s", year="2000", month="01", day="01")
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            f'"{pattern}" uses an unknown placeholder {exc} (known: {{slug}}, {{year}}, '
            "{month}, {day})"
        ) from None
    if "{slug}" not in pattern:
        raise ValueError(f'"{pattern}" must contain {{slug}} so every article gets its own URL')
    return pattern


# key -> (parser, default). The one place that says which keys feedtool.toml has.
_KEYS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "title": (fields.required_text, None),
    "description": (fields.text, None),
    "base_url": (_base_url, None),
    "feeds_url": (_base_url, None),
    "author": (fields.author, None),
    "language": (fields.required_text, None),
    "timezone": (_timezone, "UTC"),
    "limit": (fields.positive_int, 20),
    "permalink": (_permalink, "/{slug}/"),
    "image": (fields.url, None),
    "icon": (fields.url, None),
    "max_article_bytes": (fields.positive_int, 4 * 1024 * 1024),
}


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
    max_article_bytes: int = 4 * 1024 * 1024  # bigger files are an error, checked before reading
    source: str = field(default="feedtool.toml", compare=False)

    @property
    def tz(self) -> tzinfo:
        zone = get_timezone(self.timezone)
        assert zone is not None  # checked when the config was read
        return zone


def config_from_mapping(
    data: dict[str, Any], source: str = "feedtool.toml", text: str = ""
) -> SiteConfig:
    """Check every key and build a SiteConfig; all problems are reported together.

    ``text`` is the file the mapping was read from, to give each problem its line.
    """
    problems: list[ConfigError] = []
    values: dict[str, Any] = {}
    for key in sorted(data):
        line = key_line(text, key)
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            problems.append(
                ConfigError(f"unknown key (known keys: {known})", path=source, line=line, field=key)
            )
            continue
        parser, _ = _KEYS[key]
        try:
            values[key] = parser(data[key])
        except ValueError as exc:
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
    return SiteConfig(source=source, **values)


def load_config(path: Path) -> SiteConfig:
    """Read feedtool.toml (or another file given with --config)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would make the read wait for ever
            raise ConfigError("is not a regular file", path=path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("config file not found (give another with --config)", path=path) from None
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
    return config_from_mapping(data, source=str(path), text=text)
