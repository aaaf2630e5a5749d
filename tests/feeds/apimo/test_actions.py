"""Services behind the Apimo admin actions: picture preparation, media checks, providers."""

from __future__ import annotations

import io

import pytest
import responses
from django.core.exceptions import ValidationError
from PIL import Image

from showcase.core.http import UpstreamAuthError, UpstreamUnavailable
from showcase.feeds.apimo import actions
from tests.factories import make_apimo_feed, make_listing
from tests.feeds.apimo.test_admin_actions import jpeg_with_exif


def encoded(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def test_a_picture_is_turned_upright_before_its_exif_is_dropped():
    # Orientation 6: the camera was turned; the stored pixels are 400 wide, 300 high.
    prepared = actions.picture_prepare(jpeg_with_exif((400, 300), orientation=6).getvalue())
    result = Image.open(io.BytesIO(prepared.jpeg))
    assert result.size == (300, 400) == (prepared.width, prepared.height)
    assert not result.getexif()


def test_a_transparent_png_becomes_a_jpeg_on_white_and_small_pictures_are_not_enlarged():
    png = Image.new("RGBA", (640, 200), (0, 0, 0, 0))
    prepared = actions.picture_prepare(encoded(png, "PNG"))
    result = Image.open(io.BytesIO(prepared.jpeg))
    assert result.format == "JPEG" and result.size == (640, 200)
    assert result.getpixel((10, 10)) == (255, 255, 255)


def test_a_tall_webp_is_downscaled_on_its_long_side_and_loses_its_icc_profile():
    webp = Image.new("RGB", (1000, 3000), (0, 90, 0))
    data = encoded(webp, "WEBP", icc_profile=b"\x00" * 200)
    prepared = actions.picture_prepare(data)
    result = Image.open(io.BytesIO(prepared.jpeg))
    assert result.size == (640, 1920) and "icc_profile" not in result.info


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not really", "JPEG, PNG or WebP"),  # only those formats are even parsed
        (b"", "JPEG, PNG or WebP"),
        (jpeg_with_exif((300, 200)).getvalue()[:400], "readable"),  # truncated
        (encoded(Image.new("RGB", (8, 8)), "GIF"), "JPEG, PNG or WebP"),
        (encoded(Image.new("RGB", (8, 8)), "BMP"), "JPEG, PNG or WebP"),
    ],
)
def test_files_that_are_not_allowed_pictures_are_refused(data, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match=message):
        actions.picture_prepare(data)


def test_pictures_over_the_size_or_pixel_limits_are_refused(settings, monkeypatch):
    from django.utils import translation

    data = jpeg_with_exif((300, 200)).getvalue()
    settings.APIMO_PICTURE_MAX_BYTES = len(data) - 1
    with translation.override("en"), pytest.raises(ValidationError, match="too large"):
        actions.picture_prepare(data)
    settings.APIMO_PICTURE_MAX_BYTES = 10_000_000
    monkeypatch.setattr(actions, "PICTURE_MAX_PIXELS", 300 * 200 - 1)
    with translation.override("en"), pytest.raises(ValidationError, match="too many pixels"):
        actions.picture_prepare(data)


def test_the_failure_message_is_apimos_own_words_for_a_refusal():
    from django.utils import translation

    refused = UpstreamAuthError("long", status=403, detail="You need the scope properties_write")
    with translation.override("en"):
        assert actions.failure_message(refused) == (
            "Apimo refused: You need the scope properties_write"
        )
        down = actions.failure_message(UpstreamUnavailable("Apimo kept failing (HTTP 503)"))
    assert "HTTP 503" in down


@pytest.mark.django_db
@responses.activate
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            {"providers": [{"provider": 100, "step": 1}, {"provider": 230, "step": 4}]},
            [("100", 1), ("230", 4)],
        ),
        ({"provider": 100, "step": "2"}, [("100", 2)]),
        ([{"provider": "7", "step": None}, {"step": 1}, "junk"], [("7", None)]),
        ({}, []),
    ],
)
def test_providers_are_read_from_every_shape_the_spec_shows(answer, expected):
    listing = make_listing(feed=make_apimo_feed(), upstream_id="9")
    responses.get("http://apimo.test/agencies/182/properties/9/providers", json=answer)
    rows = actions.providers_list(listing=listing)
    assert [(r.provider, r.step) for r in rows] == expected
    assert [r.is_active for r in rows] == [step == 1 for _, step in expected]


@pytest.mark.django_db
def test_a_gedeon_listing_cannot_be_acted_on():
    with pytest.raises(actions.ActionFailed):
        actions.client_for(make_listing())
