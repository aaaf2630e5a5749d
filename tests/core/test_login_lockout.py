"""The admin login lockout counts each visitor behind the proxy, in the shared store."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from showcase.core.models import Counter

pytestmark = pytest.mark.django_db
NGINX = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture
def agent(settings):
    settings.LOGIN_FAILURE_LIMIT = (3, 600)
    settings.TRUSTED_PROXY_COUNT = 1
    return get_user_model().objects.create_user("agent", "agent@a.test", "pw", is_staff=True)


def login(client, password: str, visitor: str):
    return client.post(
        reverse("admin:login"),
        {"username": "agent", "password": password},
        HTTP_X_FORWARDED_FOR=visitor,
        **NGINX,
    )


def test_an_attacker_behind_the_proxy_does_not_lock_the_agent_out_elsewhere(client, agent):
    from django.test import Client

    for _ in range(3):
        login(client, "wrong", visitor="203.0.113.66")
    login(client, "pw", visitor="203.0.113.66")
    assert "_auth_user_id" not in client.session  # the attacker's address is locked out
    office = Client()
    login(office, "pw", visitor="198.51.100.20")
    assert office.session["_auth_user_id"] == str(agent.pk)


def test_a_forged_header_does_not_escape_the_lockout(client, agent):
    for n in range(3):
        login(client, "wrong", visitor=f"10.0.0.{n}, 203.0.113.66")
    login(client, "pw", visitor="10.0.0.99, 203.0.113.66")
    assert "_auth_user_id" not in client.session


def test_failures_are_counted_in_the_shared_store(client, agent):
    login(client, "wrong", visitor="203.0.113.66")
    assert Counter.objects.filter(key__startswith="login-failures:", value=1).count() == 1


def test_an_ipv6_attacker_rotating_within_its_64_stays_locked_out(client, agent):
    for n in range(3):
        login(client, "wrong", visitor=f"2001:db8:7:8::{n + 1}")
    login(client, "pw", visitor="2001:db8:7:8::99")
    assert "_auth_user_id" not in client.session
