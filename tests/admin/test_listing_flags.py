"""Agent flags belong to the site: in the admin an agent sets hidden, featured, display
order and note for their own sites only, and the operator sees every site's row."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from showcase.listings.models import ListingFlags
from tests.factories import make_flags, make_tenant


def change_url(listing):
    return reverse("admin:listings_listing_change", args=[listing.pk])


def flags_form(*rows: dict[str, Any], initial: int = 0, **extra: Any) -> dict[str, Any]:
    """The listing change form's POST: its per-site flags rows (the inline formset)."""
    data: dict[str, Any] = {
        "flags-TOTAL_FORMS": str(len(rows)),
        "flags-INITIAL_FORMS": str(initial),
        "flags-MIN_NUM_FORMS": "0",
        "flags-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, row in enumerate(rows):
        for name, value in {"display_order": 0, **row}.items():
            if value is True:
                value = "on"
            if value is False:
                continue  # an unticked box is absent from a POST
            data[f"flags-{i}-{name}"] = "" if value is None else str(value)
    return data


@pytest.fixture
def shared(two_agencies):
    """Tenants A and B both read feed A (one feed, two sites); carol works for both."""
    w = dict(two_agencies)
    w["b"].feeds.add(w["feed_a"])
    w["shared"] = w["listing_a"]
    carol = get_user_model().objects.create_user("carol", "c@x.test", "pw", is_staff=True)
    w["a"].agents.add(carol)
    w["b"].agents.add(carol)
    w["carol"] = carol
    w["root"] = get_user_model().objects.create_superuser("root", "root@x.test", "pw")
    return w


def test_an_agent_sets_the_flags_of_their_own_site_only(client, shared):
    client.force_login(shared["alice"])
    listing = shared["shared"]
    row = {"tenant": shared["a"].pk, "hidden": True, "featured": True, "display_order": 3}
    response = client.post(change_url(listing), flags_form({**row, "internal_note": "samedi"}))
    assert response.status_code == 302
    assert list(
        ListingFlags.objects.values_list(
            "tenant", "hidden", "featured", "display_order", "internal_note"
        )
    ) == [(shared["a"].pk, True, True, 3, "samedi")]


def test_an_agent_cannot_see_another_sites_flags_on_a_shared_listing(client, shared):
    make_flags(shared["shared"], shared["b"], hidden=True, internal_note="note de B")
    client.force_login(shared["alice"])
    body = client.get(change_url(shared["shared"])).content.decode()
    assert "note de B" not in body and "Agence B" not in body


def test_an_agent_cannot_write_another_sites_flags_by_posting(client, shared):
    b_row = make_flags(shared["shared"], shared["b"], internal_note="note de B")
    client.force_login(shared["alice"])
    listing = shared["shared"]
    # A new row for B: B is not among alice's choices.
    response = client.post(change_url(listing), flags_form({"tenant": shared["b"].pk, "hidden": 1}))
    assert response.status_code == 200 and "errornote" in response.content.decode()
    # B's existing row, by its id: not in alice's formset.
    forged = {"id": b_row.pk, "tenant": shared["a"].pk, "hidden": True}
    client.post(change_url(listing), flags_form(forged, initial=1))
    b_row.refresh_from_db()
    assert (b_row.tenant_id, b_row.hidden, b_row.internal_note) == (
        shared["b"].pk,
        False,
        "note de B",
    )
    assert ListingFlags.objects.count() == 1


def test_an_agent_of_several_sites_picks_the_site_explicitly(client, shared):
    client.force_login(shared["carol"])
    listing = shared["shared"]
    body = client.get(change_url(listing)).content.decode()
    assert "Agence A" in body and "Agence B" in body
    response = client.post(change_url(listing), flags_form({"tenant": "", "hidden": True}))
    assert response.status_code == 200 and ListingFlags.objects.count() == 0
    response = client.post(change_url(listing), flags_form({"tenant": shared["b"].pk, "hidden": 1}))
    assert response.status_code == 302
    assert list(ListingFlags.objects.values_list("tenant", "hidden")) == [(shared["b"].pk, True)]


def test_an_agent_cannot_leave_a_site_with_two_rows(client, shared):
    client.force_login(shared["carol"])
    twice = flags_form({"tenant": shared["a"].pk, "hidden": 1}, {"tenant": shared["a"].pk})
    response = client.post(change_url(shared["shared"]), twice)
    assert response.status_code == 200 and ListingFlags.objects.count() == 0


def test_flags_are_refused_for_a_site_that_does_not_show_the_listing(client, shared):
    client.force_login(shared["root"])
    # Autre reads the feed but shows its rentals only; the listing is for sale.
    other = make_tenant("autre.test", feeds=[shared["feed_a"]], name="Autre", transactions=["rent"])
    response = client.post(change_url(shared["shared"]), flags_form({"tenant": other.pk}))
    assert response.status_code == 200
    assert "Autre ne présente pas cette annonce." in response.content.decode()
    assert ListingFlags.objects.count() == 0


def test_agents_cannot_set_the_platforms_flags(client, shared):
    client.force_login(shared["alice"])
    response = client.post(change_url(shared["shared"]), flags_form({"tenant": "", "hidden": 1}))
    assert response.status_code == 200 and ListingFlags.objects.count() == 0


def test_the_operator_sees_and_sets_every_sites_rows_and_the_platforms(client, shared):
    listing = shared["shared"]
    make_flags(listing, shared["a"], internal_note="note de A")
    make_flags(listing, shared["b"], internal_note="note de B")
    client.force_login(shared["root"])
    body = client.get(change_url(listing)).content.decode()
    assert "note de A" in body and "note de B" in body
    response = client.post(change_url(listing), flags_form({"tenant": "", "featured": True}))
    assert response.status_code == 302
    assert ListingFlags.objects.get(tenant=None).featured


def test_the_change_list_shows_each_site_flags_to_whom_may_see_them(client, shared):
    listing = shared["shared"]
    make_flags(listing, shared["a"], hidden=True)
    make_flags(listing, shared["b"], featured=True, display_order=2)
    url = reverse("admin:listings_listing_changelist")
    client.force_login(shared["alice"])
    body = client.get(url).content.decode()
    assert "Agence A: masquée" in body and "Agence B" not in body
    client.force_login(shared["root"])
    body = client.get(url).content.decode()
    assert "Agence A: masquée" in body and "Agence B: coup de cœur (2)" in body


def test_the_hidden_status_filter_reads_the_sites_flags(client, shared):
    listing = shared["shared"]
    make_flags(listing, shared["b"], hidden=True)
    url = reverse("admin:listings_listing_changelist")
    client.force_login(shared["alice"])
    assert "Maison A" not in client.get(url + "?status=hidden").content.decode()
    assert "Maison A" in client.get(url + "?status=live").content.decode()
    client.force_login(shared["carol"])
    assert "Maison A" in client.get(url + "?status=hidden").content.decode()
    on_a = client.get(url + f"?status=hidden&site={shared['a'].pk}").content.decode()
    assert "Maison A" not in on_a


def test_a_listing_of_a_site_the_agent_sees_lists_no_empty_row_once_every_site_has_one(
    client, shared
):
    make_flags(shared["shared"], shared["a"])
    client.force_login(shared["alice"])
    body = client.get(change_url(shared["shared"])).content.decode()
    assert 'name="flags-TOTAL_FORMS" value="1"' in body


def test_the_site_choices_are_the_users_sites_reading_the_listings_feed(client, shared):
    make_tenant("ailleurs.test", name="Ailleurs")  # reads another feed
    client.force_login(shared["root"])
    body = client.get(change_url(shared["shared"])).content.decode()
    assert ">Agence A<" in body and ">Agence B<" in body and ">Ailleurs<" not in body
    client.force_login(shared["carol"])
    body = client.get(change_url(shared["listing_b"])).content.decode()  # feed B: site B only
    assert ">Agence B<" in body and ">Agence A<" not in body
