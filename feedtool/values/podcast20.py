"""The Podcast 2.0 namespace's rules (podcastindex.org/namespace/1.0): its lists and limits,
and parsers for the keys that become its tags, for the show and for an episode.

One place for each rule: the readers here (``[podcast]`` keys, episode keys) and the
validator (validators/extensions.py) call the same checks, so what loads also validates.
Each parser raises ValueError with a message that reads well after ``field: ``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from feedtool.model import License, Location, Person, Trailer, Transcript
from feedtool.values import fields
from feedtool.values.patterns import compiled_later

# podcast:medium's values (docs/tags/medium.md); each also has a list form, "podcastL".
MEDIUMS = (
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
)
LIST_MEDIUMS = (*(f"{name}L" for name in MEDIUMS), "mixed")

# The Podcast Taxonomy Project's groups and roles (the namespace's taxonomy.json), which
# podcast:person's group and role should name; both are case-insensitive.
TAXONOMY: dict[str, tuple[str, ...]] = {
    "Creative Direction": (
        "Director",
        "Assistant Director",
        "Executive Producer",
        "Senior Producer",
        "Producer",
        "Associate Producer",
        "Development Producer",
        "Creative Director",
    ),
    "Cast": (
        "Host",
        "Co-Host",
        "Guest Host",
        "Guest",
        "Voice Actor",
        "Narrator",
        "Announcer",
        "Reporter",
    ),
    "Writing": (
        "Author",
        "Editorial Director",
        "Co-Writer",
        "Writer",
        "Songwriter",
        "Guest Writer",
        "Story Editor",
        "Managing Editor",
        "Script Editor",
        "Script Coordinator",
        "Researcher",
        "Editor",
        "Fact Checker",
        "Translator",
        "Transcriber",
        "Logger",
    ),
    "Audio Production": (
        "Studio Coordinator",
        "Technical Director",
        "Technical Manager",
        "Audio Engineer",
        "Remote Recording Engineer",
        "Post Production Engineer",
    ),
    "Audio Post-Production": (
        "Audio Editor",
        "Sound Designer",
        "Foley Artist",
        "Composer",
        "Theme Music",
        "Music Production",
        "Music Contributor",
    ),
    "Administration": (
        "Production Coordinator",
        "Booking Coordinator",
        "Production Assistant",
        "Content Manager",
        "Marketing Manager",
        "Sales Representative",
        "Sales Manager",
    ),
    "Visuals": ("Graphic Designer", "Cover Art Designer"),
    "Community": ("Social Media Manager",),
    "Misc.": ("Consultant", "Intern"),
    "Video Production": ("Camera Operator", "Lighting Designer", "Camera Grip", "Assistant Camera"),
    "Video Post-Production": ("Editor", "Assistant Editor"),
}
ROLES = frozenset(role.lower() for roles in TAXONOMY.values() for role in roles)
GROUPS = frozenset(group.lower() for group in TAXONOMY)

# podcast:transcript's type, from the file's suffix (docs/tags/transcript.md).
TRANSCRIPT_TYPES = {
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".json": "application/json",
}
LOCATION_RELS = ("subject", "creator")
# The namespace's "please do not exceed" lengths: aggregators may cut longer text.
MAX_NAME = 128  # person, location, license, trailer title, season name, txt purpose
MAX_TXT = 4000
# Apple verifies ownership with this podcast:txt in place of the owner's e-mail address.
APPLE_VERIFY = "applepodcastsverify"

_GEO = compiled_later(r"geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;\S*)?")
_OSM = compiled_later(r"[NWR]\d+(?:#\d+)?")
_COUNTRY = compiled_later(r"[A-Z]{2}")


# Checks of one value, shared with the validator: a problem (reads after the value) or None.


def geo_problem(value: str) -> str | None:
    """An RFC 5870 geo URI with a real latitude and longitude."""
    match = _GEO().fullmatch(value)
    if not match:
        return 'is not a geo URI like "geo:30.2672,-97.7431" (RFC 5870)'
    latitude, longitude = float(match[1]), float(match[2])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return "is not on Earth: latitude runs from -90 to 90, longitude from -180 to 180"
    return None


def osm_problem(value: str) -> str | None:
    """Why ``value`` is no OpenStreetMap object id (podcast:location osm), or None."""
    if not _OSM().fullmatch(value):
        return 'is not an OpenStreetMap object like "R113314" (N, W or R, then its number)'
    return None


def country_problem(value: str) -> str | None:
    """Why ``value`` is no ISO 3166-1 alpha-2 country code, or None."""
    if not _COUNTRY().fullmatch(value):
        return 'is not a two-letter country code like "US" (ISO 3166-1 alpha-2)'
    return None


def medium_problem(value: str) -> str | None:
    """Why ``value`` is no podcast:medium the namespace names, or None."""
    if value not in MEDIUMS and value not in LIST_MEDIUMS:
        return f"is not a podcast:medium (known: {', '.join(MEDIUMS)}, or a list form like musicL)"
    return None


def role_problem(value: str) -> str | None:
    """Why ``value`` is no role of the Podcast Taxonomy (podcast:person role), or None."""
    if value.lower() not in ROLES:
        return 'is not a role of the Podcast Taxonomy (such as "host", "guest", "producer")'
    return None


def group_problem(value: str) -> str | None:
    """Why ``value`` is no group of the Podcast Taxonomy (podcast:person group), or None."""
    if value.lower() not in GROUPS:
        known = ", ".join(group.lower() for group in TAXONOMY)
        return f"is not a group of the Podcast Taxonomy (known: {known})"
    return None


# Parsers of keys, for the show and for episodes.


def _table(value: object, known: tuple[str, ...], main: str, example: str) -> dict[str, Any]:
    """A mapping with only ``known`` keys, or a text that stands for its ``main`` key."""
    if isinstance(value, str):
        return {main: value}
    if not isinstance(value, dict):
        raise ValueError(f"expected text or a mapping like {example}")
    unknown = sorted(set(map(str, value)) - set(known))
    if unknown:
        raise ValueError(f'unknown key "{unknown[0]}" (known: {", ".join(known)})')
    if value.get(main) is None:
        raise ValueError(f"needs {main}, like {example}")
    return value


def _name(value: object, what: str) -> str:
    text = fields.required_text(value)
    if len(text) > MAX_NAME:
        raise ValueError(
            f"{what} is {len(text)} characters; the podcast namespace allows {MAX_NAME}"
        )
    return text


def https_url(value: object) -> str:
    """An absolute https:// URL: podcast apps refuse http."""
    result = fields.web_address(value)
    if urlsplit(result).scheme != "https":
        raise ValueError(f'"{result}" is http; podcast apps need https:// for everything')
    return result


def _checked(value: object, check: Callable[[str], str | None]) -> str:
    text = fields.required_text(value)
    problem = check(text)
    if problem:
        raise ValueError(f'"{text}" {problem}')
    return text


def _person(value: object) -> Person:
    table = _table(
        value, ("name", "role", "group", "img", "href"), "name", '{name: "Ada", role: "host"}'
    )
    optional = {key: table.get(key) for key in ("role", "group", "img", "href")}
    return Person(
        name=_name(table["name"], "name"),
        role=_checked(optional["role"], role_problem) if optional["role"] is not None else None,
        group=(
            _checked(optional["group"], group_problem) if optional["group"] is not None else None
        ),
        img=https_url(optional["img"]) if optional["img"] is not None else None,
        href=https_url(optional["href"]) if optional["href"] is not None else None,
    )


def people(value: object) -> tuple[Person, ...]:
    """podcast:person: ``"Name"``, ``{name, role, group, img, href}``, or a list of them."""
    return fields.one_or_more(_person, value)


def _location(value: object) -> Location:
    table = _table(
        value,
        ("name", "rel", "geo", "osm", "country"),
        "name",
        '{name: "Austin, TX", geo: "geo:30.2672,-97.7431", osm: "R113314", country: "US"}',
    )
    rel = table.get("rel")
    if rel is not None and rel not in LOCATION_RELS:
        raise ValueError(f'rel "{rel}" must be "subject" (what it is about) or "creator"')
    country = table.get("country")
    return Location(
        name=_name(table["name"], "name"),
        rel=rel,
        geo=_checked(table["geo"], geo_problem) if table.get("geo") is not None else None,
        osm=_checked(table["osm"], osm_problem) if table.get("osm") is not None else None,
        country=(
            _checked(fields.required_text(country).upper(), country_problem)
            if country is not None
            else None
        ),
    )


def locations(value: object) -> tuple[Location, ...]:
    """podcast:location: ``"Place"``, ``{name, rel, geo, osm, country}``, or a list of them."""
    return fields.one_or_more(_location, value)


def license(value: object) -> License:
    """podcast:license: an identifier (``"cc-by-4.0"``) or ``{name, url}`` for one's own."""
    table = _table(value, ("name", "url"), "name", '{name: "my-licence", url: "https://..."}')
    url = table.get("url")
    return License(
        name=_name(table["name"], "name"), url=https_url(url) if url is not None else None
    )


def medium(value: object) -> str:
    """The ``medium`` key: a podcast:medium name (ValueError when it is not one)."""
    return _checked(value, medium_problem)


def _txt(value: object) -> tuple[str, str | None]:
    table = _table(value, ("text", "purpose"), "text", '{purpose = "verify", text = "S6lpp-7ZCn8"}')
    text = fields.required_text(table["text"])
    if len(text) > MAX_TXT:
        raise ValueError(f"text is {len(text)} characters; the podcast namespace allows {MAX_TXT}")
    purpose = table.get("purpose")
    return text, _name(purpose, "purpose") if purpose is not None else None


def txts(value: object) -> tuple[tuple[str, str | None], ...]:
    """podcast:txt: ``"text"``, ``{text, purpose}``, or a list of them."""
    return fields.one_or_more(_txt, value)


def _date(value: object) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"date {value} needs its time zone, like 2025-04-01T08:00:00Z")
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise ValueError(f"date must be a TOML date or date-time, like 2025-04-01, got {value!r}")


def _trailer(value: object) -> Trailer:
    example = '{title = "Coming soon", url = "media/trailer.mp3", date = 2025-04-01}'
    if not isinstance(value, dict):
        raise ValueError(f"expected a table like {example}")
    table = _table(value, ("title", "url", "date", "season", "type", "length"), "url", example)
    for key in ("title", "date"):
        if table.get(key) is None:
            raise ValueError(f"needs {key}, like {example}")
    length = table.get("length")
    if length is not None and (isinstance(length, bool) or not isinstance(length, int)):
        raise ValueError(f"length must be a whole number of bytes, got {length!r}")
    season = table.get("season")
    return Trailer(
        title=_name(table["title"], "title"),
        url=fields.url(table["url"]),  # a file in the content folder or a URL: resolved later
        published=_date(table["date"]),
        type=fields.media_type(table["type"]) if table.get("type") is not None else "",
        length=length,
        season=fields.positive_int(season) if season is not None else None,
    )


def trailers(value: object) -> tuple[Trailer, ...]:
    """podcast:trailer: a table ``{title, url, date, season, type, length}`` or a list."""
    return fields.one_or_more(_trailer, value)


def _transcript(value: object) -> Transcript:
    table = _table(value, ("url", "type", "language", "rel"), "url", '{url: a.vtt, language: "es"}')
    url = fields.url(table["url"])
    kind = table.get("type")
    if kind is not None:
        kind = fields.media_type(kind)
    else:
        kind = TRANSCRIPT_TYPES.get(PurePosixPath(urlsplit(url).path).suffix.lower())
        if kind is None:
            raise ValueError(
                f'"{url}": name the file .vtt, .srt, .txt, .html or .json so its type is known '
                "(or give its type)"
            )
    rel = table.get("rel")
    if rel is not None and rel != "captions":
        raise ValueError(f'rel "{rel}" must be "captions" (or left out)')
    language = table.get("language")
    return Transcript(
        url=url,
        type=kind,
        language=fields.language(language) if language is not None else None,
        rel=rel,
    )


def transcripts(value: object) -> tuple[Transcript, ...]:
    """podcast:transcript: a file or URL, ``{url, type, language, rel}``, or a list of them.

    URLs are as written: the caller resolves local files."""
    return fields.one_or_more(_transcript, value)
