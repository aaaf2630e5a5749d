"""Opening images that come from outside (agents' uploads) at a bounded cost.

Every check that costs nothing runs before any pixel is decoded: the byte count (before
the file is read), then the format and the dimensions from the header. A decompression
bomb (a small file of very many pixels) is refused on its header; the pixels are decoded
only once we know how much memory they take, and JPEGs are decoded at a reduced scale
when the result is going to be shrunk anyway.
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageFile, PngImagePlugin, UnidentifiedImageError

# Pillow's own guards, for every image this process opens. Text chunks (PNG comments,
# XMP) are metadata we discard: a compressed one may unpack to 1 MB by default, and
# their total to 64 MB, from a few kilobytes of file.
PngImagePlugin.MAX_TEXT_CHUNK = 256 * 1024
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024
# A truncated file is an error, never a half-decoded picture.
ImageFile.LOAD_TRUNCATED_IMAGES = False
# Image.MAX_IMAGE_PIXELS keeps Pillow's default (about 89 million pixels: a warning,
# an error at twice that); `ImageLimits.max_pixels` is lower and checked first.

# Decoded pixels take at most 4 bytes each (RGBA) once converted for re-encoding.
BYTES_PER_PIXEL = 4


class ImageRefused(ValueError):
    """An image we do not decode; `reason` says why, for the caller's own message:
    "bytes" (file too large), "format" (not an allowed format), "pixels" (too many pixels),
    or "unreadable" (not an image, truncated, or malformed, e.g. an oversized text chunk).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ImageLimits:
    formats: Collection[str]  # Pillow format names, e.g. {"JPEG", "PNG", "WEBP"}
    max_bytes: int  # the file's size
    max_pixels: int  # width × height, as the header announces it
    max_decoded_bytes: int  # pixels × 4 bytes, at the scale the image will be decoded


def read_bounded(stream: IO[bytes], limits: ImageLimits, *, size: int | None = None) -> bytes:
    """At most `limits.max_bytes` of `stream` (ImageRefused("bytes") beyond), reading no more
    than one byte past the limit whatever the declared `size` says."""
    if size is not None and size > limits.max_bytes:
        raise ImageRefused("bytes")
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise ImageRefused("bytes")
    return data


def image_decode(data: bytes, limits: ImageLimits, *, fit: tuple[int, int]) -> Image.Image:
    """The decoded image of `data`, after the checks that decode nothing: bytes, format
    and pixel count from the header, then the memory its pixels take. `fit` is the box
    the caller will shrink the image into: a JPEG is decoded at the smallest scale that
    still covers it (Pillow's `draft`). Raises ImageRefused."""
    if len(data) > limits.max_bytes:
        raise ImageRefused("bytes")
    try:
        image = Image.open(io.BytesIO(data), formats=list(limits.formats))
        if image.format not in limits.formats:
            raise ImageRefused("format")
        if image.width * image.height > limits.max_pixels:
            raise ImageRefused("pixels")
        if image.format == "JPEG":
            # The size the image will be shrunk to (aspect kept), as Image.thumbnail does;
            # `draft` picks the smallest DCT scale at least that large. Nothing decoded yet.
            scale = min(fit[0] / image.width, fit[1] / image.height, 1.0)
            image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        if image.width * image.height * BYTES_PER_PIXEL > limits.max_decoded_bytes:
            raise ImageRefused("pixels")
        image.load()
    except ImageRefused:
        raise
    except UnidentifiedImageError as exc:
        # `formats` narrowed what Pillow tries: any other file, image or not, lands here.
        raise ImageRefused("format") from exc
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        # ValueError: e.g. a PNG text chunk beyond MAX_TEXT_CHUNK.
        raise ImageRefused("unreadable") from exc
    return image
