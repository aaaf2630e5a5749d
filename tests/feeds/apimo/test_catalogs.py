"""The shipped Apimo catalogs: every code the mapping reads is named as Apimo names it,
and the sync asks the endpoint for the catalogs by their real names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import responses

from showcase.feeds.apimo import catalogs as apimo_catalogs
from showcase.feeds.apimo import mapping, parts
from showcase.feeds.apimo.catalogs import NAMES, Catalogs, catalogs_load
from showcase.feeds.apimo.client import ApimoClient
from tests.factories import make_apimo_feed

# The facts: GET /catalogs/{name}?culture=fr as the live endpoint served it.
FACTS = json.loads(
    (Path(__file__).resolve().parents[3] / "showcase/feeds/apimo/catalogs-fr.json").read_text()
)["catalogs"]
BASE = "http://apimo.test"

# Every code the mapping reads by value, with its catalog.
READ_CODES = {
    "property_category": set(mapping.CATEGORY_TRANSACTIONS),
    "property_type": set(mapping.TYPES),
    "property_step": {mapping.PUBLIC_STEP, mapping.DELETED_STEP},
    "property_status": mapping.AVAILABLE_STATUSES | mapping.SOLD_STATUSES,
    "property_period": set(parts.MONTHS_PER_PERIOD) | {parts.MONTHLY},
    "property_areas": parts.BEDROOM_AREAS | parts.BATHROOM_AREAS,
    "property_regulation": {
        parts.DPE_REGULATION,
        parts.GES_REGULATION,
        parts.CARREZ_REGULATION,
        parts.COST_LOW_REGULATION,
        parts.COST_HIGH_REGULATION,
        parts.COST_YEAR_REGULATION,
    }
    | parts.ENERGY_LETTER_REGULATIONS
    | parts.CLIMATE_LETTER_REGULATIONS,
}


@pytest.mark.parametrize("name", sorted(READ_CODES))
def test_every_code_the_mapping_reads_has_a_label_in_the_real_catalogs(name):
    facts = {int(code) for code in FACTS[name]}
    assert READ_CODES[name] - facts == set()
    shipped = Catalogs()
    assert all(shipped.label(name, code) for code in READ_CODES[name])


def test_every_unit_the_mapping_converts_is_a_label_of_the_unit_catalog():
    labels = set(FACTS["unit_area"].values())
    assert {label for label in mapping.M2_PER_UNIT if label != "m2"} <= labels
    assert FACTS["unit_area"]["1"] == "m²"


@pytest.mark.parametrize("name", NAMES)
def test_the_shipped_catalogs_are_the_real_ones_in_full(name):
    assert name in FACTS, f"{name} is not a catalog Apimo serves"
    assert Catalogs().tables[name] == {int(code): label for code, label in FACTS[name].items()}


def test_the_labels_are_apimos_own():
    shipped = Catalogs()
    assert len(shipped.tables["property_areas"]) == 113
    assert len(shipped.tables["property_regulation"]) == 142
    assert shipped.label("property_areas", 41) == "Salle de bains / toilettes"
    assert shipped.label("property_areas", 42) == "Salle de douche / toilettes"
    assert shipped.label("property_areas", 13) == "Salle de douche"
    assert shipped.label("property_status", 24) == "Sous contrat vente/location"
    assert shipped.label("property_status", 35) == "Vente/location annulée"
    assert shipped.label("property_status", 40) == "Détruire cette fiche"
    assert shipped.label("property_status", 27) is None
    assert shipped.label("property_agreement", 5) == "Exclusif agence"


def test_every_bedroom_kind_of_the_catalog_counts_as_a_bedroom():
    kinds = {
        int(code)
        for code, label in FACTS["property_areas"].items()
        if re.search(r"\bchambre\b|\bsuite\b", label, re.IGNORECASE)
        and "froide" not in label.lower()  # 114 "Chambre froide": a cold room
    }
    assert kinds == parts.BEDROOM_AREAS


def test_a_missing_snapshot_file_is_a_clear_error(tmp_path):
    with pytest.raises(OSError):
        apimo_catalogs.snapshot_load(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"about": "no catalogs"}')
    with pytest.raises((KeyError, ValueError)):
        apimo_catalogs.snapshot_load(broken)


@pytest.mark.django_db
@responses.activate
def test_the_catalogs_are_requested_by_their_real_names_and_never_property_unit():
    for name in NAMES:
        responses.get(f"{BASE}/catalogs/{name}", json=[])
    client = ApimoClient(make_apimo_feed(name="nice"))
    catalogs_load(client.catalog)
    asked = [call.request.url.split("?")[0].rsplit("/", 1)[1] for call in responses.calls]
    assert sorted(asked) == sorted(NAMES)
    assert "property_unit" not in asked and "unit_area" in asked
    assert all("culture=fr" in call.request.url for call in responses.calls)


def test_the_fingerprint_changes_with_any_label_and_only_then():
    assert Catalogs().fingerprint == Catalogs().fingerprint
    same = Catalogs({"property_areas": {41: "Salle de bains / toilettes"}})
    assert same.fingerprint == Catalogs().fingerprint
    relabelled = Catalogs({"property_areas": {41: "Salle de bains avec WC"}})
    assert relabelled.fingerprint != Catalogs().fingerprint
    added = Catalogs({"property_subtype": {500: "Tiny house"}})
    assert added.fingerprint != Catalogs().fingerprint
