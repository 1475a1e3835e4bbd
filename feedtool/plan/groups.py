"""Articles grouped by tag, category or author, each group with a safe, stable folder name.

A group's feed lives at ``<grouping>/<folder>/<format file>``, e.g. ``tags/python/atom.xml``.
Readers subscribe to that URL, so the folder must never move and two groups must never share
one:

- Names that differ only in case, Unicode normal form or in how words are joined
  (``Machine Learning``, ``machine-learning``, ``machine_learning``) are one group: they look
  the same to a person and would look the same in a URL.
- A name already in URL form (lower-case ASCII letters and digits joined by single hyphens,
  at most 60 characters) is its own folder: ``python``, ``machine-learning``.
- Any other name gets an ASCII spelling plus ``_`` and a hash of the name (``c_4f1e...``,
  ``cafe_9b2c...``, ``tag_71d0...`` when nothing ASCII is left). The ``_`` never occurs in
  the plain form, so the two kinds cannot collide, and the hash depends only on the name, so
  a folder never changes when other tags come and go. So do the names Windows reserves
  for devices (``con``, ``nul``, ``com1``...), which no folder there may have.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from feedtool.model import Article, Author
from feedtool.values import choices
from feedtool.values.patterns import compiled_later

_MAX_FOLDER = 60
_PLAIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_JOINERS = re.compile(r"[\s_\-]+")
_NOT_ALNUM = compiled_later(r"[^a-z0-9]+")
_HASH_DIGITS = 8
# Names Windows reserves for devices, in any case and with any extension: a folder
# tags/con/ cannot be checked out there. They take the hashed form (con_1a2b3c4d).
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(10)]
)


class Grouping(NamedTuple):
    """One way of grouping articles: the config name, a word for titles, the names per article."""

    name: str  # as in feeds_per, and the top folder: "tags"
    label: str  # one group, for titles: "tag"
    names: Callable[[Article, tuple[Author, ...]], Sequence[str]]  # (article, site authors)


def _tags(article: Article, site_authors: tuple[Author, ...]) -> Sequence[str]:
    return article.tags


def _categories(article: Article, site_authors: tuple[Author, ...]) -> Sequence[str]:
    return article.categories


def _authors(article: Article, site_authors: tuple[Author, ...]) -> Sequence[str]:
    # An article without authors is by the site's author, as the feeds say.
    return [a.name for a in article.authors or site_authors if a.name]


def _languages(article: Article, site_authors: tuple[Author, ...]) -> Sequence[str]:
    # Articles that name their language (on sites read through a dialect: every one).
    return (article.lang,) if article.lang else ()


GROUPINGS: dict[str, Grouping] = {
    "tags": Grouping("tags", "tag", _tags),
    "categories": Grouping("categories", "category", _categories),
    "authors": Grouping("authors", "author", _authors),
    "languages": Grouping("languages", "language", _languages),
}
# One fact, kept in one place: config.py checks names against values/choices.
assert tuple(GROUPINGS) == choices.GROUPINGS, "plan/groups and values/choices disagree"


class Group(NamedTuple):
    grouping: Grouping
    name: str  # as shown in titles: the spelling most articles use
    folder: str
    articles: tuple[Article, ...]  # newest first

    @property
    def key(self) -> str:
        """The output subfolder, e.g. ``tags/python``."""
        return f"{self.grouping.name}/{self.folder}"


@lru_cache(maxsize=4096)  # a site has few tags, each on many articles
def identity(name: str) -> str:
    """What makes two names one group: case, Unicode form and word joiners do not count."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _JOINERS.sub("-", folded.strip())


def _digest(ident: str) -> str:
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()


def folder_name(ident: str, label: str, digits: int | None = None) -> str:
    """The folder for a group identity: itself when URL-safe, else ASCII + ``_`` + a hash."""
    if _PLAIN.fullmatch(ident) and len(ident) <= _MAX_FOLDER and ident not in _RESERVED:
        return ident
    decomposed = unicodedata.normalize("NFKD", ident)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    stem = _NOT_ALNUM().sub("-", ascii_text).strip("-")[:_MAX_FOLDER].rstrip("-")
    return f"{stem or label}_{_digest(ident)[: _HASH_DIGITS if digits is None else digits]}"


def group_articles(
    articles: Iterable[Article], grouping: Grouping, site_authors: tuple[Author, ...]
) -> list[Group]:
    """Every group of ``grouping`` with its articles (in the order given), sorted by folder."""
    articles = list(articles)
    # Articles by name first (this loop runs over every article), by identity after:
    # there are few names, and most identities have one spelling.
    by_name: dict[str, list[Article]] = {}
    names_of = grouping.names
    for article in articles:
        for name in names_of(article, site_authors):
            listed = by_name.get(name)
            if listed is None:
                by_name[name] = [article]
            elif listed[-1] is not article:  # two authors of one name: one entry
                listed.append(article)
    spelled: dict[str, list[str]] = defaultdict(list)
    for name in by_name:
        ident = identity(name)
        if ident:
            spelled[ident].append(name)
    members: dict[str, list[Article]] = {}
    spellings: dict[str, Counter[str]] = {}
    position: dict[int, int] = {}
    for ident, names in spelled.items():
        spellings[ident] = Counter({name: len(by_name[name]) for name in names})
        if len(names) == 1:
            members[ident] = by_name[names[0]]
            continue
        # "Python" and "python": one list, in the order given, with each article once.
        position = position or {id(a): number for number, a in enumerate(articles)}
        merged = {id(a): a for name in names for a in by_name[name]}
        members[ident] = sorted(merged.values(), key=lambda a: position[id(a)])
    folders = {ident: folder_name(ident, grouping.label) for ident in members}
    by_folder = Counter(folders.values())
    for ident, folder in folders.items():
        if by_folder[folder] > 1:
            # Two names whose short hashes agree (about one pair in four billion): the full
            # hash tells them apart.
            folders[ident] = folder_name(ident, grouping.label, digits=64)
    groups = [
        Group(
            grouping=grouping,
            # Most used spelling first; ties go to the alphabetically first, never to chance.
            name=min(spellings[ident].items(), key=lambda item: (-item[1], item[0]))[0],
            folder=folders[ident],
            articles=tuple(members[ident]),
        )
        for ident in members
    ]
    return sorted(groups, key=lambda g: g.folder)
