"""What the admin asks Apimo to change on a property: medias, pictures, provider access.

Services call the Apimo write endpoints and never touch the database: the local
listing reflects a change at the next sync, and nothing changes locally when the
call fails. Each raises `ActionFailed` with a message for the agent.
"""

from __future__ import annotations

import base64
import io
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from showcase.core.http import UpstreamAuthError, UpstreamError
from showcase.core.images import ImageLimits, ImageRefused, image_decode, read_bounded
from showcase.feeds.apimo.client import ApimoClient
from showcase.feeds.models import FeedKind
from showcase.listings import embeds

# Apimo media types (spec: POST …/medias) in the order the form offers them.
MEDIA_TYPES: dict[int, str] = {
    2: "YouTube",
    15: "Vimeo",
    1: "Dailymotion",
    12: "Matterport",
    19: "Clap.video",
    embeds.HTML_MEDIA_TYPE: "HTML",
}
PICTURE_FORMATS = {"JPEG", "PNG", "WEBP"}
PICTURE_MAX_SIDE = 1920
# As the header announces it: a 80-megapixel camera JPEG is decoded at 1/4 scale or less.
PICTURE_MAX_PIXELS = 80_000_000
# Pixels as decoded (after the JPEG scale reduction), at 4 bytes each: 16 megapixels for a
# PNG or WebP, whose pixels are all decoded. Processing peaks at about twice this.
PICTURE_MAX_DECODED_BYTES = 64 * 1024 * 1024


class ActionFailed(Exception):
    """The upstream refused or failed; `str()` is the message shown to the agent."""


def is_apimo(listing: Any) -> bool:
    return bool(listing.feed.kind == FeedKind.APIMO and listing.upstream_id)


def client_for(listing: Any) -> ApimoClient:
    """The client of the listing's feed; ActionFailed for a listing that is not Apimo's or
    whose agency is not the feed's configured one (the client only addresses the feed's
    agency; a property of another agency is none of this feed's business)."""
    if not is_apimo(listing):
        raise ActionFailed(_("This listing does not come from an Apimo feed."))
    agency, feed = listing.agency, listing.feed
    if agency is not None and str(agency.upstream_id) != str(feed.upstream_agency_id):
        raise ActionFailed(
            _(
                "This property belongs to Apimo agency %(agency)s, not to the feed's agency "
                "%(feed_agency)s: nothing was sent."
            )
            % {"agency": agency.upstream_id, "feed_agency": feed.upstream_agency_id}
        )
    return ApimoClient(feed)


def failure_message(exc: UpstreamError) -> str:
    """Apimo's own words when it refused (e.g. a missing scope), our summary otherwise."""
    if isinstance(exc, UpstreamAuthError) and exc.detail:
        return _("Apimo refused: %(message)s") % {"message": exc.detail}
    if isinstance(exc, UpstreamAuthError):
        return _("Apimo refused the feed's credentials (HTTP %(status)s).") % {"status": exc.status}
    return _("Apimo did not make the change: %(error)s") % {"error": exc}


def new_reference(listing: Any) -> str:
    """Our own unique reference for what we send (the spec asks for one)."""
    return f"vitrine-{listing.pk}-{uuid.uuid4().hex[:12]}"


def _call(method: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return method(*args, **kwargs)
    except UpstreamError as exc:
        raise ActionFailed(failure_message(exc)) from exc


# Medias


def media_content_clean(media_type: int, content: str) -> str:
    """The link or HTML to send for a media type; ValidationError when it does not fit."""
    content = (content or "").strip()
    if not content:
        raise ValidationError(_("Give the link or the HTML code of the media."))
    if media_type == embeds.HTML_MEDIA_TYPE:
        clean = embeds.sanitize_html(content)
        if not clean:
            raise ValidationError(_("Nothing of this HTML can be kept (scripts are removed)."))
        return clean
    provider = embeds.MEDIA_TYPE_PROVIDERS.get(media_type)
    if provider is None:
        raise ValidationError(_("Unknown media type."))
    if embeds.detect_provider(content) != provider:
        raise ValidationError(
            _("This is not a %(provider)s link (expected a link on %(domains)s).")
            % {"provider": provider.name, "domains": ", ".join(provider.domains)}
        )
    if embeds.embed_url(content, provider) is None:
        raise ValidationError(
            _("This %(provider)s link does not point at one video or tour.")
            % {"provider": provider.name}
        )
    return content


def media_add(*, listing: Any, media_type: int, content: str) -> str:
    """Adds a (validated) media to the Apimo property; returns the new media id."""
    client = client_for(listing)
    answer = _call(
        client.add_media,
        listing.upstream_id,
        media_type=media_type,
        content=content,
        reference=new_reference(listing),
    )
    return str(answer.get("id") or "") if isinstance(answer, dict) else ""


def media_delete(*, listing: Any, media_id: str) -> None:
    _call(client_for(listing).delete_media, listing.upstream_id, media_id)


# Pictures


@dataclass(frozen=True)
class PreparedPicture:
    jpeg: bytes
    width: int
    height: int

    @property
    def base64(self) -> str:
        return base64.b64encode(self.jpeg).decode("ascii")


def picture_limits() -> ImageLimits:
    return ImageLimits(
        formats=PICTURE_FORMATS,
        max_bytes=settings.APIMO_PICTURE_MAX_BYTES,
        max_pixels=PICTURE_MAX_PIXELS,
        max_decoded_bytes=PICTURE_MAX_DECODED_BYTES,
    )


def _refusal(exc: ImageRefused) -> ValidationError:
    if exc.reason == "bytes":
        size = filesizeformat(settings.APIMO_PICTURE_MAX_BYTES)
        return ValidationError(_("The picture is too large (at most %(size)s).") % {"size": size})
    if exc.reason == "format":
        return ValidationError(_("Send a JPEG, PNG or WebP picture."))
    if exc.reason == "pixels":
        return ValidationError(_("The picture has too many pixels."))
    return ValidationError(_("This file is not a readable picture."))


def picture_read(upload: IO[bytes], *, size: int | None) -> bytes:
    """The uploaded file's bytes, never more than APIMO_PICTURE_MAX_BYTES read into memory;
    ValidationError beyond."""
    try:
        return read_bounded(upload, picture_limits(), size=size)
    except ImageRefused as exc:
        raise _refusal(exc) from exc


def picture_prepare(data: bytes) -> PreparedPicture:
    """A real JPEG, PNG or WebP image, re-encoded as a JPEG of at most 1920 px on its long
    side, turned upright, without any metadata (EXIF, GPS, ICC, comments).

    Bytes, format and pixel count are checked before any pixel is decoded, a JPEG is
    decoded at the smallest scale that still gives 1920 px, and the decoded pixels are
    bounded (PICTURE_MAX_DECODED_BYTES): a small file of very many pixels is refused, not
    decoded. ValidationError with the reason otherwise."""
    box = (PICTURE_MAX_SIDE, PICTURE_MAX_SIDE)
    try:
        image = image_decode(data, picture_limits(), fit=box)
    except ImageRefused as exc:
        raise _refusal(exc) from exc
    # In place: no second full-size copy when the picture is already upright.
    ImageOps.exif_transpose(image, in_place=True)
    image.thumbnail(box, Image.Resampling.LANCZOS)
    rgba = image.convert("RGBA")
    # A fresh image: nothing of the original's `info` (EXIF, ICC, XMP, comments) follows.
    clean = Image.new("RGB", rgba.size, (255, 255, 255))
    clean.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return PreparedPicture(out.getvalue(), clean.width, clean.height)


def picture_upload(*, listing: Any, picture: PreparedPicture) -> dict[str, Any]:
    """Sends the picture; returns Apimo's answer ({"id", "rank", "url", ...})."""
    client = client_for(listing)
    answer = _call(
        client.add_picture,
        listing.upstream_id,
        content_base64=picture.base64,
        reference=new_reference(listing),
    )
    return answer if isinstance(answer, dict) else {}


def picture_delete(*, listing: Any, picture_id: str) -> None:
    _call(client_for(listing).delete_picture, listing.upstream_id, picture_id)


# Providers


@dataclass(frozen=True)
class ProviderAccess:
    provider: str
    step: int | None

    @property
    def is_active(self) -> bool:
        return self.step == 1


def _provider_rows(answer: Any) -> list[Any]:
    # The spec shows both {"providers": [...]} and a bare {"provider", "step"}.
    if isinstance(answer, dict) and isinstance(answer.get("providers"), list):
        return answer["providers"]
    if isinstance(answer, dict) and "provider" in answer:
        return [answer]
    return answer if isinstance(answer, list) else []


def providers_list(*, listing: Any) -> list[ProviderAccess]:
    """Who may receive the property from Apimo, and whether that access is active."""
    answer = _call(client_for(listing).property_providers, listing.upstream_id)
    rows = []
    for row in _provider_rows(answer):
        if not isinstance(row, dict) or row.get("provider") in (None, ""):
            continue
        raw_step = row.get("step")
        try:
            step = int(raw_step) if raw_step is not None else None
        except (TypeError, ValueError):
            step = None
        rows.append(ProviderAccess(provider=str(row["provider"]), step=step))
    return rows


def provider_set_access(*, listing: Any, provider: str, active: bool) -> None:
    _call(
        client_for(listing).set_provider_access,
        listing.upstream_id,
        provider=provider,
        active=active,
    )


# Sellers: a property awaiting the agent

# Spec catalogs (docs/upstreams/apimo.md, "Catalogs"): property_category 1 Vente,
# property_step 2 "En attente", property_status 20 "Attente mandat", unit_area 1 m².
SALE_CATEGORY, STEP_WAITING, STATUS_AWAITING_MANDATE, UNIT_M2 = 1, 2, 20, 1
# Our property types -> property_type codes (the inverse of mapping.TYPES).
SELLER_TYPES: dict[str, int] = {
    "flat": 1,
    "house": 2,
    "terrain": 3,
    "shop": 4,
    "garage": 5,
    "office": 7,
    "industrial": 9,
    "other": 6,
}


@dataclass(frozen=True)
class SellerProperty:
    """What an owner told the seller page (surface in m²)."""

    reference: str
    property_type: str
    city: str
    zip_code: str
    surface: int
    rooms: int | None
    description: str
    owner: str  # name and contact details, for the agent only


def seller_property_payload(prop: SellerProperty) -> dict[str, Any]:
    """The body of POST /agencies/{agency_id}/properties (spec "Create a new property")
    for a sale awaiting its mandate: step 2 "En attente", status 20 "Attente mandat".
    The owner's contact details go in `private_comment`, a private-mode field Apimo
    never publishes."""
    body: dict[str, Any] = {
        "reference": prop.reference,
        "step": STEP_WAITING,
        "status": STATUS_AWAITING_MANDATE,
        "category": SALE_CATEGORY,
        "type": SELLER_TYPES.get(prop.property_type, SELLER_TYPES["other"]),
        "country": "FR",
        "city": {"name": prop.city, "zipcode": prop.zip_code},
        "area": {"unit": UNIT_M2, "value": prop.surface},
        "private_comment": prop.owner,
    }
    if prop.rooms:
        body["rooms"] = prop.rooms
    if prop.description:
        body["comments"] = [{"language": "fr", "comment": prop.description}]
    return body


def seller_property_find(*, client: ApimoClient, reference: str, since: int) -> str | None:
    """The id of the property we sent with `reference`, looked up among those changed
    since the UNIX time `since` (GET …/properties?timestamp=); None when absent. Raises
    ActionFailed when Apimo cannot be read."""
    try:
        for page in client.property_pages(since=str(max(since, 1))):
            for item in page.items:
                if isinstance(item, dict) and str(item.get("reference") or "") == reference:
                    return str(item.get("id") or "") or None
    except UpstreamError as exc:
        raise ActionFailed(failure_message(exc)) from exc
    return None


def seller_property_create(*, client: ApimoClient, prop: SellerProperty) -> str:
    """Creates the property upstream (one POST, never retried here); returns its id.
    ActionFailed when Apimo refused or failed, or answered without an id."""
    answer = _call(client.create_property, seller_property_payload(prop))
    upstream_id = str(answer.get("id") or "") if isinstance(answer, dict) else ""
    if not upstream_id:
        raise ActionFailed(_("Apimo answered without the new property's id."))
    return upstream_id
