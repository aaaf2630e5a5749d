from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from showcase.feeds.models import Feed
from showcase.leads.models import Lead
from showcase.listings.models import ListingFlags
from tests.admin.test_listing_flags import flags_form


def lead_for(tenant, listing, email):
    return Lead.objects.create(
        tenant=tenant,
        listing=listing,
        name="X",
        email=email,
        message="Bonjour, ce bien m'intéresse.",
        dedupe_key=email,
    )


@pytest.fixture
def world(two_agencies):
    w = dict(two_agencies)
    w["lead_a"] = lead_for(w["a"], w["listing_a"], "a@visitor.test")
    w["lead_b"] = lead_for(w["b"], w["listing_b"], "b@visitor.test")
    return w


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("key", ["listing_a", "agency_a", "feed_a", "lead_a", "a"])
def test_an_agent_of_a_can_open_a_objects(client, world, key):
    client.force_login(world["alice"])
    assert client.get(change_url(world[key])).status_code == 200


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("listing_b", "Maison B"),
        ("agency_b", "Agency B"),
        ("feed_b", "feed-b"),
        ("lead_b", "b@visitor.test"),
        ("b", "Agence B"),
    ],
)
def test_an_agent_of_a_can_neither_list_nor_open_nor_guess_b_objects(client, world, key, text):
    client.force_login(world["alice"])
    obj = world[key]
    listing = client.get(changelist_url(type(obj))).content.decode()
    assert text not in listing
    response = client.get(change_url(obj))
    # Django's admin answers an object out of the queryset like a missing one.
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_an_agent_cannot_change_a_b_listing_by_posting(client, world):
    client.force_login(world["alice"])
    b = world["listing_b"]
    client.post(
        change_url(b),
        flags_form({"tenant": world["b"].pk, "hidden": True, "internal_note": "pwned"}),
    )
    assert not ListingFlags.objects.exists()


def test_an_agent_cannot_export_b_leads_even_by_forging_the_selection(client, world):
    client.force_login(world["alice"])
    response = client.post(
        changelist_url(Lead),
        {
            "action": "export_csv",
            "_selected_action": [world["lead_a"].pk, world["lead_b"].pk],
        },
    )
    body = response.content.decode()
    assert "a@visitor.test" in body and "b@visitor.test" not in body


def test_agents_edit_only_their_fields_and_superusers_see_everything(client, world):
    client.force_login(world["alice"])
    a = world["listing_a"]
    row = {"tenant": world["a"].pk, "hidden": True, "featured": True, "display_order": 3}
    response = client.post(
        change_url(a), flags_form({**row, "internal_note": "visite samedi"}, price="1")
    )
    assert response.status_code == 302
    a.refresh_from_db()
    flags = a.flags.get(tenant=world["a"])
    assert (flags.hidden, flags.featured, flags.display_order, flags.internal_note) == (
        True,
        True,
        3,
        "visite samedi",
    )
    assert a.price == 250000  # synced fields are read-only
    root = get_user_model().objects.create_superuser("root", "root@x.test", "pw")
    client.force_login(root)
    body = client.get(changelist_url(Lead)).content.decode()
    assert "a@visitor.test" in body and "b@visitor.test" in body


def test_staff_without_a_tenant_sees_nothing(client, world):
    nobody = get_user_model().objects.create_user("nobody", "n@x.test", "pw", is_staff=True)
    client.force_login(nobody)
    assert client.get(changelist_url(Lead)).status_code == 403


def test_assignee_choices_are_scoped_to_the_tenant_agents(client, world):
    client.force_login(world["alice"])
    body = client.get(change_url(world["lead_a"])).content.decode()
    assert ">alice<" in body and ">bob<" not in body


def test_feed_credentials_are_write_only(client, world):
    client.force_login(world["alice"])
    feed = world["feed_a"]
    body = client.get(change_url(feed)).content.decode()
    assert feed.api_key not in body
    response = client.post(
        change_url(feed),
        {
            "name": feed.name,
            "kind": "gedeon",
            "base_url": "https://api.gedeon.im",
            "api_key": "",
            "provider_id": "",
            "token": "",
            "upstream_agency_id": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.api_key.startswith("key-")  # kept


def test_sync_now_starts_the_sync_of_an_own_feed_in_the_background(client, world):
    client.force_login(world["alice"])
    feed = world["feed_a"]
    with mock.patch("showcase.feeds.admin.sync_start_background") as start:
        response = client.post(
            changelist_url(Feed), {"action": "sync_now", "_selected_action": [feed.pk]}, follow=True
        )
    start.assert_called_once_with(feed=feed)
    assert "arrière-plan" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = (3, 600)
    url = reverse("admin:login")
    for _ in range(3):
        client.post(url, {"username": "alice", "password": "wrong"})
    response = client.post(url, {"username": "alice", "password": "pw"})
    assert response.status_code == 200  # still the login form: refused while locked out
    assert "_auth_user_id" not in client.session


def test_tenant_admin_lists_missing_legal_items(client, world):
    client.force_login(world["alice"])
    body = client.get(change_url(world["a"])).content.decode()
    assert "Directeur de la publication" in body


def test_agents_see_only_what_their_site_shows_when_the_scope_is_narrowed(client, world):
    from tests.factories import make_agency, make_listing

    other = make_agency(feed=world["feed_a"], upstream_id="OTHER", name="Other agency")
    make_listing(feed=world["feed_a"], agency=other, title="Not on site A")
    tenant = world["a"]
    tenant.agency_ids = [world["agency_a"].upstream_id]
    tenant.save()
    client.force_login(world["alice"])
    body = client.get(changelist_url(type(world["listing_a"]))).content.decode()
    assert "Maison A" in body and "Not on site A" not in body


def test_filters_never_name_another_agency_site(client, world):
    client.force_login(world["alice"])
    for model in (Lead, type(world["listing_a"])):
        body = client.get(changelist_url(model)).content.decode()
        assert "Agence B" not in body


def test_nobody_adds_a_sync_run_by_hand(client, two_agencies, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@x.test", "pw")
    client.force_login(boss)
    url = reverse("admin:feeds_syncrun_add")
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
