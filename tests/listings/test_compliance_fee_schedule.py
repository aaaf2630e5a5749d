"""Issue #17 point 2: each listing's fees against its own agency's fee schedule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from showcase.listings import compliance, fees
from showcase.listings.models import Agency, Listing
from tests.factories import make_agency, make_feed, make_listing

TODAY = date(2026, 11, 23)
GEDEON_HONORAIRES = (
    "<h3>Vente</h3><ul><li>Jusqu'à 100 000 € : 6 % TTC</li>"
    "<li>De 100 001 € à 300 000 € : 5 % TTC</li>"
    "<li>Au-delà de 300 000 € : 4 % TTC</li></ul>"
    "<p>Honoraires à la charge de l'acquéreur, non cumulatifs.</p>"
    "<h3>Location</h3><p>Visite, dossier, bail : 10 € TTC/m² ; "
    "état des lieux : 3 € TTC/m² (locataire et bailleur).</p>"
)
APIMO_RATES = [
    {"category": 1, "category_label": "Vente", "range_min": 0, "range_max": 100000,
     "commission_price": 6000, "commission_rate": None, "comment": ""},
    {"category": 1, "category_label": "Vente", "range_min": 100001, "range_max": 99999999,
     "commission_price": None, "commission_rate": 5, "comment": ""},
]  # fmt: skip


def sale(agency: Agency | None, *, net: int, percent: str) -> Listing:
    fee = int(Decimal(net) * Decimal(percent) / 100)
    return Listing(
        agency=agency,
        transaction="sell",
        property_type="land",
        price=net + fee,
        price_excluding_fees=net,
        fees_percent=Decimal(percent),
        fees_paid_by="acquéreur",
    )


def test_a_french_schedule_text_is_read_into_bands_payer_and_rental_fees():
    schedule = fees.parse_text(GEDEON_HONORAIRES, source=fees.SOURCE_GEDEON)
    assert schedule.structured
    assert schedule.sale_bands == (
        fees.SaleBand(None, 100000, percent=Decimal(6)),
        fees.SaleBand(100001, 300000, percent=Decimal(5)),
        fees.SaleBand(300001, None, percent=Decimal(4)),
    )
    assert schedule.paid_by == "buyer" and schedule.cumulative is False
    assert (schedule.tenant_per_m2, schedule.inventory_per_m2) == (Decimal(10), Decimal(3))


def test_a_schedule_text_with_lines_we_cannot_read_is_shown_as_written():
    text = GEDEON_HONORAIRES + "<p>Gestion locative : 7,2 % des encaissements</p>"
    schedule = fees.parse_text(text, source=fees.SOURCE_GEDEON)
    assert not schedule.structured
    assert len(schedule.sale_bands) == 3  # still checked against


def test_apimo_rates_open_ended_band_has_no_upper_bound():
    schedule = fees.parse_rates(APIMO_RATES)
    assert schedule.sale_bands == (
        fees.SaleBand(None, 100000, amount=6000),
        fees.SaleBand(100001, None, percent=Decimal(5)),
    )


@pytest.mark.django_db
def test_the_agents_schedule_wins_over_the_feeds_and_says_so():
    agency = make_agency(rates=APIMO_RATES, legal={"honoraires": GEDEON_HONORAIRES})
    assert fees.agency_schedule(agency).source == fees.SOURCE_APIMO
    agency.fee_schedule = "Jusqu'à 1 000 000 € : 3 % TTC"
    assert fees.agency_schedule(agency).source == fees.SOURCE_ADMIN
    assert fees.agency_schedule(agency).sale_bands == (
        fees.SaleBand(None, 1000000, percent=Decimal(3)),
    )


@pytest.mark.django_db
def test_a_sale_charging_more_than_its_band_does_not_match_the_schedule():
    agency = make_agency(name="Agence du Parc", legal={"honoraires": GEDEON_HONORAIRES})
    listing = sale(agency, net=200000, percent="5.50")
    assert "F-FEES-SCHEDULE" in compliance.check(listing, today=TODAY)
    [finding] = [f for f in compliance.findings(listing) if f.rule.code == "F-FEES-SCHEDULE"]
    detail = finding.detail.replace("\xa0", " ").replace("\u202f", " ")
    assert "(5,50 % de 200 000 € hors honoraires)" in detail and "Agence du Parc" in detail
    assert "au plus 5 % de 100 001 € à 300 000 €, soit 10 000 €" in detail


@pytest.mark.django_db
@pytest.mark.parametrize(("net", "percent"), [(80000, "6"), (200000, "5"), (500000, "3.5")])
def test_a_sale_at_or_under_its_band_matches_the_schedule(net, percent):
    agency = make_agency(legal={"honoraires": GEDEON_HONORAIRES})
    assert "F-FEES-SCHEDULE" not in compliance.check(sale(agency, net=net, percent=percent))


@pytest.mark.django_db
def test_a_flat_fee_band_caps_the_amount():
    agency = make_agency(rates=APIMO_RATES)
    assert "F-FEES-SCHEDULE" not in compliance.check(sale(agency, net=90000, percent="6.5"))
    assert "F-FEES-SCHEDULE" in compliance.check(sale(agency, net=90000, percent="7"))


@pytest.mark.django_db
def test_a_rental_charging_more_per_m2_than_the_schedule_does_not_match():
    agency = make_agency(legal={"honoraires": GEDEON_HONORAIRES})
    rent = {"transaction": "rent", "property_type": "land", "price": 900, "surface": 50}
    fine = Listing(agency=agency, tenant_fees=650, inventory_fees=150, **rent)
    dear = Listing(agency=agency, tenant_fees=800, inventory_fees=150, **rent)
    assert "F-FEES-SCHEDULE" not in compliance.check(fine)
    assert "F-FEES-SCHEDULE" in compliance.check(dear)
    [finding] = [f for f in compliance.findings(dear) if f.rule.code == "F-FEES-SCHEDULE"]
    assert "Honoraires locataire" in finding.detail and "650" in finding.detail


def test_a_listing_without_agency_or_schedule_is_not_flagged():
    assert "F-FEES-SCHEDULE" not in compliance.check(sale(None, net=200000, percent="9"))


@pytest.mark.django_db
def test_editing_an_agencys_schedule_refreshes_its_listings_verdict(client):
    feed = make_feed()
    agency = make_agency(feed=feed, legal={"honoraires": GEDEON_HONORAIRES})
    listing = make_listing(
        feed=feed, agency=agency, price=211000, price_excluding_fees=200000,
        fees_percent=Decimal("5.50"), fees_paid_by="acquéreur",
    )  # fmt: skip
    compliance.listings_compliance_refresh()
    listing.refresh_from_db()
    assert "F-FEES-SCHEDULE" in listing.compliance_issues
    admin = get_user_model().objects.create_superuser("op", "op@x.test", "pw")
    client.force_login(admin)
    url = f"/admin/listings/agency/{agency.pk}/change/"
    page = client.get(url).content.decode()
    assert "transmis par Gedeon" in page
    response = client.post(url, {"fee_schedule": "Jusqu'à 500 000 € : 6 % TTC"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert "F-FEES-SCHEDULE" not in listing.compliance_issues
    assert "saisi dans l&#x27;administration" in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_admin_filters_fees_that_do_not_match_and_explains_them_in_words(client):
    feed = make_feed()
    agency = make_agency(feed=feed, name="Agence du Parc", legal={"honoraires": GEDEON_HONORAIRES})
    dear = make_listing(
        feed=feed, agency=agency, title="Trop cher", price=211000, price_excluding_fees=200000,
        fees_percent=Decimal("5.50"), fees_paid_by="acquéreur",
    )  # fmt: skip
    make_listing(
        feed=feed, agency=agency, title="Au barème", price=210000, price_excluding_fees=200000,
        fees_percent=Decimal("5.00"), fees_paid_by="acquéreur",
    )  # fmt: skip
    compliance.listings_compliance_refresh()
    client.force_login(get_user_model().objects.create_superuser("op", "op@x.test", "pw"))
    listing_page = client.get("/admin/listings/listing/").content.decode()
    assert "honoraires non conformes au barème" in listing_page
    assert ">F-PRICE-FEES<" not in listing_page  # codes are no filter labels
    filtered = client.get("/admin/listings/listing/?compliance=F-FEES-SCHEDULE").content
    assert "Trop cher" in filtered.decode() and "Au barème" not in filtered.decode()
    panel = client.get(f"/admin/listings/listing/{dear.pk}/change/").content.decode()
    assert "Les honoraires dépassent ce que permet le barème de l&#x27;agence." in panel
    assert "Agence du Parc" in panel and "F-FEES-SCHEDULE" in panel  # the code, in small
    assert "à corriger" in panel


@pytest.mark.django_db
def test_the_listing_admin_shows_the_carrez_surface_read_only(client):
    listing = make_listing(surface_carrez=48.5)
    client.force_login(get_user_model().objects.create_superuser("op", "op@x.test", "pw"))
    page = client.get(f"/admin/listings/listing/{listing.pk}/change/").content.decode()
    assert "Surface Loi Carrez" in page and "48,5" in page
    assert 'name="surface_carrez"' not in page


@pytest.mark.parametrize("paid_by", ["vendeur", "Vendeur", "à la charge du vendeur", "seller"])
def test_seller_paid_fees_are_not_checked_as_buyer_fees(paid_by):
    schedule = fees.parse_text(
        "<p>Jusqu'à 300 000 € : 5 % TTC</p><p>Au-delà de 300 000 € : 4 % TTC</p>", source="x"
    )
    by_percent = Listing(
        transaction="sell", property_type="land", price=318000,
        fees_percent=Decimal(6), fees_paid_by=paid_by,
    )  # fmt: skip
    by_net = Listing(
        transaction="sell", property_type="land", price=318000,
        price_excluding_fees=300000, fees_paid_by=paid_by,
    )  # fmt: skip
    assert compliance.fee_mismatch(by_percent, schedule) is None
    assert compliance.fee_mismatch(by_net, schedule) is None
    assert "F-FEES-SCHEDULE" not in compliance.check(by_percent, today=TODAY, schedule=schedule)


@pytest.mark.parametrize(
    ("net", "percent"), [(None, "-100"), (None, "-150"), (0, None), (None, "0")]
)
def test_a_nonsense_net_price_or_rate_from_the_feed_is_not_checked_and_does_not_crash(net, percent):
    schedule = fees.parse_text("<p>Jusqu'à 300 000 € : 5 % TTC</p>", source="x")
    listing = Listing(
        agency=Agency(name="Agence X"), transaction="sell", property_type="land",
        price=318000, price_excluding_fees=net,
        fees_percent=Decimal(percent) if percent else None, fees_paid_by="acquéreur",
    )  # fmt: skip
    assert compliance.fee_mismatch(listing, schedule) is None
    assert "F-FEES-SCHEDULE" not in compliance.check(listing, today=TODAY, schedule=schedule)


@pytest.mark.django_db
def test_a_sync_changing_an_agencys_schedule_refreshes_its_unchanged_listings_verdict():
    from django.utils import timezone

    from showcase.feeds.records import AgencyRecord
    from showcase.feeds.sync import agencies_upsert

    feed = make_feed()
    agency = make_agency(feed=feed, upstream_id="ag-s", legal={"honoraires": GEDEON_HONORAIRES})
    listing = make_listing(
        feed=feed, agency=agency, price=211000, price_excluding_fees=200000,
        fees_percent=Decimal("5.50"), fees_paid_by="acquéreur",
    )  # fmt: skip
    compliance.listings_compliance_refresh()
    listing.refresh_from_db()
    assert "F-FEES-SCHEDULE" in listing.compliance_issues
    record = AgencyRecord(
        upstream_id="ag-s", name=agency.name,
        legal={"honoraires": "<p>Jusqu'à 1 000 000 € : 6 % TTC</p>"},
    )  # fmt: skip
    agencies_upsert(feed=feed, records=[record], now=timezone.now(), known={})
    listing.refresh_from_db()
    assert "F-FEES-SCHEDULE" not in listing.compliance_issues
