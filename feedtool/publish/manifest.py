"""The manifest feedtool leaves in an output folder: every file it published there, so a
later build removes what it no longer writes (the feeds of a tag no longer used, a format
turned off) and never anything else."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from feedtool.errors import PublishError
from feedtool.publish.paths import target
from feedtool.values.choices import MANIFEST_NAME

MANIFEST = MANIFEST_NAME


def manifest(paths: Iterable[str]) -> bytes:
    """The manifest file: every file a build wrote, so the next can remove what it drops."""
    header = "# Written by feedtool: the files it publishes here. Do not edit.\n"
    return (header + "".join(f"{path}\n" for path in sorted(set(paths) - {MANIFEST}))).encode()


def stale_files(output_dir: Path, files: Mapping[str, bytes]) -> list[str]:
    """Files an earlier build wrote (its manifest says) that this build no longer writes:
    the feeds of a tag no longer used, a format turned off. Only those are ever removed."""
    try:
        listed = (output_dir / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    gone = {line for line in listed if line and not line.startswith("#")} - set(files)
    result = []
    for relative in sorted(gone):
        try:
            target(output_dir, relative)  # a manifest that points outside is not followed
            info = os.lstat(output_dir / relative)
        except (PublishError, OSError):
            continue
        if stat.S_ISREG(info.st_mode):  # a symlink put there is not ours to follow or remove
            result.append(relative)
    return result
