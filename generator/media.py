"""Events' media: image sizes, the resized copies a build publishes, and players that load on a click.

An image under content/media/ is published in a few widths (never wider than
itself), each made with Pillow, re-encoded in the source's format and stripped
of its metadata (a phone's photo carries the place it was taken). Other files are
published as they are. A link to a third party is never loaded by the page
itself: `player_url` names what a click may load (a privacy-enhanced player for
known video hosts, the file itself for a clip or recording).
"""
from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

if TYPE_CHECKING:
    from PIL import Image

MEDIA_FOLDER = "content/media"
OUTPUT_FOLDER = "media"
WIDTHS = (480, 960, 1600)  # the responsive sizes, in CSS pixels of width
MAX_PIXELS = 60_000_000  # larger pictures are refused: resizing them would take the build's memory
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "MPO": "JPEG"}  # what Pillow reads → what is written
_SAVE_OPTIONS = {"JPEG": {"quality": 82, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 80, "method": 4}}


class MediaError(Exception):
    """A media file the build cannot use, with the reason in words."""


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) of an image file as shown (its orientation tag applied), read from its header."""
    with _open(path) as image:
        width, height = image.size
        if image.getexif().get(0x0112) in (5, 6, 7, 8):  # rotated a quarter turn
            width, height = height, width
    return width, height


def _open(path: Path) -> Image.Image:
    # Pillow is imported when an image is read: most builds read none (10 ms of every build's start).
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except FileNotFoundError:
        raise MediaError("no such file") from None
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError) as err:
        raise MediaError(f"cannot be read as an image ({err.__class__.__name__}: {err})") from None
    if image.format not in FORMATS:
        image.close()
        raise MediaError(f"is a {image.format} image; use JPEG, PNG or WebP")
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise MediaError(f"is {image.width}×{image.height} pixels; at most {MAX_PIXELS // 1_000_000} million are taken: make it smaller")
    return image


def widths_for(width: int) -> tuple[int, ...]:
    """The widths an image of `width` pixels is published in: the standard ones below it, and its own when smaller than the largest."""
    largest = min(width, WIDTHS[-1])
    return tuple(w for w in WIDTHS if w < largest) + (largest,)


def resized_path(file: str, width: int) -> str:
    """The site path of an image's copy `width` pixels wide: media/maps/fukushima-480.png."""
    stem, dot, suffix = file.rpartition(".")
    return f"{OUTPUT_FOLDER}/{stem}-{width}{dot}{suffix.lower()}"


def published_path(file: str) -> str:
    """The site path of a file other than an image, published as it is."""
    return f"{OUTPUT_FOLDER}/{file}"


def resized_bytes(path: Path, width: int) -> bytes:
    """The image at `path` made `width` pixels wide, in its own format, without its metadata; the same bytes every time."""
    from PIL import Image, ImageOps

    with _open(path) as image:
        target = FORMATS[image.format]
        upright = ImageOps.exif_transpose(image)
        height = max(1, round(upright.height * width / upright.width))
        if target == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        small = upright.resize((width, height), Image.Resampling.LANCZOS) if width != upright.width else upright
        out = io.BytesIO()
        small.save(out, target, **_SAVE_OPTIONS[target])
    return out.getvalue()


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def player_url(url: str, kind: str) -> str | None:
    """What a click on a link's placeholder loads in the page: a known host's player or the file; None when it is only linked."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host in ("youtube.com", "youtu.be"):
        video_id = parts.path.strip("/") if host == "youtu.be" else (parse_qs(parts.query).get("v") or [""])[0]
        return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else None
    if host == "vimeo.com":
        video_id = parts.path.strip("/").split("/")[-1]
        return f"https://player.vimeo.com/video/{video_id}" if video_id.isdigit() else None
    if host == "soundcloud.com":
        return f"https://w.soundcloud.com/player/?url={quote(url, safe='')}"
    if kind in ("video", "audio", "image") and re.search(r"\.(mp4|webm|ogv|mp3|ogg|oga|m4a|opus|wav|jpe?g|png|webp)$", parts.path, re.IGNORECASE):
        return url
    return None


def host_of(url: str) -> str:
    """The host a link leads to, as a reader would name it (without www.)."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def image_copies(file: str, width: int, height: int) -> list[tuple[str, int, int]]:
    """The published copies of an image, narrowest first, as (site path, width, height)."""
    return [(resized_path(file, w), w, max(1, round(height * w / width))) for w in widths_for(width)] if width else []
