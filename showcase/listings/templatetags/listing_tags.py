"""Formatting for listing templates: photos, price block, energy labels, texts."""

from __future__ import annotations

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
from showcase.listings.models import Listing, Photo
from showcase.listings.numbers import figure
from showcase.listings.photos import sized_url, srcset
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
    candidates = srcset(photo.url)
    foreign = alt_lang and not (get_language() or "fr").startswith(alt_lang)
    return format_html(
        '<img src="{}"{} alt="{}"{} width="{}" height="{}" class="{}" decoding="async" {}>',
        sized_url(photo.url, width),
        format_html(' srcset="{}" sizes="{}"', candidates, sizes) if candidates else "",
        alt,
        format_html(' lang="{}"', alt_lang) if foreign else "",
        width,
        height,
        css,
        SafeString(loading),
    )


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
    with translation.override("fr"):
        french = str(listing.get_property_type_display())
    same = {city_key(label), city_key(french), city_key(listing.property_type)}
    same |= TYPE_SYNONYMS.get(listing.property_type, set())
    if city_key(subtype) in same:
        return format_html("{}", label)
    return format_html("{} ({})", label, price_module.in_french(subtype))


@register.filter
def figure_of(value: Any) -> str:
    """A number as the agency gave it, up to two decimals ("52,12" in French)."""
    return figure(value if isinstance(value, (int, float)) else None)


@register.filter
def has_position(listing: Listing) -> bool:
    """A position the page can show (not missing, in range, not 0,0)."""
    return is_plausible(listing.latitude, listing.longitude)


@register.filter
def photo_url(url: str) -> str:
    """A photo's full-size URL, over https (no mixed content)."""
    return secure_url(url)


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


@register.simple_tag
def listing_text(text: str, options: list[str] | None, keep: tuple[str, ...] = ()) -> SafeString:
    """The description with the site's text options; `keep`: names recasing keeps."""
    return format_text(text or "", options or [], keep=keep or ())


@register.filter
def country_name(code: str) -> str:
    """ "MA" -> "Maroc" on French pages, "Morocco" on English ones."""
    return place.country_name(code, get_language() or "fr")


@register.filter
def display_extras(listing: Listing) -> list[features_module.FeatureGroup]:
    """Extras to show, once, in the page's language where known (features.py)."""
    return features_module.features(listing)


@register.filter
def rooms_rows(listing: Listing) -> list[dict[str, Any]]:
    """Rooms details as table rows: name, surface, description, count."""
    rows = []
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
        rows.append(
            {
                "name": str(name)[:80],
                "surface": info.get("surface")
                if isinstance(info.get("surface"), (int, float))
                else None,
                "desc": str(info.get("desc") or "")[:200],
                "nb": info.get("nb") if isinstance(info.get("nb"), int) else None,
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
