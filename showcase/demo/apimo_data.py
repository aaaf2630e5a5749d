"""Apimo-shaped demo properties (docs/upstreams/apimo.md), the same for a seed every time.

Private-mode fields are filled too, as an account with private access gets them:
the demo then shows that none of them reaches the site.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from showcase.core import dpe
from showcase.demo.places import PLACES

AGENCY_ID = 9100
FIRST_PROPERTY_ID = 700_001
EPOCH = datetime(2026, 11, 1, tzinfo=UTC)
# (category, weight): sale, rental, holiday rental, viager; statuses mostly available.
CATEGORIES = ((1, 55), (2, 35), (3, 6), (5, 4))
# (type, subtype label, surface range, rooms range)
TYPES = (
    (1, "Appartement", (25, 120), (1, 5)),
    (2, "Maison", (70, 220), (3, 8)),
    (7, "Bureau", (30, 300), (0, 0)),
)
AGENTS = (("Camille", "Roux"), ("Hugo", "Faure"), ("Inès", "Morel"))


def agency(*, base_url: str) -> dict[str, Any]:
    """The demo Apimo agency, with its fee schedule (`rates[]`)."""
    return {
        "id": AGENCY_ID,
        "name": "Agence Riviera Apimo",
        "company": {"id": 1, "name": "Riviera Transactions SAS"},
        "legal_form": "SAS au capital de 20 000 €",
        "rcs": "RCS Nice 901 234 567",
        "email": "contact@riviera.example",
        "phone": "+33 4 93 12 34 56",
        "url": "https://www.riviera.example",
        "logo": f"{base_url}/logos/RIVIERA.png",
        "address": "8 avenue Jean Médecin",
        "city": {"id": 2123, "name": "Nice", "zipcode": "06000"},
        "latitude": 43.7009,
        "longitude": 7.2683,
        # Upper band open-ended (99 999 999, as Apimo accounts send it). The demo's sales
        # charge 5 % of the price excluding fees (at most 5 000 € below 100 000 €); its
        # tenants pay 13 €/m² with the inventory, under 15 % of a yearly rent of at least
        # 14 €/m² less 150 € of charges for 25 m² and more.
        "rates": [
            {"category": 1, "range_min": 0, "range_max": 100000, "commission_price": 6000},
            {"category": 1, "range_min": 100001, "range_max": 99999999, "commission_rate": 5},
            {
                "category": 2,
                "commission_rate": 15,
                "comment": "du loyer annuel hors charges, à la charge du locataire, "
                "état des lieux compris",
            },
        ],
    }


# What the Apimo agency object does not carry, entered by the demo's agent in the admin
# (Agency fields a sync never overwrites).
AGENCY_LEGAL_ENTRIES = {
    "registered_office": "8 avenue Jean Médecin, 06000 Nice",
    "professional_card": "CPI 0605 2020 000 045 123",
    "card_issuer": "CCI Nice Côte d'Azur",
    "financial_guarantee": "SOCAF, 26 avenue de Suffren, 75015 Paris",
    "guarantee_amount": "110 000 €",
    "rcp_insurer": "Allianz IARD, 1 cours Michelet, 92800 Puteaux",
}


def generate_property(index: int, *, seed: int = 0, base_url: str) -> dict[str, Any]:
    """The property at `index` (0-based) of a seed's sequence."""
    rng = random.Random(seed * 7_000_003 + index)
    pid = FIRST_PROPERTY_ID + index
    category = rng.choices([c for c, _ in CATEGORIES], weights=[w for _, w in CATEGORIES])[0]
    type_code, label, (smin, smax), (rmin, rmax) = rng.choice(TYPES)
    if category in (3, 5):
        type_code, label, (smin, smax), (rmin, rmax) = TYPES[rng.randrange(2)]
    place = PLACES[index % len(PLACES)]
    surface = rng.randint(smin, smax)
    rooms = rng.randint(rmin, rmax) if rmax else 0
    updated = EPOCH - timedelta(hours=index * 7)
    price: dict[str, Any] = {"currency": "EUR", "hide": rng.random() < 0.05}
    if category == 2:
        rent = surface * rng.randint(14, 24)
        price.update(value=rent, fees=rng.randint(30, 150), deposit=rent, commission=surface * 10)
        price.update(inventory=surface * 3, period=4)
    elif category == 3:
        price.update(value=rng.randint(5, 20) * 100, period=2)
    elif category == 5:
        price.update(
            value=surface * 4000, contribution=surface * 1500, pension=rng.randint(5, 15) * 100
        )
    else:
        net = surface * rng.randint(30, 60) * 100
        commission = net * 5 // 100
        price.update(value=net + commission, commission=commission)
    energy, climate = rng.randint(50, 450), rng.randint(3, 110)
    dwelling = type_code in (1, 2)
    bedrooms = max(rooms - 1, 0)
    return {
        "id": pid,
        "reference": f"RIV-{pid}",
        "agency": AGENCY_ID,
        "user": {
            "id": 10 + index % 3,
            "firstname": AGENTS[index % 3][0],
            "lastname": AGENTS[index % 3][1],
            "email": f"agent{index % 3}@riviera.example",
            "mobile": f"+33 6 00 00 00 0{index % 3}",
        },
        "step": 1,
        "status": 22 if index % 11 == 0 else 1,
        "category": category,
        "type": type_code,
        "subtype": 0,
        "agreement": {"type": rng.choice((1, 3)), "reference": f"M{pid}"},
        "address": f"{rng.randint(1, 80)} {rng.choice(place.streets)}",
        "publish_address": index % 4 == 0,
        "city": {"id": index, "name": place.city, "zipcode": place.zip_code},
        "district": {"id": 1, "name": "Centre"} if index % 3 == 0 else None,
        "latitude": round(place.lat + rng.uniform(-0.01, 0.01), 6),
        "longitude": round(place.lng + rng.uniform(-0.01, 0.01), 6),
        "radius": 0 if index % 4 == 0 else 300,
        "area": {"unit": 1, "value": f"{surface}.0"},
        "rooms": f"{rooms}.0" if rooms else None,
        # Half the properties give bedrooms only through their bedroom areas.
        "bedrooms": bedrooms if index % 2 else None,
        "sleeps": rooms * 2 if category == 3 else None,
        "price": price,
        "residence": {"type": 1, "fees": rng.randint(40, 250), "lots": rng.randint(6, 80)}
        if type_code == 1
        else None,
        "floor": {"type": 1, "value": rng.randint(0, 6), "floors": 7} if type_code == 1 else None,
        "condition": None,
        "pictures": [
            {
                "id": pid * 10 + n,
                "rank": n,
                "url": f"{base_url}/pictures/estate/{AGENCY_ID}/{pid}/{n}_1024.jpg",
                "width_max": 800,
                "height_max": 600,
                "comments": [],
            }
            for n in (2, 1, 3)
        ],
        "medias": [{"id": pid, "type": 2, "value": "https://youtu.be/JGowo0ARgPo"}]
        if index % 5 == 0
        else [],
        "comments": [
            {
                "language": "fr",
                "title": f"{label} {rooms} pièce{'s' if rooms > 1 else ''} à {place.city}"
                if rooms
                else f"{label} à {place.city}",
                "comment": f"{label} de {surface} m² à {place.city}, au calme, proche des commerces.",
            },
            {
                "language": "en",
                "title": f"{label} in {place.city}",
                "comment": f"A {surface} m² property in {place.city}, quiet and close to shops.",
            },
        ]
        if index % 9
        else [],
        "areas": [{"type": 1, "number": bedrooms, "area": 11}, {"type": 8, "number": 1}]
        if bedrooms
        else [],
        "regulations": [
            {
                "type": 1,
                "value": str(energy),
                "label": dpe.letter_for(energy, dpe.ENERGY_THRESHOLDS),
                "date": "2024-05-02",
            },
            {
                "type": 2,
                "value": str(climate),
                "label": dpe.letter_for(climate, dpe.CLIMATE_THRESHOLDS),
                "date": "2024-05-02",
            },
        ]
        # A flat is a co-ownership lot: its Loi Carrez surface (regulation 3, m²).
        + ([{"type": 3, "value": f"{surface - 1.5:.2f}", "date": None}] if type_code == 1 else [])
        if dwelling
        else [],
        "owner": f"owner-{pid}",
        "visit": {"contact": f"visit-{pid}", "comment": "Clés chez le gardien"},
        "private_comment": "Vendeur pressé",
        "created_at": (updated - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S"),
        "updated_at": updated.strftime("%Y-%m-%d %H:%M:%S"),
    }


def generate_properties(count: int, *, seed: int = 0, base_url: str) -> list[dict[str, Any]]:
    return [generate_property(i, seed=seed, base_url=base_url) for i in range(count)]
