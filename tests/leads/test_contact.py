from __future__ import annotations

import smtplib
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from showcase.leads.forms import _signer
from showcase.leads.models import Delivery, Lead
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


def started(seconds_ago: int = 30) -> str:
    return _signer.sign(str(int(timezone.now().timestamp()) - seconds_ago))


def form_data(**overrides):
    data = {
        "name": "Camille Durand",
        "email": "camille@example.org",
        "phone": "06 12 34 56 78",
        "message": "Bonjour, je souhaite visiter ce bien samedi.",
        "consent": "on",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def listing():
    return make_listing(
        title="T3 lumineux", contact={"mail": "agent@agence.example", "name": "Claire"}
    )


def test_the_detail_page_shows_the_contact_form_with_an_unticked_consent(client, listing):
    body = client.get(listing.get_absolute_url()).content.decode()
    assert f'action="/contact/annonce/{listing.pk}/"' in body
    assert 'name="consent"' in body and "checked" not in body.split('name="consent"')[1][:80]
    assert 'href="/donnees-personnelles/"' in body


def test_a_lead_is_stored_then_notified_and_acknowledged(client, listing):
    response = client.post(f"/contact/annonce/{listing.pk}/", form_data())
    assert response.status_code == 302 and "/contact/merci/" in response["Location"]
    lead = Lead.objects.get()
    assert (lead.name, lead.listing, lead.phone) == ("Camille Durand", listing, "+33 6 12 34 56 78")
    assert lead.notification_status == Delivery.SENT
    assert lead.recipient == "agent@agence.example"
    notification, ack = mail.outbox
    assert notification.to == ["agent@agence.example"]
    assert notification.reply_to == ["camille@example.org"]
    assert "visiter ce bien samedi" in notification.body
    assert ack.to == ["camille@example.org"]
    assert "T3 lumineux" in client.get(response["Location"]).content.decode()


def test_when_the_mail_server_is_down_the_lead_is_kept_and_retried_later(client, listing):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("down"),
    ):
        response = client.post(f"/contact/annonce/{listing.pk}/", form_data())
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.notification_status == Delivery.FAILED
    assert "down" in lead.last_error and lead.attempts == 1
    Lead.objects.filter(pk=lead.pk).update(next_attempt_at=timezone.now())
    out = StringIO()
    call_command("leads", "retry", stdout=out)
    assert "1 notification(s) sent" in out.getvalue()
    lead.refresh_from_db()
    assert lead.notification_status == Delivery.SENT
    call_command("leads", "retry", stdout=out)  # idempotent: nothing more is sent
    assert len([m for m in mail.outbox if m.to == ["agent@agence.example"]]) == 1


def test_retry_waits_for_the_back_off(client, listing):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("x")
    ):
        client.post(f"/contact/annonce/{listing.pk}/", form_data())
    out = StringIO()
    call_command("leads", "retry", stdout=out)
    assert "0 notification(s) sent" in out.getvalue()
    assert Lead.objects.get().next_attempt_at > timezone.now()


def test_a_double_submission_makes_one_lead_and_one_notification(client, listing):
    data = form_data()
    client.post(f"/contact/annonce/{listing.pk}/", data)
    client.post(f"/contact/annonce/{listing.pk}/", data)
    assert Lead.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == ["agent@agence.example"]]) == 1


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"website": "http://spam.example"}, "automatique"),
        ({"started": "forged"}, "expiré"),
        ({"consent": ""}, "consent"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"message": "x" * 3001}, "message"),
    ],
)
def test_refused_submissions_explain_themselves_and_keep_what_was_typed(
    client, listing, overrides, expected
):
    response = client.post(f"/contact/annonce/{listing.pk}/", form_data(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Camille Durand" in body or overrides.get("name")
    assert expected in body
    assert not Lead.objects.exists()


def test_a_too_fast_submission_is_refused(client, listing):
    response = client.post(f"/contact/annonce/{listing.pk}/", form_data(started=started(0)))
    assert response.status_code == 400 and "rapide" in response.content.decode()


def test_rate_limit_per_email(client, listing, settings):
    settings.LEADS_RATE_LIMIT = (2, 600)
    for n in range(2):
        assert (
            client.post(
                f"/contact/annonce/{listing.pk}/", form_data(message=f"Message numéro {n} svp")
            ).status_code
            == 302
        )
    response = client.post(
        f"/contact/annonce/{listing.pk}/", form_data(message="Encore un message svp")
    )
    assert response.status_code == 429
    assert "Encore un message svp" in response.content.decode()
    assert Lead.objects.count() == 2


def test_names_with_line_breaks_cannot_inject_headers(client, listing):
    client.post(f"/contact/annonce/{listing.pk}/", form_data(name="Eve\r\nBcc: all@example.org"))
    lead = Lead.objects.get()
    assert "\n" not in lead.name
    for message in mail.outbox:
        assert "Bcc" not in str(message.message()["Bcc"] or "")


def test_contact_on_a_listing_of_another_tenant_is_not_found(client, two_agencies):
    b = two_agencies["listing_b"]
    response = client.post(f"/contact/annonce/{b.pk}/", form_data(), HTTP_HOST="agence-a.test")
    assert response.status_code == 404
    assert not Lead.objects.exists()


def test_agency_pages_have_the_form_too(client, two_agencies):
    agency = two_agencies["agency_a"]
    body = client.get(agency.get_absolute_url(), HTTP_HOST="agence-a.test").content.decode()
    assert f'action="/contact/agence/{agency.pk}/"' in body
    response = client.post(f"/contact/agence/{agency.pk}/", form_data(), HTTP_HOST="agence-a.test")
    assert response.status_code == 302
    assert Lead.objects.get().tenant == two_agencies["a"]


def test_purge_deletes_old_leads_only_and_validates_its_argument(listing):
    from datetime import timedelta

    old = Lead.objects.create(
        name="Old",
        email="o@x.org",
        message="ancien message",
        dedupe_key="a",
        created_at=timezone.now() - timedelta(days=4 * 365),
    )
    Lead.objects.create(name="New", email="n@x.org", message="nouveau message", dedupe_key="b")
    out = StringIO()
    call_command("leads", "purge", "--older-than", "3y", stdout=out)
    assert "1 lead(s)" in out.getvalue()
    assert not Lead.objects.filter(pk=old.pk).exists() and Lead.objects.count() == 1
    with pytest.raises(CommandError, match="number and a unit"):
        call_command("leads", "purge", "--older-than", "three years")
