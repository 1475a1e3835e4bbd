"""Extension vocabularies in RSS: which elements each known namespace defines, and where.

An element in a namespace nobody defines is an extension and is left alone. An element
in a known namespace that the namespace does not define (``dc:modified``, a channel's
``itunes:email``) is an error, as the W3C Feed Validation Service reports it; so are
values its vocabulary forbids (``itunes:explicit`` "maybe", a subtitle over 255
characters). Known: Apple's ``itunes``, Media RSS, Dublin Core (elements and terms),
``content``, ``slash``, GeoRSS (and the older geo, geourl and icbm) and
``creativeCommons``, and the Podcast 2.0 ``podcast`` tags feedtool writes (person,
medium, txt, license, trailer, location, season, episode, transcript, ...): that namespace
is still growing, so a ``podcast`` tag feedtool does not know is left alone.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from typing import NamedTuple

from lxml import etree

from feedtool.validators.common import Findings, children, line
from feedtool.values import checks, podcast20
from feedtool.values.patterns import compiled_later
from feedtool.xmlnames import CATEGORIES

Check = Callable[[Findings, etree._Element], None]

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
PODCAST_OLD = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
MEDIA = "http://search.yahoo.com/mrss/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
SLASH = "http://purl.org/rss/1.0/modules/slash/"
GEORSS = "http://www.georss.org/georss"
CREATIVE_COMMONS = "http://backend.userland.com/creativeCommonsRssModule"

# Spellings of a known namespace that readers do not match (W3C: an error).
NEAR_MISSES = {"http://search.yahoo.com/mrss": MEDIA}

# Apple's categories before its 2019 list: still read, but Apple files the show elsewhere.
OLD_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Literature",),
    "Arts & Entertainment": (
        "Architecture",
        "Design",
        "Entertainment",
        "Games",
        "Performing Arts",
        "Photography",
        "Poetry",
        "Science Fiction",
    ),
    "Audio Blogs": (),
    "Business": (
        "Careers",
        "Finance",
        "Investing",
        "Management & Marketing",
        "News",
        "Shopping",
    ),
    "Education": (
        "Education Technology",
        "Higher Education",
        "K-12",
        "Language Courses",
        "Training",
    ),
    "Family": (),
    "Food": (),
    "Games & Hobbies": ("Automotive", "Aviation", "Hobbies", "Other Games", "Video Games"),
    "Government & Organizations": ("Local", "National", "Non-Profit", "Regional"),
    "Health": (
        "Alternative Health",
        "Diet & Nutrition",
        "Fitness",
        "Fitness & Nutrition",
        "Relationships",
        "Self-Help",
        "Sexuality",
    ),
    "International": (),
    "Movies & Television": (),
    "News & Politics": (),
    "Politics": (),
    "Public Radio": (),
    "Religion & Spirituality": ("New Age", "Philosophy", "Other"),
    "Science & Medicine": ("Medicine", "Natural Sciences", "Social Sciences"),
    "Society & Culture": ("History",),
    "Sports & Recreation": ("Amateur", "College & High School", "Outdoor", "Professional"),
    "Talk Radio": (),
    "Technology": (
        "Computers",
        "Developers",
        "Gadgets",
        "Information Technology",
        "News",
        "Operating Systems",
        "Podcasting",
        "Smart Phones",
        "Software How-To",
        "Tech News",
        "Text/Speech",
    ),
    "Transportation": ("Automotive", "Aviation", "Bicycles", "Commuting"),
    "Travel": (),
}


class Vocabulary(NamedTuple):
    prefix: str
    channel: dict[str, Check | None]  # elements of <channel> -> their check
    item: dict[str, Check | None]  # elements of <item> -> their check
    once: frozenset[str] = frozenset()  # allowed at most once per parent
    strict: bool = True  # an undefined element is an error (else left alone)


def _name(element: etree._Element, prefix: str) -> str:
    tag = str(element.tag)
    return f"<{prefix}:{tag.rpartition('}')[2]}>"


def _value(element: etree._Element) -> str:
    return (element.text or "").strip()


def _invalid(f: Findings, element: etree._Element, prefix: str, problem: str) -> None:
    f.error(line(element), "invalid-value", f"{_name(element, prefix)} {problem}")


def _one_of(prefix: str, allowed: tuple[str, ...], *, exact: bool = False) -> Check:
    """Text that is one of ``allowed`` (case-insensitive; with ``exact``, whitespace counts)."""

    def check(f: Findings, element: etree._Element) -> None:
        raw = element.text or ""
        text = raw if exact else raw.strip()
        if text.lower() not in allowed:
            choices = " or ".join(f'"{a}"' for a in allowed)
            _invalid(f, element, prefix, f'"{raw}" must be {choices}')

    return check


def _max_length(prefix: str, most: int, *, plain: bool = False) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        text = _value(element)
        if len(text) > most:
            _invalid(f, element, prefix, f"is {len(text)} characters long; at most {most} allowed")
        if plain and re.search(r"<[a-zA-Z][^>]*>", text):
            f.warning(line(element), "contains-html", f"{_name(element, prefix)} contains HTML")

    return check


def _positive(prefix: str) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        text = _value(element)
        if not text.isdigit() or int(text) < 1:
            _invalid(f, element, prefix, f'"{text}" must be a whole number of 1 or more')

    return check


def _non_negative(prefix: str) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        if not _value(element).isdigit():
            _invalid(f, element, prefix, f'"{_value(element)}" must be a whole number')

    return check


def _url_text(prefix: str) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        problem = checks.uri(_value(element), absolute=True)
        if problem:
            _invalid(f, element, prefix, f'"{_value(element)}" {problem}')

    return check


def _attribute_url(prefix: str, name: str, *, required: bool) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        value = element.get(name)
        if value is None:
            if required:
                f.error(
                    line(element),
                    "missing-attribute",
                    f'{_name(element, prefix)} needs a "{name}" attribute',
                )
            return
        problem = checks.uri(value.strip(), absolute=True)
        if problem:
            _invalid(f, element, prefix, f'{name} "{value}" {problem}')

    return check


def _w3c_date(prefix: str) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        if not _W3CDTF().match(_value(element)):
            _invalid(
                f,
                element,
                prefix,
                f'"{_value(element)}" must be a W3C date-time, like 2025-10-10T18:00:00Z',
            )

    return check


# W3C-DTF (a profile of ISO 8601): a year, month or day, or a time with a zone.
_W3CDTF = compiled_later(
    r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?)?)?$"
)


def _language(prefix: str) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        problem = checks.language(_value(element)) if _value(element) else "is empty"
        if problem:
            _invalid(f, element, prefix, f'"{_value(element)}" {problem}')

    return check


# iTunes -------------------------------------------------------------------------------

_I = "itunes"
_DURATION = compiled_later(r"^\d+(:[0-5]\d(:[0-5]\d)?)?$")


def _duration(f: Findings, element: etree._Element) -> None:
    if not _DURATION().match(_value(element)):
        _invalid(f, element, _I, f'"{_value(element)}" must be seconds, MM:SS or HH:MM:SS')


def _itunes_image(f: Findings, element: etree._Element) -> None:
    href = element.get("href")
    if href is None:
        f.error(line(element), "missing-attribute", '<itunes:image> needs an "href" attribute')
    elif problem := checks.http_url(href.strip()):
        _invalid(f, element, _I, f'href "{href}" {problem}')


def _owner(f: Findings, element: etree._Element) -> None:
    emails = [c for c in children(element) if c.tag == f"{{{ITUNES}}}email"]
    for child in children(element):
        if child.tag not in (f"{{{ITUNES}}}email", f"{{{ITUNES}}}name"):
            if str(child.tag).startswith(f"{{{ITUNES}}}"):
                f.error(
                    line(child),
                    "undefined-element",
                    f"{_name(child, _I)} is not an element of <itunes:owner>",
                )
    parent = element.getparent()
    verified = parent is not None and any(
        txt.get("purpose") == podcast20.APPLE_VERIFY
        for namespace in (PODCAST, PODCAST_OLD)
        for txt in parent.iterfind(f"{{{namespace}}}txt")
    )
    if not emails and not verified:  # Apple verifies the owner by podcast:txt instead
        f.error(line(element), "missing-element", "<itunes:owner> has no <itunes:email>")
    for email in emails:
        if checks.email(_value(email)) is not None:
            _invalid(f, email, _I, f'"{_value(email)}" is not an e-mail address')


def _category(f: Findings, element: etree._Element, parent: str | None = None) -> None:
    text = element.get("text")
    if text is None:
        f.error(line(element), "missing-attribute", '<itunes:category> needs a "text" attribute')
        return
    known = CATEGORIES.get(parent, ()) if parent else tuple(CATEGORIES)
    old = OLD_CATEGORIES.get(parent, ()) if parent else tuple(OLD_CATEGORIES)
    if text not in known:
        where = f' (a subcategory of "{parent}")' if parent else ""
        if text in old:
            f.warning(
                line(element),
                "obsolete-category",
                f'<itunes:category> "{text}"{where} is no longer one of Apple\'s categories',
            )
        else:
            _invalid(f, element, _I, f'"{text}"{where} is not one of Apple\'s categories')
    for child in children(element):
        if child.tag == f"{{{ITUNES}}}category" and parent is None and text:
            _category(f, child, text)


def _check_category(f: Findings, element: etree._Element) -> None:
    _category(f, element)


_ITUNES_BOTH: dict[str, Check | None] = {
    "author": _max_length(_I, 255, plain=True),
    "block": _one_of(_I, ("yes", "no", "clean"), exact=True),
    "explicit": _one_of(_I, ("true", "false"), exact=True),
    "keywords": _max_length(_I, 255, plain=True),
    "subtitle": _max_length(_I, 255, plain=True),
    "summary": _max_length(_I, 4000, plain=True),
    "image": _itunes_image,
}
ITUNES_VOCABULARY = Vocabulary(
    prefix=_I,
    channel={
        **_ITUNES_BOTH,
        "owner": _owner,
        "category": _check_category,
        "pubDate": None,
        "new-feed-url": _url_text(_I),
        "type": _one_of(_I, ("episodic", "serial")),
        # Apple's, for a show that will have no more episodes (W3C does not know it yet).
        "complete": _one_of(_I, ("yes",)),
    },
    item={
        **_ITUNES_BOTH,
        "duration": _duration,
        "title": None,
        "episode": _positive(_I),
        "season": _positive(_I),
        "episodeType": _one_of(_I, ("full", "trailer", "bonus")),
    },
    once=frozenset(
        "author block explicit keywords subtitle summary image owner pubDate new-feed-url type "
        "complete duration title episode season episodeType".split()
    ),
)


# Media RSS (https://www.rssboard.org/media-rss) -----------------------------------------

_M = "media"
_MEDIUMS = ("image", "audio", "video", "document", "executable")


def _attributes(prefix: str, checks: dict[str, Callable[[str], str | None]]) -> Check:
    """Attributes of an element, each checked by a function giving the problem or None."""

    def check(f: Findings, element: etree._Element) -> None:
        for name, test in checks.items():
            value = element.get(name)
            if value is None:
                continue
            problem = test(value)
            if problem:
                _invalid(f, element, prefix, f'{name} "{value}" {problem}')

    return check


# ASCII digits only: str.isdigit() takes "²", which int() then refuses.
_WHOLE = compiled_later(r"[0-9]+")


def _is_positive(value: str) -> str | None:
    whole = _WHOLE().fullmatch(value.strip())
    return None if whole and int(whole.group()) > 0 else "must be a positive integer"


def _is_count(value: str) -> str | None:
    return None if _WHOLE().fullmatch(value.strip()) else "must be a whole number"


def _is_number(value: str) -> str | None:
    return None if re.match(r"^\d+(\.\d+)?$", value.strip()) else "must be a number"


def _is_url(value: str) -> str | None:
    return checks.uri(value.strip(), absolute=True)


def _is_scheme(value: str) -> str | None:
    """A vocabulary's name: any absolute URI ("urn:mpaa" too, which RFC 8141 would refuse)."""
    return None if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value.strip()) else "is not a URI"


def _is_choice(*allowed: str) -> Callable[[str], str | None]:
    return lambda v: None if v in allowed else "must be " + " or ".join(f'"{a}"' for a in allowed)


def _is_language(value: str) -> str | None:
    return checks.language(value)


def _is_media_type(value: str) -> str | None:
    return checks.media_type(value)


_NPT = compiled_later(r"^(now|\d+(\.\d+)?|\d+:[0-5]\d:[0-5]\d(\.\d+)?)$")


def _is_npt(value: str) -> str | None:
    return None if _NPT().match(value.strip()) else "must be a time like 12:05:01.123"


_TEXT_TYPE = {"type": _is_choice("plain", "html")}
_SIZE = {"height": _is_positive, "width": _is_positive}


def _media_requiring(name: str, more: dict[str, Callable[[str], str | None]]) -> Check:
    url = _attribute_url(_M, name, required=True)
    rest = _attributes(_M, {k: v for k, v in more.items() if k != name})

    def check(f: Findings, element: etree._Element) -> None:
        url(f, element)
        rest(f, element)

    return check


_CONTENT_ATTRIBUTES: dict[str, Callable[[str], str | None]] = {
    "fileSize": _is_positive,
    "type": _is_media_type,
    "medium": _is_choice(*_MEDIUMS),
    "isDefault": _is_choice("true", "false"),
    "expression": _is_choice("sample", "full", "nonstop"),
    "bitrate": _is_number,
    "framerate": _is_number,
    "samplingrate": _is_number,
    "channels": _is_count,
    "duration": _is_count,
    "lang": _is_language,
    **_SIZE,
}
_media_content_attributes = _attributes(_M, {"url": _is_url, **_CONTENT_ATTRIBUTES})


def _media_content(f: Findings, element: etree._Element) -> None:
    _media_content_attributes(f, element)
    _media_children(f, element)


def _media_group(f: Findings, element: etree._Element) -> None:
    contents = [c for c in children(element) if c.tag == f"{{{MEDIA}}}content"]
    if len(contents) < 2:
        f.error(
            line(element),
            "invalid-value",
            "<media:group> must hold more than one <media:content> (else leave the group out)",
        )
    for content in contents:
        _media_content(f, content)
    _media_children(f, element, skip=("content",))


_restriction_attributes = _attributes(
    _M, {"relationship": _is_choice("allow", "deny"), "type": _is_choice("country", "uri")}
)


def _restriction(f: Findings, element: etree._Element) -> None:
    if element.get("relationship") is None:
        f.error(line(element), "missing-attribute", '<media:restriction> needs a "relationship"')
    _restriction_attributes(f, element)
    kind, text = element.get("type"), _value(element)
    if kind is None and text and text.lower() not in ("all", "none"):
        _invalid(f, element, _M, f'"{text}" must be "all" or "none" (or give a type)')
    elif kind == "uri" and any(checks.uri(u, absolute=True) for u in text.split()):
        _invalid(f, element, _M, f'"{text}" must be absolute URIs, separated by spaces')


_MEDIA_BOTH: dict[str, Check | None] = {
    "adult": None,
    "category": _attributes(_M, {"scheme": _is_scheme}),
    "copyright": _attributes(_M, {"url": _is_url}),
    "credit": _attributes(_M, {"scheme": _is_scheme}),
    "description": _attributes(_M, _TEXT_TYPE),
    "keywords": None,
    "hash": _attributes(_M, {"algo": _is_choice("md5", "sha-1")}),
    "player": _media_requiring("url", {**_SIZE}),
    "rating": _attributes(_M, {"scheme": _is_scheme}),
    "restriction": _restriction,
    "text": _attributes(_M, {**_TEXT_TYPE, "lang": _is_language, "start": _is_npt, "end": _is_npt}),
    "title": _attributes(_M, _TEXT_TYPE),
    "thumbnail": _media_requiring("url", {**_SIZE, "time": _is_npt}),
}
MEDIA_VOCABULARY = Vocabulary(
    prefix=_M,
    channel={**_MEDIA_BOTH},
    item={**_MEDIA_BOTH, "content": _media_content, "group": _media_group},
    once=frozenset(("title", "description", "copyright", "keywords", "rating", "player")),
)


def _media_children(f: Findings, parent: etree._Element, skip: tuple[str, ...] = ()) -> None:
    """Media RSS elements inside media:content or media:group."""
    seen: set[str] = set()
    for child in children(parent):
        tag = str(child.tag)
        if not tag.startswith(f"{{{MEDIA}}}"):
            continue
        name = tag.rpartition("}")[2]
        if name in skip:
            continue
        if name not in _MEDIA_BOTH:
            f.error(
                line(child),
                "undefined-element",
                f"{_name(child, _M)} is not an element of {_name(parent, _M)}",
            )
            continue
        if name in MEDIA_VOCABULARY.once and name in seen:
            f.error(
                line(child),
                "duplicate-element",
                f"{_name(parent, _M)} has more than one {_name(child, _M)}",
            )
        seen.add(name)
        check = _MEDIA_BOTH[name]
        if check:
            check(f, child)


# Dublin Core, content, slash, GeoRSS, creativeCommons -----------------------------------

_DC_ELEMENTS: dict[str, Check | None] = {
    "title": None,
    "creator": None,
    "subject": None,
    "description": None,
    "publisher": None,
    "contributor": None,
    "date": _w3c_date("dc"),
    "type": None,
    "format": None,
    "identifier": None,
    "source": None,
    "language": _language("dc"),
    "relation": None,
    "coverage": None,
    "rights": None,
}
_DCTERMS_DATES = (
    "created valid available issued modified dateAccepted dateCopyrighted dateSubmitted"
)
_DCTERMS: dict[str, Check | None] = {
    **{name: _w3c_date("dcterms") for name in _DCTERMS_DATES.split()},
    **dict.fromkeys(
        "valid available dateAccepted dateCopyrighted dateSubmitted "
        "alternative abstract tableOfContents extent isVersionOf hasVersion isReplacedBy "
        "replaces isRequiredBy requires isPartOf hasPart isReferencedBy references isFormatOf "
        "hasFormat conformsTo spatial temporal audience mediator accessRights accrualMethod "
        "accrualPeriodicity accrualPolicy bibliographicCitation educationLevel "
        "instructionalMethod license provenance rightsHolder".split()
    ),
}


def _hit_parade(f: Findings, element: etree._Element) -> None:
    if not re.match(r"^\d+(,\d+)*$", _value(element)):
        _invalid(f, element, "slash", f'"{_value(element)}" must be whole numbers and commas')


_GEORSS: dict[str, Check | None] = dict.fromkeys(
    "where point line polygon box featureTypeTag relationshipTag featureName elev floor "
    "radius".split()
)


def _between(prefix: str, low: float, high: float) -> Check:
    def check(f: Findings, element: etree._Element) -> None:
        try:
            number = float(_value(element))
        except ValueError:
            number = float("nan")
        if not low <= number <= high:
            _invalid(
                f, element, prefix, f'"{_value(element)}" must be a number from {low:g} to {high:g}'
            )

    return check


def _geo(prefix: str, latitude: str, longitude: str, more: tuple[str, ...] = ()) -> Vocabulary:
    names: dict[str, Check | None] = {
        latitude: _between(prefix, -90, 90),
        longitude: _between(prefix, -180, 180),
        **dict.fromkeys(more),
    }
    return Vocabulary(prefix, names, names, once=frozenset((latitude, longitude)))


# Podcast 2.0 (podcastindex.org/namespace/1.0, docs/tags/*.md): what a tag "must" be or
# "requires" is an error; its "please do not exceed" lengths and "should"s are warnings.
_P = "podcast"


def _podcast_guid(f: Findings, element: etree._Element) -> None:
    try:
        uuid.UUID(_value(element))
    except ValueError:
        f.warning(
            line(element),
            "invalid-value",
            f'<podcast:guid> "{_value(element)}" should be a UUID (the podcast namespace '
            "derives one from the feed's URL)",
        )


def _podcast_url(f: Findings, element: etree._Element) -> None:
    url = element.get("url")
    if url is None or checks.http_url(url.strip()):
        f.warning(
            line(element),
            "invalid-url",
            f"{_name(element, 'podcast')} needs a url attribute holding an http(s) URL",
        )


def _http_url(value: str) -> str | None:
    return checks.http_url(value.strip())


def _podcast_tag(
    *,
    text: Callable[[str], str | None] | None = None,
    most: int | None = None,
    required: tuple[str, ...] = (),
    errors: dict[str, Callable[[str], str | None]] | None = None,
    warnings: dict[str, tuple[Callable[[str], str | None], str]] | None = None,
) -> Check:
    """A podcast tag's rules: its node value (``text`` gives the problem, or None; ``most``
    characters, a warning), its ``required`` attributes, attributes whose problems are
    ``errors``, and ``warnings``: attribute -> (check, what the namespace says to use)."""

    def check(f: Findings, element: etree._Element) -> None:
        value = _value(element)
        if text is not None and (problem := text(value)):
            _invalid(f, element, _P, f'"{value}" {problem}' if value else problem)
        if most is not None and len(value) > most:
            f.warning(
                line(element),
                "too-long",
                f"{_name(element, _P)} is {len(value)} characters; the podcast namespace asks "
                f"for at most {most} (aggregators may cut it)",
            )
        for name in required:
            if element.get(name) is None:
                f.error(
                    line(element),
                    "missing-attribute",
                    f'{_name(element, _P)} needs a "{name}" attribute',
                )
        for name, test in (errors or {}).items():
            found = element.get(name)
            if found is not None and (problem := test(found)):
                _invalid(f, element, _P, f'{name} "{found}" {problem}')
        for name, (test, advice) in (warnings or {}).items():
            found = element.get(name)
            if found is not None and test(found):
                f.warning(
                    line(element),
                    "invalid-value",
                    f'{_name(element, _P)} {name} "{found}" {advice}',
                )

    return check


def _not_blank(value: str) -> str | None:
    return "must not be empty" if not value else None


def _decimal(value: str) -> str | None:
    return None if re.fullmatch(r"\d+(?:\.\d+)?", value) else "must be a number like 3 or 315.5"


def _longer_than(most: int) -> Callable[[str], str | None]:
    return lambda value: "too long" if len(value) > most else None


def _rfc822_error(value: str) -> str | None:
    found = checks.rfc822(value)
    return found[1] if found is not None and found[0] == "error" else None


_NAME_LIMIT = f"should be at most {podcast20.MAX_NAME} characters (aggregators may cut it)"
_PODCAST_CHANNEL: dict[str, Check | None] = {
    "guid": _podcast_guid,
    "funding": _podcast_url,
    "locked": _podcast_tag(
        text=lambda v: None if v in ("yes", "no") else 'must be "yes" or "no"',
        errors={"owner": checks.email},
    ),
    "medium": _podcast_tag(text=podcast20.medium_problem),
    "txt": _podcast_tag(
        text=_not_blank,
        most=podcast20.MAX_TXT,
        warnings={"purpose": (_longer_than(podcast20.MAX_NAME), _NAME_LIMIT)},
    ),
    "person": _podcast_tag(
        text=_not_blank,
        most=podcast20.MAX_NAME,
        errors={"img": _http_url, "href": _http_url},
        warnings={
            "role": (podcast20.role_problem, "should be a role of the Podcast Taxonomy"),
            "group": (podcast20.group_problem, "should be a group of the Podcast Taxonomy"),
        },
    ),
    "license": _podcast_tag(text=_not_blank, most=podcast20.MAX_NAME, errors={"url": _http_url}),
    "location": _podcast_tag(
        text=_not_blank,
        most=podcast20.MAX_NAME,
        errors={
            "rel": _is_choice(*podcast20.LOCATION_RELS),
            "geo": podcast20.geo_problem,
            "osm": podcast20.osm_problem,
            "country": lambda v: podcast20.country_problem(v.upper()),
        },
    ),
    "trailer": _podcast_tag(
        text=_not_blank,
        most=podcast20.MAX_NAME,
        required=("url", "pubdate"),
        errors={
            "url": _http_url,
            "pubdate": _rfc822_error,
            "length": _is_count,
            "type": _is_media_type,
            "season": _is_positive,
        },
    ),
}
_PODCAST_ITEM: dict[str, Check | None] = {
    "transcript": _podcast_tag(
        required=("url", "type"),
        errors={
            "url": _http_url,
            "type": _is_media_type,
            "language": _is_language,
            "rel": _is_choice("captions"),
        },
    ),
    "chapters": _podcast_url,
    "season": _podcast_tag(
        text=_is_count,
        warnings={"name": (_longer_than(podcast20.MAX_NAME), _NAME_LIMIT)},
    ),
    "episode": _podcast_tag(
        text=_decimal,
        warnings={"display": (_longer_than(32), "should be at most 32 characters")},
    ),
    "person": _PODCAST_CHANNEL["person"],
    "license": _PODCAST_CHANNEL["license"],
    "location": _PODCAST_CHANNEL["location"],
    "txt": _PODCAST_CHANNEL["txt"],
}
_PODCAST = Vocabulary(
    "podcast",
    _PODCAST_CHANNEL,
    _PODCAST_ITEM,
    once=frozenset("guid locked medium license season episode chapters".split()),
    strict=False,  # the namespace grows: a tag feedtool does not know yet is left alone
)

VOCABULARIES: dict[str, Vocabulary] = {
    ITUNES: ITUNES_VOCABULARY,
    MEDIA: MEDIA_VOCABULARY,
    DC: Vocabulary("dc", _DC_ELEMENTS, _DC_ELEMENTS),
    DCTERMS: Vocabulary("dcterms", _DCTERMS, _DCTERMS),
    CONTENT: Vocabulary("content", {}, {"encoded": None}, once=frozenset(("encoded",))),
    SLASH: Vocabulary(
        "slash",
        {},
        {
            "comments": _non_negative("slash"),
            "section": None,
            "department": None,
            "hit_parade": _hit_parade,
        },
        once=frozenset(("comments", "hit_parade")),
    ),
    GEORSS: Vocabulary("georss", _GEORSS, _GEORSS),
    "http://www.w3.org/2003/01/geo/wgs84_pos#": _geo("geo", "lat", "long", ("alt", "Point")),
    "http://geourl.org/rss/module/": _geo("geourl", "latitude", "longitude"),
    "http://postneo.com/icbm": _geo("icbm", "latitude", "longitude"),
    CREATIVE_COMMONS: Vocabulary(
        "creativeCommons", {"license": _url_text("creativeCommons")}, {"license": None}
    ),
    PODCAST: _PODCAST,
    PODCAST_OLD: _PODCAST,
}
VOCABULARIES[CREATIVE_COMMONS].item["license"] = _url_text("creativeCommons")


def check_extensions(
    f: Findings, parent: etree._Element, where: str, elements: Iterable[etree._Element]
) -> None:
    """Check the namespaced children of a <channel> or an <item> (``where``)."""
    seen: set[str] = set()
    for element in elements:
        tag = str(element.tag)
        namespace, _, name = tag[1:].partition("}")
        if namespace in NEAR_MISSES:
            meant = NEAR_MISSES[namespace]
            f.error(
                line(element),
                "wrong-namespace",
                f'"{namespace}" is not the namespace of {VOCABULARIES[meant].prefix}:{name}; '
                f'use "{meant}"',
            )
            continue
        vocabulary = VOCABULARIES.get(namespace)
        if vocabulary is None:
            continue
        defined = vocabulary.channel if where == "channel" else vocabulary.item
        if name not in defined:
            # A known element in the wrong place is an error even where unknown ones are not.
            if vocabulary.strict or name in vocabulary.channel or name in vocabulary.item:
                f.error(
                    line(element),
                    "undefined-element",
                    f"<{vocabulary.prefix}:{name}> is not an element of <{where}>",
                )
            continue
        if tag in seen and name in vocabulary.once:
            f.error(
                line(element),
                "duplicate-element",
                f"<{where}> has more than one <{vocabulary.prefix}:{name}>",
            )
        seen.add(tag)
        check = defined[name]
        if check is not None:
            check(f, element)
