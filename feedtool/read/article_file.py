"""One article of feedtool's own layout, from its files: the body file's front matter,
or its sidecar, checked and made an Article (read/readers' own reader reads with it)."""

from __future__ import annotations

import os
from pathlib import Path

from feedtool.config import SiteConfig
from feedtool.errors import ContentError
from feedtool.model import Body
from feedtool.read import media
from feedtool.read.frontmatter import Split, parse_meta, read_head, split
from feedtool.read.record import Lines, Loaded, build_article
from feedtool.read.sources import Source
from feedtool.textfile import read_text
from feedtool.values.choices import BODY_SUFFIXES

# Lazy imports: read/episode.py is imported where a [podcast] table needs it: a site without a
# podcast never loads it (nor the media facts it reads).

_SIDECAR_KINDS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


def read_source(source: Source, config: SiteConfig, content_dir: Path | None = None) -> Loaded:
    """An article from its files; raises FeedtoolError (or ManyErrors) when it is bad."""
    # Paths stay text here: this runs for every article, and Path objects cost more
    # than everything else it does with them.
    path, sidecar = source.path, source.sidecar
    # Only the front matter is read now; the body is read if a feed shows the article.
    text = read_head(path, config.max_article_bytes)
    if sidecar is None:
        parts = split(text, path)
        if not parts.has_front_matter:
            # Else "title: is required" and "date: is required", which do not say why.
            raise ContentError(
                "has no front matter: start the file with a line ---, then lines such as "
                "title: ... and date: ..., then a line --- (or put them in a sidecar .yaml)",
                path=path,
                line=1,
            )
    else:
        try:
            parts = split(text, path, parse=False)
        except ContentError:
            # Never closed: with the metadata in a sidecar, a first line "---" is body
            # (a Markdown rule), not front matter.
            parts = Split(meta={}, body_start=0, has_front_matter=False)
    meta, meta_path, meta_text, first_line = parts.meta, path, text, 2
    if sidecar is not None:
        if parts.has_front_matter:
            raise ContentError(
                f"has front matter and a sidecar file {os.path.basename(sidecar)}; "
                "keep the metadata in one place",
                path=path,
                line=1,
            )
        meta_text = read_text(sidecar, config.max_article_bytes)
        kind = _SIDECAR_KINDS[os.path.splitext(sidecar)[1]]
        meta = parse_meta(meta_text, kind, sidecar)
        meta_path, first_line = sidecar, 1
    body = Body(
        path=path,
        format=BODY_SUFFIXES[os.path.splitext(path)[1].lower()],
        start=parts.body_start,
        max_bytes=config.max_article_bytes,
    )
    lines = Lines(meta_path, meta_text, first_line)
    article = build_article(meta, lines, body, config)
    if article.image is None and not article.enclosures:
        # The usual case: nothing to resolve, no other file the article depends on.
        if config.podcast is not None:
            from feedtool.read.episode import not_an_episode

            not_an_episode(meta, lines.path, lines.of)
        return Loaded(article, (path, sidecar) if sidecar else (path,), sidecar)
    directory = content_dir or Path(path).parent
    written = article.enclosures
    try:
        article, local_files = media.resolve_media(article, directory, config.base_url)
    except media.MediaProblem as exc:
        line = lines.of(exc.field)
        raise ContentError(str(exc), path=lines.path, line=line, field=exc.field) from None
    if config.podcast is not None:
        from feedtool.read.episode import read_episode

        article, more, notes = read_episode(
            meta, article, written, directory, config.base_url, lines.path, lines.of
        )
        local_files += more
    else:
        notes = ()
    files = (path,) + ((sidecar,) if sidecar else ()) + tuple(str(f) for f in local_files)
    return Loaded(article, files, sidecar, notes)
