"""An article as a podcast episode: its podcast keys, the facts of its files, Apple's rules.

Read only when feedtool.toml has a ``[podcast]`` table, for articles with an audio or
video enclosure (the first one is the episode's). Every problem is reported against
the article's file and the line of the key, when it is read, not later against the feed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from feedtool.errors import ContentError, FeedtoolError, raise_all
from feedtool.model import Article, Enclosure, Episode
from feedtool.read.media import is_web_address, resolve_enclosure
from feedtool.read.mediafacts import MAX_DURATION, audio_facts, check_artwork, too_long
from feedtool.values import fields, podcast20

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


def plausible_duration(value: object) -> int:
    """``duration`` (see there), at most MAX_DURATION: no episode runs longer."""
    seconds = duration(value)
    if seconds > MAX_DURATION:
        raise ValueError(
            f"{seconds} seconds is {too_long(seconds)}, longer than any episode (at most "
            f"{MAX_DURATION // 3600} hours): give the duration in seconds or HH:MM:SS"
        )
    return seconds


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


class EpisodeRead(NamedTuple):
    """What read_episode found: the article, the files it depends on, warnings."""

    article: Article  # with its Episode (unchanged when it has no audio or video)
    files: tuple[Path, ...]  # local files the episode read: transcripts, chapters, art
    notes: tuple[str, ...]  # warnings, each "file:line: key: message"


# Podcast 2.0 keys of an episode whose value needs no file, and their parsers.
_PODCAST20: dict[str, Callable[[Any], Any]] = {
    "people": podcast20.people,
    "license": podcast20.license,
    "location": podcast20.locations,
}
_FIELDS = {"location": "locations"}  # key -> Episode attribute, where they differ


def read_episode(
    meta: dict[str, Any],
    article: Article,
    written: tuple[Enclosure, ...],
    content_dir: Path,
    base_url: str,
    meta_path: str,
    line_of: Callable[[str], int | None],
) -> EpisodeRead:
    """The article with its Episode (unchanged when it has no audio or video), the local
    files the episode read (transcripts, chapters, art), and warnings about it.

    ``written`` is the article's enclosures as written (before they were resolved into
    ``article.enclosures``); ``meta_path`` and ``line_of(key)`` say where the metadata
    is, for messages. Raises ContentError or ManyErrors.
    """

    def problem(key: str, message: str) -> ContentError:
        return ContentError(message, path=meta_path, line=line_of(key), field=key)

    index = next((i for i, e in enumerate(article.enclosures) if is_episode_media(e.type)), None)
    if index is None:
        not_an_episode(meta, meta_path, line_of)
        return EpisodeRead(article, (), ())
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
        "duration": plausible_duration,
    }
    for key, parser in simple.items():
        if meta.get(key) is not None:
            value = check(key, parser, meta[key])
            if value is not None:
                values[key] = value
    if "duration" not in values and facts is not None:
        values["duration"] = facts.duration
    files: list[Path] = []
    if meta.get("chapters") is not None:
        linked = check(
            "chapters", _linked_file, meta["chapters"], "chapters", article, content_dir, base_url
        )
        if linked is not None:
            values["chapters"], path = linked
            files.extend([path] if path is not None else [])
    if meta.get("transcript") is not None:
        written_transcripts = check("transcript", podcast20.transcripts, meta["transcript"])
        resolved = []
        for transcript in written_transcripts or ():
            linked = check(
                "transcript",
                _linked_file,
                transcript.url,
                "transcript",
                article,
                content_dir,
                base_url,
            )
            if linked is not None:
                resolved.append(transcript._replace(url=linked[0]))
                files.extend([linked[1]] if linked[1] is not None else [])
        values["transcripts"] = tuple(resolved)
    for key, parser in _PODCAST20.items():
        if meta.get(key) is not None:
            value = check(key, parser, meta[key])
            if value is not None:
                values[_FIELDS.get(key, key)] = value
    if article.image is not None and isinstance(meta.get("image"), str):
        art = check("image", _episode_art, meta["image"], article, content_dir, base_url)
        files.extend([art] if art is not None else [])
    raise_all(sorted(problems, key=lambda p: p.line or 0))
    episode = Episode(enclosure=enclosure, at=(meta_path, line_of("enclosures")), **values)
    notes = []
    name = _ascii_problem(enclosure.url)
    if name:
        notes.append(f"{meta_path}:{line_of('enclosures')}: enclosures: {name}")
    return EpisodeRead(article._replace(episode=episode), tuple(files), tuple(notes))


def _episode_art(written: str, article: Article, content_dir: Path, base_url: str) -> Path | None:
    """Check an episode's own art when it is a file in the content folder (Apple's rules
    for episode art are the show's); a web address, or a page-relative URL with no such
    file, is published as written."""
    if is_web_address(written):
        return None
    try:
        path = resolve_enclosure(
            Enclosure(url=written, type=""), Path(article.body.path), content_dir, base_url
        )[1]
    except ValueError:
        return None
    assert path is not None
    check_artwork(path, written)
    return path


# What Apple asks of a media file's name: ASCII letters, digits and a few marks, no spaces.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._~()+,;=@!$&'-]+")


def _ascii_problem(url: str) -> str | None:
    """A warning when the file name in ``url`` has spaces or non-ASCII characters."""
    name = unquote(PurePosixPath(urlsplit(url).path).name)
    if not name or _PLAIN_NAME.fullmatch(name):  # no name: an address ending in /
        return None
    return (
        f'file name "{name}" has spaces or characters outside ASCII, which Apple Podcasts '
        "asks podcasts not to use: rename the file with letters, digits, - and _ only"
    )


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
