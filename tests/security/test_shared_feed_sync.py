"""A feed two sites share is the operator's: an agent of one of them cannot start its
sync either, e.g. of a shared feed the operator switched off (#16, point 2)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sync_now(client, feed):
    with mock.patch("showcase.feeds.admin.sync_start_background") as start:
        response = client.post(
            reverse("admin:feeds_feed_changelist"),
            {"action": "sync_now", "_selected_action": [feed.pk]},
            follow=True,
        )
    return start, response


@pytest.mark.parametrize("active", [True, False])
def test_an_agent_cannot_sync_a_feed_another_site_shares(client, two_agencies, active):
    feed = two_agencies["feed_a"]
    feed.is_active = active
    feed.save()
    two_agencies["b"].feeds.add(feed)
    client.force_login(two_agencies["alice"])
    start, response = sync_now(client, feed)
    start.assert_not_called()
    assert "opérateur" in response.content.decode()


def test_the_operator_syncs_a_shared_feed(client, two_agencies, django_user_model):
    feed = two_agencies["feed_a"]
    two_agencies["b"].feeds.add(feed)
    client.force_login(django_user_model.objects.create_superuser("boss", "b@x.test", "pw"))
    start, _response = sync_now(client, feed)
    start.assert_called_once_with(feed=feed)
