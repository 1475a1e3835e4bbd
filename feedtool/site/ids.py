"""Writing an ``id`` into an article's metadata, for ``feedtool ids --keep``.

The one change is one line: ``id: ...`` (YAML), ``id = ...`` (TOML) or ``"id": ...``
(JSON) added at the top of the front matter or sidecar, or put in place of the ``id``
line there is. Everything else in the file stays byte for byte (a byte-order mark,
CRLF line ends, comments, order), and the result is read back before it is written:
unless it gives the same metadata with the new id, the file is left alone.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from feedtool.errors import ContentError, FeedtoolError
from feedtool.publish.staging import write_temp
from feedtool.read.frontmatter import parse_meta, split
from feedtool.read.sources import find_sidecar
from feedtool.textfile import decode, key_line

_BOM = "\ufeff"
_SIDECAR_KINDS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}
# An id YAML reads as the same text without quotes: a URI with no space, quote or
# comment mark, not ending in ":" (tag:, urn:, https:... all are).
_PLAIN_YAML = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s\"'#\[\]{}]*[^\s\"'#:,\[\]{}]")


def _value(kind: str, identifier: str) -> str:
    if kind == "yaml" and _PLAIN_YAML.fullmatch(identifier):
        return identifier
    # A JSON string is a YAML double-quoted scalar and a TOML basic string too.
    return json.dumps(identifier, ensure_ascii=False)


def _setting(kind: str, identifier: str) -> str:
    value = _value(kind, identifier)
    return {"yaml": f"id: {value}", "toml": f"id = {value}", "json": f'"id": {value}'}[kind]


def keep_id(article_path: Path, identifier: str) -> Path:
    """Set ``id`` to ``identifier`` in the metadata of the article at ``article_path``
    (its front matter, or its sidecar); returns the file changed."""
    sidecar = find_sidecar(article_path)
    target = sidecar or article_path
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read the file: {exc.strerror}", path=target) from None
    text = raw.decode("utf-8", "surrogateescape")
    bom = _BOM if text.startswith(_BOM) else ""
    text = text[len(bom) :]
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    end = len(lines)
    if sidecar is not None:
        kind = _SIDECAR_KINDS[sidecar.suffix]
        start = 1 if kind == "yaml" and lines[0].rstrip() == "---" else 0
    else:
        fence = lines[0].rstrip()
        kind = {"---": "yaml", "+++": "toml"}.get(fence, "")
        if not kind:
            raise ContentError("has no front matter to add an id to", path=target, line=1)
        start = 1
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == fence), end)
    before = _metadata(raw, target, kind, sidecar is not None)
    setting = _setting(kind, identifier)
    existing = key_line(newline.join(lines[:end]), "id", start + 1)
    if existing is not None:
        indent = lines[existing - 1][: len(lines[existing - 1]) - len(lines[existing - 1].lstrip())]
        comma = "," if kind == "json" and lines[existing - 1].rstrip().endswith(",") else ""
        lines[existing - 1] = indent + setting + comma
    elif kind == "json":
        lines = _json_with_id(text, setting, target).split(newline)
    else:
        lines.insert(start, setting)
    new_text = bom + newline.join(lines)
    new_raw = new_text.encode("utf-8", "surrogateescape")
    after = _metadata(new_raw, target, kind, sidecar is not None)
    if after != {**before, "id": identifier}:
        raise ContentError(
            f'cannot add the id here without changing something else: add id: "{identifier}" '
            "to the metadata by hand",
            path=target,
        )
    mode = os.stat(target).st_mode & 0o7777
    os.replace(write_temp(target, new_raw, mode), target)
    return target


def _json_with_id(text: str, setting: str, path: Path) -> str:
    opening = text.find("{")
    if opening < 0:
        raise ContentError("is not a JSON object", path=path)
    rest = text[opening + 1 :]
    empty = rest.lstrip().startswith("}")
    return f"{text[: opening + 1]}{setting}{'' if empty else ', '}{rest}"


def _metadata(raw: bytes, path: Path, kind: str, sidecar: bool) -> dict[str, Any]:
    """The metadata as a build reads it."""
    try:
        text = decode(raw, path)
        if sidecar:
            return parse_meta(text, kind, path)
        return split(text, path).meta
    except FeedtoolError as exc:
        raise ContentError(
            f"cannot read its metadata ({exc.message}); fix that first", path=path
        ) from None
