from __future__ import annotations

import re
import smtplib
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from showcase.alerts import services
from showcase.alerts.models import Alert, AlertItem, Frequency
from showcase.outbox.models import Message, Status
from tests.factories import make_feed, make_listing, make_tenant

pytestmark = pytest.mark.django_db

HOST = "agence-a.test"


@pytest.fixture
def site():
    feed = make_feed(name="feed-a")
    tenant = make_tenant(HOST, feeds=[feed], name="Agence A")
    return tenant, feed


def _send(**kwargs):
    """`alerts send`'s unit: (e-mails sent, failures)."""
    report = services.alerts_send(**kwargs)
    return report.sent, report.failed


def _post(client, query="transaction=sell&localization=lyon", frequency="daily", **extra):
    data = {"email": "marie@example.org", "frequency": frequency, "query": query}
    data.update(extra.pop("data", {}))
    return client.post("/alertes/nouvelle/", data, HTTP_HOST=HOST, **extra)


def _subscribe(client, query="transaction=sell&localization=lyon", frequency="daily", **extra):
    """Sign up, then run the outbox as cron would: the confirmation link arrives."""
    response = _post(client, query, frequency, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    call_command("outbox", "send", stdout=StringIO())
    return Alert.objects.latest("pk")


def _link(message, name):
    return re.search(rf"https?://\S+/{name}/\S+/", message.body).group(0)


def _confirm(client, alert):
    """Open the e-mailed link, then press its button (the GET alone confirms nothing)."""
    url = _link(mail.outbox[-1], "alertes/confirmer")
    path = url.split(HOST, 1)[1]
    page = client.get(path, HTTP_HOST=HOST)
    if page.status_code != 200:
        return page
    return client.post(path, HTTP_HOST=HOST)


def test_alert_form_asks_only_email_and_frequency(client, site):
    response = client.get(
        "/alertes/nouvelle/?transaction=sell&page=3&sort=price_asc", HTTP_HOST=HOST
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in html and 'name="frequency"' in html
    assert 'value="transaction=sell"' in html  # page and sort are not criteria
    assert not re.search(r'<input[^>]+type="checkbox"[^>]+checked', html)  # nothing pre-ticked


def test_double_opt_in_sends_nothing_before_confirmation(client, site):
    tenant, feed = site
    alert = _subscribe(client)
    assert alert.tenant == tenant and alert.confirmed_at is None
    assert len(mail.outbox) == 1
    assert alert.base_url == f"http://{HOST}"
    make_listing(feed=feed, transaction="sell", city="Lyon", city_key="lyon")
    assert _send() == (0, 0)
    assert len(mail.outbox) == 1


def test_confirmation_then_only_new_matching_listings_are_sent(client, site):
    _tenant, feed = site
    old = make_listing(feed=feed, city="Lyon", city_key="lyon", title="Déjà là")
    alert = _subscribe(client)
    response = _confirm(client, alert)
    assert response.status_code == 200
    alert.refresh_from_db()
    assert alert.confirmed_at is not None
    assert AlertItem.objects.filter(alert=alert, listing=old).exists()

    new = make_listing(feed=feed, city="Lyon", city_key="lyon", title="Nouveau T3")
    make_listing(
        feed=feed,
        city="Paris",
        city_key="paris",
        zip_code="75011",
        department="75",
        title="Ailleurs",
    )
    make_listing(feed=feed, city="Lyon", city_key="lyon", transaction="rent", title="Location")
    assert _send() == (1, 0)
    message = mail.outbox[-1]
    assert message.to == ["marie@example.org"]
    assert "Nouveau T3" in message.body
    assert "Déjà là" not in message.body and "Ailleurs" not in message.body
    assert "Location" not in message.body
    assert new.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        f"<http://{HOST}/alertes/desabonner/"
    )


def _confirmed_alert(tenant, *, frequency=Frequency.DAILY, query="localization=lyon", **kwargs):
    return Alert.objects.create(
        tenant=tenant,
        email="paul@example.org",
        query=query,
        frequency=frequency,
        base_url=f"https://{HOST}",
        confirmed_at=timezone.now() - timedelta(days=30),
        **kwargs,
    )


def test_a_listing_is_announced_once_per_alert(site):
    tenant, feed = site
    alert = _confirmed_alert(tenant, frequency=Frequency.IMMEDIATE)
    make_listing(feed=feed, city="Lyon", city_key="lyon", title="Maison A")
    assert _send() == (1, 0)
    assert _send() == (0, 0)
    assert len(mail.outbox) == 1
    assert AlertItem.objects.filter(alert=alert).count() == 1


def test_a_claimed_alert_is_not_sent_twice_by_a_concurrent_run(site):
    tenant, feed = site
    alert = _confirmed_alert(tenant, frequency=Frequency.IMMEDIATE)
    make_listing(feed=feed, city="Lyon", city_key="lyon")
    stale_copy = Alert.objects.get(pk=alert.pk)  # what a second runner read before the first sent
    now = timezone.now()
    assert services.alert_queue_one(alert, now) is True
    assert services.alert_queue_one(stale_copy, now) is False
    assert Message.objects.filter(kind="alert.digest").count() == 1


def test_price_drops_are_sent_with_the_previous_price(site):
    tenant, feed = site
    alert = _confirmed_alert(tenant, frequency=Frequency.IMMEDIATE)
    listing = make_listing(feed=feed, city="Lyon", city_key="lyon", title="Loft", price=300000)
    AlertItem.objects.create(alert=alert, listing=listing, price=300000)
    listing.price = 320000
    listing.save()
    assert _send() == (0, 0)  # a rise is no news
    listing.price = 290000
    listing.save()
    assert _send() == (1, 0)
    assert "Loft" in mail.outbox[-1].body
    assert "320" in mail.outbox[-1].body  # was 320 000 €
    assert _send() == (0, 0)


def test_daily_alert_sends_at_most_one_email_a_day_and_weekly_one_a_week(site):
    tenant, feed = site
    daily = _confirmed_alert(tenant, last_sent_at=timezone.now() - timedelta(hours=5))
    weekly = _confirmed_alert(
        tenant, frequency=Frequency.WEEKLY, last_sent_at=timezone.now() - timedelta(days=3)
    )
    make_listing(feed=feed, city="Lyon", city_key="lyon")
    assert _send() == (0, 0)
    assert _send(now=timezone.now() + timedelta(hours=20)) == (1, 0)
    assert mail.outbox[-1].to == [daily.email]
    assert _send(now=timezone.now() + timedelta(days=4, hours=1)) == (1, 0)
    assert AlertItem.objects.filter(alert=weekly).count() == 1


def test_alerts_are_scoped_to_their_site(two_agencies):
    tenant_a, tenant_b = two_agencies["a"], two_agencies["b"]
    alert = Alert.objects.create(
        tenant=tenant_a,
        email="x@example.org",
        query="",
        base_url="https://agence-a.test",
        confirmed_at=timezone.now(),
    )
    feed_b = tenant_b.feeds.first()
    make_listing(feed=feed_b, title="Chez B")
    assert "Chez B" not in [str(x) for x in services.alert_matches(alert)]
    assert list(Alert.objects.for_site(tenant_b.site())) == []


def test_confirmation_link_expires(client, site, settings):
    alert = _subscribe(client)
    settings.ALERTS_CONFIRM_MAX_AGE = -1
    response = _confirm(client, alert)
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_a_link_scanners_get_does_not_confirm_the_alert_the_button_does(client, site):
    from django.test import Client

    alert = _subscribe(client)
    client = Client(enforce_csrf_checks=True)
    path = _link(mail.outbox[-1], "alertes/confirmer").split(HOST, 1)[1]
    page = client.get(path, HTTP_HOST=HOST)
    body = page.content.decode()
    assert page.status_code == 200 and 'method="post"' in body
    assert "marie@example.org" in body
    # No per-visitor token, no cookie: the browser's Origin protects the button.
    assert "csrfmiddlewaretoken" not in body and not page.cookies
    assert {"private", "no-store"} <= set(page["Cache-Control"].replace(",", " ").split())
    alert.refresh_from_db()
    assert alert.confirmed_at is None
    # A forged cross-site POST: refused, still not confirmed.
    forged = client.post(path, HTTP_HOST=HOST, HTTP_ORIGIN="https://evil.example")
    assert forged.status_code == 403
    alert.refresh_from_db()
    assert alert.confirmed_at is None
    done = client.post(path, HTTP_HOST=HOST, HTTP_ORIGIN=f"http://{HOST}")
    assert done.status_code == 200 and "Votre alerte est active" in done.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is not None
    # The link again, later: the alert is active, said so at once.
    assert "Votre alerte est active" in client.get(path, HTTP_HOST=HOST).content.decode()


def test_tampered_confirmation_link_is_refused(client, site):
    _subscribe(client)
    response = client.get("/alertes/confirmer/abc:def/", HTTP_HOST=HOST)
    assert response.status_code == 400


def test_unsubscribe_get_asks_and_post_deletes(client, site):
    tenant, _feed = site
    alert = _confirmed_alert(tenant)
    path = f"/alertes/desabonner/{services.unsubscribe_token(alert)}/"
    assert client.get(path, HTTP_HOST=HOST).status_code == 200
    assert Alert.objects.filter(pk=alert.pk).exists()
    response = client.post(path, {"List-Unsubscribe": "One-Click"}, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert not Alert.objects.filter(pk=alert.pk).exists()
    # A second click explains instead of failing.
    assert client.post(path, HTTP_HOST=HOST).status_code == 200


def test_one_click_unsubscribe_works_without_csrf_token(site):
    from django.test import Client

    tenant, _feed = site
    alert = _confirmed_alert(tenant)
    client = Client(enforce_csrf_checks=True)
    path = f"/alertes/desabonner/{services.unsubscribe_token(alert)}/"
    assert (
        client.post(
            path,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
            HTTP_HOST=HOST,
        ).status_code
        == 200
    )
    assert not Alert.objects.exists()


def test_invalid_email_is_explained(client, site):
    response = client.post(
        "/alertes/nouvelle/",
        {"email": "pas-une-adresse", "frequency": "daily", "query": "transaction=sell"},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Alert.objects.exists()


def test_purge_follows_lead_retention_and_drops_expired_requests(site, settings):
    tenant, _feed = site
    settings.LEADS_RETENTION_DAYS = 365
    old = _confirmed_alert(tenant)
    Alert.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    recent = _confirmed_alert(tenant)
    never_confirmed = Alert.objects.create(
        tenant=tenant, email="z@example.org", base_url="https://x", confirmed_at=None
    )
    Alert.objects.filter(pk=never_confirmed.pk).update(
        created_at=timezone.now() - timedelta(days=5)
    )
    call_command("alerts", "purge")
    assert list(Alert.objects.all()) == [recent]


def test_send_command_reports(site, capsys):
    tenant, feed = site
    _confirmed_alert(tenant)
    make_listing(feed=feed, city="Lyon", city_key="lyon")
    call_command("alerts", "send")
    assert "1 alert e-mail(s) sent" in capsys.readouterr().out


def test_search_page_links_to_alert_with_its_criteria(client, site):
    html = client.get("/annonces/?transaction=rent", HTTP_HOST=HOST).content.decode()
    assert "/alertes/nouvelle/?transaction=rent" in html


def test_agents_see_only_their_sites_alerts_in_admin(client, two_agencies):
    for key in ("a", "b"):
        Alert.objects.create(
            tenant=two_agencies[key], email=f"{key}@example.org", base_url="https://x"
        )
    client.force_login(two_agencies["alice"])
    html = client.get("/admin/alerts/alert/", HTTP_HOST="testserver").content.decode()
    assert "a@example.org" in html and "b@example.org" not in html


def test_sign_up_with_the_mail_server_down_stores_the_alert_and_the_link_is_retried(client, site):
    response = _post(client)
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert alert.confirmed_at is None
    message = Message.objects.get(kind="alert.confirmation", ref=str(alert.pk))
    assert message.status == Status.QUEUED and mail.outbox == []
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError(111, "Connection refused"),
    ):
        with pytest.raises(CommandError, match="1 e-mail"):
            call_command("alerts", "send", stdout=StringIO())
    message.refresh_from_db()
    assert message.status == Status.FAILED and "Connection refused" in message.last_error
    Message.objects.update(next_attempt_at=timezone.now())
    call_command("alerts", "send", stdout=StringIO())
    assert _link(mail.outbox[-1], "alertes/confirmer")
    assert _confirm(client, alert).status_code == 200


def test_the_pending_page_says_what_happens_next_without_claiming_an_email_was_sent(client, site):
    response = _post(client)
    html = client.get(response["Location"], HTTP_HOST=HOST).content.decode()
    assert "Nous vous enverrons par e-mail un lien" in html
    assert "Nous vous avons envoyé" not in html


def test_the_same_criteria_again_from_the_same_address_make_no_second_alert(client, site):
    first = _subscribe(client)
    links = len(mail.outbox)
    # Again, differently capitalised, while the first link is still waiting to be sent:
    Message.objects.update(status=Status.QUEUED)
    assert _post(client, data={"email": "Marie@Example.org"}).status_code == 302
    assert Alert.objects.count() == 1
    assert Message.objects.filter(kind="alert.confirmation").count() == 1
    # Once the first link went out, asking again sends a new link to the same alert.
    Message.objects.update(status=Status.SENT)
    assert _post(client, frequency="weekly").status_code == 302
    assert Alert.objects.count() == 1
    assert Alert.objects.get().frequency == Frequency.WEEKLY
    call_command("outbox", "send", stdout=StringIO())
    assert len(mail.outbox) == links + 1
    # A confirmed alert is left alone: no second alert, nothing sent.
    _confirm(client, first)
    assert _post(client).status_code == 302
    call_command("outbox", "send", stdout=StringIO())
    assert Alert.objects.count() == 1 and len(mail.outbox) == links + 1
    # Other criteria are another alert.
    _subscribe(client, query="transaction=rent")
    assert Alert.objects.count() == 2


def test_sign_ups_are_limited_per_address(client, site, settings):
    settings.ALERTS_RATE_LIMIT = (2, 3600)
    for n in range(2):
        assert _post(client, query=f"transaction=sell&rooms={n + 1}").status_code == 302
    response = _post(client, query="transaction=sell&rooms=4")
    assert response.status_code == 429
    assert "Plusieurs alertes" in response.content.decode()
    assert Alert.objects.count() == 2 and Message.objects.count() == 2


def test_sign_ups_are_limited_per_client(client, site, settings):
    settings.ALERTS_RATE_LIMIT = (2, 3600)
    for n in range(4):
        response = _post(client, data={"email": f"personne{n}@example.org"})
        assert response.status_code == 302
    response = _post(client, data={"email": "personne5@example.org"})
    assert response.status_code == 429
    assert Alert.objects.count() == 4
    # Another client is not held back by this one.
    other = _post(client, data={"email": "autre@example.org"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_alerts_send_exits_non_zero_and_says_how_many_failed(site):
    tenant, feed = site
    _confirmed_alert(tenant)
    make_listing(feed=feed, city="Lyon", city_key="lyon", title="Maison")
    out = StringIO()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPRecipientsRefused({"paul@example.org": (550, b"no")}),
    ):
        with pytest.raises(CommandError, match="1 e-mail"):
            call_command("alerts", "send", stdout=out)
    assert "0 alert e-mail(s) sent, 1 failed." in out.getvalue()
    # The digest is kept and retried, the ledger written with it: nothing announced twice.
    digest = Message.objects.get(kind="alert.digest")
    assert digest.status == Status.FAILED and "Maison" in digest.body
    Message.objects.update(next_attempt_at=timezone.now())
    assert _send() == (1, 0)
    assert _send() == (0, 0)
    assert len(mail.outbox) == 1


def test_unsubscribing_and_purging_delete_the_alerts_emails_too(client, site):
    alert = _subscribe(client)
    assert Message.objects.filter(ref=str(alert.pk)).exists()
    path = f"/alertes/desabonner/{services.unsubscribe_token(alert)}/"
    client.post(path, HTTP_HOST=HOST)
    assert not Message.objects.exists()
    stale = _subscribe(client)
    Alert.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=30))
    call_command("alerts", "purge", stdout=StringIO())
    assert not Alert.objects.exists() and not Message.objects.exists()
