"""The build's gate: rendered feeds are checked before anything is written."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from feedtool.errors import FeedtoolError, ManyErrors, PublishError
from feedtool.publish.write import changed_files
from feedtool.validate.common import Problem
from feedtool.validate.files import validate_rendered


def check_before_publishing(
    files: dict[str, bytes],
    base_url: str,
    output_dir: Path,
    on_disk: frozenset[str] = frozenset(),
    checked: Mapping[str, list[Problem]] | None = None,
) -> list[str]:
    """Validate the feeds a build is about to write; raise if any has an error.

    ``files`` maps output paths (relative, / separated) to their bytes; ``base_url`` is
    where the output folder is published, so every self link is checked too. Files whose
    bytes are already on disk are skipped: they are published as they are, and a big
    site's unchanged archive pages should cost nothing; ``on_disk`` names files just read
    from there, which need no second look. ``checked`` holds what check_rendered found
    in files while they were rendered, having found them not yet published; the others
    are compared and checked here. Returns the warnings.
    """
    known = on_disk | (checked or {}).keys()
    stale = set(changed_files(output_dir, {k: v for k, v in files.items() if k not in known}))
    stale |= (checked or {}).keys() & files.keys()
    problems = validate_rendered({k: v for k, v in files.items() if k in stale}, base_url, checked)
    errors: list[FeedtoolError] = [
        PublishError(p.message, path=output_dir / p.file, line=p.line)
        for p in problems
        if p.level == "error"
    ]
    if errors:
        errors.append(
            PublishError("refusing to publish invalid feeds: nothing was written", path=output_dir)
        )
        raise ManyErrors(errors)
    return [f"{output_dir / p.file}:{p.line}: {p.message}" for p in problems]
