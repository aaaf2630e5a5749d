"""Apimo property and agency -> our records (docs/upstreams/apimo.md).

Codes go through the catalogs (catalogs.py): an unknown code becomes a
warning on the SyncRun and a neutral value, never a crash. Only a property
without id or without any way to tell sale from rental is rejected.

Private-mode fields (owner, visit, exchanges, filling rate, private and status
comments, logs) go to `record.private`, which the sync engine never stores: they
cannot reach a public page, JSON-LD, a sitemap or an embed.
"""

from __future__ import annotations

from typing import Any

from showcase.feeds import coerce
from showcase.feeds.apimo.catalogs import Catalogs
from showcase.feeds.apimo.parts import (
    Codes,
    areas_details,
    energy_fields,
    location_fields,
    medias,
    obj,
    photos,
    price_fields,
    texts,
    url,
)
from showcase.feeds.records import AgencyRecord, ListingRecord, RecordRejected
from showcase.listings.models import PropertyType, Transaction

CATEGORY_TRANSACTIONS = {
    1: Transaction.SELL,
    2: Transaction.RENT,
    3: Transaction.HOLIDAYS,
    4: Transaction.PROGRAM,
    5: Transaction.VIAGER,
    6: Transaction.SELL,  # an auction is a sale
}
# A new category's label from the refreshed catalog, read word by word.
CATEGORY_WORDS = (
    ("saisonn", Transaction.HOLIDAYS),
    ("viager", Transaction.VIAGER),
    ("programme", Transaction.PROGRAM),
    ("location", Transaction.RENT),
    ("vente", Transaction.SELL),
)
TYPES = {
    1: PropertyType.FLAT,
    2: PropertyType.HOUSE,
    3: PropertyType.TERRAIN,
    4: PropertyType.SHOP,
    5: PropertyType.GARAGE,
    6: PropertyType.OTHER,  # building
    7: PropertyType.OFFICE,
    8: PropertyType.OTHER,  # boat
    9: PropertyType.INDUSTRIAL,
    10: PropertyType.GARAGE,  # cellar/box
}
# The types whose category is their own (the others share "other" or "garage").
OWN_CATEGORY_TYPES = {1, 2, 3, 4, 5, 7, 9}
# unit_area labels -> m² (exact definitions: international foot and yard, acre of 4,840 yd²).
M2_PER_UNIT = {
    "m²": 1.0,
    "m2": 1.0,
    "ft²": 0.09290304,
    "yd²": 0.83612736,
    "acre": 4046.8564224,
    "ha": 10000.0,
    "ares": 100.0,
}
PUBLIC_STEP = 1
DELETED_STEP = 4
AVAILABLE_STATUSES = {1, 22, 24, 25}  # available, under offer, under contract, awaiting deed
SOLD_STATUSES = {30, 31, 32}  # sold/let by the agency, the owner, another agency
PRIVATE_KEYS = (
    "owner",
    "visit",
    "exchanges",
    "filling_rate",
    "private_comment",
    "status_comment",
    "logs",
    "group",
)


def property_id(item: Any) -> str | None:
    return coerce.text(item.get("id"), limit=64) or None if isinstance(item, dict) else None


def _transaction(codes: Codes, category: int | None, upstream_id: str) -> str:
    if category in CATEGORY_TRANSACTIONS:
        return CATEGORY_TRANSACTIONS[category]
    label = (codes.catalogs.label("property_category", category) or "").lower()
    for word, transaction in CATEGORY_WORDS:
        if word in label:
            return transaction
    codes.unknown("property_category", category)
    raise RecordRejected(upstream_id, f"unknown category {category!r}: sale or rental?")


NEW_CONDITION = 8  # property_condition "Neuf"


def is_public(codes: Codes, step: int | None, status: int | None) -> bool:
    """Public when step 1 and status available or under offer; sold/let stay as references.

    An unknown step or status (logged) is neutral: the property is shown.
    """
    if status in SOLD_STATUSES:
        return step != DELETED_STEP
    if step is not None and step != PUBLIC_STEP and codes.known("property_step", step):
        return False
    if status is None or status in AVAILABLE_STATUSES:
        return True
    return not codes.known("property_status", status)


def map_property(item: Any, *, catalogs: Catalogs, agency_id: str = "") -> ListingRecord:
    """One Apimo property -> ListingRecord, or RecordRejected."""
    if not isinstance(item, dict):
        raise RecordRejected("?", "the property is not a JSON object")
    upstream_id = property_id(item)
    if not upstream_id:
        raise RecordRejected("?", "the property has no id")
    codes = Codes(catalogs)
    category = codes.code("property_category", item.get("category"))
    transaction = _transaction(codes, category, upstream_id)
    step = codes.code("property_step", item.get("step"))
    status = codes.code("property_status", item.get("status"))
    public = is_public(codes, step, status)
    offered = transaction  # a let rental keeps its rent's period and charges
    if status in SOLD_STATUSES:
        transaction = Transaction.SOLD

    type_code = codes.code("property_type", item.get("type"))
    subtype = codes.code("property_subtype", item.get("subtype"))
    property_type = TYPES.get(type_code, PropertyType.OTHER) if type_code else PropertyType.OTHER
    agreement = obj(item.get("agreement"))
    agreement_type = codes.code("property_agreement", agreement.get("type"))
    floor = obj(item.get("floor"))
    by_language = texts(item.get("comments"))
    main = by_language.get("fr") or next(iter(by_language.values()), {})
    details, counts = areas_details(codes, item.get("areas"))
    bedrooms = coerce.positive_integer(item.get("bedrooms"))
    extras: dict[str, Any] = {}

    fields: dict[str, Any] = {
        "reference": coerce.text(item.get("reference"), limit=64),
        "mandate": coerce.text(agreement.get("reference"), limit=64),
        "mandate_type": (codes.label("property_agreement", agreement_type) or "").lower()[:40],
        "title": coerce.text(main.get("title"), limit=300),
        "description": coerce.text(main.get("description")),
        "texts": by_language,
        "transaction": transaction,
        "transaction_label": (codes.label("property_category", category) or "")[:60],
        "property_type": property_type,
        "property_subtype": _subtype_label(codes, type_code, subtype),
        # New builds: a programme, or a property whose condition is "Neuf" (catalog 8).
        "is_new": transaction == Transaction.PROGRAM
        or coerce.integer(item.get("condition")) == NEW_CONDITION,
        "rooms": coerce.room_count(item.get("rooms")),
        # The larger of the two: `bedrooms` may leave out suites and children's rooms that
        # the `areas[]` list names.
        "bedrooms": max(bedrooms or 0, counts["bedrooms"]) or bedrooms,
        "bathrooms": counts["bathrooms"] or None,
        "sleeps": coerce.positive_integer(item.get("sleeps")),
        "floor": coerce.integer(floor.get("value")),
        "floors": coerce.integer(floor.get("floors")),
        "rooms_details": details,
        "contact": _contact(item.get("user")),
        "medias": medias(item.get("medias")),
        "virtual_visit": "",
        "published_at": coerce.moment(item.get("created_at")),
        "upstream_updated_at": coerce.moment(item.get("updated_at")),
        "upstream_favorite": False,
        "price_info": {},
    }
    fields.update(_surfaces(codes, item.get("area"), property_type))
    fields.update(price_fields(codes, item, offered))
    fields.update(location_fields(codes, item, extras))
    fields.update(energy_fields(codes, item.get("regulations"), extras, surface=fields["surface"]))
    for catalog, key, name in (
        ("property_condition", "condition", "État"),
        ("property_standing", "standing", "Standing"),
    ):
        label = codes.label(catalog, codes.code(catalog, item.get(key)))
        if label:
            extras[key] = {"name": name, "value": label, "display": True}
    fields["extras"] = extras
    pictures = tuple(photos(item.get("pictures")))
    fields["photo_count"] = len(pictures)
    return ListingRecord(
        upstream_id=upstream_id,
        **fields,
        agency_upstream_id=coerce.text(item.get("agency"), limit=64) or agency_id or None,
        photos=pictures,
        private={key: item[key] for key in PRIVATE_KEYS if key in item}
        | ({"status": status} if status is not None else {}),
        warnings=tuple(codes.warnings),
        public=public,
    )


def _subtype_label(codes: Codes, type_code: int | None, subtype: int | None) -> str:
    """The subtype's name, unless it only repeats the type's (subtype 5 "Appartement").
    Without one, the name of a type that has no category of its own ("Immeuble",
    "Bateau", "Cave / Box"), which the page would otherwise call "Autre" or "Garage"."""
    type_label = codes.label("property_type", type_code) or ""
    label = (codes.label("property_subtype", subtype) or "")[:80]
    if not label and type_code is not None and type_code not in OWN_CATEGORY_TYPES:
        return type_label[:80]
    same = label.casefold() == type_label.casefold()
    return "" if same else label


def _surfaces(codes: Codes, area: Any, property_type: str) -> dict[str, Any]:
    """`area` in its `unit` (unit_area catalog) -> m²; a unit we cannot convert gives no
    figure (and a warning) rather than a wrong one."""
    area = obj(area)
    unit = codes.code("unit_area", area.get("unit"))
    value = coerce.surface(area.get("value"))  # None for NaN, infinities, 0 and below
    if value is not None and unit is not None:
        factor = M2_PER_UNIT.get(codes.label("unit_area", unit) or "")
        if factor is None:
            codes.warnings.append(
                {"field": "area.unit", "value": unit, "reason": "unit not convertible to m²"}
            )
            value = None
        else:
            value = round(value * factor, 2)
    if value is not None and value <= 0:
        value = None
    land = value if property_type == PropertyType.TERRAIN else None
    return {"surface": value, "land_surface": land}


def _contact(user: Any) -> dict[str, Any]:
    """The agent in charge (`user`): name, phone, e-mail (leads go to it)."""
    if not isinstance(user, dict):
        return {}
    name = " ".join(
        part for part in (coerce.text(user.get("firstname")), coerce.text(user.get("lastname")))
    ).strip()
    contact = {
        "name": name[:120],
        "phone": coerce.text(user.get("mobile") or user.get("phone"), limit=40),
        "mail": coerce.text(user.get("email"), limit=200),
        "picture": coerce.https_url(user.get("picture")),
    }
    return {key: value for key, value in contact.items() if value}


def map_agency(agency: Any, *, catalogs: Catalogs) -> AgencyRecord:
    """The Apimo agency object -> AgencyRecord (name, contact, logo, legal, rates)."""
    if not isinstance(agency, dict) or not coerce.text(agency.get("id")):
        raise RecordRejected("?", "the agency has no id")
    upstream_id = coerce.text(agency.get("id"), limit=64)
    city = obj(agency.get("city"))
    company = obj(agency.get("company"))
    address = ", ".join(
        part
        for part in (coerce.text(agency.get("address")), coerce.text(agency.get("address_more")))
        if part
    )
    email = coerce.text(agency.get("email"), limit=200)
    legal = {
        "raison_sociale": coerce.text(company.get("name") or agency.get("company_name")),
        "forme_juridique": coerce.text(agency.get("legal_form")),
        "rcs": coerce.text(agency.get("rcs") or agency.get("siret")),
    }
    return AgencyRecord(
        upstream_id=upstream_id,
        name=coerce.text(agency.get("name"), limit=200) or f"Agence {upstream_id}",
        homepage=url(agency.get("url")),
        logo_url=coerce.https_url(agency.get("logo")),
        photo_url=coerce.https_url(agency.get("picture")),
        address=address[:300],
        city=coerce.text(city.get("name"), limit=120),
        zip_code=coerce.postcode(city.get("zipcode")),
        latitude=coerce.number(agency.get("latitude")),
        longitude=coerce.number(agency.get("longitude")),
        emails=[email] if email else [],
        phone=coerce.text(agency.get("phone"), limit=40),
        description=coerce.text(agency.get("description")),
        legal={key: value for key, value in legal.items() if value},
        rates=rates(agency.get("rates"), catalogs),
    )


def rates(value: Any, catalogs: Catalogs) -> list[dict[str, Any]]:
    """`rates[]` -> the fee schedule rows the fee page shows, in upstream order."""
    rows = []
    for rate in value if isinstance(value, list) else []:
        if not isinstance(rate, dict):
            continue
        category = coerce.integer(rate.get("category"))
        row = {
            "category": category,
            "category_label": catalogs.label("property_category", category) or "",
            "range_min": coerce.positive_integer(rate.get("range_min", rate.get("min"))),
            "range_max": coerce.positive_integer(rate.get("range_max", rate.get("max"))),
            "commission_price": coerce.positive_integer(rate.get("commission_price")),
            "commission_rate": coerce.number(rate.get("commission_rate")),
            "comment": coerce.text(rate.get("comment"), limit=300),
        }
        if row["commission_price"] is not None or row["commission_rate"] is not None:
            rows.append(row)
    return rows
