"""The last build's plans, kept for a build in which only articles' bodies changed.

Planning looks at articles' metadata, never at their bodies. Yet an edit to one body of a
big site would have the build decode every cached article (megabytes of JSON), select and
plan them all again, only to find the same feeds showing the same articles. So the build
that saves the state (summary.py) saves here, in ``kept.json``, the plans it rendered
(each naming the files of the articles it shows) and the sizes and times of the listing
its state key was hashed from. The next build (pipeline._build_kept) takes them when:

- its listing has the very paths of that one, which the state key proves: the key of
  today's paths with the kept sizes and times must be the state's;
- at least one file, and at least half of them, have the very size and times that build
  listed (see Trust below); each file that does not is an article of its own by the
  site's rules, with no other input (no sidecar, no local enclosure: the state lists no
  input beyond the articles' files);
- read again, each gives exactly the record that build had for it: the article cache's
  record, still stamped as that build listed the file (a build since that saved no plans,
  with ``--check`` or a file saved just before it or failing after reading, may have read
  it again: then its record is newer than the plans, and they are not taken);
- the time is still inside the state's window (no post came due, no update is more than
  a day ahead of the clock), and the ledger of ids is as that build left it after
  checking these very articles (the state's digest of their ids);
- the site is no podcast: the read stage also makes the show's art a URL in the config,
  which these plans do not stand for (pipeline.build).

Then the same articles, with the same metadata, are published at a time when the same
ones are visible, so planning would give these very plans. Anything else, and they are
not taken: the build takes its full path, which gives the same bytes.

Trust: plans hold what planning makes from the config and the articles (titles, which
articles each feed shows), which nothing here checks again. They are taken only when at
least half of the files have exactly the size, modification time and change time (to the
nanosecond) that the build which kept them listed; a change time cannot be set, and a
fresh checkout renews them all, so plans from a cache folder made anywhere else are
never taken (docs/security.md). The HTML of every entry is checked as it always is
(rendered.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence

import msgspec

from feedtool.cache.summary import FILE_BYTES
from feedtool.model import Article, Author
from feedtool.plan.feeds import FeedPlan

FILENAME = "kept.json"


class KeptPlan(msgspec.Struct, array_like=True, frozen=True):
    """A FeedPlan as kept: its articles by their files' paths (Article.source)."""

    key: str
    kind: str
    title: str
    description: str
    sources: tuple[str, ...]
    authors: tuple[Author, ...]
    links: tuple[tuple[str, str], ...]
    archive: bool
    trim: bool
    formats: tuple[str, ...]


class Kept(msgspec.Struct, array_like=True, frozen=True):
    """What ``kept.json`` holds."""

    key: str  # the state's key (summary.State.key) when these plans were rendered
    taken_ns: int  # and that state's taken_ns: the key alone says nothing of the time
    files_read: int  # how many article files that build read (for progress reports)
    numbers: bytes  # summary.listing_texts' sizes and times of the listing it hashed
    plans: list[KeptPlan]


def kept_out(
    key: str, taken_ns: int, files_read: int, numbers: bytes, plans: Sequence[FeedPlan]
) -> Kept:
    """What kept.json is to hold for a build's ``plans`` (see Kept for the rest)."""
    return Kept(
        key,
        taken_ns,
        files_read,
        numbers,
        [
            KeptPlan(
                plan.key,
                plan.kind,
                plan.title,
                plan.description,
                tuple(article.source for article in plan.articles),
                plan.authors,
                plan.links,
                plan.archive,
                plan.trim,
                plan.formats,
            )
            for plan in plans
        ],
    )


def plans_in(kept: Kept, articles: Mapping[str, Article]) -> list[FeedPlan]:
    """The kept plans with the articles they show (``articles``: by source, every one)."""
    return [
        FeedPlan(
            key=plan.key,
            kind=plan.kind,
            title=plan.title,
            description=plan.description,
            articles=tuple(articles[source] for source in plan.sources),
            authors=plan.authors,
            links=plan.links,
            archive=plan.archive,
            trim=plan.trim,
            formats=plan.formats,
        )
        for plan in kept.plans
    ]


def changed_at(old: bytes, new: bytes) -> list[int]:
    """The positions (in the listing) of the files whose size or times differ between two
    of listing_texts' numbers texts of the same length: blocks of 64 files are compared
    as bytes first, so a big site's listing costs a few hundred comparisons."""
    width = FILE_BYTES
    block = 64 * width
    found: list[int] = []
    for start in range(0, len(new), block):
        if old[start : start + block] == new[start : start + block]:
            continue
        for at in range(start, min(start + block, len(new)), width):
            if old[at : at + width] != new[at : at + width]:
                found.append(at // width)
    return found


def numbers_at(numbers: bytes, number: int) -> tuple[int, int, int]:
    """The size and times of file ``number`` in listing_texts' numbers text."""
    size, mtime_ns, ctime_ns = array("q", numbers[number * FILE_BYTES : (number + 1) * FILE_BYTES])
    return size, mtime_ns, ctime_ns
