"""The notification really goes through a real SMTP server, well formed."""

from __future__ import annotations

import email
import email.policy
import socket
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from showcase.leads.forms import _signer
from showcase.leads.models import Delivery, Lead
from tests.factories import make_listing


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Vitrine <no-reply@vitrine.test>"
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_a_lead_notification_is_really_sent_and_well_formed(client, smtp_server):
    listing = make_listing(
        title="Maison\r\nBcc: victim@x.test", contact={"mail": "agent@agence.test"}
    )
    response = client.post(
        f"/contact/annonce/{listing.pk}/",
        {
            "name": "Jean\nDupont",
            "email": "jean@example.org",
            "phone": "",
            "consent": "on",
            "website": "",
            "message": "Je souhaite visiter.\nMerci !",
            "started": _signer.sign(str(int(timezone.now().timestamp()) - 30)),
        },
    )
    assert response.status_code == 302
    assert smtp_server.messages == []  # nothing is sent during the request
    call_command("outbox", "send", stdout=StringIO())
    assert Lead.objects.get().notification_status == Delivery.SENT
    notification = next(m for m in smtp_server.messages if "agent@agence.test" in m[1])
    assert notification[1] == ["agent@agence.test"]
    parsed = email.message_from_bytes(notification[2], policy=email.policy.default)
    assert parsed["Reply-To"] == "jean@example.org"
    assert parsed["From"] == "Vitrine <no-reply@vitrine.test>"
    assert "\n" not in parsed["Subject"] and parsed["Subject"].startswith("Demande de contact")
    assert parsed["Bcc"] is None
    assert "Je souhaite visiter." in parsed.get_content()
    assert "Jean Dupont" in parsed.get_content()
    assert any("jean@example.org" in m[1] for m in smtp_server.messages)  # acknowledgement


@pytest.mark.django_db
def test_with_the_smtp_server_down_the_lead_is_received_and_waits_for_a_retry(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    listing = make_listing(contact={"mail": "agent@agence.test"})
    response = client.post(
        f"/contact/annonce/{listing.pk}/",
        {
            "name": "Jean",
            "email": "jean@example.org",
            "consent": "on",
            "message": "Je souhaite visiter.",
            "started": _signer.sign(str(int(timezone.now().timestamp()) - 30)),
        },
    )
    assert response.status_code == 302
    assert Lead.objects.get().notification_status == Delivery.PENDING
    with pytest.raises(CommandError, match="1 e-mail"):
        call_command("outbox", "send", stdout=StringIO())
    lead = Lead.objects.get()
    assert lead.notification_status == Delivery.FAILED and "Connection refused" in lead.last_error
