"""Readers for the blocks of an Apimo property (texts, pictures, medias, areas, price,
location, regulations). Each takes upstream JSON as it comes and never raises."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from typing import Any

from showcase.core import dpe
from showcase.feeds import coerce
from showcase.feeds.apimo.catalogs import Catalogs
from showcase.feeds.records import PhotoRecord
from showcase.listings.models import Transaction
from showcase.listings.place import country_code_of
from showcase.listings.text import (
    FRENCH_POSTCODE_COUNTRIES,
    city_key,
    country_of_postcode,
    department_from_zip,
)

# property_areas: every kind of bedroom (chambre, de maître, suite, de service, d'enfants;
# not 114 "Chambre froide", a cold room) and of bathroom or shower room.
BEDROOM_AREAS = {1, 53, 54, 70, 104}
BATHROOM_AREAS = {8, 13, 41, 42}
# property_regulation codes (showcase/feeds/apimo/catalogs-fr.json).
DPE_REGULATION = 1  # "Énergie - Consommation conventionnelle": kWhEP/m²/year
GES_REGULATION = 2  # "Énergie - Estimation des émissions": kg CO₂eq/m²/year
CARREZ_REGULATION = 3  # "Loi Carrez": m²
ENERGY_LETTER_REGULATIONS = {50, 56}  # "DPE (...)", "Classe de performance énergétique"
CLIMATE_LETTER_REGULATIONS = {52}  # "GES (Gaz à Effet de Serre)"
COST_LOW_REGULATION = 120  # "Énergie - Montant bas estimé des dépenses annuelles ...": €
COST_HIGH_REGULATION = 121  # "... Montant haut ...": €
COST_YEAR_REGULATION = 122  # "Énergie - Année de référence des prix de l'énergie"
# Since 1 July 2024 homes under 40 m² have their own thresholds (docs/legal.md §5.1, E12):
# no class is derived for them from the general scale.
SMALL_HOME_M2 = 40
MONTHS_PER_PERIOD = {4: 1, 5: 3, 7: 6, 8: 12}  # month, quarter, semester, year
MONTHLY = 4
# Coordinates of a property whose address is private and that Apimo did not blur.
PRIVATE_PLACE_DECIMALS = 2
PRIVATE_PLACE_ACCURACY = 1000.0


class Codes:
    """Reads catalog codes of one property and collects the unknown ones as warnings."""

    def __init__(self, catalogs: Catalogs) -> None:
        self.catalogs = catalogs
        self.warnings: list[dict[str, Any]] = []

    def code(self, catalog: str, value: Any) -> int | None:
        """The integer code, None when absent (0 means "none" in Apimo); unknown ones logged."""
        code = coerce.integer(value)
        if code is None or code == 0:
            if value not in (None, "", 0, "0"):
                self.warnings.append(
                    {"catalog": catalog, "code": str(value)[:50], "reason": "not a code"}
                )
            return None
        if not self.known(catalog, code):
            self.unknown(catalog, code)
        return code

    def known(self, catalog: str, code: int) -> bool:
        return self.catalogs.label(catalog, code) is not None

    def unknown(self, catalog: str, code: Any) -> None:
        warning = {"catalog": catalog, "code": code, "reason": "unknown code"}
        if warning not in self.warnings:
            self.warnings.append(warning)

    def label(self, catalog: str, code: int | None) -> str | None:
        return self.catalogs.label(catalog, code)


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def url(value: Any) -> str:
    link = coerce.text(value, limit=500)
    return link if link.startswith(("http://", "https://")) else ""


def _language(entry: dict[str, Any]) -> str:
    return coerce.text(entry.get("language")).lower()[:2] or "fr"


def comment_in(value: Any, language: str = "fr") -> str:
    """The comment of a `comments[]` array in `language`, else the first one."""
    entries = items(value)
    chosen = next((e for e in entries if _language(e) == language), None)
    chosen = chosen or (entries[0] if entries else {})
    return coerce.text(chosen.get("comment"))


def texts(value: Any) -> dict[str, dict[str, str]]:
    """`comments[]` -> {language: {title, subtitle, hook, description}} (title falls back
    to subtitle then hook; description is the full comment when there is one)."""
    result: dict[str, dict[str, str]] = {}
    for entry in items(value):
        title = coerce.text(entry.get("title"), limit=300)
        subtitle = coerce.text(entry.get("subtitle"), limit=300)
        hook = coerce.text(entry.get("hook"), limit=300)
        description = coerce.text(entry.get("comment_full")) or coerce.text(entry.get("comment"))
        text = {
            "title": title or subtitle or hook,
            "subtitle": subtitle,
            "hook": hook,
            "description": description,
        }
        if any(text.values()):
            result.setdefault(_language(entry), {key: v for key, v in text.items() if v})
    return result


def photos(value: Any) -> list[PhotoRecord]:
    """`pictures[]` in `rank` order (rank 1 is the cover), with their largest size."""
    ranked = sorted(
        enumerate(items(value)),
        key=lambda pair: (coerce.integer(pair[1].get("rank")) or 10**6, pair[0]),
    )
    records = []
    for _index, picture in ranked:
        link = coerce.https_url(picture.get("url"))  # "HTTP://" too, upgraded like Gedeon's
        if not link:
            continue
        records.append(
            PhotoRecord(
                url=link,
                description=comment_in(picture.get("comments"))[:300],
                width=coerce.positive_integer(picture.get("width_max")),
                height=coerce.positive_integer(picture.get("height_max")),
                upstream_id=coerce.text(picture.get("id"), limit=64),
            )
        )
    return records


def medias(value: Any) -> list[dict[str, Any]]:
    """`medias[]` -> {"id", "type", "url", "html", "title"} (the shape the pages render)."""
    result = []
    for media in items(value):
        content = coerce.text(media.get("value") or media.get("content") or media.get("url"))
        link = url(content)
        html = "" if link else content if "<" in content else ""
        if not link and not html:
            continue
        result.append(
            {
                "id": coerce.text(media.get("id"), limit=64),
                "type": coerce.integer(media.get("type")),
                "url": link,
                "html": html,
                "title": coerce.text(media.get("title") or media.get("name"), limit=200),
            }
        )
    return result


def areas_details(codes: Codes, value: Any) -> tuple[dict[str, Any], dict[str, int]]:
    """`areas[]` -> rooms details {name: {surface, desc, nb, position}} and bedroom/bathroom
    counts; `position` is the room's rank in `areas[]`."""
    details: dict[str, Any] = {}
    counts = {"bedrooms": 0, "bathrooms": 0}
    for area in items(value):
        code = codes.code("property_areas", area.get("type"))
        number = coerce.positive_integer(area.get("number"))
        number = 1 if number is None else number
        if code in BEDROOM_AREAS:
            counts["bedrooms"] += number
        elif code in BATHROOM_AREAS:
            counts["bathrooms"] += number
        base = codes.label("property_areas", code) or "Pièce"
        name, n = base, 2
        while name in details:
            name, n = f"{base} {n}", n + 1
        surface = coerce.number(area.get("area"))
        details[name] = {
            "surface": surface if surface and surface > 0 else None,
            "desc": comment_in(area.get("comments"))[:200],
            "nb": number,
            # PostgreSQL's jsonb reorders keys: the agency's order is kept here.
            "position": len(details),
        }
    return details, counts


def _amount(block: dict[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = coerce.positive_integer(block.get(key))
        if value:
            return value
    return None


def price_fields(codes: Codes, item: dict[str, Any], transaction: str) -> dict[str, Any]:
    """`price` and `residence` -> our price, fee and copropriété columns (docs/legal.md §1-2).

    A hidden price is not stored at all: no page, sort or filter can reveal it.
    Sales: `value` is the advertised price; the buyer's commission (`commission_customer`
    or `commission`) is included in it, the owner's (`commission_owner`) never is.
    Rentals: `value` is the rent charges included, `fees` the charges in it; the
    tenant pays `commission` plus `inventory`.
    """
    price = obj(item.get("price"))
    period = codes.code("property_period", price.get("period"))
    fields: dict[str, Any] = {
        "price": None,
        "price_hidden": coerce.boolean(price.get("hide")) is True,
        "rent_period": "",
        "price_excluding_fees": None,
        "fees_percent": None,
        "fees_paid_by": "",
        "charges": None,
        "deposit": None,
        "tenant_fees": None,
        "inventory_fees": None,
        "monthly_annuity": None,
    }
    fields.update(_copropriete(codes, obj(item.get("residence"))))
    currency = coerce.text(price.get("currency")).upper() or "EUR"
    if currency != "EUR":
        codes.warnings.append(
            {"field": "price.currency", "value": currency[:10], "reason": "not euros: not shown"}
        )
        return fields
    if fields["price_hidden"]:
        return fields
    value = _amount(price, "value")
    if transaction == Transaction.VIAGER:
        value = _amount(price, "contribution", "value")
        fields["monthly_annuity"] = _amount(price, "pension")
    fields["price"] = value
    if transaction in (Transaction.RENT, Transaction.HOLIDAYS):
        fields["rent_period"] = (codes.label("property_period", period) or "").lower()[:40]
    if transaction == Transaction.RENT:
        inventory = _amount(price, "inventory")
        commission = _amount(price, "commission_customer", "commission")
        fields.update(
            charges=coerce.positive_integer(price.get("fees")),
            deposit=_amount(price, "deposit", "guarantee"),
            inventory_fees=inventory,
            tenant_fees=(commission or 0) + (inventory or 0) or None,
        )
        return fields
    buyer = _amount(price, "commission_customer", "commission")
    owner = _amount(price, "commission_owner")
    if buyer and value and buyer < value:
        excluded = value - buyer
        fields.update(
            fees_paid_by="partagés" if owner else "acquéreur",
            price_excluding_fees=excluded,
            fees_percent=(Decimal(buyer) * 100 / Decimal(excluded)).quantize(Decimal("0.01")),
        )
    elif owner:
        fields["fees_paid_by"] = "vendeur"
    return fields


def _copropriete(codes: Codes, residence: dict[str, Any]) -> dict[str, Any]:
    """`residence` (lots, fees): charges are per `period` (monthly by default), shown yearly."""
    lots = coerce.positive_integer(residence.get("lots"))
    if not lots:
        return {"copropriete": None, "copropriete_lots": None, "copropriete_charges": None}
    fees = coerce.positive_integer(residence.get("fees"))
    period = codes.code("property_period", residence.get("period")) or MONTHLY
    months = MONTHS_PER_PERIOD.get(period, 1)
    return {
        "copropriete": True,
        "copropriete_lots": lots,
        "copropriete_charges": round(fees * 12 / months) if fees else None,
    }


def country_code(codes: Codes, value: Any) -> str:
    """`country` (ISO 3166-1 alpha-2, any case) -> "MA"; an alpha-3 code or a country's
    name ("MAR", "Maroc") is read as that country, never as France; absent -> "FR"
    (French agencies); anything else -> "FR". Whatever is not an alpha-2 code is
    warned about on the sync run, with the country it was read as."""
    text = coerce.text(value).strip().upper()
    code = country_code_of(text) or ("FR" if text else "")
    if text and code != text:
        codes.warnings.append(
            {"field": "country", "value": text[:20], "reason": f"not an ISO 3166-1 code: {code}"}
        )
    return code or "FR"


def location_fields(codes: Codes, item: dict[str, Any], extras: dict[str, Any]) -> dict[str, Any]:
    """Country, city, zip, district, coordinates; the street only when `publish_address` is
    true. A département only in France (zip code of a French place: 06100 -> "06",
    97110 -> "971", 20000 -> "2A"): Essaouira's 44000 is not Loire-Atlantique.

    A private address with exact coordinates (`radius` 0) is blurred to about a km.
    """
    country = country_code(codes, item.get("country"))
    city = obj(item.get("city"))
    name = coerce.text(city.get("name"), limit=120)
    zip_code = (
        coerce.postcode(city.get("zipcode"))  # 6100 -> "06100" in France only
        if country in FRENCH_POSTCODE_COUNTRIES
        else coerce.text(city.get("zipcode"), limit=10)
    )
    country = country_of_postcode(zip_code, country)
    district = coerce.text(obj(item.get("district")).get("name"), limit=120)
    if district:
        extras["district"] = {"name": "Quartier", "value": district, "display": True}
    region = coerce.text(obj(item.get("region")).get("name"), limit=120)
    if region:
        extras["region"] = {"name": "Région", "value": region, "display": False}
    position = coerce.position(item.get("latitude"), item.get("longitude"))
    latitude, longitude = position or (None, None)
    radius = coerce.number(item.get("radius"))
    radius = radius if radius and radius > 0 else None
    public = coerce.boolean(item.get("publish_address")) is True
    address = ""
    accuracy = radius
    if public:
        parts = (coerce.text(item.get("address")), coerce.text(item.get("address_more")))
        address = ", ".join(part for part in parts if part)[:300]
    elif radius is None and latitude is not None and longitude is not None:
        latitude = round(latitude, PRIVATE_PLACE_DECIMALS)
        longitude = round(longitude, PRIVATE_PLACE_DECIMALS)
        accuracy = PRIVATE_PLACE_ACCURACY
    return {
        "address": address,
        "address_public": public and bool(address),
        "country": country,
        "city": name,
        "city_key": city_key(name),
        "zip_code": zip_code,
        "department": department_from_zip(zip_code) if country in FRENCH_POSTCODE_COUNTRIES else "",
        "latitude": latitude,
        "longitude": longitude,
        "accuracy": accuracy,
    }


def _regulation_value(value: Any) -> float | None:
    """ "214", "214,5", "214.5" or "214, 12" (several figures: the first one); None for
    a negative, NaN or infinite figure ("-1", "nan", "1e400"), which no DPE measures."""
    raw = coerce.text(value)
    if re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", raw):
        result = coerce.number(raw)
    else:
        first = re.split(r"[;,\s]+", raw.strip(), maxsplit=1)[0] if raw.strip() else ""
        result = coerce.number(first)
    if result is None or not math.isfinite(result) or result < 0:
        return None
    return result


def _amount_value(value: Any) -> float | None:
    """One figure written with spaces, a unit or a decimal comma: "1 270 €", "48,5 m²"."""
    raw = re.sub(r"[\s\u00a0\u202f]|€|m²|m2|eur", "", coerce.text(value), flags=re.IGNORECASE)
    result = coerce.number(raw.replace(",", ".")) if raw else None
    return result if result is not None and math.isfinite(result) else None


def _letter(codes: Codes, field: str, value: Any) -> str:
    """A class letter A-G (any case) or "" with a warning for anything else."""
    letter = coerce.text(value).strip().upper()
    if dpe.is_letter(letter):
        return letter
    if letter:
        codes.warnings.append({"field": field, "value": letter[:10], "reason": "not A-G"})
    return ""


def energy_fields(
    codes: Codes, value: Any, extras: dict[str, Any], *, surface: float | None = None
) -> dict[str, Any]:
    """`regulations[]` -> the DPE, its energy costs and the Carrez surface.

    Values from types 1 (kWhEP/m²/year) and 2 (kg CO₂eq/m²/year) with the DPE's `date`;
    letters from their `label`, else from the letter types 50/56 (energy) and 52 (climate),
    else derived from the values with the scales of the DPE's date (core/dpe.py
    `classes_for`; not without a date, nor for a home under 40 m²). Types 120/121 are the
    low/high estimated annual energy costs (€), 122 the reference year of the energy prices
    (CCH R126-23, docs/legal.md E4-E5), type 3 the Loi Carrez surface (m²). The SVG of
    `graph` is kept, hidden.
    """
    fields: dict[str, Any] = {
        "dpe_value": None,
        "dpe_letter": "",
        "ges_value": None,
        "ges_letter": "",
        "dpe_date": None,
        "energy_cost_min": None,
        "energy_cost_max": None,
        "energy_cost_reference": "",
        "surface_carrez": None,
    }
    given = {"dpe": "", "ges": ""}
    letter_day: date | None = None  # a letter code's date, for values that carry none
    for regulation in items(value):
        code = codes.code("property_regulation", regulation.get("type"))
        raw = regulation.get("value")
        if code in ENERGY_LETTER_REGULATIONS or code in CLIMATE_LETTER_REGULATIONS:
            prefix = "dpe" if code in ENERGY_LETTER_REGULATIONS else "ges"
            given[prefix] = given[prefix] or _letter(codes, f"regulations.{code}", raw)
            letter_day = letter_day or coerce.day_of(regulation.get("date"))
        elif code == CARREZ_REGULATION:
            carrez = _amount_value(raw)
            fields["surface_carrez"] = carrez if carrez and carrez > 0 else None
        elif code in (COST_LOW_REGULATION, COST_HIGH_REGULATION):
            amount = _amount_value(raw)
            key = "energy_cost_min" if code == COST_LOW_REGULATION else "energy_cost_max"
            fields[key] = round(amount) if amount and amount > 0 else None
        elif code == COST_YEAR_REGULATION:
            fields["energy_cost_reference"] = _prices_reference(raw)
        elif code in (DPE_REGULATION, GES_REGULATION):
            prefix = "dpe" if code == DPE_REGULATION else "ges"
            fields[f"{prefix}_value"] = _regulation_value(raw)
            if fields[f"{prefix}_value"] is None and dpe.is_letter(
                coerce.text(raw).strip().upper()
            ):
                label = coerce.text(raw).strip().upper()  # the letter given as the value
            else:
                label = _letter(codes, f"regulations.{prefix}", regulation.get("label"))
            given[prefix] = label or given[prefix]
            day = coerce.day_of(regulation.get("date"))
            if day and (fields["dpe_date"] is None or code == DPE_REGULATION):
                fields["dpe_date"] = day
            graph = coerce.text(regulation.get("graph"))
            if graph.startswith("data:image/svg+xml"):
                extras[f"{prefix}_graph"] = {"value": graph, "display": False}
    fields["dpe_letter"], fields["ges_letter"] = given["dpe"], given["ges"]
    fields["dpe_date"] = fields["dpe_date"] or letter_day
    _derive_letters(codes, fields, surface)
    low, high = fields["energy_cost_min"], fields["energy_cost_max"]
    if low is not None and high is not None and low > high:
        fields["energy_cost_min"], fields["energy_cost_max"] = high, low
        codes.warnings.append(
            {"field": "regulations.120-121", "value": f"{low}>{high}", "reason": "swapped"}
        )
    return fields


def _derive_letters(codes: Codes, fields: dict[str, Any], surface: float | None) -> None:
    """Fill the letters Apimo left out from the values, on the scales of the DPE's date."""
    if fields["dpe_letter"] and fields["ges_letter"]:
        return
    if fields["dpe_value"] is None and fields["ges_value"] is None:
        return
    day = fields["dpe_date"]
    if day is None:
        codes.warnings.append(
            {"field": "regulations", "reason": "DPE values without a date: no class derived"}
        )
        return
    if day >= dpe.NEW_DPE_SINCE and surface is not None and surface < SMALL_HOME_M2:
        codes.warnings.append(
            {"field": "regulations", "reason": "home under 40 m²: no class derived"}
        )
        return
    energy, climate = dpe.classes_for(fields["dpe_value"], fields["ges_value"], day)
    fields["dpe_letter"] = fields["dpe_letter"] or energy
    fields["ges_letter"] = fields["ges_letter"] or climate


def _prices_reference(value: Any) -> str:
    """Type 122: a year ("2021", or a date in it: "01/01/2021", "2021-01-01") -> the
    DPE's phrase for it; any other text kept as given."""
    text = coerce.text(value, limit=200).strip()
    year = re.fullmatch(r"(?:\d{1,2}[/.-]\d{1,2}[/.-])?((?:19|20)\d\d)(?:-\d{1,2}-\d{1,2})?", text)
    if year:
        return f"Prix moyens des énergies indexés sur l'année {year.group(1)} (abonnements compris)"
    return text
