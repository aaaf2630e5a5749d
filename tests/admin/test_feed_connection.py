"""A feed's connection settings are the operator's; agents change only what is theirs
alone (issue #16, points 1 and 2)."""

from __future__ import annotations

import pytest
import responses
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from showcase.core.http import UpstreamNotAllowed
from showcase.feeds.apimo.client import ApimoClient
from showcase.feeds.gedeon.client import GedeonClient
from showcase.feeds.models import Feed
from showcase.feeds.sync import sync_feed
from tests.factories import make_apimo_feed, make_feed

FORM = {
    "name": "feed-a",
    "kind": "gedeon",
    "base_url": "https://api.gedeon.im",
    "api_key": "",
    "provider_id": "",
    "token": "",
    "upstream_agency_id": "",
    "is_active": "on",
}


def change_url(feed):
    return reverse("admin:feeds_feed_change", args=[feed.pk])


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@x.test", "pw")


@pytest.fixture
def operator(two_agencies, django_user_model):
    """A staff user of site A given the connection permission (not a superuser)."""
    user = django_user_model.objects.create_user("olga", "olga@a.test", "pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__endswith="_feed"))
    user.user_permissions.add(Permission.objects.get(codename="manage_connection"))
    two_agencies["a"].agents.add(user)
    return user


def test_agents_cannot_add_feeds(client, two_agencies):
    client.force_login(two_agencies["alice"])
    assert client.get(reverse("admin:feeds_feed_add")).status_code == 403
    response = client.post(
        reverse("admin:feeds_feed_add"), {**FORM, "name": "mine", "api_key": "k"}
    )
    assert response.status_code == 403 and not Feed.objects.filter(name="mine").exists()


def test_agents_change_no_connection_setting_even_by_posting(client, two_agencies):
    client.force_login(two_agencies["alice"])
    feed = two_agencies["feed_a"]
    before = Feed.objects.values().get(pk=feed.pk)
    response = client.post(
        change_url(feed),
        {
            **FORM,
            "name": "renamed",
            "base_url": "https://attacker.example",
            "api_key": "other",
            "provider_id": "99",
            "upstream_agency_id": "777",
            "kind": "apimo",
        },
    )
    assert response.status_code == 302
    after = Feed.objects.values().get(pk=feed.pk)
    assert after == before


def test_an_agent_may_switch_off_a_feed_only_their_sites_read(client, two_agencies):
    client.force_login(two_agencies["alice"])
    feed = two_agencies["feed_a"]
    response = client.post(change_url(feed), {**FORM, "is_active": ""})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.is_active is False


def test_an_agent_cannot_deactivate_or_repoint_a_feed_another_site_shares(client, two_agencies):
    shared = two_agencies["feed_b"]
    two_agencies["a"].feeds.add(shared)  # site A shows B's feed too
    client.force_login(two_agencies["alice"])
    page = client.get(change_url(shared))
    assert page.status_code == 200 and 'name="is_active"' not in page.content.decode()
    response = client.post(change_url(shared), {**FORM, "name": "feed-b", "is_active": ""})
    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.is_active and shared.base_url == "http://gedeon.test"


def test_an_agent_never_sees_a_credential_even_masked_provider_ids(client, two_agencies):
    apimo = make_apimo_feed(name="apimo-a", provider_id="4242", token="tok-0123456789abcdefXYZ")
    two_agencies["a"].feeds.add(apimo)
    two_agencies["b"].feeds.add(apimo)  # shared: the page is view-only
    client.force_login(two_agencies["alice"])
    for feed in (two_agencies["feed_a"], apimo):
        body = client.get(change_url(feed)).content.decode()
        for secret in (feed.api_key, feed.token, feed.provider_id):
            assert not secret or secret not in body
    body = client.get(reverse("admin:feeds_feed_changelist")).content.decode()
    assert "tok-0123" not in body and two_agencies["feed_a"].api_key not in body


def test_agents_cannot_delete_feeds(client, two_agencies):
    client.force_login(two_agencies["alice"])
    feed = two_agencies["feed_a"]
    response = client.post(reverse("admin:feeds_feed_delete", args=[feed.pk]), {"post": "yes"})
    assert response.status_code == 403 and Feed.objects.filter(pk=feed.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://attacker.example",
        "http://api.gedeon.im",
        "https://internal-service.local/api",
        "https://x@api.gedeon.im",
        "https://api.gedeon.im.attacker.example",
    ],
)
def test_an_operator_can_only_point_a_feed_at_the_providers_api(client, two_agencies, root, url):
    client.force_login(root)
    feed = two_agencies["feed_a"]
    response = client.post(change_url(feed), {**FORM, "base_url": url})
    assert response.status_code == 200
    assert "https://api.gedeon.im" in response.content.decode()  # the error names the host
    feed.refresh_from_db()
    assert feed.base_url == "http://gedeon.test"


def test_an_operator_may_use_a_host_allowed_in_the_settings(client, two_agencies, root, settings):
    settings.FEEDS_EXTRA_ALLOWED_HOSTS = ["gedeon-proxy.example"]
    client.force_login(root)
    feed = two_agencies["feed_a"]
    response = client.post(change_url(feed), {**FORM, "base_url": "https://gedeon-proxy.example/"})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.base_url == "https://gedeon-proxy.example"


def test_the_connection_permission_lets_a_non_superuser_configure_and_add_feeds(
    client, two_agencies, operator
):
    client.force_login(operator)
    feed = two_agencies["feed_a"]
    response = client.post(change_url(feed), {**FORM, "api_key": "new-key"})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.api_key == "new-key"
    client.post(reverse("admin:feeds_feed_add"), {**FORM, "name": "added", "api_key": "k"})
    assert list(Feed.objects.get(name="added").tenants.all()) == [two_agencies["a"]]


def test_only_the_operator_changes_a_feed_two_sites_share(client, two_agencies, operator):
    shared = two_agencies["feed_b"]
    two_agencies["a"].feeds.add(shared)
    client.force_login(operator)
    response = client.post(change_url(shared), {**FORM, "name": "feed-b", "is_active": ""})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.is_active is False


def test_a_feed_pointed_at_another_source_restarts_with_a_full_pass(client, root, db):
    apimo = make_apimo_feed(name="apimo-a", cursor="1700000000", last_full_sync_at=timezone.now())
    client.force_login(root)
    form = {**FORM, "name": "apimo-a", "kind": "apimo", "base_url": "http://apimo.test"}
    form |= {"provider_id": apimo.provider_id, "upstream_agency_id": "183"}
    assert client.post(change_url(apimo), form).status_code == 302
    apimo.refresh_from_db()
    assert (apimo.upstream_agency_id, apimo.cursor, apimo.last_full_sync_at) == ("183", "", None)


@responses.activate
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["https://attacker.example", "http://api.gedeon.im", "http://169.254.169.254"]
)
def test_the_clients_send_nothing_to_a_host_off_the_providers_api(url):
    gedeon = make_feed(base_url=url, api_key="SECRETKEY123")
    apimo = make_apimo_feed(base_url=url)
    with pytest.raises(UpstreamNotAllowed, match="nothing sent"):
        GedeonClient(gedeon).ad("1")
    with pytest.raises(UpstreamNotAllowed, match="nothing sent"):
        ApimoClient(apimo).property_providers("1")
    run = sync_feed(gedeon)
    assert run.status == "failed" and "FEEDS_EXTRA_ALLOWED_HOSTS" in run.error
    assert len(responses.calls) == 0  # no request left at all
