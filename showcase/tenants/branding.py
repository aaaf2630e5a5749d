"""Tenant branding: what templates need, and the logo upload rules."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from showcase.core.images import ImageLimits, ImageRefused, image_decode, read_bounded

if TYPE_CHECKING:
    from showcase.tenants.models import Tenant

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_BOX = (480, 160)
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
LOGO_LIMITS = ImageLimits(
    formats=LOGO_FORMATS,
    max_bytes=LOGO_MAX_BYTES,
    # A logo is drawn at most 480x160: 16 megapixels is already generous.
    max_pixels=16_000_000,
    max_decoded_bytes=64 * 1024 * 1024,
)


def logo_version(tenant: Tenant) -> str:
    return hashlib.sha256(tenant.logo.name.encode()).hexdigest()[:12] if tenant.logo else ""


def branding(tenant: Tenant) -> dict[str, Any]:
    logo_url = ""
    if tenant.logo:
        logo_url = reverse("tenant-logo", kwargs={"version": logo_version(tenant)})
    # Colours were validated as #rrggbb when saved, so they are safe inside <style>.
    css = f":root{{--brand:{tenant.primary_colour};--accent:{tenant.accent_colour}}}"
    return {"name": tenant.name, "logo_url": logo_url, "brand_css": css}


def logo_from_upload(upload: UploadedFile) -> ContentFile:
    """Check an uploaded logo (a real image, allowed format, size) and return a PNG that
    fits 480x160, without metadata.

    The size in bytes is checked before the file is read, the format and pixel count on
    the header before any pixel is decoded (showcase.core.images); ValidationError with
    the reason otherwise."""
    try:
        data = read_bounded(upload, LOGO_LIMITS, size=upload.size)
        image = image_decode(data, LOGO_LIMITS, fit=LOGO_BOX)
    except ImageRefused as exc:
        raise ValidationError(_refusal(exc.reason)) from exc
    image = image.convert("RGBA")
    image.thumbnail(LOGO_BOX)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    digest = hashlib.sha256(out.getvalue()).hexdigest()[:10]
    return ContentFile(out.getvalue(), name=f"logo-{digest}.png")


def _refusal(reason: str) -> str:
    if reason == "bytes":
        return _("The logo must weigh less than 2 MB.")
    if reason == "format":
        return _("Use a PNG, JPEG, WebP or GIF image.")
    if reason == "pixels":
        return _("This image is too large.")
    return _("This file is not an image we can read.")
