"""The public forms in Chromium without any CSRF token: the browser's own Origin header
lets them through (showcase/core/csrf.py), a form on another origin is refused with the
values kept, and one press sends them again from our page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from showcase.alerts.models import Alert

# Without Chromium these skip, or fail in CI: the `chromium` fixture of conftest.py.
pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_an_alert_is_created_then_confirmed_from_the_sites_pages(
    browser, live_server, transactional_db, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/alertes/nouvelle/?transaction=sell")
    page.get_by_label("Votre adresse e-mail").fill("marie@example.org")
    page.get_by_role("button", name="Créer l'alerte").click()
    assert page.get_by_role("heading", name="Consultez votre messagerie").is_visible()
    assert Alert.objects.get().email == "marie@example.org"
    call_command("outbox", "send", verbosity=0)
    link = re.search(r"/alertes/confirmer/[^\s/]+/", mail.outbox[-1].body)
    assert link
    page.goto(live_server.url + link.group(0))
    page.get_by_role("button", name="Confirmer mon alerte").click()
    assert Alert.objects.get().confirmed_at is not None
    context.close()


def test_a_form_on_another_origin_is_refused_and_sent_again_in_one_press(page, live_server):
    # Another origin for the browser (localhost is not 127.0.0.1), on the same server.
    host = "localhost" if "127.0.0.1" in live_server.url else "127.0.0.1"
    other = re.sub(r"//[^:/]+", f"//{host}", live_server.url)
    forged = (
        f'<form method="post" action="{live_server.url}/alertes/nouvelle/">'
        '<input name="email" value="marie@example.org"><input name="frequency" value="daily">'
        '<input name="query" value="transaction=sell"><button>Go</button></form>'
    )
    page.route(
        f"{other}/forged.html",
        lambda route: route.fulfill(body=forged, content_type="text/html"),
    )
    page.goto(f"{other}/forged.html")
    page.get_by_role("button", name="Go").click()
    assert page.get_by_role(
        "heading", name="Votre formulaire n’a pas encore été envoyé"
    ).is_visible()
    assert page.get_by_text("marie@example.org").is_visible()
    assert not Alert.objects.exists()
    page.get_by_role("button", name="Envoyer de nouveau").click()
    assert page.get_by_role("heading", name="Consultez votre messagerie").is_visible()
    assert Alert.objects.get().query == "transaction=sell"
