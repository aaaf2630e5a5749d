"""The outbox seen by an agency and its visitors: e-mails sent in the site's name, the
back office in words (kinds, labels), messages never added by hand."""

from __future__ import annotations

import html
from email.utils import parseaddr

import pytest
from django.core import mail

from showcase.feeds.models import SyncRun
from showcase.outbox.models import Message
from showcase.outbox.services import message_queue, outbox_send
from tests.factories import make_feed, make_tenant

pytestmark = pytest.mark.django_db


def test_an_agency_sites_emails_come_from_the_agencys_name_at_the_configured_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Vitrine <no-reply@vitrine.test>"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tenant = make_tenant("port.test", name='Agence du Port "Sète"')
    message = message_queue(
        kind="lead.acknowledgement", to=["v@x.test"], subject="S", body="B", tenant=tenant
    )
    name, address = parseaddr(message.from_email)
    assert (name, address) == ('Agence du Port "Sète"', "no-reply@vitrine.test")
    outbox_send()
    assert parseaddr(mail.outbox[0].from_email) == (name, address)
    # No site: the configured sender as it is.
    platform = message_queue(kind="lead.acknowledgement", to=["v@x.test"], subject="S", body="B")
    assert platform.from_email == "Vitrine <no-reply@vitrine.test>"


def test_a_site_name_cannot_inject_headers_into_the_sender():
    tenant = make_tenant("evil.test", name="Evil\r\nBcc: all@x.test")
    message = message_queue(
        kind="lead.acknowledgement", to=["v@x.test"], subject="S", body="B", tenant=tenant
    )
    assert "\n" not in message.from_email and "\r" not in message.from_email


def test_the_outbox_admin_says_what_each_email_is_and_offers_no_add(admin_client):
    message_queue(kind="lead.acknowledgement", to=["v@x.test"], subject="S", body="B")
    message_queue(kind="alert.confirmation", to=["v@x.test"], subject="S", body="B")
    page = html.unescape(admin_client.get("/admin/outbox/message/").content.decode())
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "lead.acknowledgement" not in rows and "alert.confirmation" not in rows
    assert "accusé de réception" in page.lower() and "confirmation d'alerte" in page.lower()
    assert "Ajouter e-mail sortant" not in page
    assert admin_client.get("/admin/outbox/message/add/").status_code == 403
    assert Message.objects.count() == 2


def test_the_sync_run_page_labels_the_feed_in_french(admin_client):
    run = SyncRun.objects.create(feed=make_feed())
    page = admin_client.get(f"/admin/feeds/syncrun/{run.pk}/change/").content.decode()
    assert "<label>Flux" in page and "<label>Feed" not in page
