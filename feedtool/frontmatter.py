"""Front matter (YAML between ``---`` or TOML between ``+++``) and sidecar files."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError


class _YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader (several times faster), with timestamps left as text.

    YAML would turn ``2025-02-30`` into an exception with no line and
    ``title: 2025-01-01`` into a date; as text, a title stays a title and every
    date goes through dates.parse_date, which names the field when it fails.
    """


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _YamlLoader.construct_yaml_str)

SIDECAR_SUFFIXES = (".yaml", ".yml", ".toml", ".json")
_FENCES = {"---": "yaml", "+++": "toml"}


@dataclass(frozen=True)
class Split:
    meta: dict[str, Any]
    body_start: int  # offset of the body in the text
    body_line: int  # 1-based line where the body starts
    has_front_matter: bool


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is allowed) with every line ending turned into ``\\n``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str, path: Path) -> Split:
    """Separate front matter from the body and parse it."""
    first_end = text.find("\n")
    first = (text if first_end < 0 else text[:first_end]).rstrip()
    kind = _FENCES.get(first)
    if kind is None:
        return Split(meta={}, body_start=0, body_line=1, has_front_matter=False)
    closers = (first, "...") if kind == "yaml" else (first,)
    pos = first_end + 1
    line = 2
    while first_end >= 0 and pos <= len(text):
        end = text.find("\n", pos)
        current = (text[pos:] if end < 0 else text[pos:end]).rstrip()
        if current in closers:
            source = text[first_end + 1 : pos]
            body_start = len(text) if end < 0 else end + 1
            meta = parse_meta(source, kind, path, first_line=2)
            return Split(
                meta=meta, body_start=body_start, body_line=line + 1, has_front_matter=True
            )
        if end < 0:
            break
        pos = end + 1
        line += 1
    raise ContentError(
        f"front matter opened with {first!r} on line 1 is never closed (add a line {first!r})",
        path=path,
        line=1,
    )


def parse_meta(source: str, kind: str, path: Path, first_line: int = 1) -> dict[str, Any]:
    """Parse YAML, TOML or JSON metadata into a mapping, with the line of any error."""
    try:
        if kind == "yaml":
            data = yaml.load(source, Loader=_YamlLoader)
        elif kind == "toml":
            data = tomllib.loads(source)
        else:
            data = json.loads(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = first_line + mark.line if mark is not None else None
        raise ContentError(f"YAML does not parse: {problem}", path=path, line=line) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        if "(at line " in message:
            number = message.rsplit("(at line ", 1)[1].split(",", 1)[0]
            line = first_line + int(number) - 1 if number.isdigit() else None
            message = message.split(" (at line ", 1)[0]
        raise ContentError(f"TOML does not parse: {message}", path=path, line=line) from None
    except json.JSONDecodeError as exc:
        raise ContentError(
            f"JSON does not parse: {exc.msg}", path=path, line=first_line + exc.lineno - 1
        ) from None
    except RecursionError:
        raise ContentError(f"{kind.upper()} is nested too deeply", path=path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError(
            f"metadata must be a mapping of keys to values, not {type(data).__name__}",
            path=path,
            line=first_line,
        )
    return data


def find_sidecar(body_path: Path) -> Path | None:
    """The metadata file beside a body file, if there is one."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = body_path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> dict[str, Any]:
    kind = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}[path.suffix]
    text = decode(path.read_bytes(), path)
    return parse_meta(text, kind, path)
