"""The provider registry: one declaration per provider drives the command, the admin form
and the sync engine."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from showcase.feeds.admin import FeedForm
from showcase.feeds.models import DEFAULT_BASE_URLS, Feed, FeedKind
from showcase.feeds.registry import PROVIDERS, missing_credentials, provider_for
from showcase.listings.admin import ListingAdmin

pytestmark = pytest.mark.django_db


def test_every_feed_kind_has_a_provider_and_a_default_base_url():
    assert list(PROVIDERS) == list(FeedKind.values)
    assert set(DEFAULT_BASE_URLS) == set(FeedKind.values)
    for kind, spec in PROVIDERS.items():
        assert spec.kind == kind
        assert provider_for(Feed(kind=kind, base_url="http://x.test")) is not None


def test_the_command_reports_a_blank_credential_naming_its_option():
    with pytest.raises(CommandError, match=r"api_key: A Gedeon feed needs its API key \(--key\)"):
        call_command("feeds", "add", "gedeon", "--name", "parc", "--key", " ", stdout=StringIO())
    with pytest.raises(CommandError) as refused:
        call_command(
            "feeds",
            *("add", "apimo", "--name", "a", "--provider", "", "--token", "t", "--agency", " "),
            stdout=StringIO(),
        )
    assert str(refused.value) == (
        "provider_id: An Apimo feed needs --provider. upstream_agency_id: An Apimo feed needs "
        "--agency."
    )
    assert not Feed.objects.exists()


@pytest.mark.parametrize(
    ("kind", "given", "refused", "message"),
    [
        ("gedeon", {}, ["api_key"], "A Gedeon feed needs its API key."),
        (
            "apimo",
            {"token": "t"},
            ["provider_id", "upstream_agency_id"],
            "An Apimo feed needs this.",
        ),
    ],
)
def test_the_admin_form_reports_each_missing_credential_under_its_field(
    kind, given, refused, message
):
    data = {"name": "new", "kind": kind, "base_url": "http://x.test", "is_active": "on", **given}
    with translation.override("en"):
        form = FeedForm(data=data)
        assert not form.is_valid()
        assert {name: form.errors[name] for name in refused} == {
            name: [message] for name in refused
        }
    assert set(form.errors) == set(refused)


def test_an_unknown_kind_needs_no_credential_its_callers_refuse_the_kind():
    assert missing_credentials("nope", {}) == []


def test_the_apimo_panel_is_added_once_to_the_listing_admin():
    assert [panel.field for panel in ListingAdmin.panels] == ["apimo_panel"]
    ListingAdmin.add_panel(PROVIDERS["apimo"].listing_panel)
    assert len(ListingAdmin.panels) == 1
