"""The typed records a mapping hands to the sync engine follow the models they fill."""

from __future__ import annotations

import dataclasses

import pytest

from showcase.feeds.records import AGENCY_COLUMNS, LISTING_COLUMNS, AgencyRecord, ListingRecord
from showcase.feeds.sync import SYNCED_FIELDS
from showcase.listings.models import AGENT_FIELDS, DISPLAY_ONLY_FIELDS, Agency, Listing

# Columns the sync engine sets itself, never a mapping.
ENGINE_COLUMNS = {"agency", "content_hash", "last_seen_at", "withdrawn_at"}
ENGINE_COLUMNS |= {"compliance_issues", "is_compliant"}


def test_a_listing_record_has_one_field_per_synced_column_and_none_agent_owned():
    assert set(LISTING_COLUMNS) == set(SYNCED_FIELDS) - ENGINE_COLUMNS
    assert not set(LISTING_COLUMNS) & set(AGENT_FIELDS)
    assert set(DISPLAY_ONLY_FIELDS) <= set(LISTING_COLUMNS)


@pytest.mark.parametrize(
    ("record", "model", "columns"),
    [(ListingRecord, Listing, LISTING_COLUMNS), (AgencyRecord, Agency, AGENCY_COLUMNS)],
)
def test_a_record_defaults_to_what_the_model_stores_when_a_provider_says_nothing(
    record, model, columns
):
    for field in dataclasses.fields(record):
        if field.name not in columns:
            continue
        default = (
            field.default_factory()
            if field.default_factory is not dataclasses.MISSING
            else field.default
        )
        if default is dataclasses.MISSING:
            continue  # required: every mapping gives it
        assert default == model._meta.get_field(field.name).get_default(), field.name


def test_columns_are_the_model_keyword_arguments():
    record = ListingRecord(upstream_id="7", transaction="sell", title="Maison", price=1)
    columns = record.columns()
    assert tuple(columns) == LISTING_COLUMNS
    assert (columns["title"], columns["price"], columns["medias"]) == ("Maison", 1, [])
    assert "upstream_id" not in columns and "photos" not in columns
    listing = Listing(upstream_id="7", **columns)
    assert listing.title == "Maison"
