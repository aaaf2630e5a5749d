"""Formatting for listing templates: photos, price block, energy labels, texts."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from showcase.core.mixed_content import secure_url
from showcase.listings import energy as energy_module
from showcase.listings import features as features_module
from showcase.listings import place
from showcase.listings import price as price_module
from showcase.listings.map_points import is_plausible
from showcase.listings.models import Listing, Photo, PropertyType
from showcase.listings.numbers import figure
from showcase.listings.photos import renditions
from showcase.listings.text import city_key
from showcase.listings.textformat import format_text, place_names, recased_title

register = template.Library()

# Upstream words that only repeat a type (Gedeon categories, Apimo `property_type`).
TYPE_SYNONYMS = {
    "flat": {"appartement", "apartment"},
    "garage": {"parking", "garage parking", "garage/parking"},
    "terrain": {"land"},
    "office": {"bureau", "bureaux"},
    "shop": {"commerce", "local commercial"},
    "industrial": {"local industriel", "locaux d activite/entrepots", "locaux d activite"},
    "other": {"autre"},
}

# A house outline for listings without a photo: inline, so it costs no request.
PHOTO_MISSING_ICON = SafeString(
    '<svg aria-hidden="true" viewBox="0 0 48 48" fill="none" stroke="currentColor" '
    'stroke-width="2.5" stroke-linejoin="round"><path d="M6 22 24 7l18 15"/>'
    '<path d="M11 18v23h26V18"/><path d="M20 41V29h8v12"/></svg>'
)

# The gallery's `sizes`: its first photo spans the column, the others are thumbnails.
GALLERY_SIZES = "(min-width: 60rem) 760px, 100vw"
GALLERY_THUMBNAIL_SIZES = "(min-width: 60rem) 240px, 100vw"


@register.simple_tag
def photo_img(
    photo: Photo | None,
    alt: str,
    *,
    width: int = 640,
    sizes: str = "100vw",
    eager: bool = False,
    css: str = "",
    alt_lang: str = "",
) -> SafeString:
    """A responsive `<img>` whose sizes come from rewriting the photo URL. `alt_lang`: the
    language of `alt` (upstream's words), marked when it is not the page's."""
    if photo is None:
        # A drawn placeholder, 4:3 like a photo (no layout shift), with a visible label.
        return format_html(
            '<div class="photo-missing {}" role="img" aria-label="{}">{}<span>{}</span></div>',
            css,
            _("No photo yet"),
            PHOTO_MISSING_ICON,
            _("No photo yet"),
        )
    height = width * 3 // 4
    loading = 'fetchpriority="high" loading="eager"' if eager else 'loading="lazy"'
    src, candidates = renditions(photo.url, width)
    foreign = alt_lang and not (get_language() or "fr").startswith(alt_lang)
    return format_html(
        '<img src="{}"{} alt="{}"{} width="{}" height="{}" class="{}" decoding="async" {}>',
        src,
        format_html(' srcset="{}" sizes="{}"', candidates, sizes) if candidates else "",
        alt,
        format_html(' lang="{}"', alt_lang) if foreign else "",
        width,
        height,
        css,
        SafeString(loading),
    )


@register.simple_tag
def gallery_items(photos: list[Photo], alt: str, alt_lang: str) -> SafeString:
    """The detail page's gallery, one `<li>` a photo: the first one large and loaded at
    once, the others lazy thumbnails, each linked to its full size and numbered. A photo's
    alternative text is its own description (upstream's French), else `alt`, written in
    `alt_lang`. Drawn here rather than in the template: ~100 µs less a photo."""
    total = len(photos)
    # The translation and two numbers: trusted, as {% blocktranslate %} output is.
    label = _("Photo %(number)s of %(total)s, full size")
    items = []
    for index, photo in enumerate(photos):
        first = index == 0
        img = photo_img(
            photo,
            photo.description or alt,
            width=800 if first else 640,
            sizes=GALLERY_SIZES if first else GALLERY_THUMBNAIL_SIZES,
            eager=first,
            css="gallery-photo",
            alt_lang="fr" if photo.description else alt_lang,
        )
        items.append(
            format_html(
                '<li><a href="{}" class="gallery-item" data-index="{}">{}'
                '<span class="gallery-count" aria-hidden="true">{} / {}</span>'
                '<span class="visually-hidden">{}</span></a></li>',
                secure_url(photo.url),
                index,
                img,
                index + 1,
                total,
                SafeString(label % {"number": index + 1, "total": total}),
            )
        )
    return SafeString("".join(items))


@register.filter
def cover(listing: Listing) -> Photo | None:
    covers = getattr(listing, "covers", None)
    if covers is not None:
        return covers[0] if covers else None
    return listing.photos.first()


@register.filter
def short_price(listing: Listing) -> str:
    return price_module.short_price(listing)


@register.filter
def transaction_name(listing: Listing) -> str:
    return price_module.transaction_name(listing)


@register.filter
def closed_state(listing: Listing) -> str:
    return price_module.closed_state(listing)


@register.filter
def is_let(listing: Listing) -> bool:
    return price_module.is_let(listing)


@register.filter
def type_label(listing: Listing) -> SafeString:
    """The property type in the page's language, with upstream's subtype in brackets only
    when it adds information: never a repeat of the type in French, English or the page's
    language ("House (Maison)"), compared without case or accents. The subtype is upstream's
    French word: marked `lang="fr"` on English and German pages."""
    label = str(listing.get_property_type_display())
    subtype = (listing.property_subtype or "").strip()
    if not subtype:
        return format_html("{}", label)
    same = {city_key(label), city_key(french_type_name(listing)), city_key(listing.property_type)}
    same |= TYPE_SYNONYMS.get(listing.property_type, set())
    if city_key(subtype) in same:
        return format_html("{}", label)
    return format_html("{} ({})", label, price_module.in_french(subtype))


@cache
def _french_type_names() -> dict[str, str]:
    with translation.override("fr"):
        return {value: str(label) for value, label in PropertyType.choices}


def french_type_name(listing: Listing) -> str:
    """The listing's property type in French, whatever the page's language."""
    return _french_type_names().get(listing.property_type, listing.property_type)


@register.filter
def figure_of(value: Any) -> str:
    """A number as the agency gave it, up to two decimals ("52,12" in French)."""
    return figure(value if isinstance(value, (int, float)) else None)


@register.filter
def has_position(listing: Listing) -> bool:
    """A position the page can show (not missing, in range, not 0,0)."""
    return is_plausible(listing.latitude, listing.longitude)


@register.simple_tag
def price_block(listing: Listing) -> price_module.PriceBlock:
    return price_module.price_block(listing)


@register.simple_tag
def energy_labels(listing: Listing) -> energy_module.EnergyLabels | None:
    return energy_module.energy_labels(listing)


@register.simple_tag
def energy_scale(kind: str, letter: str, value: float | None, title: str) -> SafeString:
    return energy_module.scale_svg(kind, letter, value, title)


@register.filter
def formatted_text(text: str, options: list[str] | None) -> SafeString:
    return format_text(text or "", options or [])


@register.filter
def country_name(code: str) -> str:
    """ "MA" -> "Maroc" on French pages, "Morocco" on English ones."""
    return place.country_name(code, get_language() or "fr")


@register.filter
def display_extras(listing: Listing) -> list[features_module.FeatureGroup]:
    """Extras to show, once, in the page's language where known (features.py)."""
    return features_module.features(listing)


@register.filter
def rooms_rows(listing: Listing) -> list[dict[str, str]]:
    """Rooms details as table rows: name, surface ("12,5 m²"), details (description and
    count, "parquet, × 2"), as the table shows them."""
    rows: list[dict[str, str]] = []
    details = listing.rooms_details if isinstance(listing.rooms_details, dict) else {}
    # In the agency's order (`position`, see coerce.ranked): jsonb reorders keys.
    ordered = sorted(
        (
            (info.get("position") if isinstance(info, dict) else None, index, name, info)
            for index, (name, info) in enumerate(details.items())
        ),
        key=lambda row: (row[0] if isinstance(row[0], int) else row[1], row[1]),
    )
    for _position, _index, name, info in ordered:
        info = info if isinstance(info, dict) else {}
        surface = info.get("surface")
        text = str(info.get("desc") or "")[:200]
        count = info.get("nb")
        if isinstance(count, int) and count:
            text = f"{text}, × {count}" if text else f"× {count}"
        rows.append(
            {
                "name": str(name)[:80],
                "surface": f"{figure(surface)} m²"
                if isinstance(surface, (int, float)) and surface
                else "",
                "details": text,
            }
        )
    return rows


@register.filter
def euros(value: Any) -> str:
    return price_module.euros(value)


@register.simple_tag(takes_context=True)
def localized_title(context: template.Context, listing: Listing) -> dict[str, str]:
    """The card title in the visitor's language when the feed has it, with the language it
    is really in (French otherwise), so the template can mark a French fallback with `lang`.

    Recased like the detail page's title when the site asks for it, keeping the city's name
    (cards defer `extras`: reading the district would cost a query per card). Cards are
    cached per site (cards.py), so one site's options never reach another's cards.
    """
    title, language = listing.title_in(get_language() or "fr")
    site = getattr(context.get("request"), "site", None)
    if site is not None:
        title = recased_title(title, site.text_format, place_names(listing.city))
    return {"title": title, "lang": language}
