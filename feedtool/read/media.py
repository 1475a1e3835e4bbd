"""Enclosures and images: media types, and local files turned into URLs with a length.

An enclosure ``url`` with a scheme (``https://…``) or ``//`` is a web address and
is used as it is. Anything else is a path to a file in the content folder:
relative to the article's own file, or to the content folder when it starts with
``/``. Its length and type are read from the file, and its URL is ``base_url``
plus its path inside the content folder, as the content folder is the site's
root. (A path is not a URL relative to the article's page: feedtool cannot know
where a file is published unless it maps the folder to the site.)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

from feedtool import safefile
from feedtool.errors import ContentError
from feedtool.model import Article, Enclosure
from feedtool.values import checks
from feedtool.values.checks import absolute_url

if TYPE_CHECKING:
    import mimetypes

# Lazy imports: mimetypes is imported in _builtin_types: only a suffix _TYPES lacks needs it.

DEFAULT_TYPE = "application/octet-stream"

# Python's own table varies between versions (.m4a, .ogg, .webp are missing in
# 3.11), and output must not: the usual podcast and image types are fixed here.
_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".m4b": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/opus",
    ".flac": "audio/flac",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
    ".ogv": "video/ogg",
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
}


@lru_cache(maxsize=1)
def _builtin_types() -> mimetypes.MimeTypes:
    # A fresh MimeTypes has only Python's built-in table, not the machine's
    # /etc/mime.types, so the result does not depend on the machine.
    import mimetypes

    return mimetypes.MimeTypes()


def guess_type(url_or_path: str) -> str | None:
    """The media type its file name suggests, or None."""
    suffix = PurePosixPath(urlsplit(url_or_path).path).suffix.lower()
    if not suffix:
        return None
    return _TYPES.get(suffix) or _builtin_types().guess_type("x" + suffix, strict=False)[0]


def medium(media_type: str | None) -> str | None:
    """Media RSS's ``medium`` for a media type: image, audio, video or None."""
    kind = (media_type or "").split("/", 1)[0]
    return kind if kind in ("image", "audio", "video") else None


def is_web_address(url: str) -> bool:
    return url.startswith("//") or bool(urlsplit(url).scheme)


def resolve_enclosure(
    enclosure: Enclosure, article_file: Path, content_dir: Path, base_url: str
) -> tuple[Enclosure, Path | None]:
    """An enclosure with an absolute http(s) URL and a type; a local file's length too.

    The second value is the local file it names, or None for a web address.

    Raises ValueError (its message reads well after ``enclosures: ``) when a web
    address is not http(s) or a local file is missing or outside the content folder.
    """
    if is_web_address(enclosure.url):
        try:
            url = urljoin(base_url, enclosure.url)  # only "//host/x" changes: it gets https
        except ValueError:  # "http://[::1": an IPv6 host never closed
            url = enclosure.url  # web_address says what is wrong with it
        problem = checks.web_address(url)
        if problem:
            raise ValueError(f'"{enclosure.url}" {problem}, nor a path to a file')
        return Enclosure(
            url=url,
            type=enclosure.type or guess_type(url) or DEFAULT_TYPE,
            length=enclosure.length,
        ), None
    path, relative = _local_file(enclosure.url, article_file, content_dir)
    return Enclosure(
        url=urljoin(base_url, quote(relative.as_posix())),
        type=enclosure.type or guess_type(path.name) or DEFAULT_TYPE,
        length=enclosure.length if enclosure.length is not None else path.stat().st_size,
    ), path


def _local_file(written: str, article_file: Path, content_dir: Path) -> tuple[Path, PurePosixPath]:
    """The file a path in an article names, and its path inside the content folder."""
    root = content_dir.resolve()
    base = content_dir if written.startswith("/") else article_file.parent
    try:
        safefile.inside(base / written.lstrip("/"), [content_dir], linkable=False)
    except ContentError as exc:
        raise ValueError(f'file "{written}" {exc.message}') from None
    path = (base / written.lstrip("/")).resolve()
    if not path.is_file():
        shown = path.relative_to(root).as_posix()
        raise ValueError(
            f'file "{written}" not found (looked for {content_dir / shown}); '
            "give a full https:// URL for a file published elsewhere"
        )
    return path, PurePosixPath(path.relative_to(root).as_posix())


class MediaProblem(ValueError):
    """What is wrong with an article's image or enclosures; ``field`` names which."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def resolve_media(
    article: Article, content_dir: Path, base_url: str
) -> tuple[Article, tuple[Path, ...]]:
    """The article with its image as an absolute URL and its enclosures resolved (see
    resolve_enclosure), and the local files those name: the article depends on them.

    Raises MediaProblem.
    """
    image = article.image
    if image is not None:
        try:
            image = absolute_url(image, article.link)
        except ValueError:  # "http://[::1": an IPv6 host never closed
            pass  # web_address says what is wrong with it
        problem = checks.web_address(image)
        if problem:
            raise MediaProblem(f'"{article.image}" {problem}', "image")
    enclosures = []
    local_files = []
    for enclosure in article.enclosures:
        try:
            resolved, local = resolve_enclosure(
                enclosure, Path(article.body.path), content_dir, base_url
            )
        except ValueError as exc:
            raise MediaProblem(str(exc), "enclosures") from None
        enclosures.append(resolved)
        if local is not None:
            local_files.append(local)
    return article._replace(image=image, enclosures=tuple(enclosures)), tuple(local_files)
