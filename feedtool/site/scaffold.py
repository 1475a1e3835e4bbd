"""Files for writers: a new article (``feedtool new``) and a new site (``feedtool init``).

Neither ever overwrites a file: everything is checked first and then created with
exclusive mode, so an existing article or config is never touched.
"""

from __future__ import annotations

import json
import string
import tomllib
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from pathlib import Path

from feedtool.config import PLACEHOLDER_BASE_URL, config_from_mapping
from feedtool.errors import ConfigError, ContentError, FeedtoolError
from feedtool.values import fields
from feedtool.values.checks import slugify
from feedtool.values.choices import CONFIG_NAME

BODY_TEMPLATES = {
    "md": "Write your article here, in Markdown.\n",
    "html": "<p>Write your article here, in HTML.</p>\n",
    "txt": "Write your article here. Paragraphs are separated by blank lines.\n",
}


def _yaml_string(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever it contains.
    return json.dumps(value, ensure_ascii=False)


def article_text(
    title: str, when: datetime, tags: Sequence[str] = (), draft: bool = False, body: str = ""
) -> str:
    """An article file: YAML front matter (title, date with offset, tags, draft) and a body."""
    lines = ["---", f"title: {_yaml_string(title)}", f"date: {when.isoformat(timespec='seconds')}"]
    if tags:
        lines.append(f"tags: [{', '.join(_yaml_string(tag) for tag in tags)}]")
    if draft:
        lines.append("draft: true")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def new_article(
    content_dir: Path,
    title: str,
    when: datetime,
    *,
    tags: Sequence[str] = (),
    draft: bool = False,
    fmt: str = "md",
    slug: str | None = None,
    body: str | None = None,
) -> Path:
    """Create ``content_dir/YYYY-MM-DD-<slug>.<fmt>`` dated ``when``; return its path.

    ``when`` must be aware and in the site's time zone: the file name takes its day
    and the front matter its offset. Raises ContentError if the file (or any file
    with the same name and another suffix, such as a sidecar) exists.
    """
    if when.tzinfo is None:
        raise ValueError("when must be time-zone aware")
    if fmt not in BODY_TEMPLATES:
        raise ValueError(f"unknown format {fmt!r}")
    try:
        clean_title = fields.required_text(title)
    except ValueError as exc:
        raise ContentError(str(exc), field="title") from None
    name = slugify(slug if slug is not None else clean_title)
    if not name:
        raise ContentError(
            f'cannot make a file name from "{slug or clean_title}" (no letters or digits)',
            field="slug",
            parameter="slug",
        )
    stem = f"{when:%Y-%m-%d}-{name}"
    path = content_dir / f"{stem}.{fmt}"
    if not content_dir.is_dir():
        # A mistyped folder would be made and then refused by every build: say it as build does.
        raise ContentError("content folder not found", path=content_dir, parameter="content_dir")
    existing = sorted(p for p in content_dir.iterdir() if p.name.startswith(stem + "."))
    if existing:
        raise ContentError("already exists; not overwriting it", path=existing[0])
    try:
        clean_tags = fields.text_list(list(tags))
    except ValueError as exc:
        raise ContentError(str(exc), field="tags") from None
    text = article_text(
        clean_title, when, clean_tags, draft, BODY_TEMPLATES[fmt] if body is None else body
    )
    _create({path: text})
    return path


def _create(files: dict[Path, str]) -> None:
    """Write new files; refuse (writing nothing) if any of them exists."""
    existing = [path for path in files if path.exists() or path.is_symlink()]
    if existing:
        raise ExistingFiles(existing)
    for path, text in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            raise ExistingFiles([path]) from None
        except OSError as exc:
            raise FeedtoolError(f"cannot create the file: {exc.strerror}", path=path) from None


class ExistingFiles(FeedtoolError):
    """Files that would have been overwritten."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        super().__init__("already exists; not overwriting it", path=self.paths[0])

    def __str__(self) -> str:
        return "\n".join(f"{path}: already exists; not overwriting it" for path in self.paths)


def _template(name: str) -> str:

    return (resources.files("feedtool") / "templates" / name).read_text(encoding="utf-8")


def workflow_text() -> str:
    """The GitHub Actions workflow ``init`` writes (docs/publishing.md shows the same text)."""
    return _template("publish.yml")


def config_text(title: str, base_url: str, timezone: str) -> str:
    """A commented feedtool.toml; raises ConfigError if the values would not load."""
    text = string.Template(_template("feedtool.toml")).substitute(
        # A JSON string is a valid TOML basic string, whatever it contains.
        title=json.dumps(title, ensure_ascii=False),
        description=json.dumps(title, ensure_ascii=False),
        base_url=json.dumps(base_url, ensure_ascii=False),
        timezone=json.dumps(timezone, ensure_ascii=False),
    )
    try:
        config_from_mapping(tomllib.loads(text), source=CONFIG_NAME)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"cannot write a valid config: {exc}") from None
    return text


EXAMPLE_TITLE = "Hello, feeds"
EXAMPLE_BODY = """\
This is an example article. Every file in `content/` is an article: the front
matter above gives its title and date, and this text becomes the feed item's body.

- `feedtool new "A title"` starts another one.
- `feedtool build` writes the feeds into `feeds/`; `feedtool serve` previews them.
- An article dated in the future is published by the first build at or after its date.
"""


# What init keeps out of git (name, the comment above it), in a new .gitignore or added
# to the end of one the folder has.
IGNORED = (
    (
        ".feedtool-cache/",
        "# feedtool's build cache (on by default; build --no-cache leaves it alone)",
    ),
    (".feedtool.ids.lock", "# the lock builds take turns on to update feedtool.ids"),
)


def init_site(
    root: Path,
    when: datetime,
    *,
    title: str = "My site",
    base_url: str = PLACEHOLDER_BASE_URL,
    timezone: str = "UTC",
) -> list[Path]:
    """Create a site in ``root``: feedtool.toml, content/ with an example article, and
    .github/workflows/publish.yml. Writes nothing if any of these files exists.

    A .gitignore that keeps the build cache and the ids lock out of the repository is
    added too, or, when the folder has one already, the lines it lacks are added at its
    end (a cache that is committed is only ever ignored, but it costs every clone its size).
    """
    config = config_text(title, base_url, timezone)
    local = when.astimezone(config_from_mapping(tomllib.loads(config)).tz)
    article = root / "content" / f"{local:%Y-%m-%d}-{slugify(EXAMPLE_TITLE)}.md"
    files = {
        root / CONFIG_NAME: config,
        article: article_text(EXAMPLE_TITLE, local, ("feedtool",), False, EXAMPLE_BODY),
        root / ".github" / "workflows" / "publish.yml": workflow_text(),
    }
    _create(files)
    created = list(files)
    ignore = root / ".gitignore"
    if not ignore.exists() and not ignore.is_symlink():
        _create({ignore: "".join(f"{why}\n{name}\n" for name, why in IGNORED)})
        created.append(ignore)
    elif not ignore.is_symlink() and ignore.is_file():
        text = ignore.read_text(encoding="utf-8", errors="surrogateescape")
        named = {line.strip().strip("/") for line in text.splitlines()}
        missing = "".join(
            f"{why}\n{name}\n" for name, why in IGNORED if name.strip("/") not in named
        )
        if missing:
            with ignore.open("a", encoding="utf-8", errors="surrogateescape") as handle:
                handle.write(("\n" if text and not text.endswith("\n") else "") + missing)
    return created
