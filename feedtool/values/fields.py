"""Parsers for metadata values, shared by articles and feedtool.toml.

Each parser takes the raw value YAML, TOML or JSON produced and returns a typed
value or raises ValueError with a message that reads well after ``field: ``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from feedtool.model import Author, Enclosure
from feedtool.values import checks
from feedtool.values.patterns import compiled_later

T = TypeVar("T")

# XML 1.0 allows only these characters (section 2.2); everything else, such as
# control characters, lone surrogates and U+FFFE/U+FFFF, is dropped. So are DEL
# and the C1 controls (U+007F-U+009F): XML discourages them, they are never
# meant as text (they are what cp1252 text read as Latin-1 looks like), and
# readers turn them into other characters (feedparser maps U+0091 to a quote).
# Spelled as the few characters that are out, not the many that are in: the same set
# (nothing lies beyond U+10FFFF), but compiling the long form took 5 ms of every start.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_AUTHOR_RE = re.compile(r"^\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>]+)>)?\s*$")
_SURROGATE_PAIR = compiled_later("[\ud800-\udbff][\udc00-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE = re.compile(r"\s")


# _XML_ILLEGAL's characters below U+0080, as bytes: all that ASCII text can hold of them.
_ASCII_ILLEGAL = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry, so any text can go into a feed."""
    if text.isascii():
        # Most text, whole bodies and cached HTML included: deleting the few illegal bytes
        # from a copy tells whether there are any five times faster than the search below,
        # whose character class costs a test per character.
        return text if _ascii_clean(text) else _XML_ILLEGAL.sub("", text)
    # A search finds nothing sooner than a substitution copies everything (whole bodies).
    return _XML_ILLEGAL.sub("", text) if _XML_ILLEGAL.search(text) else text


def _ascii_clean(text: str) -> bool:
    """Whether ASCII ``text`` has none of the characters xml_safe drops."""
    data = text.encode("ascii")
    return len(data.translate(None, _ASCII_ILLEGAL)) == len(data)


def clean(value: str) -> str:
    """Text as XML can carry it: escaped surrogate pairs joined, then xml_safe.

    YAML read by the pure-Python loader spells an escaped emoji as two halves;
    any lone half left over is dropped by xml_safe with the other characters
    XML cannot carry.
    """
    if _SURROGATE.search(value):
        value = _SURROGATE_PAIR().sub(
            lambda m: m[0].encode("utf-16-le", "surrogatepass").decode("utf-16-le"), value
        )
    return xml_safe(value)


def _describe(value: object) -> str:
    kinds = {
        list: "a list",
        dict: "a mapping",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    # isinstance, in this order: bool is an int, and numbers may be frontmatter's Written*.
    return next((name for kind, name in kinds.items() if isinstance(value, kind)), "a value")


def text(value: object) -> str:
    """A single line or paragraph of text; numbers are accepted as their text."""
    if type(value) is str and (
        # As xml_safe tells it, but a short text (a title, a tag) is searched sooner
        # than copied; a summary is not.
        _ascii_clean(value)
        if len(value) >= 40 and value.isascii()
        else not _XML_ILLEGAL.search(value)
    ):
        return value.strip()  # the usual case, which clean() would leave as it is
    if isinstance(value, bool):
        # YAML reads yes, no, on, off, true and false unquoted as true/false.
        raise ValueError("expected text, got true/false (put the text in quotes)")
    if value is None or isinstance(value, list | dict):
        raise ValueError(
            f"expected text, got {_describe(value) if value is not None else 'nothing'}"
        )
    if isinstance(value, int | float):
        # As written (".nan", "1_000"): see frontmatter.WrittenInt.
        value = getattr(value, "written", None) or str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_describe(value)}")
    return clean(value).strip()


def required_text(value: object) -> str:
    result = text(value)
    if not result:
        raise ValueError("must not be empty")
    return result


# URI schemes that do something when a reader follows them: never an id.
_ACTIVE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})


def identifier(value: object) -> str:
    """An article id: a permanent absolute URI, as Atom requires (RSS and JSON Feed accept it)."""

    result = required_text(value)
    problem = checks.uri(result, absolute=True)
    scheme = result.partition(":")[0].strip().lower()
    if not problem and scheme in _ACTIVE_SCHEMES:
        # Readers that link an item by its id (RSS guid, Atom id) would run or open it.
        problem = f"is a {scheme}: URI, which a reader could run or open, not an id"
    if problem:
        raise ValueError(
            f'"{result}" {problem}; an id is a permanent URI such as '
            '"urn:uuid:6f1c2d8e-4b1a-4d3e-9c55-0b6a8f1e2d34" or "tag:example.org,2025:my-post"'
        )
    return result


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {value!r}")


ITEM_CONTENT = ("full", "summary")


def item_content(value: object) -> str:
    """What an item's content carries: the whole article, or its summary and a link."""
    if value not in ITEM_CONTENT:
        raise ValueError(f'expected "full" or "summary", got {value!r}')
    assert isinstance(value, str)
    return value


def positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number of 1 or more, got {value!r}")
    return value


def url(value: object) -> str:
    result = required_text(value)
    if _SPACE.search(result):
        raise ValueError(f'"{result}" is not a URL (it contains spaces)')
    return result


def web_address(value: object, *, mailto: bool = False) -> str:
    """An absolute http(s) URL (or with ``mailto``, a mailto: address) as feeds may link to."""

    result = url(value)
    problem = checks.web_address(result, mailto=mailto)
    if problem:
        raise ValueError(f'"{result}" {problem}')
    return result


def text_list(value: object) -> tuple[str, ...]:
    """Tags and categories: a list of text, or one comma-separated string."""
    if value is None:
        return ()
    items: list[object]
    if isinstance(value, str):
        items = list(value.split(","))
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError(f"expected a list of text, got {_describe(value)}")
    result: list[str] = []
    for number, item in enumerate(items, start=1):
        if type(item) is str and not _XML_ILLEGAL.search(item):
            name = item.strip()  # text()'s usual case, without a call for every tag
        else:
            try:
                name = text(item)
            except ValueError as exc:
                raise ValueError(f"item {number}: {exc}") from None
        if name and name not in result:
            result.append(name)
    return tuple(result)


def author(value: object) -> Author:
    """``"Name <email>"`` or a mapping with name, email and uri."""
    if isinstance(value, str):
        match = _AUTHOR_RE.match(clean(value))
        if not match or not (match["name"] or match["email"]):
            raise ValueError(f'cannot read "{value}" as "Name <email>"')
        email = _email(match["email"].strip()) if match["email"] else None
        name = match["name"]
        if email is None and "@" in name and not any(c.isspace() for c in name):
            # "bob@" alone is meant as an address: checked as one, as in "Bob <bob@>".
            _email(name)
        return Author(name=name or email or "", email=email)
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"name", "email", "uri", "url"})
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (known: name, email, uri)")
        name = text(value.get("name", ""))
        email = _email(text(value["email"])) if value.get("email") else None
        uri_value = value.get("uri", value.get("url"))
        uri = web_address(uri_value, mailto=True) if uri_value else None
        if not name and not email:
            raise ValueError("an author needs a name or an email")
        return Author(name=name or email or "", email=email, uri=uri)
    raise ValueError(f'expected "Name <email>" or a mapping, got {_describe(value)}')


def _email(value: str) -> str:
    """An author's e-mail address, checked here so that a bad one is one problem against
    the file that has it, not one in every feed that would show it."""

    if checks.email(value):
        raise ValueError(
            f'"{value}" is not an e-mail address like jo@example.org '
            '(write "Name <email>", or the name alone)'
        )
    return value


def one_or_more(parse: Callable[[Any], T], value: object) -> tuple[T, ...]:
    """A list of items, or one item by itself; "item N: ..." names a bad one in a list."""
    if not isinstance(value, list):
        return (parse(value),)
    result = []
    for number, item in enumerate(value, start=1):
        try:
            result.append(parse(item))
        except ValueError as exc:
            raise ValueError(f"item {number}: {exc}") from None
    return tuple(result)


def authors(value: object) -> tuple[Author, ...]:
    """One author or a list of them (each as ``author`` reads it)."""
    return one_or_more(author, value)


def media_type(value: object) -> str:
    """A media type such as ``audio/mpeg`` (parameters allowed)."""

    result = required_text(value)
    if checks.media_type(result):
        raise ValueError(f'"{result}" is not a media type like "audio/mpeg"')
    return result


def enclosure(value: object) -> Enclosure:
    """A URL or local path, or a mapping with url, type and length (bytes).

    Only the shape is checked here; media.resolve_enclosure turns a local path
    into a URL and fills in what the file tells.
    """
    if isinstance(value, str):
        value = {"url": value}
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping with url, type and length, got {_describe(value)}")
    unknown = sorted(set(value) - {"url", "type", "length"})
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known: url, type, length)")
    if not value.get("url"):
        raise ValueError("an enclosure needs a url")
    length = value.get("length")
    if length is not None and (
        isinstance(length, bool) or not isinstance(length, int) or length < 0
    ):
        raise ValueError(f"length must be a whole number of bytes, got {length!r}")
    kind = media_type(value["type"]) if value.get("type") else ""
    # A local file name may contain spaces; a web address may not (checked later).
    return Enclosure(url=required_text(value["url"]), type=kind, length=length)


def language(value: object) -> str:
    """A language tag (BCP 47) such as ``en``, ``de-AT`` or ``zh-Hant-TW``."""

    result = required_text(value)
    if checks.language(result):
        raise ValueError(
            f'"{result}" is not a language tag like "en", "de-AT" (ISO 639 code, then subtags)'
        )
    return result


def enclosures(value: object) -> tuple[Enclosure, ...]:
    if isinstance(value, list):
        return tuple(enclosure(item) for item in value)
    return (enclosure(value),)
