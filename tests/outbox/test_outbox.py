"""The outbox: requests queue e-mails, a separate run sends them, outside any transaction."""

from __future__ import annotations

import smtplib
import socket
import threading
import time
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from showcase.leads.forms import _signer
from showcase.leads.models import Delivery, Lead
from showcase.outbox.models import Message, Status
from showcase.outbox.services import (
    CLAIM,
    MAX_ATTEMPTS,
    backoff,
    message_claim,
    message_queue,
    message_requeue,
    outbox_send,
)
from tests.factories import make_feed, make_listing, make_tenant


def _queue(n: int = 1, **kwargs) -> list[Message]:
    return [
        message_queue(
            kind=kwargs.get("kind", "test.note"),
            ref=i,
            to=[f"person{i}@example.org"],
            subject=f"Note {i}",
            body="Bonjour",
            tenant=kwargs.get("tenant"),
        )
        for i in range(n)
    ]


def _contact_data() -> dict[str, str]:
    return {
        "name": "Camille Durand",
        "email": "camille@example.org",
        "message": "Bonjour, je souhaite visiter ce bien samedi.",
        "consent": "on",
        "website": "",
        "started": _signer.sign(str(int(timezone.now().timestamp()) - 30)),
    }


class HungSmtpServer:
    """Accepts connections on 127.0.0.1 and never says a word (a hung mail server)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.clients: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _address = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)
            self.accepted.set()

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.sock.close()


@pytest.fixture
def hung_smtp(settings):
    server = HungSmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 3
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.close()


@pytest.mark.django_db(transaction=True)
def test_a_contact_post_succeeds_at_once_while_the_mail_server_hangs(client, hung_smtp):
    listing = make_listing(title="T3 lumineux", contact={"mail": "agent@agence.example"})
    _queue(3)
    outcome: dict[str, object] = {}

    def run_outbox() -> None:
        try:
            call_command("outbox", "send", stdout=StringIO())
        except CommandError as exc:
            outcome["error"] = str(exc)
        finally:
            connections.close_all()

    sender = threading.Thread(target=run_outbox)
    sender.start()
    assert hung_smtp.accepted.wait(5), "the outbox never reached the mail server"
    started = time.monotonic()
    response = client.post(f"/contact/annonce/{listing.pk}/", _contact_data())
    elapsed = time.monotonic() - started
    still_waiting_on_smtp = sender.is_alive()
    sender.join(15)
    assert response.status_code == 302
    assert still_waiting_on_smtp, "the post should have been answered during the SMTP wait"
    assert elapsed < 1.5
    lead = Lead.objects.get()
    assert lead.notification_status == Delivery.PENDING
    # The hung server cost one timeout, not one per message: the run stopped there.
    assert "1 e-mail(s) could not be sent" in str(outcome["error"])
    failed = Message.objects.get(status=Status.FAILED)
    assert "timed out" in failed.last_error
    assert Message.objects.filter(status=Status.QUEUED).count() == 4  # 2 others + the lead's 2


class TransactionSpy(EmailBackend):
    """A locmem backend noting, for each message, whether the sender was in a transaction."""

    seen: list[bool] = []

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        TransactionSpy.seen.append(connection.in_atomic_block)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("command", [("outbox", "send"), ("leads", "retry"), ("alerts", "send")])
def test_sending_commands_hold_no_transaction_while_talking_to_the_mail_server(
    client, settings, command
):
    from showcase.alerts.models import Alert

    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.TransactionSpy"
    TransactionSpy.seen = []
    feed = make_feed(name="feed-a")
    tenant = make_tenant("agence-a.test", feeds=[feed], name="Agence A")
    listing = make_listing(feed=feed, city="Lyon", city_key="lyon", contact={"mail": "a@a.test"})
    client.post(f"/contact/annonce/{listing.pk}/", _contact_data(), HTTP_HOST="agence-a.test")
    Alert.objects.create(
        tenant=tenant,
        email="paul@example.org",
        query="localization=lyon",
        base_url="https://agence-a.test",
        confirmed_at=timezone.now() - timedelta(days=30),
    )
    call_command(*command, stdout=StringIO())
    assert TransactionSpy.seen, "nothing was sent"
    assert TransactionSpy.seen == [False] * len(TransactionSpy.seen)


class WritingInbox:
    """An SMTP server that, in the middle of each conversation, has another database
    connection write to the outbox table the sender just claimed a row of."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []
        self.received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        def write() -> None:
            try:
                Message.objects.update(last_error="written during the SMTP conversation")
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                self.errors.append(exc)
            finally:
                connections.close_all()

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(10)
        self.received += 1
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_the_database_stays_writable_during_the_smtp_conversation(settings):
    inbox = WritingInbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        _queue(2)
        report = outbox_send()
    finally:
        controller.stop()
    assert (report.sent, report.failed, inbox.received) == (2, 0, 2)
    assert inbox.errors == []


@pytest.mark.django_db
def test_a_message_taken_by_another_run_is_not_sent_twice():
    (message,) = _queue(1)
    stale = Message.objects.get(pk=message.pk)  # what a second run read before the first sent
    now = timezone.now()
    assert message_claim(message, now) is True
    assert message_claim(stale, now) is False
    assert outbox_send(now=now).sent == 0  # claimed: not due again before the claim expires
    assert outbox_send(now=now + CLAIM).sent == 1
    assert outbox_send(now=now + CLAIM).sent == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failures_back_off_then_give_up_after_the_last_attempt():
    (message,) = _queue(1)
    now = timezone.now()
    with mock.patch.object(EmailBackend, "send_messages", side_effect=OSError("refused")):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            report = outbox_send(now=now)
            assert report.failed == 1
            message.refresh_from_db()
            assert message.attempts == attempt
            assert message.next_attempt_at == now + backoff(attempt)
            assert outbox_send(now=now).failed == 0  # not due again before its back-off
            now = message.next_attempt_at
    assert message.status == Status.GAVE_UP
    assert outbox_send(now=now + timedelta(days=1)).failed == 0
    assert [backoff(n).total_seconds() // 60 for n in (1, 2, 3, 8, 20)] == [5, 10, 20, 360, 360]


@pytest.mark.django_db
def test_a_refused_message_does_not_stop_the_run_but_an_unreachable_server_does():
    _queue(3)
    refused = smtplib.SMTPRecipientsRefused({"person0@example.org": (550, b"unknown")})
    with mock.patch.object(EmailBackend, "send_messages", side_effect=[refused, 1, 1]):
        report = outbox_send()
    assert (report.sent, report.failed, report.left) == (2, 1, 0)
    _queue(3)
    with mock.patch.object(EmailBackend, "send_messages", side_effect=ConnectionRefusedError()):
        report = outbox_send(now=timezone.now())
    assert (report.sent, report.failed, report.left) == (0, 1, 2)


@pytest.mark.django_db
def test_outbox_send_exits_non_zero_and_says_how_many_failed():
    _queue(2)
    out = StringIO()
    with mock.patch.object(
        EmailBackend, "send_messages", side_effect=smtplib.SMTPDataError(554, b"rejected")
    ):
        with pytest.raises(CommandError, match="2 e-mail") as failure:
            call_command("outbox", "send", stdout=out)
    assert failure.value.returncode == 1
    assert "0 e-mail(s) sent, 2 failed." in out.getvalue()
    out = StringIO()
    Message.objects.update(next_attempt_at=timezone.now())
    call_command("outbox", "send", stdout=out)
    assert "2 e-mail(s) sent, 0 failed." in out.getvalue()


@pytest.mark.django_db
def test_send_again_makes_a_failed_message_due_but_never_resends_a_sent_one():
    first, second = _queue(2)
    Message.objects.filter(pk=first.pk).update(
        status=Status.GAVE_UP, next_attempt_at=timezone.now() + timedelta(hours=6)
    )
    Message.objects.filter(pk=second.pk).update(status=Status.SENT)
    assert message_requeue(first) is True
    assert message_requeue(second) is False
    assert outbox_send().sent == 1
    assert mail.outbox[0].to == ["person0@example.org"]


@pytest.mark.django_db
def test_purge_deletes_old_sent_and_abandoned_messages_only():
    old_sent, old_queued, old_gave_up, recent = _queue(4)
    long_ago = timezone.now() - timedelta(days=40)
    Message.objects.filter(pk__in=[old_sent.pk, old_queued.pk, old_gave_up.pk]).update(
        created_at=long_ago
    )
    Message.objects.filter(pk__in=[old_sent.pk, recent.pk]).update(status=Status.SENT)
    Message.objects.filter(pk=old_gave_up.pk).update(status=Status.GAVE_UP)
    out = StringIO()
    call_command("outbox", "purge", stdout=out)
    assert "2 old e-mail(s) deleted." in out.getvalue()
    assert set(Message.objects.values_list("pk", flat=True)) == {old_queued.pk, recent.pk}
    with pytest.raises(CommandError, match="at least 1"):
        call_command("outbox", "purge", "--days", "0")


@pytest.mark.django_db
def test_agents_see_only_their_sites_outgoing_emails_in_the_admin(client, two_agencies):
    _queue(1, tenant=two_agencies["a"])
    message_queue(
        kind="test.note", to=["b@example.org"], subject="B", body="x", tenant=two_agencies["b"]
    )
    client.force_login(two_agencies["alice"])
    html = client.get("/admin/outbox/message/", HTTP_HOST="testserver").content.decode()
    assert "person0@example.org" in html and "b@example.org" not in html
    other = Message.objects.get(tenant=two_agencies["b"])
    response = client.get(f"/admin/outbox/message/{other.pk}/change/", HTTP_HOST="testserver")
    assert response.status_code in (302, 403, 404)


@pytest.mark.django_db
def test_resending_a_lead_from_the_admin_queues_it_instead_of_waiting_on_the_mail_server(
    client, two_agencies, settings
):
    settings.LEADS_FALLBACK_EMAIL = "accueil@agence-a.test"
    listing = two_agencies["listing_a"]
    Lead.objects.all().delete()
    client.post(f"/contact/annonce/{listing.pk}/", _contact_data(), HTTP_HOST="agence-a.test")
    lead = Lead.objects.get()
    Message.objects.filter(kind="lead.notification").update(status=Status.GAVE_UP, attempts=8)
    Lead.objects.filter(pk=lead.pk).update(notification_status=Delivery.GAVE_UP)
    client.force_login(two_agencies["alice"])
    with mock.patch.object(EmailBackend, "send_messages") as send:
        response = client.post(
            "/admin/leads/lead/",
            {"action": "resend", "_selected_action": [lead.pk]},
            HTTP_HOST="testserver",
        )
    assert response.status_code == 302
    send.assert_not_called()
    lead.refresh_from_db()
    assert lead.notification_status == Delivery.PENDING
    assert Message.objects.get(kind="lead.notification").status == Status.QUEUED


@pytest.mark.django_db
def test_a_malformed_message_fails_alone_and_the_run_goes_on():
    bad = message_queue(
        kind="test.note", to=["a@example.org"], subject="x", body="y", headers={"X-Bad": "a\nb"}
    )
    _queue(1)
    report = outbox_send()
    assert (report.sent, report.failed, report.left) == (1, 1, 0)
    bad.refresh_from_db()
    assert bad.status == Status.FAILED and "BadHeaderError" in bad.last_error


@pytest.mark.django_db
def test_a_failing_status_receiver_does_not_stop_the_run():
    from showcase.outbox.signals import delivery_recorded

    def broken(sender, message, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("receiver bug")

    delivery_recorded.connect(broken, sender=Message, dispatch_uid="test.broken")
    try:
        _queue(2)
        assert outbox_send().sent == 2
    finally:
        delivery_recorded.disconnect(dispatch_uid="test.broken", sender=Message)
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
