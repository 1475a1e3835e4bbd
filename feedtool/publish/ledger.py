"""The ledger of published ids (``feedtool.ids``): every item the feeds have ever carried.

A feed reader knows an item by its id alone: an item that comes back with another id
is shown again as new. The ledger remembers, for every id ever published, the file it
came from, its link and a digest of its title and text, so a build can tell when an
article it has published before (same file, same link, or same title and text under a
new name) would now get another id, and refuse (IdChanged) instead of re-sending it.

The ledger is a guard, never an input: ids still come from the articles alone, so a
build without a ledger writes the same feeds. It is a small text file beside
feedtool.toml, one item a line, sorted by id, so it diffs and merges well:

    # comment lines
    ID <TAB> SOURCE (relative to the content folder, / separated) <TAB> LINK <TAB> DIGEST

A field is empty when unknown; a tab, line break or backslash in one is escaped.
Lines are never removed (an item removed from the site may come back), and it is
written only when it changes, atomically, under a lock (read, merge, write), so builds
at once never lose each other's lines.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from feedtool.errors import ConfigError, ContentError, PublishError
from feedtool.model import Article

LEDGER_NAME = "feedtool.ids"  # beside feedtool.toml
HEADER = (
    "# feedtool.ids: every item the feeds have published: id, file (in the content folder),\n"
    "# link, digest of title and text. feedtool build keeps it; commit it with the feeds.\n"
)
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


class Item(NamedTuple):
    """One published item, as the ledger remembers it."""

    id: str
    source: str  # relative to the content folder, "/" separated; "" once another item has it
    link: str  # "" once another item has it
    digest: str  # of the title and text when first published; "" when unknown


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
    if not any(c in text for c in _ESCAPES):
        return text
    return "".join(_ESCAPES.get(c, c) for c in text)


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


def parse(text: str, path: Path | str) -> dict[str, Item]:
    """The ledger's items by id; a later line for the same id wins (as a union merge
    of two branches may leave both)."""
    items: dict[str, Item] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or not fields[0]:
            hint = (
                " (a merge conflict left in? keep both sides' lines)" if line[:1] in "<=>" else ""
            )
            raise ConfigError(
                f"not a ledger line: expected id, file, link and digest between tabs{hint}",
                path=path,
                line=number,
            )
        item = Item(*(_unescape(f) for f in fields))
        items[item.id] = item
    return items


def render(items: dict[str, Item]) -> str:
    """The ledger's text: sorted by id, so each item keeps its line as files move."""
    lines = [HEADER]
    for key in sorted(items):
        item = items[key]
        lines.append(
            f"{_escape(item.id)}\t{_escape(item.source)}\t{_escape(item.link)}\t{item.digest}\n"
        )
    return "".join(lines)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise ConfigError(f"cannot read the ledger of published ids: {reason}", path=path) from None


def read_ledger(path: Path) -> dict[str, Item]:
    """The items in the ledger at ``path``; none when it does not exist yet."""
    return parse(_read(path), path)


# --- matching articles with published items --------------------------------------------


def relative_source(content_dir: Path) -> Callable[[str], str]:
    """Article.source -> the ledger's name for it (relative to ``content_dir``, "/")."""
    prefix = str(content_dir).rstrip(os.sep) + os.sep

    def relative(source: str) -> str:
        if source.startswith(prefix):  # the usual case, without relpath's cost
            rest = source[len(prefix) :]
        else:
            rest = os.path.relpath(source, content_dir)
        return rest if os.sep == "/" else rest.replace(os.sep, "/")

    return relative


def body_digest(article: Article) -> str:
    """A digest of an article's title and text (its body as written, ends stripped);
    "" when the body cannot be read (the build reports that where it matters)."""
    import hashlib

    from feedtool.read.bodies import read_body

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
        problems.append(_id_changed(article, old, old_source, reason, where(article)))
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


def merged(
    items: dict[str, Item],
    articles: list[Article],
    content_dir: Path,
    digest: Callable[[Article], str] = body_digest,
) -> dict[str, Item]:
    """The ledger after publishing ``articles``: theirs added or moved to their file and
    link now. An item no longer published keeps its line; its file or link, if another
    item has it now (one published anew on purpose), is cleared so only one claims it."""
    result = dict(items)
    relative = relative_source(content_dir)
    sources: set[str] = set()
    links: set[str] = set()
    for article in articles:
        source = relative(article.source)
        sources.add(source)
        links.add(article.link)
        old = result.get(article.id)
        if old is None:
            result[article.id] = Item(article.id, source, article.link, digest(article))
        elif old.source != source or old.link != article.link:
            result[article.id] = old._replace(source=source, link=article.link)
    if len(result) > len(articles):  # some item is not published now
        claimed = {a.id for a in articles}
        for key, item in list(result.items()):
            if key not in claimed and (item.source in sources or item.link in links):
                result[key] = item._replace(
                    source="" if item.source in sources else item.source,
                    link="" if item.link in links else item.link,
                )
    return result


# --- writing -------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """The ledger's lock file, held while it is read, merged and written."""
    import fcntl  # not at the top: the CLI imports this module for every build

    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise PublishError(
            f"cannot lock the ledger of published ids: {exc.strerror}", path=lock
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def would_change(path: Path, articles: list[Article], content_dir: Path) -> bool:
    """Whether record() would change the ledger (no body is read to tell)."""
    text = _read(path)
    items = parse(text, path)
    if any(a.id not in items for a in articles):
        return True
    return render(merged(items, articles, content_dir, lambda a: "")) != text


def record(path: Path, articles: list[Article], content_dir: Path) -> bool:
    """Add the published ``articles`` to the ledger at ``path``; True if it changed.

    Read, merged and written under a lock, so a build at the same time loses nothing;
    written atomically, and only when its text changes.
    """
    from feedtool.publish.staging import fsync_folder, write_temp

    with _locked(path):
        text = _read(path)
        updated = render(merged(parse(text, path), articles, content_dir))
        if updated == text or (not text and not articles):
            return False
        try:
            mode = os.stat(path).st_mode & 0o7777 if text else None
            temp = write_temp(path, updated.encode("utf-8"), mode)
            try:
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
            fsync_folder(path.parent)
        except OSError as exc:
            raise PublishError(
                f"cannot write the ledger of published ids: {exc.strerror}", path=path
            ) from None
    return True
