from __future__ import annotations

import smtplib
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from showcase.leads.forms import ContactForm, _signer
from showcase.leads.models import Delivery, Lead
from showcase.leads.services import lead_record_delivery, leads_queue_failed
from showcase.leads.templatetags.lead_tags import blank_fields
from showcase.outbox.models import Message, Status
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


def test_a_fresh_forms_fields_are_drawn_once_a_language_as_they_would_be_afresh():
    drawn = {}
    for language in ("fr", "en"):
        with translation.override(language):
            fresh = render_to_string("leads/contact_fields.html", {"form": ContactForm()})
            assert blank_fields(language) == fresh
            drawn[language] = fresh
    assert "Votre nom" in drawn["fr"] and "Your name" in drawn["en"]


def test_a_lead_is_stored_with_its_emails_queued_and_the_outbox_sends_them(client, listing):
    response = client.post(f"/contact/annonce/{listing.pk}/", form_data())
    assert response.status_code == 302 and "/contact/merci/" in response["Location"]
    lead = Lead.objects.get()
    assert (lead.name, lead.listing, lead.phone) == ("Camille Durand", listing, "+33 6 12 34 56 78")
    # The request talked to no mail server: both e-mails wait in the outbox.
    assert mail.outbox == []
    assert lead.notification_status == Delivery.PENDING
    assert lead.acknowledgement == Delivery.PENDING
    assert lead.recipient == "agent@agence.example"
    assert sorted(Message.objects.values_list("kind", flat=True)) == [
        "lead.acknowledgement",
        "lead.notification",
    ]
    call_command("outbox", "send", stdout=StringIO())
    lead.refresh_from_db()
    assert lead.notification_status == Delivery.SENT and lead.notified_at is not None
    assert lead.acknowledgement == Delivery.SENT and lead.attempts == 1
    notification, ack = sorted(mail.outbox, key=lambda m: m.to != ["agent@agence.example"])
    assert notification.to == ["agent@agence.example"]
    assert notification.reply_to == ["camille@example.org"]
    assert notification.extra_headers["X-Vitrine-Lead"] == str(lead.pk)
    assert "visiter ce bien samedi" in notification.body
    assert ack.to == ["camille@example.org"]
    assert "T3 lumineux" in client.get(response["Location"]).content.decode()


def test_the_thanks_page_says_what_happens_next_and_never_claims_an_unsent_email(client, listing):
    response = client.post(f"/contact/annonce/{listing.pk}/", form_data())
    thanks = response["Location"]
    before = client.get(thanks).content.decode()
    assert "Nous vous enverrons aussi un accusé de réception" in before
    assert "a été envoyé" not in before
    # The outbox gave up on the acknowledgement (e.g. a mistyped address refused 8 times).
    ack = Message.objects.get(kind="lead.acknowledgement")
    ack.status, ack.attempts = Status.GAVE_UP, 8
    lead_record_delivery(Message, ack)
    assert Lead.objects.get().acknowledgement == Delivery.GAVE_UP
    failed = client.get(thanks).content.decode()
    assert "pas pu vous envoyer d" in failed and "votre message est bien enregistré" in failed
    assert "a été envoyé" not in failed
    call_command("outbox", "send", stdout=StringIO())  # the notification goes out
    Message.objects.filter(pk=ack.pk).update(status=Status.QUEUED)
    call_command("outbox", "send", stdout=StringIO())
    sent = client.get(thanks).content.decode()
    assert "Un accusé de réception a été envoyé à votre adresse e-mail." in sent
    assert "Il a été transmis à l" in sent


def test_when_the_mail_server_is_down_the_lead_is_kept_and_retried_later(client, listing):
    response = client.post(f"/contact/annonce/{listing.pk}/", form_data())
    assert response.status_code == 302
    out = StringIO()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("down"),
    ):
        with pytest.raises(CommandError, match="1 e-mail"):
            call_command("leads", "retry", stdout=out)
    # The server is unreachable: one failure, and the run stops instead of waiting again.
    assert "0 lead e-mail(s) sent, 1 failed." in out.getvalue()
    assert "1 more left for the next run" in out.getvalue()
    lead = Lead.objects.get()
    assert lead.notification_status == Delivery.FAILED
    assert "down" in lead.last_error and lead.attempts == 1
    assert lead.next_attempt_at > timezone.now()
    Message.objects.update(next_attempt_at=timezone.now())
    out = StringIO()
    call_command("leads", "retry", stdout=out)
    assert "2 lead e-mail(s) sent, 0 failed." in out.getvalue()
    lead.refresh_from_db()
    assert lead.notification_status == Delivery.SENT and lead.last_error == ""
    assert lead.acknowledgement == Delivery.SENT
    call_command("leads", "retry", stdout=out)  # idempotent: nothing more is sent
    assert len([m for m in mail.outbox if m.to == ["agent@agence.example"]]) == 1


def test_retry_waits_for_the_back_off(client, listing):
    client.post(f"/contact/annonce/{listing.pk}/", form_data())
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("x")
    ):
        with pytest.raises(CommandError):
            call_command("leads", "retry", stdout=StringIO())
    out = StringIO()
    call_command("leads", "retry", stdout=out)
    # The failed notification waits for its back-off; the acknowledgement was never tried.
    assert "1 lead e-mail(s) sent, 0 failed." in out.getvalue()
    assert Lead.objects.get().next_attempt_at > timezone.now()
    assert Lead.objects.get().notification_status == Delivery.FAILED


def test_leads_retry_exits_non_zero_and_says_how_many_failed(client, listing):
    client.post(f"/contact/annonce/{listing.pk}/", form_data())
    out = StringIO()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPRecipientsRefused({"x": (550, b"no")}),
    ):
        with pytest.raises(CommandError) as failure:
            call_command("leads", "retry", stdout=out)
    assert "0 lead e-mail(s) sent, 2 failed." in out.getvalue()
    assert "2 e-mail(s) could not be sent" in str(failure.value)
    assert failure.value.returncode == 1


def test_a_lead_without_any_address_to_notify_is_kept_and_queued_once_one_is_set(client, settings):
    settings.LEADS_FALLBACK_EMAIL = ""
    listing = make_listing(title="Sans contact", contact={})
    assert client.post(f"/contact/annonce/{listing.pk}/", form_data()).status_code == 302
    lead = Lead.objects.get()
    assert lead.notification_status == Delivery.FAILED
    assert "No address to notify" in lead.last_error
    assert not Message.objects.filter(kind="lead.notification").exists()
    settings.LEADS_FALLBACK_EMAIL = "accueil@agence.example"
    Lead.objects.filter(pk=lead.pk).update(next_attempt_at=timezone.now())
    stale = Lead.objects.get(pk=lead.pk)  # what an overlapping run read
    call_command("leads", "retry", stdout=StringIO())
    assert Message.objects.filter(kind="lead.notification").count() == 1
    # An overlapping run that read the lead before the first queued it (and before the
    # message existed) loses the claim: the notification is not queued twice.
    with (
        mock.patch.object(Lead.objects, "notification_due") as due,
        mock.patch.object(Message.objects, "about") as about,
    ):
        due.return_value.order_by.return_value = [stale]
        about.return_value.exists.return_value = False
        assert leads_queue_failed() == 0
    assert Message.objects.filter(kind="lead.notification").count() == 1
    lead.refresh_from_db()
    assert lead.notification_status == Delivery.SENT
    assert lead.recipient == "accueil@agence.example"
    assert [m.to for m in mail.outbox].count(["accueil@agence.example"]) == 1


def test_a_double_submission_makes_one_lead_and_one_notification(client, listing):
    data = form_data()
    client.post(f"/contact/annonce/{listing.pk}/", data)
    client.post(f"/contact/annonce/{listing.pk}/", data)
    assert Lead.objects.count() == 1
    assert Message.objects.filter(kind="lead.notification").count() == 1
    call_command("outbox", "send", stdout=StringIO())
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
    call_command("outbox", "send", stdout=StringIO())
    assert len(mail.outbox) == 2
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


def test_erasing_or_purging_leads_deletes_their_queued_emails_too(client, two_agencies, settings):
    settings.LEADS_FALLBACK_EMAIL = "accueil@agence-a.test"
    listing = two_agencies["listing_a"]
    for n in range(2):
        client.post(
            f"/contact/annonce/{listing.pk}/",
            form_data(email=f"personne{n}@example.org"),
            HTTP_HOST="agence-a.test",
        )
    first, second = Lead.objects.order_by("pk")
    assert Message.objects.filter(ref=str(first.pk)).count() == 2
    client.force_login(two_agencies["alice"])
    response = client.post(
        "/admin/leads/lead/",
        {"action": "erase_person", "_selected_action": [first.pk]},
        HTTP_HOST="testserver",
    )
    assert response.status_code == 302
    assert not Message.objects.filter(ref=str(first.pk)).exists()
    assert Message.objects.filter(ref=str(second.pk)).count() == 2
    Lead.objects.filter(pk=second.pk).update(created_at=timezone.now() - timedelta(days=4 * 365))
    call_command("leads", "purge", "--older-than", "3y", stdout=StringIO())
    assert not Lead.objects.exists() and not Message.objects.exists()
