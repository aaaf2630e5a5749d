"""The Features section of the detail page: upstream `extras` shown once, in the page's
language where we know the key (spec "extras", upstream-facts.md "extras keys").

Upstream names, categories and text values are French. A documented key gets our own
translated label and unit; an unknown one keeps upstream's wording, marked `lang="fr"`
on English and German pages. A key whose fact the page already shows elsewhere (key
facts, price block, energy block) is left out, so no fact appears twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from showcase.listings.models import Listing
from showcase.listings.numbers import figure
from showcase.listings.price import euros
from showcase.listings.text import city_key

# Gedeon and Apimo extras keys -> our label (upstream-facts.md; Apimo: feeds/apimo).
NAMES: dict[str, Promise] = {
    "nb_chambres": gettext_lazy("Bedrooms"),
    "nb_sdb": gettext_lazy("Bathrooms"),
    "nb_sde": gettext_lazy("Shower rooms"),
    "nb_pieces": gettext_lazy("Rooms"),
    "surface_hab": gettext_lazy("Living area"),
    "surface_carrez": gettext_lazy("Loi Carrez area"),
    "surface_terrain": gettext_lazy("Land"),
    "surface_terrasse": gettext_lazy("Terrace"),
    "type_parking": gettext_lazy("Parking"),
    "chauffage": gettext_lazy("Heating"),
    "annee_construction": gettext_lazy("Built in"),
    "etage": gettext_lazy("Floor"),
    "nb_etages": gettext_lazy("Number of floors"),
    "ascenseur": gettext_lazy("Lift"),
    "taxe_fonciere": gettext_lazy("Property tax"),
    "date_dispo": gettext_lazy("Available from"),
    "arrondissement": gettext_lazy("Arrondissement"),
    "couchages": gettext_lazy("Sleeps"),
    "rente": gettext_lazy("Monthly annuity"),
    "occupe": gettext_lazy("Occupied"),
    "nb_tetes": gettext_lazy("Annuitants"),
    "vente_a_terme": gettext_lazy("Forward sale"),
    "duree_terme": gettext_lazy("Forward sale term"),
    "district": gettext_lazy("District"),
    "condition": gettext_lazy("Condition"),
    "standing": gettext_lazy("Standing"),
}
# Units of documented numeric values: m² for surfaces, € for amounts, years for terms.
SQUARE_METRES = {"surface_hab", "surface_carrez", "surface_terrain", "surface_terrasse"}
EUROS = {"taxe_fonciere", "rente", "charges", "quote_part_annuelle"}
YEARS = {"duree_terme"}
# Keys whose fact the page shows elsewhere -> the Listing field holding it (feeds mapping).
SHOWN_AS = {
    "nb_chambres": "bedrooms",
    "nb_sdb": "bathrooms",
    "nb_sde": "bathrooms",
    "nb_pieces": "rooms",
    "surface_hab": "surface",
    "surface_carrez": "surface_carrez",
    "surface_terrain": "land_surface",
    "etage": "floor",
    "nb_etages": "floors",
    "annee_construction": "construction_year",
    "couchages": "sleeps",
    "rente": "monthly_annuity",
    "occupe": "occupied",
    "nb_tetes": "nb_persons",
    "vente_a_terme": "forward_sale",
    "duree_terme": "forward_duration",
    "prix_hors_honoraires": "price_excluding_fees",
    "pourcentage_honoraires": "fees_percent",
    "honoraires_a_charge_de": "fees_paid_by",
    "charges": "charges",
    "depot_garantie": "deposit",
    "honoraires_locataire": "tenant_fees",
    "honoraires_etat_des_lieux": "inventory_fees",
    "copropriete": "copropriete",
    "copropriete_nb_lots": "copropriete_lots",
    "quote_part_annuelle": "copropriete_charges",
    "syndic_detail_procedure": "copropriete_procedure",
    "dpe_conso_en": "dpe_value",
    "dpe_ges": "ges_value",
    "dpe_conso_lettre": "dpe_letter",
    "dpe_conso_en_lettre": "dpe_letter",
    "dpe_ges_lettre": "ges_letter",
    "dpe_date": "dpe_date",
    "dpe_conso_min": "energy_cost_min",
    "dpe_conso_max": "energy_cost_max",
    "dpe_conso_ref": "energy_cost_reference",
}
# Upstream category names (French, by `city_key`) -> ours.
CATEGORIES: dict[str, Promise] = {
    "interieur": gettext_lazy("Interior"),
    "exterieur": gettext_lazy("Outside"),
    "equipements": gettext_lazy("Equipment"),
    "equipement": gettext_lazy("Equipment"),
    "general": gettext_lazy("General"),
    "generalites": gettext_lazy("General"),
    "viager": gettext_lazy("Life annuity"),
    "situation": gettext_lazy("Location"),
    "autres": gettext_lazy("Other features"),
}


@dataclass
class Feature:
    name: str
    value: str
    name_lang: str = ""  # "fr" when the page is in another language and the text is upstream's
    value_lang: str = ""


@dataclass
class FeatureGroup:
    name: str
    lang: str = ""
    items: list[Feature] = field(default_factory=list)


def _is_shown_elsewhere(listing: Listing, key: str) -> bool:
    attribute = SHOWN_AS.get(key)
    return attribute is not None and getattr(listing, attribute, None) not in (None, "")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ".").strip())
    except ValueError:
        return None


def value_text(key: str, value: Any) -> tuple[str, bool]:
    """(text, is upstream words): the value in the page's language with its unit."""
    if isinstance(value, bool):
        return (_("yes") if value else _("no")), False
    number = _number(value)
    if number is not None and key in SQUARE_METRES:
        return f"{figure(number)}\u00a0m²", False
    if number is not None and key in EUROS:
        return euros(number), False
    if number is not None and key in YEARS:
        count = int(number)
        return ngettext("%(years)s year", "%(years)s years", count) % {"years": count}, False
    if isinstance(value, (int, float)):
        return figure(value), False
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value if v not in (None, ""))
    else:
        text = str(value)
    return text, any(ch.isalpha() for ch in text)


def features(listing: Listing) -> list[FeatureGroup]:
    """Extras whose `display` is true and whose fact the page does not show elsewhere,
    grouped by category, in upstream order."""
    foreign = not (get_language() or "fr").startswith("fr")
    mark = "fr" if foreign else ""
    groups: dict[str, FeatureGroup] = {}
    extras = listing.extras if isinstance(listing.extras, dict) else {}
    for key, entry in extras.items():
        if not isinstance(entry, dict) or entry.get("display") is not True:
            continue
        value = entry.get("value")
        if value in (None, "", [], {}) or _is_shown_elsewhere(listing, key):
            continue
        text, upstream_words = value_text(key, value)
        if key in NAMES:
            name, name_lang = str(NAMES[key]), ""
        else:
            name = str(entry.get("name") or key.replace("_", " ").capitalize())
            name_lang = mark
        raw_category = str(entry.get("category") or "")
        known = CATEGORIES.get(city_key(raw_category)) if raw_category else None
        if known is not None or not raw_category:
            category, category_lang = str(known or _("Other features")), ""
        else:
            category, category_lang = raw_category, mark
        group = groups.setdefault(category, FeatureGroup(name=category, lang=category_lang))
        group.items.append(Feature(name, text, name_lang, mark if upstream_words else ""))
    return list(groups.values())
