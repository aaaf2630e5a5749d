"""Gedeon ad and agency -> our records (docs/upstreams/gedeon.md).

Every value is read defensively: a record without identity or transaction is
rejected with a reason; odd values elsewhere are coerced or dropped with a warning.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from showcase.core import dpe
from showcase.feeds import coerce
from showcase.feeds.records import AgencyRecord, ListingRecord, PhotoRecord, RecordRejected
from showcase.listings.models import PropertyType, Transaction
from showcase.listings.text import city_key, country_of_postcode, department_from_zip

TRANSACTION_CODES = {
    "S": Transaction.SELL,
    "R": Transaction.RENT,
    "H": Transaction.HOLIDAYS,
    "L": Transaction.VIAGER,
    "P": Transaction.PROGRAM,
    "O": Transaction.SOLD,
}
TRANSACTION_WORDS = {
    "sell": Transaction.SELL,
    "vente": Transaction.SELL,
    "rent": Transaction.RENT,
    "location": Transaction.RENT,
    "holidays": Transaction.HOLIDAYS,
    "location de vacances": Transaction.HOLIDAYS,
    "viager": Transaction.VIAGER,
    "l": Transaction.VIAGER,
    "program": Transaction.PROGRAM,
    "programme neuf": Transaction.PROGRAM,
    "sold": Transaction.SOLD,
    "bien vendu": Transaction.SOLD,
    "vendu": Transaction.SOLD,
}
# Category names of the spec ("Types de biens"), French and English.
PROPERTY_TYPES = {
    "maison": PropertyType.HOUSE,
    "house": PropertyType.HOUSE,
    "appartement": PropertyType.FLAT,
    "flat": PropertyType.FLAT,
    "apartment": PropertyType.FLAT,
    "garage": PropertyType.GARAGE,
    "parking": PropertyType.GARAGE,
    "terrain": PropertyType.TERRAIN,
    "land": PropertyType.TERRAIN,
    "local industriel": PropertyType.INDUSTRIAL,
    "industrial": PropertyType.INDUSTRIAL,
    "bureau": PropertyType.OFFICE,
    "office": PropertyType.OFFICE,
    "commerce": PropertyType.SHOP,
    "shop": PropertyType.SHOP,
    "autre": PropertyType.OTHER,
    "other": PropertyType.OTHER,
}

# extras keys -> (column, reader). Several keys may feed one column; the first present wins.
EXTRA_COLUMNS: list[tuple[str, tuple[str, ...], Any]] = [
    ("bedrooms", ("nb_chambres",), coerce.positive_integer),
    ("land_surface", ("surface_terrain",), coerce.surface),
    ("surface_carrez", ("surface_carrez",), coerce.surface),  # upstream-facts.md: likely
    ("floor", ("etage",), coerce.integer),
    ("floors", ("nb_etages",), coerce.integer),
    ("construction_year", ("annee_construction",), coerce.positive_integer),
    ("dpe_value", ("dpe_conso_en",), coerce.number),
    ("ges_value", ("dpe_ges",), coerce.number),
    ("dpe_date", ("dpe_date",), coerce.day_of),
    ("dpe_version", ("version_dpe",), lambda v: coerce.text(v, limit=20)),
    ("energy_cost_min", ("dpe_conso_min",), coerce.positive_integer),
    ("energy_cost_max", ("dpe_conso_max",), coerce.positive_integer),
    ("energy_cost_reference", ("dpe_conso_ref",), lambda v: coerce.text(v, limit=200)),
    ("mandate_type", ("type_mandat",), lambda v: coerce.text(v, limit=40)),
    ("copropriete", ("copropriete",), coerce.boolean),
    ("copropriete_lots", ("copropriete_nb_lots", "nb_lots"), coerce.positive_integer),
    ("copropriete_charges", ("quote_part_annuelle",), coerce.positive_integer),
    ("copropriete_procedure", ("syndic_detail_procedure",), coerce.text),
    ("charges", ("charges",), coerce.positive_integer),
    ("deposit", ("depot_garantie", "depot_de_garantie"), coerce.positive_integer),
    ("tenant_fees", ("honoraires_locataire",), coerce.positive_integer),
    ("inventory_fees", ("honoraires_etat_des_lieux", "etat_des_lieux"), coerce.positive_integer),
    ("price_excluding_fees", ("prix_hors_honoraires",), coerce.positive_integer),
    ("fees_percent", ("pourcentage_honoraires",), coerce.decimal),
    ("fees_paid_by", ("honoraires_a_charge_de",), lambda v: coerce.text(v, limit=40)),
    # Not documented upstream (docs/upstreams/gedeon.md, "extras"): the names the vendor's import uses.
    ("sleeps", ("couchages", "nb_couchages", "capacite"), coerce.positive_integer),
    ("monthly_annuity", ("rente", "rente_mensuelle"), coerce.positive_integer),
    ("occupied", ("occupe",), coerce.boolean),
    ("nb_persons", ("nb_tetes", "nb_personnes"), coerce.positive_integer),
    ("forward_sale", ("vente_a_terme",), coerce.boolean),
    ("forward_duration", ("duree_terme", "duree_vente_a_terme"), coerce.positive_integer),
]


def extra_value(extras: dict[str, Any], key: str) -> Any:
    """The value of an `extras` entry (`{value, display, name}`) or a bare value."""
    entry = extras.get(key)
    if isinstance(entry, dict):
        return entry.get("value")
    return entry


def ad_id(ad: Any) -> str | None:
    return coerce.text(ad.get("id"), limit=64) or None if isinstance(ad, dict) else None


def _transaction(ad: dict[str, Any]) -> str | None:
    code = coerce.text(ad.get("transaction_code")).upper()
    if code in TRANSACTION_CODES:
        return TRANSACTION_CODES[code]
    for key in ("transaction_type", "transaction"):
        word = city_key(coerce.text(ad.get(key)))
        if word in TRANSACTION_WORDS:
            return TRANSACTION_WORDS[word]
    return None


def _letter(value: Any, warnings: list[dict[str, Any]], key: str) -> str:
    letter = coerce.text(value).upper()
    if not letter:
        return ""
    if dpe.is_letter(letter):
        return letter
    warnings.append({"field": key, "value": letter, "reason": "not a DPE class A-G"})
    return ""


def map_ad(ad: Any) -> ListingRecord:
    """One Gedeon ad -> ListingRecord, or RecordRejected."""
    if not isinstance(ad, dict):
        raise RecordRejected("?", "the ad is not a JSON object")
    upstream_id = coerce.text(ad.get("id"), limit=64)
    if not upstream_id:
        raise RecordRejected("?", "the ad has no id")
    transaction = _transaction(ad)
    if transaction is None:
        raise RecordRejected(
            upstream_id,
            f"unknown transaction {ad.get('transaction_code') or ad.get('transaction_type')!r}",
        )
    warnings: list[dict[str, Any]] = []
    raw_price = ad.get("price")
    price = coerce.positive_integer(raw_price)
    if raw_price not in (None, "") and price is None:
        # The doc says Int; anything else is kept as price on request, never the ad dropped.
        warnings.append(
            {
                "field": "price",
                "value": str(raw_price)[:50],
                "reason": "not a positive whole number",
            }
        )
    # Gedeon writes 0 for "price on request": no amount, so no page, JSON-LD or price
    # search can treat it as a price of 0 €.
    price = price or None

    kind = _object(ad.get("type"))
    category = city_key(coerce.text(kind.get("category")))
    property_type = PROPERTY_TYPES.get(category, PropertyType.OTHER)
    if category and category not in PROPERTY_TYPES:
        warnings.append({"field": "type.category", "value": category, "reason": "unknown type"})

    place = _object(ad.get("localization"))
    extras = _object(ad.get("extras"))
    stats = _object(ad.get("stats"))
    zip_code = coerce.postcode(place.get("zip_code"))
    city = coerce.text(place.get("city"), limit=120)
    latitude, longitude = coerce.position(place.get("lat"), place.get("lng")) or (None, None)
    address = coerce.text(place.get("address"), limit=300)

    fields: dict[str, Any] = {
        "reference": coerce.text(ad.get("ref"), limit=64),
        "mandate": coerce.text(ad.get("mandate"), limit=64),
        "title": coerce.text(ad.get("title"), limit=300),
        "description": coerce.text(ad.get("text")),
        "texts": {"en": {"description": coerce.text(ad.get("text_en"))}}
        if coerce.text(ad.get("text_en"))
        else {},
        "transaction": transaction,
        "transaction_label": coerce.text(ad.get("transaction_type"), limit=60),
        "property_type": property_type,
        "property_subtype": _subtype(kind),
        "is_new": bool(coerce.boolean(ad.get("new"))),
        "price": price,
        "rent_period": coerce.text(ad.get("rent_period"), limit=40),
        "surface": coerce.surface(ad.get("surface")),
        "rooms": coerce.room_count(ad.get("nb_rooms")),
        "address": address,
        "address_public": bool(address),
        "city": city,
        "city_key": city_key(city),
        "zip_code": zip_code,
        "country": country_of_postcode(zip_code),
        "department": department_from_zip(zip_code),
        "latitude": latitude,
        "longitude": longitude,
        "accuracy": coerce.number(place.get("acc")) if latitude is not None else None,
        "virtual_visit": _url(ad.get("virtualvisit")),
        "upstream_favorite": bool(
            coerce.boolean(extra_value(extras, "coup_de_coeur"))
            or coerce.boolean(extra_value(extras, "favoris"))
        ),
        "price_info": _object(ad.get("priceInfo", ad.get("price_info"))),
        "extras": extras,
        "rooms_details": coerce.ranked(_object(ad.get("rooms_details"))),
        "contact": _object(ad.get("contact")),
        "published_at": coerce.moment(stats.get("created")),
        "upstream_updated_at": coerce.moment(stats.get("updated") or stats.get("modified")),
    }
    for column, keys, reader in EXTRA_COLUMNS:
        value = None
        for key in keys:
            raw = extra_value(extras, key)
            if raw not in (None, ""):
                value = reader(raw)
                if value is None:
                    warnings.append({"field": f"extras.{key}", "value": str(raw)[:50]})
                break
        fields[column] = value if value is not None else _empty(column)
    bathrooms = [coerce.positive_integer(extra_value(extras, k)) for k in ("nb_sdb", "nb_sde")]
    fields["bathrooms"] = sum(b for b in bathrooms if b) if any(bathrooms) else None
    fields["dpe_letter"] = _letter(
        extra_value(extras, "dpe_conso_lettre") or extra_value(extras, "dpe_conso_en_lettre"),
        warnings,
        "dpe_conso_lettre",
    )
    fields["ges_letter"] = _letter(
        extra_value(extras, "dpe_ges_lettre"), warnings, "dpe_ges_lettre"
    )

    photos = tuple(_photos(ad.get("photos")))
    fields["photo_count"] = len(photos)
    agency = _object(ad.get("agency"))
    agency_id = coerce.text(agency.get("id"), limit=64) or None
    return ListingRecord(
        upstream_id=upstream_id,
        **fields,
        agency_upstream_id=agency_id,
        agency=map_embedded_agency(ad),
        photos=photos,
        warnings=tuple(warnings),
    )


def map_embedded_agency(ad: Any) -> AgencyRecord | None:
    """The short agency block carried by an ad (id, name, logo, homepage)."""
    agency = ad.get("agency") if isinstance(ad, dict) else None
    if not isinstance(agency, dict) or not coerce.text(agency.get("id")):
        return None
    name = coerce.text(agency.get("name"), limit=200) or coerce.text(agency.get("id"))
    return AgencyRecord(
        upstream_id=coerce.text(agency.get("id"), limit=64),
        name=name,
        slug=slugify(name)[:200] or "agence",
        logo_url=coerce.https_url(agency.get("logo")),
        homepage=_url(agency.get("homepage")),
    )


def map_agency(agency: Any) -> AgencyRecord:
    """One Gedeon agency (spec "Agencies") -> AgencyRecord, or RecordRejected."""
    if not isinstance(agency, dict) or not coerce.text(agency.get("id")):
        raise RecordRejected("?", "the agency has no id")
    upstream_id = coerce.text(agency.get("id"), limit=64)
    name = coerce.text(agency.get("name"), limit=200) or upstream_id
    place = _object(agency.get("localization"))
    latitude, longitude = coerce.position(place.get("lat"), place.get("lng")) or (None, None)
    contact = _object(agency.get("contact"))
    emails = contact.get("emails")
    if isinstance(emails, str):
        emails = [emails]
    return AgencyRecord(
        upstream_id=upstream_id,
        name=name,
        slug=slugify(name)[:200] or "agence",
        homepage=_url(agency.get("homepage")),
        logo_url=coerce.https_url(agency.get("logo")),
        photo_url=coerce.https_url(agency.get("photo")),
        address=coerce.text(place.get("address"), limit=300),
        city=coerce.text(place.get("city"), limit=120),
        zip_code=coerce.postcode(place.get("zip_code")),
        latitude=latitude,
        longitude=longitude,
        emails=[coerce.text(e) for e in emails or [] if coerce.text(e)],
        phone=coerce.text(contact.get("phone"), limit=40),
        description=coerce.text(agency.get("description")),
        opening_hours=coerce.text(agency.get("opening_hours"), limit=500),
        legal=_object(agency.get("legal")),
    )


def _photos(value: Any) -> list[PhotoRecord]:
    if not isinstance(value, list):
        return []
    photos = []
    for item in value:
        # Older Gedeon photo hosts give http:// URLs; an https page must not load them.
        url = coerce.https_url(item.get("url") if isinstance(item, dict) else item)
        if url:
            desc = coerce.text(item.get("desc"), limit=300) if isinstance(item, dict) else ""
            photos.append(PhotoRecord(url=url, description=desc))
    return photos


def _subtype(kind: dict[str, Any]) -> str:
    """`type.name`, unless it only repeats `type.category` ("Maison"/"maison")."""
    name = coerce.text(kind.get("name"), limit=80)
    return "" if city_key(name) == city_key(coerce.text(kind.get("category"))) else name


def _url(value: Any) -> str:
    url = coerce.text(value, limit=500)
    return url if url.startswith(("http://", "https://")) else ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _empty(column: str) -> Any:
    # Text columns are NOT NULL with blank defaults; the others are nullable.
    return (
        ""
        if column
        in {
            "dpe_version",
            "energy_cost_reference",
            "mandate_type",
            "copropriete_procedure",
            "fees_paid_by",
        }
        else None
    )
