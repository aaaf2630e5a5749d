"""Realistic demo ads and agencies in the exact Gedeon API format (docs/upstreams/gedeon.md).

Deterministic for a seed; `generate_ads` is lazy and cheap per item, so the sync
benchmark can ask for 100,000 ads without holding them in memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from showcase.core import dpe
from showcase.demo.places import PLACES

FIRST_AD_ID = 100_001
EPOCH = datetime(2026, 11, 1, tzinfo=UTC)

# (code, transaction_type, weight)
TRANSACTIONS = (
    ("S", "Vente", 44),
    ("R", "Location", 20),
    ("H", "Location de Vacances", 8),
    ("L", "Viager", 7),
    ("P", "Programme Neuf", 8),
    ("O", "Bien vendu", 13),
)
# (category, subtypes, surface range m², rooms range, sale price per m² factor)
TYPES = (
    ("Appartement", ("Appartement", "Studio", "Duplex", "Loft"), (18, 140), (1, 6), 1.0),
    ("Maison", ("Maison", "Maison de ville", "Villa", "Longère"), (60, 260), (3, 9), 0.85),
    ("Garage", ("Garage", "Box", "Parking"), (10, 30), (0, 0), 0.35),
    ("Terrain", ("Terrain constructible", "Terrain de loisirs"), (300, 3000), (0, 0), 0.06),
    ("Local Industriel", ("Entrepôt", "Atelier"), (150, 1500), (0, 0), 0.3),
    ("Bureau", ("Bureau", "Plateau de bureaux"), (25, 400), (1, 10), 0.7),
    ("Commerce", ("Local commercial", "Fonds de commerce"), (30, 300), (1, 4), 0.6),
    ("Autre", ("Péniche", "Moulin", "Château"), (80, 600), (2, 12), 0.5),
)
TYPE_WEIGHTS = (40, 30, 5, 6, 3, 5, 5, 2)
# Price per m² of each place (sale), roughly realistic.
PRICE_M2 = {
    "75011": 10200,
    "75015": 9800,
    "69003": 5200,
    "13006": 4300,
    "33000": 5000,
    "44000": 4000,
    "31000": 3900,
    "59000": 3700,
    "06000": 5300,
    "67000": 4100,
    "34000": 3900,
    "35000": 4200,
    "74000": 6200,
    "42000": 1500,
    "13100": 5600,
    "17000": 5000,
    "64200": 8000,
    "74400": 8900,
    "20000": 3900,
    "20200": 3000,
    "97400": 3000,
}
HEATING = ("Gaz individuel", "Électrique", "Pompe à chaleur", "Collectif gaz", "Bois")
ADJECTIVES = ("lumineux", "rénové", "calme", "traversant", "avec vue", "plein sud", "de caractère")
FEATURES = (
    "cuisine équipée",
    "parquet ancien",
    "double vitrage",
    "cave",
    "balcon",
    "terrasse",
    "jardin arboré",
    "proche des écoles",
    "proche des transports",
    "ascenseur",
    "gardien",
)
CONTACTS = (
    ("Claire Martin", "claire.martin"),
    ("Julien Petit", "julien.petit"),
    ("Sophie Bernard", "sophie.bernard"),
    ("Thomas Leroy", "thomas.leroy"),
)


# Each agency's sale bands (upper bound of the price excluding fees in €, None = above;
# maximum fees in % of that price), non-cumulative and buyer-paid; the demo's ads charge
# exactly their band's rate, so every listing matches its own agency's schedule.
SALE_BANDS: dict[str, tuple[tuple[int | None, float], ...]] = {
    "AG-LYON": ((100_000, 6.0), (300_000, 5.0), (None, 4.0)),
    "AG-PARIS": ((200_000, 5.5), (500_000, 4.5), (None, 4.0)),
    "AG-MER": ((150_000, 6.0), (None, 5.0)),
    "AG-OUEST": ((100_000, 6.0), (250_000, 5.0), (None, 4.5)),
}
# Rental fees in € TTC per m² of living area: visits, file and lease; état des lieux.
RENT_PER_M2 = (10, 3)


def _percent_text(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _thousands(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def schedule_html(ident: str) -> str:
    """The agency's Gedeon `legal.honoraires`, written as agencies write it."""
    lines, lower = [], 0
    for upper, percent in SALE_BANDS[ident]:
        if upper is None:
            lines.append(
                f"<li>Au-delà de {_thousands(lower)} € : {_percent_text(percent)} % TTC</li>"
            )
        elif lower == 0:
            lines.append(f"<li>Jusqu'à {_thousands(upper)} € : {_percent_text(percent)} % TTC</li>")
        else:
            lines.append(
                f"<li>De {_thousands(lower + 1)} € à {_thousands(upper)} € : "
                f"{_percent_text(percent)} % TTC</li>"
            )
        lower = upper or lower
    tenant, inventory = RENT_PER_M2
    return (
        "<h3>Vente</h3><ul>" + "".join(lines) + "</ul>"
        "<p>Honoraires à la charge de l'acquéreur, non cumulatifs, calculés sur le prix "
        "hors honoraires.</p>"
        f"<h3>Location</h3><p>Visite, dossier, bail : {tenant} € TTC/m² ; "
        f"état des lieux : {inventory} € TTC/m² (locataire et bailleur).</p>"
    )


def band_percent(ident: str, net: int) -> float:
    """The maximum rate of the agency's band for a price of `net` € excluding fees."""
    for upper, percent in SALE_BANDS[ident]:
        if upper is None or net <= upper:
            return percent
    raise ValueError(f"no band for {net} €")


def agencies(*, base_url: str = "http://127.0.0.1:8765") -> list[dict[str, Any]]:
    """Four agencies with full legal blocks and opening hours."""
    rows = (
        (
            "AG-LYON",
            "Agence Bellecour Immobilier",
            "Lyon",
            "69003",
            45.7597,
            4.8590,
            "SARL",
            "RCS Lyon 812 345 678",
            "CPI 6901 2018 000 012 345",
            "CCI Lyon Métropole",
        ),
        (
            "AG-PARIS",
            "Roquette & Associés",
            "Paris",
            "75011",
            48.8590,
            2.3800,
            "SAS",
            "RCS Paris 901 234 567",
            "CPI 7501 2016 000 045 678",
            "CCI Paris Île-de-France",
        ),
        (
            "AG-MER",
            "Littoral Immobilier",
            "Nice",
            "06000",
            43.7102,
            7.2620,
            "SAS",
            "RCS Nice 803 456 789",
            "CPI 0605 2019 000 023 456",
            "CCI Nice Côte d'Azur",
        ),
        (
            "AG-OUEST",
            "Atlantique Habitat",
            "Nantes",
            "44000",
            47.2184,
            -1.5536,
            "EURL",
            "RCS Nantes 794 567 890",
            "CPI 4401 2017 000 034 567",
            "CCI Nantes St-Nazaire",
        ),
    )
    result = []
    for ident, name, city, zip_code, lat, lng, form, rcs, card, cci in rows:
        slug = ident.lower()
        result.append(
            {
                "id": ident,
                "name": name,
                "homepage": f"https://{slug}.example",
                "logo": f"{base_url}/logos/{ident}.png",
                "localization": {
                    "address": "1 place de la République",
                    "city": city,
                    "zip_code": zip_code,
                    "lat": lat,
                    "lng": lng,
                    "acc": 10.0,
                },
                "contact": {"emails": [f"contact@{slug}.example"], "phone": "04 72 00 00 00"},
                "photo": None,
                "description": f"{name} vous accompagne dans tous vos projets immobiliers depuis 2008.\n"
                "Vente, location, gestion : une équipe de six conseillers à votre écoute.",
                "opening_hours": "Mo 09:00-12:00,14:00-19:00;Tu 09:00-12:00,14:00-19:00;"
                "We 09:00-12:00,14:00-19:00;Th 09:00-12:00,14:00-19:00;"
                "Fr 09:00-12:00,14:00-18:00;Sa 10:00-12:30",
                "legal": {
                    "raison_sociale": name,
                    "forme_juridique": f"{form} au capital de 20 000 €",
                    "adresse_societe": f"1 place de la République, {zip_code} {city}",
                    "no_carte_pro": card,
                    "prefecture": cci,
                    "rcs": rcs,
                    "garantie_etablissement": "Galian, 89 rue La Boétie, 75008 Paris",
                    "garantie_montant": "120 000 €",
                    "rcp_nom": "MMA IARD, 14 boulevard Marie et Alexandre Oyon, 72030 Le Mans",
                    "rcp_montant": "1 500 000 €",
                    "honoraires": schedule_html(ident),
                    "infos": "<p>Médiateur : Médicys, 73 boulevard de Clichy, 75009 Paris, "
                    "www.medicys.fr</p>",
                },
            }
        )
    return result


def generate_agencies(*, base_url: str = "http://127.0.0.1:8765") -> list[dict[str, Any]]:
    """The demo agencies (the name the benchmarks and tests use beside `generate_ads`)."""
    return agencies(base_url=base_url)


def _ms_date(moment: datetime) -> str:
    return f"/Date({int(moment.timestamp() * 1000)})/"


def _euros(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u202f") + "\u00a0€"


def _extra(name: str, value: Any, *, display: bool = False, category: str = "") -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "value": value, "display": display}
    if category:
        entry["category"] = category
    return entry


def generate_ad(
    index: int, *, seed: int = 0, base_url: str = "http://127.0.0.1:8765"
) -> dict[str, Any]:
    """The ad at `index` (0-based) of a seed's sequence; the same every time."""
    rng = random.Random(seed * 1_000_003 + index)
    ad_id = FIRST_AD_ID + index
    code, label, _ = rng.choices(TRANSACTIONS, weights=[t[2] for t in TRANSACTIONS])[0]
    category, subtypes, (smin, smax), (rmin, rmax), factor = rng.choices(
        TYPES, weights=TYPE_WEIGHTS
    )[0]
    if code == "H" and category not in ("Appartement", "Maison"):
        category, subtypes, (smin, smax), (rmin, rmax), factor = TYPES[rng.randrange(2)]
    place = PLACES[index % len(PLACES)] if index < len(PLACES) * 3 else rng.choice(PLACES)
    agency = agencies(base_url=base_url)[index % 4]
    subtype = rng.choice(subtypes)
    surface = rng.randint(smin, smax)
    rooms = rng.randint(rmin, rmax) if rmax else 0
    if subtype == "Studio":
        surface, rooms = rng.randint(14, 32), 1
    bedrooms = max(rooms - 1, 0) if rooms else 0
    per_m2 = PRICE_M2.get(place.zip_code, 3500) * factor * rng.uniform(0.8, 1.25)
    is_dwelling = category in ("Appartement", "Maison", "Autre")

    extras: dict[str, Any] = {}
    price_info: dict[str, Any]
    fees_percent = rng.choice((4.0, 5.0, 5.5, 6.0))
    buyer_pays = rng.random() < 0.7
    if code in ("S", "O", "P", "L"):
        net = int(surface * per_m2 / 1000) * 1000 or 15000
        if code == "L":
            net = int(net * 0.45 / 1000) * 1000 or 10000  # the bouquet
        # The draw above keeps each seed's sequence; the rate is the agency's own.
        fees_percent = band_percent(agency["id"], net)
        fees = int(net * fees_percent / 100) if buyer_pays and code != "P" else 0
        price = net + fees
        if fees:
            pct = round(fees / net * 100, 2)
            pct_text = f"{pct:.2f}".replace(".", ",")
            price_info = {
                "price": {
                    "euros": _euros(price),
                    "prefix": "Bouquet" if code == "L" else "",
                    "suffix": "honoraires inclus",
                    "euros+": f"{_euros(price)} honoraires inclus",
                    "moreinfos": {"hors_honoraires": f"{_euros(net)} hors honoraires"},
                    "alurinfos": {
                        "honoraires": f"Honoraires : {pct_text} % TTC à la charge de l'acquéreur",
                        "prix_hors_honoraires": f"Prix hors honoraires : {_euros(net)}",
                    },
                }
            }
            extras["pourcentage_honoraires"] = _extra("Honoraires (%)", pct)
            extras["prix_hors_honoraires"] = _extra("Prix hors honoraires", net)
            extras["honoraires_a_charge_de"] = _extra("Honoraires à la charge de", "acquéreur")
        else:
            price_info = {
                "price": {
                    "euros": _euros(price),
                    "prefix": "",
                    "suffix": "",
                    "euros+": _euros(price),
                    "moreinfos": {},
                    "alurinfos": {"honoraires": "Honoraires à la charge du vendeur"},
                }
            }
            extras["honoraires_a_charge_de"] = _extra("Honoraires à la charge de", "vendeur")
        extras["url_bareme"] = _extra(
            "Barème", f"https://{agency['id'].lower()}.example/honoraires"
        )
        rent_period = ""
    else:
        monthly = max(int(surface * per_m2 / 230 / 10) * 10, 60)
        if code == "H":
            monthly = int(monthly * 0.4 / 10) * 10 or 300  # per week
            rent_period = "semaine"
        else:
            rent_period = "mois"
        charges = int(monthly * 0.08 / 5) * 5
        price = monthly
        deposit = monthly - charges
        tenant_fees = int(surface * RENT_PER_M2[0])
        inventory = int(surface * RENT_PER_M2[1])
        if code == "R":
            price_info = {
                "price": {
                    "euros": _euros(price),
                    "prefix": "",
                    "suffix": "CC/mois",
                    "euros+": f"{_euros(price)} CC/mois",
                    "moreinfos": {
                        "charges": f"dont {_euros(charges)} de charges (provision, "
                        "régularisation annuelle)"
                    },
                    "alurinfos": {
                        "depot": f"Dépôt de garantie : {_euros(deposit)}",
                        "honoraires": f"Honoraires charge locataire : {_euros(tenant_fees)} TTC "
                        f"dont {_euros(inventory)} d'état des lieux",
                    },
                }
            }
            extras["charges"] = _extra("Charges", charges)
            extras["depot_garantie"] = _extra("Dépôt de garantie", deposit)
            extras["honoraires_locataire"] = _extra("Honoraires locataire", tenant_fees)
            extras["honoraires_etat_des_lieux"] = _extra("État des lieux", inventory)
        else:
            price_info = {
                "price": {
                    "euros": _euros(price),
                    "prefix": "À partir de",
                    "suffix": "/semaine",
                    "euros+": f"À partir de {_euros(price)}/semaine",
                    "moreinfos": {},
                    "alurinfos": {"taxe": "Taxe de séjour en sus"},
                }
            }
            extras["couchages"] = _extra(
                "Couchages", max(rooms, 1) * 2, display=True, category="Équipements"
            )

    if rooms:
        extras["nb_chambres"] = _extra("Chambres", bedrooms, display=True, category="Intérieur")
        extras["nb_sdb"] = _extra(
            "Salles de bain", 1 + rooms // 5, display=True, category="Intérieur"
        )
    if category == "Maison":
        extras["surface_terrain"] = _extra(
            "Terrain", rng.randint(150, 2000), display=True, category="Extérieur"
        )
    if category == "Appartement":
        floor = rng.randint(0, 7)
        extras["etage"] = _extra("Étage", floor, display=True, category="Intérieur")
        extras["ascenseur"] = _extra("Ascenseur", floor > 2, display=True, category="Équipements")
        if code in ("S", "O", "L"):
            lots = rng.randint(4, 120)
            extras["copropriete"] = _extra("Copropriété", True)
            extras["copropriete_nb_lots"] = _extra("Nombre de lots", lots)
            extras["quote_part_annuelle"] = _extra("Charges annuelles", rng.randint(6, 40) * 100)
            extras["syndic_detail_procedure"] = _extra(
                "Procédure", "Pas de procédure en cours contre le syndicat des copropriétaires"
            )
    if is_dwelling and code != "P":
        extras["chauffage"] = _extra(
            "Chauffage", rng.choice(HEATING), display=True, category="Équipements"
        )
        extras["annee_construction"] = _extra(
            "Année de construction", rng.randint(1880, 2022), display=True, category="Général"
        )
        if category == "Appartement" and surface > 8:
            # A flat is a co-ownership lot: its Loi Carrez surface (m²), a little below.
            extras["surface_carrez"] = _extra("Surface Carrez", round(surface - 1.5, 2))
        dpe_kind = rng.random()
        if dpe_kind < 0.85:
            conso = rng.randint(45, 520)
            ges = max(int(conso * rng.uniform(0.05, 0.25)), 1)
            energy = dpe.label_letter(conso, ges)
            dpe_day = EPOCH - timedelta(days=rng.randint(30, 1500))
            extras["dpe_conso_en"] = _extra("Consommation énergétique", conso)
            extras["dpe_ges"] = _extra("Émissions de GES", ges)
            extras["dpe_date"] = _extra("Date du DPE", dpe_day.date().isoformat())
            extras["version_dpe"] = _extra("Version DPE", "2021")
            letter_key = "dpe_conso_en_lettre" if index % 2 else "dpe_conso_lettre"
            extras[letter_key] = _extra("Classe énergie", energy)
            extras["dpe_ges_lettre"] = _extra(
                "Classe climat", dpe.letter_for(ges, dpe.CLIMATE_THRESHOLDS)
            )
            low = int(surface * conso * 0.11 / 10) * 10
            extras["dpe_conso_min"] = _extra("Dépenses annuelles basses", low)
            extras["dpe_conso_max"] = _extra("Dépenses annuelles hautes", int(low * 1.35))
            extras["dpe_conso_ref"] = _extra(
                "Référence",
                "Prix moyens des énergies indexés au 1er janvier 2021 (abonnements compris)",
            )
        elif dpe_kind < 0.95:
            letter = rng.choice("BCDEFG")
            extras["dpe_conso_en_lettre"] = _extra("Classe énergie", letter)
            extras["dpe_ges_lettre"] = _extra("Classe climat", rng.choice("ABCDE"))
    if code == "L":
        extras["rente"] = _extra(
            "Rente mensuelle", rng.choice((0, 350, 600, 900, 1250)), display=True, category="Viager"
        )
        extras["occupe"] = _extra("Occupé", rng.random() < 0.7, display=True, category="Viager")
        extras["nb_tetes"] = _extra(
            "Nombre de têtes", rng.choice((1, 1, 2)), display=True, category="Viager"
        )
        if rng.random() < 0.25:
            extras["vente_a_terme"] = _extra("Vente à terme", True, display=True, category="Viager")
            extras["duree_terme"] = _extra(
                "Durée du terme (ans)",
                rng.choice((10, 12, 15, 20)),
                display=True,
                category="Viager",
            )
    if rng.random() < 0.12:
        extras["coup_de_coeur"] = _extra("Coup de cœur", True)
    if rng.random() < 0.3:
        extras["type_mandat"] = _extra("Type de mandat", "exclusif")

    created = EPOCH - timedelta(days=rng.randint(0, 200), minutes=rng.randint(0, 1440))
    updated = created + timedelta(days=rng.randint(0, 20))
    photo_count = rng.randint(0, 15) if index % 17 else 0
    timestamp = int(updated.timestamp())
    photos = [
        {"url": f"{base_url}/photos/{ad_id}/{n}/large/{timestamp}.jpg"}
        for n in range(1, photo_count + 1)
    ]
    if photos and rng.random() < 0.3:
        photos[0]["desc"] = "Vue principale"
    contact_name, mailbox = CONTACTS[index % len(CONTACTS)]
    street = rng.choice(place.streets)
    number = rng.randint(1, 120)
    public_address = rng.random() < 0.4
    jitter = 0.012 if place.city != "Paris" else 0.006
    adjective = rng.choice(ADJECTIVES)
    title = f"{subtype} {adjective} de {surface} m²" if surface else subtype
    if rooms:
        title += f" - {rooms} pièce{'s' if rooms > 1 else ''}"
    text = (
        f"{place.city} : {subtype.lower()} {adjective} de {surface} m²"
        + (
            f" offrant {rooms} pièces dont {bedrooms} chambre{'s' if bedrooms > 1 else ''}"
            if rooms
            else ""
        )
        + ".\n"
        + ", ".join(rng.sample(FEATURES, 3)).capitalize()
        + ".\n"
        + f"Contactez {contact_name} au 04 72 00 00 {index % 90 + 10:02d}."
    )
    text_en = (
        (f"{subtype} in {place.city}, {surface} m²" + (f", {rooms} rooms" if rooms else "") + ".")
        if rng.random() < 0.6
        else ""
    )
    ad: dict[str, Any] = {
        "id": ad_id,
        "title": title,
        "mandate": f"M{ad_id}",
        "ref": f"REF-{ad_id}",
        "transaction_type": label,
        "transaction_code": code,
        "nb_rooms": rooms,
        "text": text,
        "text_en": text_en,
        "price": price,
        "priceInfo": price_info,
        "rent_period": rent_period,
        "new": code == "P" or rng.random() < 0.05,
        "surface": surface,
        "type": {"category": category, "name": subtype},
        "agency": {
            "id": agency["id"],
            "name": agency["name"],
            "logo": agency["logo"],
            "homepage": agency["homepage"],
        },
        "localization": {
            "address": f"{number} {street}" if public_address else "",
            "city": place.city,
            "zip_code": place.zip_code,
            "lat": round(place.lat + rng.uniform(-jitter, jitter), 6),
            "lng": round(place.lng + rng.uniform(-jitter, jitter), 6),
            "acc": 10.0 if public_address else float(rng.choice((250, 500, 1000))),
        },
        "contact": {
            "name": contact_name,
            "mail": f"{mailbox}@{agency['id'].lower()}.example",
            "phone": f"04 72 00 00 {index % 90 + 10:02d}",
        },
        "extras": extras,
        "rooms_details": _rooms_details(rng, category, rooms, surface),
        "photos": photos,
        "virtualvisit": f"https://visite.example/{ad_id}" if rng.random() < 0.15 else "",
        "stats": {
            "created": _ms_date(created),
            "modified": _ms_date(updated),
            "updated": _ms_date(updated),
        },
    }
    return ad


def _rooms_details(rng: random.Random, category: str, rooms: int, surface: int) -> dict[str, Any]:
    if category not in ("Appartement", "Maison") or rooms < 1:
        return {}
    details: dict[str, Any] = {"séjour": {"surface": max(surface // 3, 12), "desc": "lumineux"}}
    for n in range(1, rooms):
        details[f"chambre {n}"] = {"surface": rng.randint(9, 16)}
    details["cuisine"] = {"desc": rng.choice(("équipée", "aménagée", "ouverte"))}
    details["sdb"] = {"nb": 1}
    details["wc"] = {"nb": 1 + rooms // 5}
    if rng.random() < 0.4:
        details["cave"] = {"surface": rng.randint(3, 10)}
    return details


def generate_ads(
    count: int, *, seed: int = 0, base_url: str = "http://127.0.0.1:8765"
) -> Iterator[dict[str, Any]]:
    """`count` ads, ids increasing from FIRST_AD_ID (Gedeon's `sort=ad_id asc`)."""
    for index in range(count):
        yield generate_ad(index, seed=seed, base_url=base_url)
