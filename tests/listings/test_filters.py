from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from showcase.listings.filters import ListingFilterSet
from showcase.listings.models import Listing
from tests.factories import make_agency, make_feed, make_listing

pytestmark = pytest.mark.django_db


def found(query: dict[str, str]) -> set[str]:
    filterset = ListingFilterSet(query, queryset=Listing.objects.published())
    return set(filterset.qs.values_list("upstream_id", flat=True))


def errors(query: dict[str, str]) -> dict:
    filterset = ListingFilterSet(query, queryset=Listing.objects.published())
    filterset.qs  # noqa: B018 - validates
    return dict(filterset.errors)


@pytest.fixture
def feed():
    return make_feed()


def test_transaction_empty_means_everything_but_sold(feed):
    for word in ("sell", "rent", "holidays", "viager", "program", "sold"):
        make_listing(feed=feed, upstream_id=word, transaction=word)
    assert found({}) == {"sell", "rent", "holidays", "viager", "program"}
    assert found({"transaction": "sold"}) == {"sold"}
    assert found({"transaction": "sell,sold"}) == {"sell", "sold"}
    assert found({"transaction": "sell,viager"}) == {"sell", "viager"}
    assert found({"transaction": "l"}) == {"viager"}
    assert found({"transaction": "SELL, Program"}) == {"sell", "program"}
    assert found({"exclude_transactions": "holidays,rent"}) == {"sell", "viager", "program"}
    assert "transaction" in errors({"transaction": "troc"})


def test_type_accepts_french_and_english_names(feed):
    make_listing(feed=feed, upstream_id="h", property_type="house")
    make_listing(feed=feed, upstream_id="f", property_type="flat")
    make_listing(feed=feed, upstream_id="i", property_type="industrial")
    assert found({"type": "maison"}) == {"h"}
    assert found({"type": "house,Appartement"}) == {"h", "f"}
    assert found({"type": "Local Industriel"}) == {"i"}
    assert "type" in errors({"type": "castle"})


def test_localization_by_city_zip_or_department_ignoring_case_accents_hyphens(feed):
    make_listing(
        feed=feed,
        upstream_id="se",
        city="Saint-Étienne",
        city_key="saint etienne",
        zip_code="42000",
        department="42",
    )
    make_listing(
        feed=feed,
        upstream_id="aj",
        city="Ajaccio",
        city_key="ajaccio",
        zip_code="20000",
        department="2A",
    )
    make_listing(
        feed=feed,
        upstream_id="re",
        city="Saint-Denis",
        city_key="saint denis",
        zip_code="97400",
        department="974",
    )
    assert found({"localization": "saint etienne"}) == {"se"}
    assert found({"localization": "SAINT-ETIENNE"}) == {"se"}
    assert found({"localization": "42000"}) == {"se"}
    assert found({"localization": "42,2a"}) == {"se", "aj"}
    assert found({"localization": "974"}) == {"re"}


def test_extends_widens_each_localization_by_metres(feed):
    make_listing(feed=feed, upstream_id="lyon", city_key="lyon", latitude=45.76, longitude=4.85)
    make_listing(
        feed=feed,
        upstream_id="villeurbanne",
        city_key="villeurbanne",
        zip_code="69100",
        latitude=45.77,
        longitude=4.88,
    )
    make_listing(
        feed=feed,
        upstream_id="vienne",
        city_key="vienne",
        zip_code="38200",
        latitude=45.52,
        longitude=4.87,
    )
    assert found({"localization": "lyon"}) == {"lyon"}
    assert found({"localization": "lyon", "extends": "5000"}) == {"lyon", "villeurbanne"}
    assert found({"localization": "lyon", "extends": "40000"}) == {"lyon", "villeurbanne", "vienne"}


def test_bbox_is_north_west_then_south_east(feed):
    make_listing(feed=feed, upstream_id="in", latitude=45.76, longitude=4.85)
    make_listing(feed=feed, upstream_id="out", latitude=43.3, longitude=5.4)
    assert found({"bbox": "4.8,45.8,4.9,45.7"}) == {"in"}
    assert "bbox" in errors({"bbox": "4.9,45.7,4.8,45.8"})


def test_price_and_surface_bounds_are_inclusive_and_never_reveal_hidden_prices(feed):
    make_listing(feed=feed, upstream_id="a", price=100000, surface=50)
    make_listing(feed=feed, upstream_id="b", price=200000, surface=80)
    make_listing(feed=feed, upstream_id="hidden", price=150000, price_hidden=True)
    assert found({"min_price": "100000", "max_price": "200000"}) == {"a", "b"}
    assert found({"max_price": "150000"}) == {"a"}
    assert found({"min_surface": "50", "max_surface": "50"}) == {"a"}


def test_rooms_five_means_five_or_more(feed):
    for rooms in (1, 2, 3, 5, 7):
        make_listing(feed=feed, upstream_id=str(rooms), rooms=rooms)
    assert found({"rooms": "2,3"}) == {"2", "3"}
    assert found({"rooms": "5"}) == {"5", "7"}
    assert found({"rooms": "1,5"}) == {"1", "5", "7"}


def test_bedrooms_and_sleeps_interval_lists(feed):
    for n in (0, 1, 3, 4, 7):
        make_listing(feed=feed, upstream_id=str(n), bedrooms=n, sleeps=n * 2)
    assert found({"bedrooms": "1-3,7"}) == {"1", "3", "7"}
    assert found({"bedrooms": "-1"}) == {"0", "1"}
    assert found({"bedrooms": "4-"}) == {"4", "7"}
    assert found({"sleeps": "6-8"}) == {"3", "4"}


def test_agency_age_favourite_new_old_and_photos(feed):
    agency = make_agency(feed=feed, upstream_id="AG1")
    now = timezone.now()
    make_listing(
        feed=feed,
        upstream_id="a",
        agency=agency,
        published_at=now,
        is_new=True,
        photo_count=5,
        upstream_favorite=True,
    )
    make_listing(feed=feed, upstream_id="b", published_at=now - timedelta(days=40), featured=True)
    make_listing(feed=feed, upstream_id="c", published_at=now - timedelta(days=40))
    assert found({"agency": "AG1"}) == {"a"}
    assert found({"max_days_old": "30"}) == {"a"}
    assert found({"favorite": "1"}) == {"a", "b"}
    assert found({"is_new": "1"}) == {"a"}
    assert found({"is_old": "1"}) == {"b", "c"}
    assert found({"nb_photos_min": "3"}) == {"a"}


def test_viager_criteria_with_zero_meaning_unknown_too(feed):
    v = {"feed": feed, "transaction": "viager"}
    make_listing(upstream_id="rente0", monthly_annuity=None, occupied=None, nb_persons=None, **v)
    make_listing(
        upstream_id="rente500",
        monthly_annuity=500,
        occupied=True,
        nb_persons=2,
        forward_sale=True,
        forward_duration=12,
        **v,
    )
    make_listing(
        upstream_id="rente900",
        monthly_annuity=900,
        occupied=False,
        nb_persons=1,
        forward_sale=False,
        **v,
    )
    assert found({"transaction": "L", "monthly_annuity": "200-800"}) == {"rente500"}
    assert found({"transaction": "L", "monthly_annuity": "0-600"}) == {"rente0", "rente500"}
    assert found({"transaction": "L", "monthly_annuity": "0"}) == {"rente0"}
    assert found({"transaction": "L", "occupied": "1"}) == {"rente500"}
    assert found({"transaction": "L", "occupied": "0"}) == {"rente0", "rente900"}
    assert found({"transaction": "L", "nb_persons": "1"}) == {"rente900"}
    assert found({"transaction": "L", "nb_persons": "0,2"}) == {"rente0", "rente500"}
    assert found({"transaction": "L", "forward_sale": "1"}) == {"rente500"}
    assert found({"transaction": "L", "forward_sale": "0"}) == {"rente0", "rente900"}
    assert found({"transaction": "L", "forward_duration": "10-20"}) == {"rente500"}
    assert found({"transaction": "L", "forward_duration": "0-10"}) == {"rente0", "rente900"}


def test_sorting(feed):
    make_listing(feed=feed, upstream_id="cheap", price=1, surface=90)
    make_listing(feed=feed, upstream_id="dear", price=9, surface=10)

    def order(sort):
        fs = ListingFilterSet({"sort": sort}, queryset=Listing.objects.published())
        return list(fs.qs.values_list("upstream_id", flat=True))

    assert order("price_asc") == ["cheap", "dear"]
    assert order("price_desc") == ["dear", "cheap"]
    assert order("surface_desc") == ["cheap", "dear"]


def test_filter_sets_alive_together_each_apply_their_own_criteria(feed):
    make_listing(
        feed=feed, upstream_id="lyon", property_type="house", city="Lyon", zip_code="69003"
    )
    make_listing(
        feed=feed,
        upstream_id="nice",
        city="Nice",
        city_key="nice",
        zip_code="06000",
        department="06",
    )
    listings = Listing.objects.published()
    # Filters are shared declarations; each set's copies must call back their own set
    # (`localization` is a method filter reading its set's cleaned data).
    lyon = ListingFilterSet({"localization": "Lyon", "type": "house"}, queryset=listings)
    nice = ListingFilterSet({"localization": "06000"}, queryset=listings)
    assert set(nice.qs.values_list("upstream_id", flat=True)) == {"nice"}
    assert set(lyon.qs.values_list("upstream_id", flat=True)) == {"lyon"}
    assert lyon.form is not nice.form and lyon.form.fields["type"] is not nice.form.fields["type"]
