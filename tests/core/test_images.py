"""Images from outside are checked on bytes, format and header before any pixel is
decoded, and never cost a 500 (issue #16, point 9)."""

from __future__ import annotations

import io
import struct
import zlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile, PngImagePlugin

from showcase.core.images import ImageLimits, ImageRefused, image_decode, read_bounded
from showcase.feeds.apimo import actions
from showcase.tenants.branding import logo_from_upload

LIMITS = ImageLimits(
    formats={"PNG", "JPEG"}, max_bytes=1_000_000, max_pixels=4_000_000, max_decoded_bytes=8 << 20
)


def chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png(width: int, height: int, *, extra: bytes = b"") -> bytes:
    """A PNG whose header announces width × height RGBA pixels, with a few bytes of image
    data: what a decompression bomb looks like before it is decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def ztxt_png(unpacked: int) -> bytes:
    """A 1x1-pixel-announcing PNG carrying a compressed comment of `unpacked` bytes."""
    comment = chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * unpacked, 9))
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    data = out.getvalue()
    at = data.index(b"IDAT") - 4
    return data[:at] + comment + data[at:]


def never_decoded():
    return mock.patch.object(
        ImageFile.ImageFile, "load", side_effect=AssertionError("pixels were decoded")
    )


def test_a_small_png_announcing_very_many_pixels_is_refused_before_any_pixel_is_decoded():
    bomb = png(6800, 6800)
    assert len(bomb) < 1000
    with never_decoded(), pytest.raises(ImageRefused) as refused:
        image_decode(bomb, LIMITS, fit=(1920, 1920))
    assert refused.value.reason == "pixels"


def test_the_decoded_size_is_bounded_even_under_the_pixel_count():
    # 1800 × 1800 = 3.2 MP (under max_pixels) but 13 MB once decoded (over 8 MB).
    with never_decoded(), pytest.raises(ImageRefused) as refused:
        image_decode(png(1800, 1800), LIMITS, fit=(1920, 1920))
    assert refused.value.reason == "pixels"


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_that_still_covers_the_box():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (120, 10, 10)).save(out, "JPEG")
    limits = ImageLimits(
        formats={"JPEG"}, max_bytes=10**7, max_pixels=20_000_000, max_decoded_bytes=16 << 20
    )
    # Decoded in full, 4000 × 3000 × 4 bytes = 48 MB would exceed 16 MB; at 1/2, 12 MB.
    image = image_decode(out.getvalue(), limits, fit=(1920, 1920))
    assert image.size == (2000, 1500)


def test_an_oversized_compressed_text_chunk_is_an_unreadable_image_not_a_crash():
    data = ztxt_png(2_000_000)
    assert len(data) < 10_000
    with pytest.raises(ImageRefused) as refused:
        image_decode(data, LIMITS, fit=(100, 100))
    assert refused.value.reason == "unreadable"


def test_pillows_own_guards_are_tight_and_truncated_images_stay_errors():
    assert PngImagePlugin.MAX_TEXT_CHUNK <= 256 * 1024
    assert PngImagePlugin.MAX_TEXT_MEMORY <= 1024 * 1024
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_uploads_are_never_read_past_the_byte_limit_whatever_size_they_declare():
    stream = CountingStream(b"x" * 3_000_000)
    with pytest.raises(ImageRefused) as refused:
        read_bounded(stream, LIMITS, size=None)  # no declared size: read, but bounded
    assert refused.value.reason == "bytes" and stream.asked == [LIMITS.max_bytes + 1]
    stream = CountingStream(b"x" * 3_000_000)
    with pytest.raises(ImageRefused):
        read_bounded(stream, LIMITS, size=3_000_000)
    assert stream.asked == []  # refused on its declared size, nothing read


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png(6800, 6800), "too many pixels"),
        (ztxt_png(2_000_000), "not a readable picture"),
        (png(100, 100), "not a readable picture"),  # its pixel data is cut short
    ],
)
def test_apimo_pictures_that_are_bombs_or_malformed_get_a_clear_error(data, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        actions.picture_prepare(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png(5000, 5000), "too large"),
        (ztxt_png(2_000_000), "not an image we can read"),
        (png(100, 100), "not an image we can read"),
        (b"%PDF-1.7", "PNG, JPEG, WebP or GIF"),
    ],
)
def test_a_logo_is_refused_on_its_header_before_its_pixels_are_decoded(data, message):
    upload = SimpleUploadedFile("logo.png", data, content_type="image/png")
    decoded = "decoded" if message == "not an image we can read" else None
    with translation.override("en"):
        if decoded:  # a truncated image is found out while decoding its few pixels
            with pytest.raises(ValidationError, match=message):
                logo_from_upload(upload)
            return
        with never_decoded(), pytest.raises(ValidationError, match=message):
            logo_from_upload(upload)


def test_a_logo_over_2_mb_is_refused_without_being_read():
    upload = SimpleUploadedFile("logo.png", b"")
    upload.file = stream = CountingStream(b"x" * (2 * 1024 * 1024 + 1))
    upload.size = 2 * 1024 * 1024 + 1
    with translation.override("en"), pytest.raises(ValidationError, match="2 MB"):
        logo_from_upload(upload)
    assert stream.asked == []
