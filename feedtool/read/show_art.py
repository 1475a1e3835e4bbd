"""The podcast show's art and trailers, found in the content folder: a file there is
checked and published like a local enclosure (the ``[podcast]`` table itself is read with
the settings, in values/podcast_settings.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedtool.errors import ConfigError
from feedtool.model import Enclosure, Show
from feedtool.read.media import is_web_address, resolve_enclosure
from feedtool.read.mediafacts import check_artwork
from feedtool.values.choices import CONFIG_NAME
from feedtool.values.podcast_settings import TABLE

if TYPE_CHECKING:
    from feedtool.config import SiteConfig


def resolve_show(show: Show, content_dir: Path | None, config: SiteConfig) -> Show:
    """The show with its art as an absolute URL: a file in the content folder is checked
    (see mediafacts.check_artwork) and published like a local enclosure. Without a
    content folder (articles made in memory) the art must be a web address."""

    def problem(message: str, key: str = "image") -> ConfigError:
        return ConfigError(message, path=config.source, line=show.line(key), field=f"{TABLE}.{key}")

    def resolve(written: Enclosure, key: str) -> tuple[Enclosure, Path | None]:
        if content_dir is None and not is_web_address(written.url):
            raise problem(
                f'"{written.url}" is a file, but there is no content folder to find it in', key
            )
        folder = content_dir or Path()
        try:
            found, local = resolve_enclosure(written, folder / CONFIG_NAME, folder, config.base_url)
            if local is None and urlsplit(found.url).scheme != "https":
                raise ValueError(
                    f'"{found.url}" is http; podcast apps need https:// for everything in a '
                    "podcast feed"
                )
        except ValueError as exc:
            raise problem(str(exc), key) from None
        return found, local

    art, local = resolve(Enclosure(url=show.image, type=""), "image")
    if local is not None:
        try:
            check_artwork(local, show.image)
        except ValueError as exc:
            raise problem(str(exc)) from None
    trailers = []
    for trailer in show.trailers:
        written = Enclosure(url=trailer.url, type=trailer.type, length=trailer.length)
        found = resolve(written, "trailer")[0]
        if not found.type.startswith(("audio/", "video/")):
            raise problem(f'"{trailer.url}" is {found.type}, not audio or video', "trailer")
        trailers.append(trailer._replace(url=found.url, type=found.type, length=found.length))
    return replace(show, image=art.url, trailers=tuple(trailers))
