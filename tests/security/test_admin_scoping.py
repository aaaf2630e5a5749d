"""An agent's back office names nothing of other sites: filters list only their sites'
choices, and "view on site" answers another site's row like a missing one (#16, point 11)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from showcase.core.admin import ScopedRelatedFieldListFilter, SiteScopedAdmin
from showcase.listings.admin import ListingAdmin
from showcase.listings.models import Listing
from tests.factories import make_agency, make_feed, make_listing

pytestmark = pytest.mark.django_db

B_NAMES = ("feed-b", "Agence B", "Agency B", "Maison B", "agence-b.test", "bob@b.test")


def scoped_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SiteScopedAdmin)
    ]


def test_every_relation_filter_of_every_scoped_admin_lists_only_visible_rows(rf, two_agencies):
    request = rf.get("/")
    request.user = two_agencies["alice"]
    for model, model_admin in scoped_admins():
        for item in model_admin.get_list_filter(request):
            if isinstance(item, type):  # a custom filter with its own (scoped) lookups
                continue
            name = item if isinstance(item, str) else item[0]
            if model._meta.get_field(name.split("__")[0]).is_relation:
                assert item[1] is ScopedRelatedFieldListFilter, (model, name)


def test_changelists_name_no_row_of_another_site(client, two_agencies):
    client.force_login(two_agencies["alice"])
    for model, _model_admin in scoped_admins():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, model
        body = response.content.decode()
        for name in B_NAMES:
            assert name not in body, (model, name)


def test_filters_over_a_path_or_an_explicit_related_filter_are_scoped_too(
    client, two_agencies, monkeypatch
):
    monkeypatch.setattr(
        ListingAdmin,
        "list_filter",
        ["agency__feed", ("agency", admin.RelatedFieldListFilter), "feed"],
    )
    # Two rows of A each: a filter with a single choice is not shown.
    feed_a2 = make_feed(name="feed-a2")
    two_agencies["a"].feeds.add(feed_a2)
    make_listing(feed=feed_a2, agency=make_agency(feed=feed_a2, name="Agency A2"), title="A2")
    client.force_login(two_agencies["alice"])
    body = client.get(reverse("admin:listings_listing_changelist")).content.decode()
    assert "feed-a2" in body and "Agency A2" in body
    assert "feed-b" not in body and "Agency B" not in body


def test_view_on_site_gives_the_same_404_for_another_sites_row_and_a_missing_one(
    client, two_agencies, settings
):
    settings.DEBUG = False
    client.force_login(two_agencies["alice"])
    listing_type = ContentType.objects.get_for_model(Listing).pk
    other_url = reverse("admin-view-on-site", args=[listing_type, two_agencies["listing_b"].pk])
    missing_url = reverse("admin-view-on-site", args=[listing_type, 987654])
    other, missing = client.get(other_url), client.get(missing_url)
    assert other.status_code == missing.status_code == 404
    # The page names the address asked for (its canonical link), and nothing else differs.
    assert other.content.decode().replace(other_url, "") == missing.content.decode().replace(
        missing_url, ""
    )
