"""Front matter (YAML between ``---`` or TOML between ``+++``) and sidecar files."""

from __future__ import annotations

import json
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from feedtool.errors import ContentError
from feedtool.read import quickyaml
from feedtool.textfile import UNCLOSED, decode_prefix, open_content, toml_problem, too_large

# Lazy imports: PyYAML is imported inside the functions that parse YAML: quickyaml reads most
# front matter, and TOML or JSON never need it.


@lru_cache(maxsize=1)
def _yaml_loaders() -> tuple[Any, Any]:
    """The YAML loaders, made on first use: loading PyYAML is not free, and a build
    whose articles are all cached (or TOML, or sidecars) never needs it."""
    import yaml

    class FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """libyaml's safe loader (C, where installed), with timestamps left as text.

        YAML would turn ``2025-02-30`` into an exception with no line and
        ``title: 2025-01-01`` into a date; as text, a title stays a title and every
        date goes through dates.parse_date, which names the field when it fails.
        """

    class PureLoader(yaml.SafeLoader):
        """The pure-Python loader, for the one thing libyaml refuses: surrogates as escapes.

        ``"\\ud83d\\ude00"`` is how JSON (and tools that write YAML like JSON) spell
        an emoji; libyaml rejects every ``\\uD800``-``\\uDFFF`` escape, PyYAML's own
        scanner accepts them. Pairs are joined afterwards (fields.text); lone halves
        cannot be carried by XML and are dropped like other such characters.
        """

    def number(kind: type[WrittenInt] | type[WrittenFloat]) -> Any:
        construct: Any = yaml.SafeLoader.construct_yaml_int
        if kind is WrittenFloat:
            construct = yaml.SafeLoader.construct_yaml_float

        def make(loader: Any, node: Any) -> object:
            try:
                value = construct(loader, node)
            except ValueError as exc:  # "!!float abc"; an integer of over 4,300 digits
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"cannot read {_short(node.value)} as a number ({str(exc).split(':')[0]})",
                    node.start_mark,
                ) from None
            return kind.of(value, node.value)

        return make

    for loader in (FastLoader, PureLoader):
        loader.add_constructor("tag:yaml.org,2002:timestamp", loader.construct_yaml_str)
        loader.add_constructor("tag:yaml.org,2002:int", number(WrittenInt))
        loader.add_constructor("tag:yaml.org,2002:float", number(WrittenFloat))
    return FastLoader, PureLoader


class WrittenInt(int):
    """An integer that remembers how it was written (``1_000``, ``0x1F``), so a title or
    tag that YAML, TOML or JSON read as a number is published as the text it was."""

    written: str

    @classmethod
    def of(cls, value: int, written: str) -> int:
        if type(value) is not int:  # a bool (JSON true never comes here, but be plain)
            return value
        number = cls(value)
        number.written = written
        return number


class WrittenFloat(float):
    """A float that remembers how it was written (``.nan``, ``1e3``): see WrittenInt."""

    written: str

    @classmethod
    def of(cls, value: float, written: str) -> float:
        number = cls(value)
        number.written = written
        return number


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


_FENCES = {"---": "yaml", "+++": "toml"}


class Split(NamedTuple):
    meta: dict[str, Any]
    body_start: int  # offset of the body in the text
    has_front_matter: bool


def read_head(path: str | Path, max_bytes: int | None = None) -> str:
    """The start of a file's text, up to where its front matter ends (or its first line).

    Metadata is all a build needs of most articles, so the rest is not read:
    offsets in this text are offsets in read_text's text too. A file whose front
    matter is never closed is read whole (split then says so). Plain os calls: this
    runs once per article, and a buffered file object costs more than the read.
    """
    fd = open_content(path, max_bytes)  # not content_file: a plain call costs less
    try:
        data = b""
        size = _HEAD_CHUNK
        resume = 0  # where the search for the closing line goes on, chunk after chunk
        while True:
            try:
                chunk = os.read(fd, size)
            except OSError as exc:
                raise ContentError(f"cannot read the file: {exc.strerror}", path=path) from None
            data += chunk
            size *= 2  # a long head takes few reads, and is never decoded quadratically often
            if max_bytes is not None and len(data) > max_bytes:
                raise too_large(path, len(data), max_bytes)
            text = decode_prefix(data, path, complete=not chunk)
            if not chunk:
                return text
            complete, resume = _head_complete(text, resume)
            if complete:
                return text
    finally:
        os.close(fd)


_HEAD_CHUNK = 2048  # most front matter fits; the body after it is not needed

# The last head read_head found the closing line of, with where that line is: split()
# is called on that very text next, and need not look for the line again (once an
# article, the search cost as much as reading the head's lines). Kept by identity (the
# text is held here, so "is" cannot mistake another for it); one assignment, so a
# thread reading at the same time sees a whole pair or misses.
_last_head: tuple[str, tuple[int, int]] | None = None


def _head_complete(text: str, resume: int = 0) -> tuple[bool, int]:
    """Whether ``text`` holds the first line and, after a fence, its closing line; and,
    when not, where to go on looking once more text is read (``resume``, from a
    previous call on a shorter start of the same text)."""
    first_end = text.find("\n")
    if first_end < 0:
        return False, 0
    global _last_head
    fence = text[:first_end].rstrip()
    if fence not in _FENCES:
        return True, 0
    closing = _closing_fence(text, first_end, fence, max(resume, first_end))
    # A closing line with no newline after it may go on in the next chunk.
    if closing is not None and closing[1] < len(text):
        _last_head = (text, closing)
        return True, 0
    return False, max(text.rfind("\n"), first_end)  # the last line may be cut short


def _closing_fence(
    text: str, first_end: int, fence: str, start: int | None = None
) -> tuple[int, int] | None:
    """Where the line closing front matter opened with ``fence`` (on the line ending at
    ``first_end``) starts and ends: the end is len(text) for a last line with no newline.
    A line closes it when it is the fence (or ``...`` for YAML) and trailing whitespace.
    The search starts at ``start`` (a newline) and reads the text once, whatever is in it.
    """
    yaml = fence == "---"
    names = ("---", "...") if yaml else (fence,)
    position = first_end if start is None else start
    # The next line starting with the fence; a line starting with "..." counts only
    # before it, so "..." is looked for only there: prose is full of dots, and a search
    # for them to the end of the text cost more than the rest of this function. Each
    # part of the text is searched once for each name, whatever is in it.
    dashes = text.find("\n" + fence, position)
    dots = -1
    searched = position  # "..." lines starting before this are known (dots) or none
    while True:
        limit = dashes if dashes >= 0 else len(text)
        if yaml and dots < 0 and searched < limit:
            dots = text.find("\n...", searched, limit + 3)  # one starting before limit
            searched = limit
        found = dots if dots >= 0 else dashes
        if found < 0:
            return None
        end = text.find("\n", found + 1)
        if end < 0:
            end = len(text)
        if text[found + 1 : end].rstrip() in names:
            return found + 1, end
        if found == dots:
            dots = -1
            searched = found + 1
        else:
            dashes = text.find("\n" + fence, found + 1)


def split(text: str, path: str | Path, *, parse: bool = True) -> Split:
    """Separate front matter from the body and parse it (unless ``parse`` is false)."""
    first_end = text.find("\n")
    first = (text if first_end < 0 else text[:first_end]).rstrip()
    kind = _FENCES.get(first)
    if kind is None:
        return Split(meta={}, body_start=0, has_front_matter=False)
    last = _last_head
    if last is not None and last[0] is text:
        closing: tuple[int, int] | None = last[1]
    else:
        closing = _closing_fence(text, first_end, first) if first_end >= 0 else None
    if closing is None:
        raise ContentError(
            f"front matter opened with {first!r} on line 1 is never closed (add a line {first!r})",
            path=path,
            line=1,
        )
    source = text[first_end + 1 : closing[0]]
    body_start = min(closing[1] + 1, len(text))  # after the closing line's newline
    meta = parse_meta(source, kind, path, first_line=2) if parse else {}
    return Split(meta=meta, body_start=body_start, has_front_matter=True)


def parse_meta(source: str, kind: str, path: str | Path, first_line: int = 1) -> dict[str, Any]:
    """Parse YAML, TOML or JSON metadata into a mapping, with the line of any error."""
    if kind == "yaml":
        # Flat key: value front matter is most of it; quickyaml reads that exactly as
        # the loader below would, faster and without loading PyYAML,
        # and declines anything else.
        quick = quickyaml.load(source)
        if quick is not None:
            return quick
    import yaml  # loaded on first use (see _yaml_loaders)

    try:
        if kind == "yaml":
            data = _load_yaml(source)
        elif kind == "toml":
            data = tomllib.loads(source, parse_float=_toml_float)
        else:
            data = json.loads(
                source,
                parse_int=lambda text: WrittenInt.of(int(text), text),
                parse_float=lambda text: WrittenFloat.of(float(text), text),
                parse_constant=lambda text: WrittenFloat.of(float(text), text),
            )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem += _yaml_hint(exc, source)
        opened = getattr(exc, "context_mark", None)
        if UNCLOSED in problem and opened is not None:
            mark = opened  # where the quote opened, not the end of the text
        line = None
        if mark is not None:
            # At the end of the text libyaml points past the last line; name the last line.
            last = first_line + source.rstrip("\n").count("\n")
            line = min(first_line + mark.line, last)
        raise ContentError(f"YAML does not parse: {problem}", path=path, line=line) from None
    except tomllib.TOMLDecodeError as exc:
        message, line = toml_problem(exc)
        raise ContentError(
            f"TOML does not parse: {message}",
            path=path,
            line=first_line + line - 1 if line is not None else None,
        ) from None
    except json.JSONDecodeError as exc:
        raise ContentError(
            f"JSON does not parse: {exc.msg}", path=path, line=first_line + exc.lineno - 1
        ) from None
    except RecursionError:
        raise ContentError(f"{kind.upper()} is nested too deeply", path=path) from None
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        # What the parsers leave to Python and it refuses: an integer of over 4,300
        # digits, "!!bool maybe". One line against the file, like any bad value.
        reason = str(exc).split(":")[0][:200]
        raise ContentError(
            f"{kind.upper()} has a value that cannot be read ({reason})", path=path
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError(
            f"metadata must be a mapping of keys to values, not {type(data).__name__}",
            path=path,
            line=first_line,
        )
    return data


def _toml_float(text: str) -> float:
    return WrittenFloat.of(float(text), text)


def _load_yaml(source: str) -> Any:
    import yaml

    fast, pure = _yaml_loaders()
    try:
        return yaml.load(source, Loader=fast)
    except yaml.YAMLError as exc:
        if "invalid Unicode character escape" not in str(getattr(exc, "problem", "")):
            raise
    return yaml.load(source, Loader=pure)


_TAB = "a tab character: indent with spaces"


def _yaml_hint(exc: Exception, source: str) -> str:
    """ " (what most likely went wrong)" for a YAML error, or "" when nothing is likely."""
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "problem_mark", None)
    if "quoted scalar" in context:
        return f" ({UNCLOSED})"
    lines = source.split("\n")
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        return f" ({_TAB})"
    return ""
