"""The typed site on every request, and the one scope rule per model behind public pages
and the admin."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse

from showcase.alerts.models import Alert
from showcase.core.site import Site
from showcase.feeds.models import Feed, SyncRun
from showcase.leads.models import Lead
from showcase.listings.models import Agency, Listing
from showcase.listings.search import listing_search
from showcase.tenants.models import Domain, Tenant
from showcase.tenants.resolver import resolve_host
from tests.factories import make_feed, make_listing, make_tenant


def test_platform_site_is_an_explicit_value_showing_the_whole_catalogue(two_agencies):
    platform = Site.platform()
    assert platform.is_platform and platform.tenant is None and platform.key == "0"
    titles = {x.title for x in Listing.objects.for_site(platform)}
    assert {"Maison A", "Maison B"} <= titles
    assert Agency.objects.for_site(platform).count() == 2
    assert Feed.objects.for_site(platform).count() == 2


def test_tenant_site_carries_its_primary_host_feeds_and_scope(two_agencies):
    tenant = two_agencies["a"]
    tenant.agency_ids, tenant.transactions = ["AG-1"], ["sell"]
    site = tenant.site()
    assert site.primary_host == "agence-a.test"
    assert site.feed_ids == {two_agencies["feed_a"].pk}
    assert site.agency_ids == {"AG-1"} and site.transactions == {"sell"}
    with pytest.raises(AttributeError):
        site.primary_host = "evil.test"  # frozen: nothing patches a site afterwards


def test_leads_and_alerts_of_the_platform_are_those_received_on_it(two_agencies):
    common = {"name": "X", "message": "Bonjour", "email": "x@v.test"}
    on_a = Lead.objects.create(tenant=two_agencies["a"], dedupe_key="a", **common)
    on_platform = Lead.objects.create(tenant=None, dedupe_key="p", **common)
    assert list(Lead.objects.for_site(Site.platform())) == [on_platform]
    assert list(Lead.objects.for_site(two_agencies["a"].site())) == [on_a]
    alert = Alert.objects.create(tenant=None, email="x@v.test", base_url="http://x")
    assert list(Alert.objects.for_site(Site.platform())) == [alert]
    assert not Alert.objects.for_site(two_agencies["b"].site()).exists()


def test_visible_to_gives_an_agent_the_union_of_their_sites_and_a_superuser_everything(
    two_agencies, django_user_model
):
    alice = two_agencies["alice"]
    two_agencies["b"].agents.add(alice)
    both = {"Maison A", "Maison B"}
    assert {x.title for x in Listing.objects.visible_to(alice)} == both
    assert not Listing.objects.visible_to(two_agencies["bob"]).filter(title="Maison A").exists()
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    assert not Listing.objects.visible_to(nobody).exists()
    boss = django_user_model.objects.create_superuser("boss", "boss@x.test", "pw")
    assert SyncRun.objects.visible_to(boss).query.where == SyncRun.objects.all().query.where


def test_a_site_narrowed_by_transactions_shows_the_same_rows_on_pages_and_in_the_admin(
    client, two_agencies
):
    tenant = two_agencies["a"]
    make_listing(
        feed=two_agencies["feed_a"], upstream_id="A2", title="Location A", transaction="rent"
    )
    tenant.transactions = ["rent"]
    tenant.save()
    public = listing_search(site=tenant.site(), params=QueryDict("")).results
    admin_rows = Listing.objects.visible_to(two_agencies["alice"])
    assert [x.title for x in public] == ["Location A"]
    assert {x.title for x in admin_rows} == {"Location A"}


def test_editing_a_domain_outside_a_request_clears_the_host_cache(
    two_agencies, django_capture_on_commit_callbacks
):
    assert resolve_host("agence-a.test").site.tenant == two_agencies["a"]
    # As from `manage.py shell` or a command: no middleware module imported on purpose.
    with django_capture_on_commit_callbacks(execute=True):
        Domain.objects.filter(host="agence-a.test").get().delete()
    assert resolve_host("agence-a.test") is None


def test_adding_a_feed_to_a_tenant_reaches_its_cached_site(
    two_agencies, django_capture_on_commit_callbacks
):
    tenant = two_agencies["a"]
    assert resolve_host("agence-a.test").site.feed_ids == {two_agencies["feed_a"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        tenant.feeds.add(two_agencies["feed_b"])
    assert resolve_host("agence-a.test").site.feed_ids == {
        two_agencies["feed_a"].pk,
        two_agencies["feed_b"].pk,
    }


@override_settings(PLATFORM_HOSTS=["ops.test"])
def test_hosts_are_normalised_once_whatever_their_case_port_or_trailing_dot(two_agencies):
    for raw in ("AGENCE-A.test:8000", "agence-a.test.", " agence-a.test "):
        assert resolve_host(raw).site.tenant == two_agencies["a"]
    assert resolve_host("OPS.test:443").site.is_platform
    assert resolve_host("unknown.test") is None


def test_feed_filter_of_an_agent_lists_only_their_sites_feeds(client, two_agencies):
    two_agencies["a"].feeds.add(make_feed(name="feed-a2"))  # a filter shows from 2 choices
    client.force_login(two_agencies["alice"])
    page = client.get(reverse("admin:listings_listing_changelist")).content.decode()
    assert "feed-a2" in page and "feed-b" not in page
    runs = client.get(reverse("admin:feeds_syncrun_changelist")).content.decode()
    assert "feed-b" not in runs


def test_site_filter_of_an_agent_offers_and_applies_only_their_sites(client, two_agencies):
    client.force_login(two_agencies["alice"])
    url = reverse("admin:listings_listing_changelist")
    page = client.get(url).content.decode()
    assert "Agence A" in page and "Agence B" not in page
    other = client.get(f"{url}?site={two_agencies['b'].pk}").content.decode()
    assert "Maison A" not in other and "Maison B" not in other


def view_on_site_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin-view-on-site", args=[content_type.pk, obj.pk])


def test_view_on_site_shortcut_answers_404_for_another_sites_listing(client, two_agencies):
    client.force_login(two_agencies["alice"])
    own = client.get(view_on_site_url(two_agencies["listing_a"]))
    assert own.status_code == 302
    assert own["Location"].endswith(two_agencies["listing_a"].get_absolute_url())
    assert client.get(view_on_site_url(two_agencies["listing_b"])).status_code == 404
    missing = reverse(
        "admin-view-on-site", args=[ContentType.objects.get_for_model(Listing).pk, 999999]
    )
    assert client.get(missing).status_code == 404
    garbled = reverse(
        "admin-view-on-site", args=[ContentType.objects.get_for_model(Listing).pk, "x"]
    )
    assert client.get(garbled).status_code == 404


def test_view_on_site_shortcut_needs_a_back_office_login(client, two_agencies):
    response = client.get(view_on_site_url(two_agencies["listing_a"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_tenant_without_feeds_shows_nothing(db):
    feed = make_feed(name="solo")
    make_listing(feed=feed, upstream_id="S1", title="Seule")
    tenant = make_tenant("vide.test", feeds=[])
    assert not Listing.objects.for_site(tenant.site()).exists()
    assert Tenant.objects.for_site(tenant.site()).get() == tenant
    cache.clear()


def test_a_tenant_without_primary_domain_links_to_the_host_asked_for(db):
    tenant = make_tenant("seul.test", feeds=[])
    tenant.domains.update(is_primary=False)
    site = resolve_host("SEUL.test:8080").site
    assert site.primary_host == "seul.test" and not resolve_host("seul.test").is_alias


@pytest.mark.parametrize("value", ["²", "abc", "-1", "999999999999999999999"])
def test_site_filter_with_a_garbled_value_shows_nothing_and_never_fails(
    client, two_agencies, value
):
    client.force_login(two_agencies["alice"])
    response = client.get(reverse("admin:listings_listing_changelist"), {"site": value})
    assert response.status_code in (200, 302)
    assert "Maison A" not in response.content.decode()


def anonymous_search(client) -> str:
    return client.get("/annonces/", HTTP_HOST="agence-a.test").content.decode()


def test_removing_a_feed_from_a_site_refreshes_its_cached_pages_at_once(
    client, two_agencies, django_capture_on_commit_callbacks
):
    assert "Maison A" in anonymous_search(client)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        two_agencies["a"].feeds.remove(two_agencies["feed_a"])
    assert "Maison A" not in anonymous_search(client)


def test_clearing_a_feeds_sites_refreshes_their_cached_pages_at_once(
    client, two_agencies, django_capture_on_commit_callbacks
):
    assert "Maison A" in anonymous_search(client)
    with django_capture_on_commit_callbacks(execute=True):
        two_agencies["feed_a"].tenants.clear()
    assert "Maison A" not in anonymous_search(client)


def test_deleting_a_feed_refreshes_the_cached_pages_of_its_sites(
    client, two_agencies, django_capture_on_commit_callbacks
):
    assert "Maison A" in anonymous_search(client)
    with django_capture_on_commit_callbacks(execute=True):
        two_agencies["feed_a"].delete()
    assert "Maison A" not in anonymous_search(client)
