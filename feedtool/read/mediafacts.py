"""Facts from media files themselves: an episode's real duration and kind (mutagen), a
picture's size, format and colour mode (Pillow). Loaded only for podcasts.

Each function raises ValueError with a message that reads well after the key it
is about (``enclosures: ``, ``podcast.image: ``) and says what to change.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import NamedTuple

# Lazy imports: mutagen and Pillow are imported inside the functions that use them: only a
# podcast's local files need them.

# Apple Podcasts' rules for show art (podcasters.apple.com, "Artwork requirements").
ART_MIN, ART_MAX = 1400, 3000
ART_FORMATS = ("JPEG", "PNG")
# No episode runs this long: a longer duration is a damaged or forged header (an M4A
# declaring 0xFFFFFFFF seconds would publish 136 years).
MAX_DURATION = 48 * 3600

# What each container mutagen recognises may be called: a file whose type names
# another container is mislabelled (an M4A served as audio/mpeg will not play).
_CONTAINER_TYPES = {
    "MP3": ("audio/mpeg", "audio/mp3"),
    "MP4": ("audio/mp4", "audio/x-m4a", "video/mp4", "video/x-m4v", "video/quicktime"),
}


class AudioFacts(NamedTuple):
    container: str  # "MP3", "MP4", ... (mutagen's class name)
    duration: int  # whole seconds, rounded


def audio_facts(path: Path, media_type: str) -> AudioFacts | None:
    """The file's container and duration; None for a type mutagen does not read (PDF).

    Raises ValueError when the file is not audio or video mutagen can read, or its
    content does not match ``media_type``.
    """
    if not media_type.startswith(("audio/", "video/")):
        return None
    import mutagen

    try:
        found = mutagen.File(path)
    except mutagen.MutagenError as exc:
        raise ValueError(
            f'"{path.name}" cannot be read as {media_type} ({exc}); export it again as MP3 or M4A'
        ) from None
    if found is None:
        raise ValueError(
            f'"{path.name}" is not an audio or video file (no known format found in it); '
            "export it as MP3 or M4A"
        )
    container = type(found).__name__
    expected = _CONTAINER_TYPES.get(container)
    if expected is not None and media_type not in expected:
        raise ValueError(
            f'"{path.name}" is {container} but its type is {media_type}; '
            f"give type = {expected[0]} (or convert the file)"
        )
    length = getattr(found.info, "length", None) or 0
    if length > MAX_DURATION:
        raise ValueError(
            f'"{path.name}" says it lasts {too_long(length)}, longer than any episode '
            f"(at most {MAX_DURATION // 3600} hours): its header is damaged; export it again"
        )
    return AudioFacts(container=container, duration=round(length))


def too_long(seconds: float) -> str:
    """A duration over MAX_DURATION as people read it: hours, or years for absurd ones."""
    hours = seconds / 3600
    if hours < 24 * 365:
        return f"{hours:,.0f} hours"
    return f"{hours / (24 * 365.25):,.0f} years"


def check_artwork(path: Path, written: str | None = None) -> None:
    """Raise ValueError unless ``path`` is art Apple Podcasts takes: square, 1400 to
    3000 pixels a side, JPEG or PNG, RGB. Messages name it as ``written`` in the config
    or front matter ("media/art.png"), where the person looks for it."""
    from PIL import Image, UnidentifiedImageError

    shown = written or path.name

    try:
        # Pillow warns (and past twice its limit raises) when a header declares more
        # pixels than it will decode; art that large breaks Apple's rule anyway. The
        # warning becomes an error here, so it says so in one line, never a raw warning.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                kind, mode = image.format, image.mode
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValueError(
            f'"{shown}" declares more than {Image.MAX_IMAGE_PIXELS:,} pixels; Apple '
            f"Podcasts needs square {ART_MIN}-{ART_MAX} px JPEG or PNG art in RGB: scale it to "
            f"between {ART_MIN} and {ART_MAX} pixels a side"
        ) from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f'"{shown}" is not a picture Pillow can read ({exc})') from None
    wrong = []
    if kind not in ART_FORMATS:
        wrong.append(f"save it as JPEG or PNG (it is {kind})")
    if width != height:
        wrong.append("make it square")
    if not ART_MIN <= max(width, height) <= ART_MAX or not ART_MIN <= min(width, height):
        wrong.append(f"scale it to between {ART_MIN} and {ART_MAX} pixels a side")
    if mode != "RGB":  # Apple asks for the RGB colour space: no CMYK, greyscale or palette
        wrong.append(f"convert it to RGB colour (it is {mode})")
    if wrong:
        raise ValueError(
            f'"{shown}" is {width}x{height} {kind} {mode}; Apple Podcasts needs square '
            f"{ART_MIN}-{ART_MAX} px JPEG or PNG art in RGB: " + ", ".join(wrong)
        )
