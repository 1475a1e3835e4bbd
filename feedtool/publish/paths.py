"""Where an output file goes: plain relative paths only, and never outside the output
folder, however symlinks inside it point."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from feedtool import safefile
from feedtool.errors import PublishError

# Control characters and lone surrogates (which no file system name can hold as
# UTF-8), and the backslash, a folder separator elsewhere.
_UNSAFE_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\\\\]")


def check_folder(output_dir: Path) -> None:
    """Refuse an output folder reached through a symlink (see safefile.linked_folder)."""
    found = safefile.linked_folder(output_dir, "the output folder")
    if found is not None:
        raise PublishError(found[1], path=found[0], parameter="output_dir")


def target(output_dir: Path, relative: str) -> Path:
    """Where ``relative`` goes; refuses anything that could land outside ``output_dir``."""
    return targets(output_dir, [relative])[relative]


def targets(output_dir: Path, relatives: Iterable[str]) -> dict[str, Path]:
    """target() for many paths: each folder is resolved once, not once per file in it."""
    folders: dict[str, Path] = {}
    found: dict[str, Path] = {}
    relative = "."
    try:
        root = output_dir.resolve()
        for relative in relatives:
            _check_plain(relative)
            folder, _, name = relative.rpartition("/")
            if folder not in folders:
                # resolve() follows symlinks, so a link inside the folder pointing out is
                # caught too; a link named like the file itself is followed below.
                folders[folder] = (output_dir / folder).resolve() if folder else root
            path = folders[folder] / name
            if path.is_symlink():
                path = path.resolve()
            if root not in path.parents:
                raise PublishError(f'refusing to write outside the output folder: "{relative}"')
            found[relative] = path
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, before Python 3.13
        raise PublishError(f'cannot follow the path "{relative}": {exc}') from None
    return found


def _check_plain(relative: str) -> None:
    parts = relative.split("/")
    if (
        not relative
        or relative.startswith("/")
        or _UNSAFE_CHARACTERS.search(relative)
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise PublishError(
            f'refusing to write "{relative}": not a plain relative path in the output folder'
        )
