"""Checks of feed documents that tests share: schema validation and read-back."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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
