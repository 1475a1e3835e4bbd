"""Checks of feed documents that tests share: schema validation and read-back."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
from lxml import etree

DATA = Path(__file__).parent / "data"
ATOM = "{http://www.w3.org/2005/Atom}"


@lru_cache(maxsize=1)
def _atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(DATA / "atom.rng")))


def atom_problems(data: bytes) -> list[str]:
    """RFC 4287's RELAX NG schema plus the two rules it states only as Schematron."""
    tree = etree.fromstring(data)
    schema = _atom_schema()
    problems = [] if schema.validate(tree) else [str(e) for e in schema.error_log]
    feed_has_author = tree.find(f"{ATOM}author") is not None
    for entry in tree.iterfind(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id")
        if not feed_has_author and entry.find(f"{ATOM}author") is None:
            problems.append(f"entry {entry_id}: no author here or on the feed")
        has_alternate = any(
            link.get("rel", "alternate") == "alternate" for link in entry.iterfind(f"{ATOM}link")
        )
        if entry.find(f"{ATOM}content") is None and not has_alternate:
            problems.append(f"entry {entry_id}: neither content nor an alternate link")
    return problems


@lru_cache(maxsize=1)
def _jsonfeed_validator() -> Any:
    schema = json.loads((DATA / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # Without a format checker, "date-time" and "uri" would not be checked at all.
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def jsonfeed_problems(data: bytes) -> list[str]:
    """JSON Feed 1.1's JSON Schema, with date-time and URI formats checked."""
    document = json.loads(data.decode("utf-8"))
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _jsonfeed_validator().iter_errors(document)
    ]


def feed_problems(name: str, data: bytes) -> list[str]:
    """The right check for any file feedtool writes, by its name."""
    if name.endswith(".json"):
        return jsonfeed_problems(data)
    if name.endswith("atom.xml"):
        return atom_problems(data)
    parsed = feedparser.parse(data)
    return [f"feedparser: {parsed.bozo_exception}"] if parsed.bozo else []


def feedparser_rss_text(text: str) -> str:
    """What feedparser returns for ``text`` in an RSS text element (title, name, term).

    RSS does not say whether its text is HTML, so feedparser guesses: text with an end
    tag of an HTML element or an entity looks like HTML to it, and it returns that HTML
    run through its sanitiser (feedparser/mixin.py, ``pop``), which re-escapes a bare
    ``&`` before letters (``AT&T`` becomes ``AT&amp;T``) and drops what it finds unsafe.
    Other text it returns as it is. No way of writing the text changes this: it sees the
    same characters whatever the XML escaping.
    """
    from feedparser.mixin import _FeedParserMixin
    from feedparser.sanitizer import _sanitize_html

    if not _FeedParserMixin.looks_like_html(text):
        return text
    return str(_sanitize_html(text, "utf-8", "text/html"))
