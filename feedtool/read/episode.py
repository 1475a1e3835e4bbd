"""An article as a podcast episode: its podcast keys, the facts of its files, Apple's rules.

Read only when feedtool.toml has a ``[podcast]`` table, for articles with an audio or
video enclosure (the first one is the episode's). Every problem is reported against
the article's file and the line of the key, when it is read, not later against the feed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from feedtool.errors import ContentError, FeedtoolError, raise_all
from feedtool.model import Article, Enclosure, Episode
from feedtool.read import fields
from feedtool.read.media import is_web_address, resolve_enclosure

# The enclosure types Apple Podcasts takes (podcasters.apple.com, "RSS feed requirements").
APPLE_TYPES = (
    "audio/mpeg",
    "audio/x-m4a",
    "audio/mp4",
    "video/mp4",
    "video/x-m4v",
    "video/quicktime",
    "application/pdf",
)
EPISODE_TYPES = ("full", "trailer", "bonus")
# The article keys read for an episode (besides enclosures and image).
EPISODE_KEYS = (
    "episode",
    "season",
    "episode_type",
    "explicit",
    "block",
    "duration",
    "transcript",
    "chapters",
)
# podcast:transcript's type, from the file's suffix (podcast namespace, docs/tags/transcript.md).
TRANSCRIPT_TYPES = {
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".json": "application/json",
}
CHAPTERS_TYPE = "application/json+chapters"
_CLOCK = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)$")


def is_episode_media(media_type: str) -> bool:
    return media_type.startswith(("audio/", "video/"))


def duration(value: object) -> int:
    """Seconds, from a whole number or ``HH:MM:SS`` / ``MM:SS``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(f'expected seconds or HH:MM:SS, like 1834 or "00:30:34", got {value!r}')
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _episode_type(value: object) -> str:
    text = fields.required_text(value)
    if text not in EPISODE_TYPES:
        raise ValueError(f'"{text}" is not an episode type (use {", ".join(EPISODE_TYPES)})')
    return text


def _https(url: str, what: str) -> None:
    if urlsplit(url).scheme != "https":
        raise ValueError(
            f'{what} "{url}" is http; podcast apps need https:// for everything in a podcast feed'
        )


def not_an_episode(
    meta: dict[str, Any], meta_path: str, line_of: Callable[[str], int | None]
) -> None:
    """For an article without audio or video: raise ContentError if it has keys that only
    an episode has (most likely its file was left out of ``enclosures``)."""
    for key in ("episode", "season", "episode_type", "transcript", "chapters"):
        if meta.get(key) is not None:
            raise ContentError(
                "is set, but the article has no audio or video enclosure, so it is not a "
                "podcast episode: add its file to enclosures",
                path=meta_path,
                line=line_of(key),
                field=key,
            )


def read_episode(
    meta: dict[str, Any],
    article: Article,
    written: tuple[Enclosure, ...],
    content_dir: Path,
    base_url: str,
    meta_path: str,
    line_of: Callable[[str], int | None],
) -> tuple[Article, tuple[Path, ...]]:
    """The article with its Episode (unchanged when it has no audio or video), and the
    local files the episode read (transcript, chapters): the article depends on them.

    ``written`` is the article's enclosures as written (before they were resolved into
    ``article.enclosures``); ``meta_path`` and ``line_of(key)`` say where the metadata
    is, for messages. Raises ContentError or ManyErrors.
    """

    def problem(key: str, message: str) -> ContentError:
        return ContentError(message, path=meta_path, line=line_of(key), field=key)

    index = next((i for i, e in enumerate(article.enclosures) if is_episode_media(e.type)), None)
    if index is None:
        not_an_episode(meta, meta_path, line_of)
        return article, ()
    problems: list[FeedtoolError] = []
    article_file = Path(article.body.path)

    def check(key: str, action: Callable[..., Any], *args: Any) -> Any:
        try:
            return action(*args)
        except ValueError as exc:
            problems.append(problem(key, str(exc)))
            return None

    enclosure = article.enclosures[index]
    facts = None
    local = not is_web_address(written[index].url)
    if local:
        from feedtool.read.mediafacts import audio_facts

        path = resolve_enclosure(written[index], article_file, content_dir, base_url)[1]
        assert path is not None  # resolve_media found it already
        facts = check("enclosures", audio_facts, path, enclosure.type)
    else:
        check("enclosures", _https, enclosure.url, "enclosure")
    if enclosure.length is None:
        problems.append(
            problem(
                "enclosures",
                f'"{enclosure.url}" has no length; Apple Podcasts needs the file\'s size in '
                "bytes: give {url, type, length}",
            )
        )
    if enclosure.type not in APPLE_TYPES:
        problems.append(
            problem(
                "enclosures",
                f'"{enclosure.url}" is {enclosure.type}, which Apple Podcasts does not take; '
                "use MP3 (audio/mpeg), M4A (audio/mp4), MP4 or MOV video, or PDF",
            )
        )
    if article.image is not None:
        check("image", _https, article.image, "image")
    values: dict[str, Any] = {}
    simple: dict[str, Callable[[Any], Any]] = {
        "episode": fields.positive_int,
        "season": fields.positive_int,
        "episode_type": _episode_type,
        "explicit": fields.boolean,
        "block": fields.boolean,
        "duration": duration,
    }
    for key, parser in simple.items():
        if meta.get(key) is not None:
            value = check(key, parser, meta[key])
            if value is not None:
                values[key] = value
    if "duration" not in values and facts is not None:
        values["duration"] = facts.duration
    files: list[Path] = []
    for key in ("transcript", "chapters"):
        if meta.get(key) is None:
            continue
        linked = check(key, _linked_file, meta[key], key, article, content_dir, base_url)
        if linked is not None:
            url, path = linked
            if key == "transcript":
                kind = TRANSCRIPT_TYPES.get(PurePosixPath(urlsplit(url).path).suffix.lower())
                if kind is None:
                    problems.append(
                        problem(
                            key,
                            f'"{meta[key]}": name the file .vtt, .srt, .txt, .html or .json '
                            "so its type is known",
                        )
                    )
                values[key] = (url, kind or "text/plain")
            else:
                values[key] = url
            if path is not None:
                files.append(path)
    raise_all(sorted(problems, key=lambda p: p.line or 0))
    episode = Episode(enclosure=enclosure, at=(meta_path, line_of("enclosures")), **values)
    return article._replace(episode=episode), tuple(files)


def _linked_file(
    value: object, key: str, article: Article, content_dir: Path, base_url: str
) -> tuple[str, Path | None]:
    """A transcript's or chapters file's URL (a local file published like an enclosure)."""
    written = fields.url(value)
    resolved, path = resolve_enclosure(
        Enclosure(url=written, type=""), Path(article.body.path), content_dir, base_url
    )
    if path is None:
        _https(resolved.url, key)
    return resolved.url, path
