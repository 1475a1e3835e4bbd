"""The ledger of published ids (``feedtool.ids``): every item the feeds have ever carried.

A feed reader knows an item by its id alone: an item that comes back with another id
is shown again as new. The ledger remembers, for every id ever published, the file it
came from, its link and a digest of its title and text, so a build can tell when an
article it has published before (same file, same link, or same title and text under a
new name) would now get another id, and refuse (IdChanged) instead of re-sending it.

The ledger is a guard, and an input only where a line says what its file keeps (the
fifth field, below): other ids still come from the articles alone. It is a small text
file beside feedtool.toml, one item a line, sorted by id, so it diffs and merges well:

    # comment lines
    ID <TAB> SOURCE (relative to the content folder, / separated) <TAB> LINK <TAB> DIGEST
    ID <TAB> SOURCE <TAB> LINK <TAB> DIGEST <TAB> KEEPS

A field is empty when unknown; a tab, line break or backslash in one is escaped. The
fifth field, where there is one, makes the item an input after all: "id" keeps the id
for the article in SOURCE whatever it computes (set when the site moved to another
host), "id,link" keeps its link too (set by adopting a generator's feed, see
site/adopt.py). Lines without it are written as before, so older ledgers stay as they
are.
Lines are never removed (an item removed from the site may come back), and it is
written only when it changes, atomically, under a lock (read, merge, write), so builds
at once never lose each other's lines.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from feedtool import safefile
from feedtool.config import PLACEHOLDER_BASE_URL
from feedtool.errors import ConfigError, ContentError, Notice, PublishError
from feedtool.model import Article
from feedtool.parallel import split_map
from feedtool.publish.staging import held_lock, replace_atomically

# Lazy imports: read/body_text.py and read/metadata.py are imported inside
# body_digest(s): reading the ledger is part of a build with nothing to do, which reads
# no article.

HEADER = (
    "# feedtool.ids: every item the feeds have published: id, file (in the content folder),\n"
    "# link, digest of title and text. feedtool build keeps it; commit it with the feeds.\n"
)
HEADER_LINES = HEADER.count("\n")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}  # backslash first
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
# Far above any site's ledger (a line is ~150 bytes): what is bigger is no ledger.
MAX_LEDGER_BYTES = 256 * 1024 * 1024
KEEPS_ID = "id"  # the fifth field: the id is kept for the article in the item's file
KEEPS_ID_AND_LINK = "id,link"  # and its link too (adopted from the generator's feed)


class Item(NamedTuple):
    """One published item, as the ledger remembers it."""

    id: str
    source: str  # relative to the content folder, "/" separated; "" once another item has it
    link: str  # "" once another item has it
    digest: str  # of the title and text when first published; "" when unknown
    keeps: str = ""  # "", KEEPS_ID or KEEPS_ID_AND_LINK: what the item's file keeps


# Where an article's metadata is (its file, or its sidecar) and the line of a key in it.
Where = tuple[str, int | None]


class IdChanged(ContentError):
    """An article published before that would now get another id.

    ``path`` is the file with the article's metadata; the attributes say what was
    published and why the two are taken for one item (``reason``: "file", "link" or
    "title and text"), so a caller can word its own fix.
    """

    def __init__(
        self,
        message: str,
        *,
        old_id: str = "",
        new_id: str = "",
        old_source: str = "",  # as the content folder names it: content/old.md
        new_source: str = "",  # Article.source of the article now
        reason: str = "",
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        # Every argument but the message is a keyword with a default: an exception is
        # copied (and pickled) by calling its class with its message alone.
        super().__init__(message, path=path, line=line, field="id", parameter="new_ids")
        self.old_id, self.new_id = old_id, new_id
        self.old_source, self.new_source = old_source, new_source
        self.reason = reason


def _id_changed(
    article: Article, old: Item, old_source: str, reason: str, where: Where
) -> IdChanged:
    what = {
        "file": "this file",
        "link": f"{old_source}, with the same link",
        "title and text": f"{old_source}, with the same title and text",
    }[reason]
    return IdChanged(
        f'would change from "{old.id}" (published from {what}) to "{article.id}", and '
        f'readers would show it again as new; add id: "{old.id}" to keep it',
        old_id=old.id,
        new_id=article.id,
        old_source=old_source,
        new_source=article.source,
        reason=reason,
        path=where[0],
        line=where[1],
    )


# --- the file ------------------------------------------------------------------------


def _escape(text: str) -> str:
    for char, escaped in _ESCAPES.items():  # the backslash first
        text = text.replace(char, escaped)
    return text


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "\\")
            char = _UNESCAPES.get(escaped, escaped)
        out.append(char)
    return "".join(out)


class Ledger(NamedTuple):
    """A ledger as read: its text, its items by id, and whether the text is exactly what
    render() makes of them (else the next write tidies it)."""

    text: str
    items: dict[str, Item]
    tidy: bool


def parse(text: str, path: Path | str) -> Ledger:
    """The ledger's items by id; a later line for the same id wins (as a union merge
    of two branches may leave both)."""
    lines = text.splitlines()
    header = text.startswith(HEADER)
    # Comprehensions over every line, not one loop doing it all: a big site's ledger
    # is read on every build that changed anything.
    body = lines[HEADER_LINES:] if header else lines
    rows = [line.split("\t") for line in body if line and line[0] != "#"]
    if any(not 4 <= len(row) <= 5 or not row[0] for row in rows):
        _refuse(lines, path)
    if "\\" in text:
        rows = [[_unescape(field) for field in row] for row in rows]
    make = Item._make
    plain = ("",)
    items = {row[0]: make(row) if len(row) == 5 else make((*row, *plain)) for row in rows}
    ids = [row[0] for row in rows]
    tidy = (
        not text
        or header
        and text.endswith("\n")
        and len(rows) == len(body)  # no other comments, no blank lines
        and "\\" not in text  # escapes: render() decides how they are written
        and all(a < b for a, b in zip(ids, ids[1:], strict=False))  # sorted, each once
    )
    return Ledger(text, items, tidy)


def _refuse(lines: list[str], path: Path | str) -> None:
    for number, line in enumerate(lines, start=1):
        if not line or line[0] == "#":
            continue
        fields = line.split("\t")
        if not 4 <= len(fields) <= 5 or not fields[0]:
            conflict = line[:1] in "<=>"
            hint = " (a merge conflict left in? keep both sides' lines)" if conflict else ""
            raise ConfigError(
                f"not a ledger line: expected id, file, link and digest between tabs{hint}",
                path=path,
                line=number,
            )


def render(items: dict[str, Item]) -> str:
    """The ledger's text: sorted by id, so each item keeps its line as files move."""
    lines = [HEADER]
    append = lines.append
    for key in sorted(items):
        id, source, link, digest, keeps = items[key]
        tabs = 4 if keeps else 3
        line = (
            f"{id}\t{source}\t{link}\t{digest}\t{keeps}\n"
            if keeps
            else (f"{id}\t{source}\t{link}\t{digest}\n")
        )
        # Rare: a tab, line break or backslash in a field. Four quick looks tell.
        if line.count("\t") != tabs or line.count("\n") != 1 or "\\" in line or "\r" in line:
            fields = items[key] if keeps else items[key][:4]
            line = "\t".join(_escape(field) for field in fields) + "\n"
        append(line)
    return "".join(lines)


def _read(path: Path) -> str:
    # Through safefile: a ledger linked to /dev/zero or a FIFO must not make a build grow
    # without end or wait for ever.
    try:
        raw, _ = safefile.read_regular(path, MAX_LEDGER_BYTES)
        return raw.decode("utf-8")
    except FileNotFoundError:
        return ""
    except safefile.NotRegularFile:
        reason = "it is not a regular file (a device, FIFO or folder); make it a plain text file"
    except safefile.TooLarge as exc:
        reason = (
            f"it is {exc.size} bytes, over the limit of {MAX_LEDGER_BYTES // 2**20} MiB; "
            "is it the right file?"
        )
    except UnicodeDecodeError:
        reason = "it is not UTF-8 text"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise ConfigError(f"cannot read the ledger of published ids: {reason}", path=path)


def read_ledger(path: Path) -> Ledger:
    """The ledger at ``path``; empty when it does not exist yet."""
    return parse(_read(path), path)


# --- matching articles with published items --------------------------------------------


def relative_source(content_dir: Path) -> Callable[[str], str]:
    """Article.source -> the ledger's name for it (relative to ``content_dir``, "/")."""
    prefix = str(content_dir).rstrip(os.sep) + os.sep
    start = len(prefix)

    def relative(source: str) -> str:
        if os.sep == "/" and source.startswith(prefix):  # the usual case, quick
            return source[start:]
        rest = os.path.relpath(source, content_dir)
        return rest if os.sep == "/" else rest.replace(os.sep, "/")

    return relative


def known_by(articles: list[Article]) -> str:
    """A digest of what the ledger knows each of ``articles`` by (its id, file and link):
    while it is the same, checking and recording them again finds and adds nothing."""
    text = "".join([f"{a.id}\0{a.source}\0{a.link}\0" for a in articles])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_PLACEHOLDER_HOST = urlsplit(PLACEHOLDER_BASE_URL).netloc


def placeholder_link(link: str) -> bool:
    """Whether ``link`` is on the host of the placeholder base_url feedtool init writes
    (example.org, reserved for examples): an item linking there was built before the
    site had its address, and never reached a reader."""
    try:
        return urlsplit(link).netloc == _PLACEHOLDER_HOST
    except ValueError:
        return False


def _host_moved(old: str, new: str) -> str | None:
    """The old host when the id ``new`` is ``old`` with only its host changed (a tag: URI's
    authority, or an http(s) URL's host, its scheme too), else None."""
    if old.startswith("tag:") and new.startswith("tag:"):
        old_host, _, old_rest = old[4:].partition(",")
        new_host, _, new_rest = new[4:].partition(",")
        same = old_rest == new_rest and old_host != new_host
        return old_host if same and old_rest else None
    if not old.startswith(("http://", "https://")) or not new.startswith(("http://", "https://")):
        return None
    try:
        before, after = urlsplit(old), urlsplit(new)
    except ValueError:
        return None
    same = before[2:] == after[2:] and before.netloc != after.netloc
    return before.netloc if same else None


class Kept(NamedTuple):
    """The articles with the ids (and links) the ledger keeps for their files."""

    articles: list[Article]
    keeps: dict[str, str]  # id -> what the ledger is to keep for it from now on
    notices: list[Notice]


def kept_ids(
    items: dict[str, Item],
    articles: list[Article],
    content_dir: Path,
    ledger: Path | str,
    *,
    moves: bool = True,
) -> Kept:
    """Give each article what the ledger keeps for its file, whatever it computes now:

    - an item adopted from the generator's feed (KEEPS_ID_AND_LINK): its id and link;
    - an item kept after a host move (KEEPS_ID): its id;
    - an item published from the same file whose id differs from the article's only in
      its host (base_url moved, with the same paths): its id, with a notice, and the
      ledger keeps it from then on. Not an id made from the placeholder base_url: those
      were never meant for readers (check_ids reports them). Not with ``moves`` False
      (ids published anew on purpose).
    """
    if not items:
        return Kept(articles, {}, [])
    pinned = {item.source: item for item in items.values() if item.keeps and item.source}
    unknown = moves and any(a.id not in items for a in articles)
    if not pinned and not unknown:
        return Kept(articles, {}, [])  # the usual build
    claimed = {a.id for a in articles}
    by_source = {
        item.source: item
        for item in items.values()
        if item.source and item.id not in claimed and not placeholder_link(item.link)
    }
    relative = relative_source(content_dir)
    result: list[Article] = []
    keeps: dict[str, str] = {}
    moved: dict[tuple[str, str], int] = {}
    for article in articles:
        source = relative(article.source) if pinned or article.id not in items else ""
        pin = pinned.get(source)
        if pin is not None:
            if pin.keeps == KEEPS_ID_AND_LINK:
                article = article._replace(id=pin.id, link=pin.link)
            else:
                article = article._replace(id=pin.id)
        elif moves and article.id not in items and (old := by_source.get(source)) is not None:
            host = _host_moved(old.id, article.id)
            if host is not None:
                new_host = urlsplit(article.link).netloc or article.id
                moved[host, new_host] = moved.get((host, new_host), 0) + 1
                article = article._replace(id=old.id)
                keeps[old.id] = KEEPS_ID
        result.append(article)
    notices = [
        Notice(
            f"{count} article(s) keep the ids they were published with under {old} (the site "
            f"is now at {new}): readers will not show them again; kept from now on",
            path=ledger,
        )
        for (old, new), count in sorted(moved.items())
    ]
    return Kept(result, keeps, notices)


def body_digest(article: Article) -> str:
    """A digest of an article's title and text (its body as written, ends stripped);
    "" when the body cannot be read (the build reports that where it matters)."""
    from feedtool.read.body_text import read_body

    try:
        text = read_body(article.body)
    except ContentError:
        return ""
    data = f"{article.title}\0{text.strip()}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def check_ids(
    items: dict[str, Item],
    articles: list[Article],
    content_dir: Path,
    where: Callable[[Article], Where] = lambda article: (article.source, None),
) -> list[IdChanged]:
    """Every article that matches a published item (same file, else same link, else same
    title and text) whose id it no longer has, while no other article has that id.

    Dict lookups only; a body is read (for its digest) only for an article whose id,
    file and link are all new, and only when the ledger has items to compare it with.
    ``where(article)`` says where its metadata is, and the line of its ``id`` key.
    """
    if not items:
        return []
    unknown = [a for a in articles if a.id not in items]
    if not unknown:
        return []  # the usual build: every id was published before
    claimed = {a.id for a in articles}
    by_source: dict[str, Item] = {}
    by_link: dict[str, Item] = {}
    for item in items.values():
        if item.id in claimed:
            continue  # still published under its id: not a candidate
        if item.source:
            by_source.setdefault(item.source, item)
        if item.link:
            by_link.setdefault(item.link, item)
    relative = relative_source(content_dir)
    found: list[tuple[Article, Item, str]] = []
    unmatched: list[Article] = []
    for article in unknown:
        old = by_source.get(relative(article.source))
        if old is not None:
            found.append((article, old, "file"))
        elif (old := by_link.get(article.link)) is not None:
            found.append((article, old, "link"))
        else:
            unmatched.append(article)
    found += _same_text(items, claimed, unmatched)
    problems = []
    for article, old, reason in sorted(found, key=lambda match: match[0].source):
        old_source = str(content_dir / old.source) if old.source else "an earlier file"
        problem = _id_changed(article, old, old_source, reason, where(article))
        if placeholder_link(old.link) and not placeholder_link(article.link):
            # Built while base_url was still the placeholder: most likely never deployed.
            problem.message = (
                f'would change from "{old.id}" (built from {old_source} while base_url was '
                f'{PLACEHOLDER_BASE_URL}) to "{article.id}"'
            )
            problem.parameter = "new_ids_placeholder"
        problems.append(problem)
    return problems


def _same_text(
    items: dict[str, Item], claimed: set[str], articles: list[Article]
) -> list[tuple[Article, Item, str]]:
    """Articles with the title and text of one published item no article has now: only
    where the match is one to one (two items, or two articles, alike prove nothing)."""
    if not articles:
        return []
    by_digest: dict[str, Item | None] = {}
    for item in items.values():
        if item.digest and item.id not in claimed:
            by_digest[item.digest] = None if item.digest in by_digest else item
    if not by_digest:
        return []
    digests = [body_digest(article) for article in articles]
    counts: dict[str, int] = {}
    for digest in digests:
        counts[digest] = counts.get(digest, 0) + 1
    matches = []
    for article, digest in zip(articles, digests, strict=True):
        old = by_digest.get(digest)
        if old is not None and counts[digest] == 1:
            matches.append((article, old, "title and text"))
    return matches


def body_digests(articles: list[Article]) -> list[str]:
    """body_digest of each article; in several processes when there are many (a site's
    first ledger reads every body once)."""
    from feedtool.read.metadata import PARALLEL_MIN_FILES

    return split_map(body_digest, articles, min_items=PARALLEL_MIN_FILES)


def merged(
    items: dict[str, Item],
    articles: list[Article],
    content_dir: Path,
    digests: Callable[[list[Article]], list[str]] = body_digests,
    keeps: dict[str, str] | None = None,
) -> dict[str, Item]:
    """The ledger after publishing ``articles``: theirs added or moved to their file and
    link now. An item no longer published keeps its line; its file or link, if another
    item has it now (one published anew on purpose), is cleared so only one claims it.
    ``keeps`` (id -> KEEPS_ID...) marks what the ledger keeps for an item's file from now
    on (kept_ids().keeps)."""
    result = dict(items)
    for key, what in (keeps or {}).items():
        if key in result and not result[key].keeps:
            result[key] = result[key]._replace(keeps=what)
    relative = relative_source(content_dir)
    get = result.get
    sources: list[str] = []
    new: list[tuple[Article, str]] = []
    for article in articles:  # every article of a big site: plain loop, few calls
        source = relative(article.source)
        sources.append(source)
        old = get(article.id)
        if old is None:
            new.append((article, source))
        elif old.source != source or old.link != article.link:
            result[article.id] = old._replace(source=source, link=article.link)
    if new:
        for (article, source), digest in zip(new, digests([a for a, _ in new]), strict=True):
            result[article.id] = Item(article.id, source, article.link, digest)
    if len(result) > len(articles):  # some item is not published now
        claimed = {a.id for a in articles}
        taken_sources, links = set(sources), {a.link for a in articles}
        for key, item in list(result.items()):
            if key not in claimed and (item.source in taken_sources or item.link in links):
                result[key] = item._replace(
                    source="" if item.source in taken_sources else item.source,
                    link="" if item.link in links else item.link,
                )
    return result


# --- writing -------------------------------------------------------------------------------


def would_change(
    path: Path,
    articles: list[Article],
    content_dir: Path,
    known: Ledger | None = None,
    keeps: dict[str, str] | None = None,
) -> bool:
    """Whether record() would change the ledger (no body is read to tell). ``known`` is
    the ledger as read_ledger() gave it moments ago, if it did."""
    book = known if known is not None else read_ledger(path)
    if any(a.id not in book.items for a in articles):
        return True
    after = merged(book.items, articles, content_dir, keeps=keeps)
    return not (book.tidy and after == book.items)


def record(
    path: Path,
    articles: list[Article],
    content_dir: Path,
    known: Ledger | None = None,
    keeps: dict[str, str] | None = None,
) -> bool:
    """Add the published ``articles`` to the ledger at ``path``; True if it changed.

    Read, merged and written under a lock, so a build at the same time loses nothing;
    written atomically, and only when its text changes. ``known`` is the ledger as
    read_ledger() gave it before the lock: if the file still says the same, it is not
    parsed again. ``keeps``: see merged().
    """
    return _update(
        path,
        lambda book: merged(book.items, articles, content_dir, keeps=keeps),
        known,
        empty_ok=not articles,
    )


def adopt(path: Path, adopted: Iterable[Item]) -> bool:
    """Put ``adopted`` items (an old feed's ids and links, each with its file) into the
    ledger at ``path``, under its lock; True if it changed. Another item that claims the
    same file or link gives it up, as in merged()."""
    new = {item.id: item for item in adopted}

    def change(book: Ledger) -> dict[str, Item]:
        sources = {item.source for item in new.values() if item.source}
        links = {item.link for item in new.values() if item.link}
        result = {}
        for key, item in book.items.items():
            if key not in new and (item.source in sources or item.link in links):
                item = item._replace(
                    source="" if item.source in sources else item.source,
                    link="" if item.link in links else item.link,
                    keeps="" if item.source in sources else item.keeps,
                )
            result[key] = item
        result.update(new)
        return result

    return _update(path, change, None, empty_ok=not new)


def _update(
    path: Path,
    change: Callable[[Ledger], dict[str, Item]],
    known: Ledger | None,
    *,
    empty_ok: bool,
) -> bool:
    """Read the ledger under its lock, apply ``change``, write it if its text changed."""

    with held_lock(
        path.with_name(f".{path.name}.lock"), create=True, what="the ledger's lock file"
    ):
        text = _read(path)
        book = known if known is not None and known.text == text else parse(text, path)
        items = change(book)
        if (book.tidy and items == book.items) or (not text and empty_ok):
            return False
        updated = render(items)
        if updated == text:
            return False
        try:
            mode = os.stat(path).st_mode & 0o7777 if text else None
            replace_atomically(path, updated.encode("utf-8"), mode)
        except OSError as exc:
            raise PublishError(
                f"cannot write the ledger of published ids: {exc.strerror}", path=path
            ) from None
    return True
