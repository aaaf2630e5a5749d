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
from PIL import Image, UnidentifiedImageError

if TYPE_CHECKING:
    from showcase.tenants.models import Tenant

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_BOX = (480, 160)
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


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
    fits 480x160, without metadata."""
    if upload.size and upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must weigh less than 2 MB."))
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("This file is not an image we can read.")) from exc
    if image.format not in LOGO_FORMATS:
        raise ValidationError(_("Use a PNG, JPEG, WebP or GIF image."))
    if image.width * image.height > 40_000_000:
        raise ValidationError(_("This image is too large."))
    image = image.convert("RGBA")
    image.thumbnail(LOGO_BOX)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    digest = hashlib.sha256(out.getvalue()).hexdigest()[:10]
    return ContentFile(out.getvalue(), name=f"logo-{digest}.png")
