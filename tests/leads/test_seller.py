"""The seller page (issue #15, point 9): a valuation request is a lead, and for an agency
synced from Apimo its property is created upstream, awaiting the agent, by `leads retry`."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
import responses
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from showcase.demo.fake_apimo import FakeApimo
from showcase.leads.models import Lead, LeadKind, Upstream, Valuation
from showcase.leads.services import (
    leads_purge,
    person_export,
    valuation_create_upstream,
    valuations_create_due,
)
from showcase.outbox.models import Message
from showcase.outbox.services import MAX_ATTEMPTS, backoff
from tests.factories import make_agency, make_apimo_feed, make_feed, make_tenant
from tests.leads.test_contact import started

pytestmark = pytest.mark.django_db
HOST = "agence-du-port.test"


def seller_data(agency, **overrides):
    data = {
        "agency": str(agency.pk),
        "property_type": "house",
        "city": "Sète",
        "zip_code": "34200",
        "surface": "92",
        "rooms": "4",
        "name": "Dominique Martin",
        "email": "dominique@example.org",
        "phone": "06 12 34 56 78",
        "message": "Maison avec jardin, libre en juin.",
        "consent": "on",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def fake():
    with FakeApimo(count=0) as server:
        yield server


@pytest.fixture
def apimo_site(fake):
    feed = make_apimo_feed(
        base_url=fake.url,
        provider_id="demo-provider",
        token="demo-token",
        upstream_agency_id=str(fake.agency["id"]),
    )
    agency = make_agency(
        feed=feed, upstream_id=str(fake.agency["id"]), name="Agence du Port", emails=["port@a.test"]
    )
    tenant = make_tenant(HOST, feeds=[feed], name="Agence du Port")
    return {"feed": feed, "agency": agency, "tenant": tenant}


def post(client, agency, **overrides):
    return client.post("/estimer-mon-bien/", seller_data(agency, **overrides), HTTP_HOST=HOST)


def test_the_seller_page_is_linked_from_the_header_and_listed_in_the_sitemap(client, apimo_site):
    home = client.get("/annonces/", HTTP_HOST=HOST).content.decode()
    assert 'href="/estimer-mon-bien/"' in home
    page = client.get("/estimer-mon-bien/", HTTP_HOST=HOST)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="consent"' in body and "checked" not in body.split('name="consent"')[1][:80]
    # The site's only agency is chosen already.
    assert f'value="{apimo_site["agency"].pk}" selected' in body
    sitemap = b"".join(client.get("/sitemap-pages.xml", HTTP_HOST=HOST).streaming_content)
    assert f"http://{HOST}/estimer-mon-bien/".encode() in sitemap.replace(b"https", b"http")


def test_a_seller_request_is_stored_first_as_a_lead_with_its_notification_queued(
    client, apimo_site, fake
):
    response = post(client, apimo_site["agency"])
    assert response.status_code == 302 and "/contact/merci/" in response["Location"]
    lead = Lead.objects.get()
    assert lead.kind == LeadKind.VALUATION and lead.consent
    assert lead.tenant == apimo_site["tenant"] and lead.agency == apimo_site["agency"]
    valuation = lead.valuation
    assert (valuation.property_type, valuation.city, valuation.zip_code) == (
        "house",
        "Sète",
        "34200",
    )
    assert (valuation.surface, valuation.rooms) == (92, 4)
    assert lead.listing_label == "Maison, 92 m², Sète"
    notification = Message.objects.get(kind="lead.notification", ref=str(lead.pk))
    assert notification.to == ["port@a.test"]
    assert "Sète (34200)" in notification.body and "92" in notification.body
    assert Message.objects.filter(kind="lead.acknowledgement", ref=str(lead.pk)).exists()
    # The public request never talks to Apimo: the property waits for `leads retry`.
    assert valuation.upstream_status == Upstream.PENDING and fake.calls == []
    assert valuation.upstream_feed == apimo_site["feed"]


def test_a_repeated_seller_submission_stores_one_lead(client, apimo_site):
    data = seller_data(apimo_site["agency"])
    client.post("/estimer-mon-bien/", data, HTTP_HOST=HOST)
    client.post("/estimer-mon-bien/", data, HTTP_HOST=HOST)
    assert Lead.objects.count() == 1 and Valuation.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("zip_code", "3420", "cinq chiffres"),
        ("surface", "0", "supérieure ou égale à 1"),
        ("consent", "", "Ce champ est obligatoire"),
        ("property_type", "castle", "Sélectionnez un choix valide"),
    ],
)
def test_bad_seller_input_is_explained_and_nothing_is_stored(
    client, apimo_site, field, value, message
):
    response = post(client, apimo_site["agency"], **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Lead.objects.count() == 0


def test_an_agency_of_another_site_cannot_be_chosen(client, apimo_site):
    other = make_agency(feed=make_feed(), name="Elsewhere")
    make_tenant("ailleurs.test", feeds=[other.feed])
    response = post(client, other)
    assert response.status_code == 400 and Lead.objects.count() == 0


def test_a_gedeon_agency_gets_the_lead_without_any_apimo_property(client):
    feed = make_feed()
    agency = make_agency(feed=feed, emails=["g@a.test"])
    make_tenant(HOST, feeds=[feed])
    assert post(client, agency).status_code == 302
    valuation = Valuation.objects.get()
    assert valuation.upstream_status == Upstream.NONE and valuation.upstream_feed is None
    assert valuations_create_due().created == 0


def test_leads_retry_creates_the_property_on_apimo_awaiting_the_agent_and_keeps_its_id(
    client, apimo_site, fake
):
    post(client, apimo_site["agency"])
    out = StringIO()
    call_command("leads", "retry", stdout=out)
    assert "1 seller property(ies) created on Apimo, 0 failed" in out.getvalue()
    valuation = Valuation.objects.get()
    assert valuation.upstream_status == Upstream.CREATED
    assert valuation.upstream_id == str(fake.created[0]["id"])
    sent = fake.created[0]
    assert (sent["step"], sent["status"], sent["category"], sent["type"]) == (2, 20, 1, 2)
    assert sent["reference"] == valuation.upstream_reference
    assert sent["city"] == {"name": "Sète", "zipcode": "34200"}
    assert sent["area"] == {"unit": 1, "value": 92} and sent["rooms"] == 4
    assert "dominique@example.org" in sent["private_comment"]


def test_a_created_property_is_never_sent_again(client, apimo_site, fake):
    post(client, apimo_site["agency"])
    valuations_create_due()
    valuations_create_due(now=timezone.now() + timedelta(days=1))
    valuation = Valuation.objects.get()
    assert valuation_create_upstream(valuation) is True
    assert len(fake.created) == 1
    assert [c for c in fake.calls if c.startswith("POST")] == [
        f"POST /agencies/{fake.agency['id']}/properties"
    ]


def test_a_failed_creation_is_retried_with_the_outbox_back_off_and_explained(
    client, apimo_site, fake
):
    post(client, apimo_site["agency"])
    fake.post_faults = [(503, False)]
    now = timezone.now()
    report = valuations_create_due(now=now)
    assert (report.created, report.failed) == (0, 1)
    valuation = Valuation.objects.get()
    assert valuation.upstream_status == Upstream.FAILED and valuation.upstream_attempts == 1
    assert valuation.upstream_next_attempt_at == now + backoff(1)
    assert "Apimo n'a pas fait la modification" in valuation.upstream_last_error
    # Not due before the back-off is over, then created.
    assert valuations_create_due(now=now + timedelta(minutes=1)).failed == 0
    assert valuations_create_due(now=now + backoff(1)).created == 1
    valuation.refresh_from_db()
    assert valuation.upstream_status == Upstream.CREATED and valuation.upstream_last_error == ""
    assert len(fake.created) == 1


def test_a_lost_answer_is_found_by_our_reference_instead_of_creating_twice(
    client, apimo_site, fake
):
    post(client, apimo_site["agency"])
    fake.post_faults = [(502, True)]  # Apimo created it, the answer did not come back
    now = timezone.now()
    assert valuations_create_due(now=now).failed == 1
    assert valuations_create_due(now=now + backoff(1)).created == 1
    valuation = Valuation.objects.get()
    assert len(fake.created) == 1
    assert valuation.upstream_id == str(fake.created[0]["id"])
    assert len([c for c in fake.calls if c.startswith("POST")]) == 1


@responses.activate
def test_apimo_refusing_the_scope_is_shown_in_its_own_words_and_retries_give_up(client):
    feed = make_apimo_feed()
    agency = make_agency(feed=feed, upstream_id="182", emails=["a@a.test"])
    make_tenant(HOST, feeds=[feed])
    post(client, agency)
    responses.post(
        "http://apimo.test/agencies/182/properties",
        status=403,
        json={"error": "You need the scope properties_write"},
    )
    responses.get(
        "http://apimo.test/agencies/182/properties",
        json={"total_items": 0, "timestamp": None, "properties": []},
    )
    now = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert valuations_create_due(now=now).failed == 1
        now += backoff(attempt)
    valuation = Valuation.objects.get()
    assert "You need the scope properties_write" in valuation.upstream_last_error
    assert valuation.upstream_status == Upstream.GAVE_UP
    assert valuations_create_due(now=now + timedelta(days=30)).failed == 0


def test_leads_retry_exits_non_zero_when_a_creation_failed(client, apimo_site, fake):
    post(client, apimo_site["agency"])
    fake.post_faults = [(500, False)]
    out = StringIO()
    with pytest.raises(CommandError, match="could not be created on Apimo"):
        call_command("leads", "retry", stdout=out)
    assert "0 seller property(ies) created on Apimo, 1 failed" in out.getvalue()


def test_the_lead_admin_shows_the_apimo_id_attempts_and_error_to_the_sites_agent_only(
    client, apimo_site, fake, django_user_model
):
    post(client, apimo_site["agency"])
    fake.post_faults = [(503, False)]
    valuations_create_due()
    lead = Lead.objects.get()
    alice = django_user_model.objects.create_user("alice", "a@a.test", "pw", is_staff=True)
    apimo_site["tenant"].agents.add(alice)
    bob = django_user_model.objects.create_user("bob", "b@b.test", "pw", is_staff=True)
    make_tenant("autre.test", feeds=[make_feed()]).agents.add(bob)
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(content_type__app_label="leads")
    alice.user_permissions.set(perms)
    bob.user_permissions.set(perms)
    client.force_login(alice)
    page = client.get(f"/admin/leads/lead/{lead.pk}/change/").content.decode()
    assert "pas fait la modification" in page
    assert "échec, nouvel essai prévu" in page or "failed, will retry" in page
    listing = client.get("/admin/leads/lead/").content.decode()
    assert "Dominique Martin" in listing
    client.post(
        "/admin/leads/lead/",
        {"action": "create_on_apimo", "_selected_action": [lead.pk]},
    )
    assert Valuation.objects.get().upstream_next_attempt_at <= timezone.now()
    client.force_login(bob)
    assert client.get(f"/admin/leads/lead/{lead.pk}/change/").status_code in (302, 404)
    assert "Dominique Martin" not in client.get("/admin/leads/lead/").content.decode()


def test_purge_and_erasure_cover_seller_requests(client, apimo_site, django_user_model):
    post(client, apimo_site["agency"])
    lead = Lead.objects.get()
    export = person_export(Lead.objects.all(), "dominique@example.org")
    assert export[0]["kind"] == "valuation"
    assert export[0]["property"]["town"] == "Sète"
    assert leads_purge(older_than=timezone.now() + timedelta(seconds=1)) == 2  # lead + valuation
    assert not Valuation.objects.exists() and not Message.objects.filter(ref=str(lead.pk)).exists()

    post(client, apimo_site["agency"], started=started(40))
    admin = django_user_model.objects.create_superuser("root", "r@r.test", "pw")
    client.force_login(admin)
    lead = Lead.objects.get()
    client.post(
        "/admin/leads/lead/",
        {"action": "erase_person", "_selected_action": [lead.pk]},
    )
    assert not Lead.objects.exists() and not Valuation.objects.exists()
    assert not Message.objects.filter(kind__startswith="lead.").exists()


def test_the_exported_json_of_a_seller_is_serialisable(client, apimo_site):
    post(client, apimo_site["agency"])
    assert json.dumps(person_export(Lead.objects.all(), "dominique@example.org"))


def test_the_seller_page_works_on_the_whole_catalogue_and_on_a_site_without_agencies(client):
    agency = make_agency(emails=["x@a.test"])
    page = client.get("/estimer-mon-bien/")  # the platform host: every agency
    assert page.status_code == 200 and agency.name in page.content.decode()
    make_tenant("vide.test", feeds=[make_feed()])
    empty = client.get("/estimer-mon-bien/", HTTP_HOST="vide.test")
    assert empty.status_code == 200
    assert "Aucune agence ne reçoit encore de demandes" in empty.content.decode()
    refused = client.post("/estimer-mon-bien/", seller_data(agency), HTTP_HOST="vide.test")
    assert refused.status_code == 400 and Lead.objects.count() == 0


def test_a_seller_request_without_any_address_to_notify_is_kept_with_its_property(
    client, settings, fake
):
    settings.LEADS_FALLBACK_EMAIL = ""
    feed = make_apimo_feed(
        base_url=fake.url,
        provider_id="demo-provider",
        token="demo-token",
        upstream_agency_id=str(fake.agency["id"]),
    )
    agency = make_agency(feed=feed, upstream_id=str(fake.agency["id"]), emails=[])
    make_tenant(HOST, feeds=[feed])
    assert post(client, agency).status_code == 302
    lead = Lead.objects.get()
    assert lead.notification_status == "failed" and "LEADS_FALLBACK_EMAIL" in lead.last_error
    assert lead.valuation.upstream_status == Upstream.PENDING
    assert valuations_create_due().created == 1


def test_the_seller_page_runs_a_bounded_number_of_queries(
    client, apimo_site, django_assert_max_num_queries
):
    for n in range(30):
        make_agency(feed=apimo_site["feed"], name=f"Agence {n}")
    with django_assert_max_num_queries(12):
        assert client.get("/estimer-mon-bien/", HTTP_HOST=HOST).status_code == 200


def test_a_created_seller_property_is_named_in_words_in_the_admin_and_both_emails(
    client, apimo_site, fake, django_user_model
):
    import html

    from showcase.leads.notifications import queue_acknowledgement

    post(client, apimo_site["agency"])
    valuations_create_due()
    lead = Lead.objects.get()
    client.force_login(django_user_model.objects.create_superuser("root", "r@r.test", "pw"))
    page = html.unescape(client.get(f"/admin/leads/lead/{lead.pk}/change/").content.decode())
    # "créé" for the property (it said "créées", the sync run's counts), and once created,
    # no attempts or next attempt left over.
    assert "créé" in page and "créées" not in page
    assert (
        "prochaine tentative" not in page.lower() and "tentatives de création" not in page.lower()
    )
    assert "<label>Bien à estimer" in page and "<label>Annonce" not in page
    listing = html.unescape(client.get("/admin/leads/lead/").content.decode())
    assert "créé (" in listing and "créées" not in listing
    notification = Message.objects.get(kind="lead.notification", ref=str(lead.pk))
    assert "Bien à estimer\xa0: Maison, 92 m², Sète" in notification.body
    assert "Annonce" not in notification.body
    acknowledgement = Message.objects.get(kind="lead.acknowledgement", ref=str(lead.pk))
    assert "Bien à estimer\xa0: Maison, 92 m², Sète" in acknowledgement.body
    lead.language = "en"
    assert "Property to value: Maison, 92 m², Sète" in queue_acknowledgement(lead).body
