from __future__ import annotations

import gzip

import pytest

from showcase.feeds.models import Feed
from showcase.feeds.signals import feed_synced
from tests.factories import make_listing, make_photo

pytestmark = pytest.mark.django_db
A = {"HTTP_HOST": "agence-a.test"}
B = {"HTTP_HOST": "agence-b.test"}


def test_anonymous_pages_are_served_from_the_cache_reading_only_the_shared_versions(
    client, two_agencies
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get("/annonces/", **A)["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/annonces/", **A)
    assert response["X-Cache"] == "hit" and "Maison A" in response.content.decode()
    assert len(queries) == 2  # the hosts' version, then the site's pages' version
    assert all("core_counter" in query["sql"] for query in queries)


def test_the_cache_key_includes_the_tenant_language_and_full_url(client, two_agencies):
    client.get("/annonces/", **A)
    assert client.get("/annonces/", **B)["X-Cache"] == "miss"
    assert client.get("/en/annonces/", **A)["X-Cache"] == "miss"
    assert client.get("/annonces/?type=house", **A)["X-Cache"] == "miss"


def test_a_sync_of_tenant_a_invalidates_a_but_not_b(
    client, two_agencies, django_capture_on_commit_callbacks
):
    client.get("/annonces/", **A)
    client.get("/annonces/", **B)
    with django_capture_on_commit_callbacks(execute=True):
        feed_synced.send(sender=Feed, feed=two_agencies["feed_a"], run=None)
    assert client.get("/annonces/", **A)["X-Cache"] == "miss"
    assert client.get("/annonces/", **B)["X-Cache"] == "hit"


def test_an_admin_edit_invalidates_the_tenant_pages(
    client, two_agencies, django_capture_on_commit_callbacks
):
    client.get("/annonces/", **A)
    listing = two_agencies["listing_a"]
    listing.title = "Villa A"
    with django_capture_on_commit_callbacks(execute=True):
        listing.save()
    body = client.get("/annonces/", **A).content.decode()
    assert "Maison A" not in body


def test_cached_pages_with_a_form_are_the_same_bytes_for_every_visitor(two_agencies):
    """The contact form carries no per-visitor token (the Origin check protects it), so
    a cached detail page is one shared body and sets no cookie."""
    from django.test import Client

    url = two_agencies["listing_a"].get_absolute_url()
    one = Client().get(url, **A)
    two = Client().get(url, **A)
    assert two["X-Cache"] == "hit" and 'class="contact-form"' in two.content.decode()
    assert one.content == two.content
    assert "csrfmiddlewaretoken" not in two.content.decode()
    assert not one.cookies and not two.cookies


def test_a_page_that_made_a_csrf_token_is_never_stored_nor_public(two_agencies, rf):
    """A template that still asks for {% csrf_token %} on a public page would hand one
    visitor's token to the next: such a response is neither stored nor public."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from showcase.core.pagecache import PageCacheMiddleware, SharedCacheHeadersMiddleware

    def page_with_a_token(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    stack = SharedCacheHeadersMiddleware(PageCacheMiddleware(page_with_a_token))
    for _ in range(2):
        request = rf.get("/annonces/", HTTP_HOST="agence-a.test")
        request.site = two_agencies["a"].site()
        response = stack(request)
        assert "X-Cache" not in response
        assert response["Cache-Control"] == "private, no-store"


def test_logged_in_users_never_get_cached_pages(client, two_agencies):
    client.get("/annonces/", **A)
    client.force_login(two_agencies["alice"])
    assert "X-Cache" not in client.get("/annonces/", **A)


def test_detail_pages_answer_conditional_requests_with_304(
    client, db, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    listing = make_listing(upstream_updated_at=timezone.now())
    response = client.get(listing.get_absolute_url())
    etag = response["ETag"]
    assert response["Last-Modified"].endswith("GMT")
    again = client.get(listing.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    listing.price = 1
    listing.content_hash = "changed"
    with django_capture_on_commit_callbacks(execute=True):
        listing.save()
    assert client.get(listing.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_pages_are_compressed_for_browsers_that_accept_gzip(client, two_agencies):
    plain = client.get("/annonces/")
    compressed = client.get("/annonces/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 3
    assert gzip.decompress(compressed.content) == plain.content


@pytest.fixture
def cards_only(settings):
    """Whole pages uncached, so each request renders and only card fragments can be reused."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.CARD_CACHE_SECONDS = 600


def test_a_card_is_rendered_once_and_reused_while_its_listing_is_unchanged(
    client, two_agencies, cards_only
):
    listing = two_agencies["listing_a"]
    assert "Maison A" in client.get("/annonces/", **A).content.decode()
    # A write that neither changes the upstream digest nor goes through a save signal:
    # only a reused fragment can still show the old title.
    type(listing).objects.filter(pk=listing.pk).update(title="Titre changé en douce")
    assert "Maison A" in client.get("/annonces/", **A).content.decode()


def test_a_card_is_rendered_again_when_its_listing_changes_upstream(
    client, two_agencies, cards_only
):
    listing = two_agencies["listing_a"]
    client.get("/annonces/", **A)
    type(listing).objects.filter(pk=listing.pk).update(
        title="Maison A rénovée", content_hash="another-digest"
    )
    assert "Maison A rénovée" in client.get("/annonces/", **A).content.decode()


def test_cards_follow_admin_edits_language_and_site(
    client, two_agencies, cards_only, django_capture_on_commit_callbacks
):
    listing = two_agencies["listing_a"]
    client.get("/annonces/", **A)
    listing.title = "Maison A (coup de cœur)"
    with django_capture_on_commit_callbacks(execute=True):
        listing.save()  # an agent's edit bumps the site's version
    assert "Maison A (coup de cœur)" in client.get("/annonces/", **A).content.decode()
    english = client.get("/en/annonces/", **A).content.decode()
    assert 'class="card-link" href="/en/annonces/' in english


def test_a_page_whose_cards_are_all_rendered_reads_only_their_keys_and_addresses(
    client, two_agencies, cards_only
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    listing = two_agencies["listing_a"]
    make_photo(listing, url="https://p.example/1/1/large/17")
    for n in range(5):
        make_listing(feed=two_agencies["feed_a"], upstream_id=f"A-card-{n}")
    first = client.get("/annonces/?sort=price_asc", **A).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/annonces/?sort=price_asc", **A).content
    assert again == first  # the same cards, the same JSON-LD, byte for byte
    listing_reads = [q["sql"] for q in queries if 'FROM "listings_listing" WHERE' in q["sql"]]
    assert not any('"listings_photo"' in q["sql"] for q in queries)
    assert not any('"listings_listing"."description"' in sql for sql in listing_reads)
    assert not any('"listings_listing"."price_info"' in sql for sql in listing_reads)


def test_a_card_missing_from_the_cache_is_rendered_again_among_cached_ones(
    client, two_agencies, cards_only
):
    from django.core.cache import cache

    from showcase.listings.cards import card_key

    for n in range(3):
        make_listing(feed=two_agencies["feed_a"], upstream_id=f"A-card-{n}")
    first = client.get("/annonces/", **A)
    cached = cache.get_many(
        card_key(first.wsgi_request, listing, False)
        for listing in type(two_agencies["listing_a"]).objects.all()
    )
    assert len(cached) == 4  # tenant A's four cards; B's listing is not on A's site
    cache.delete(next(iter(cached)))
    assert client.get("/annonces/", **A).content == first.content
    assert len(cache.get_many(cached)) == 4  # and kept again


def test_a_card_linking_inside_the_frame_is_kept_apart_from_the_plain_one(
    client, two_agencies, cards_only
):
    tenant, listing = two_agencies["a"], two_agencies["listing_a"]
    tenant.embed_link_target = "_self"
    tenant.save()
    plain = f'href="/annonces/{listing.pk}-{listing.slug}/"'
    framed = f'href="/embed/annonces/{listing.pk}-{listing.slug}/"'
    assert plain in client.get("/annonces/", **A).content.decode()
    assert framed in client.get("/embed/annonces/", **A).content.decode()
    assert plain in client.get("/annonces/", **A).content.decode()


@pytest.mark.parametrize("change", ["withdrawn", "hidden"])
def test_a_listing_withdrawn_or_hidden_while_its_page_is_read_shows_no_card(
    client, two_agencies, cards_only, monkeypatch, change
):
    from django.utils import timezone

    from showcase.listings import views
    from tests.factories import make_flags

    listing = two_agencies["listing_a"]
    client.get("/annonces/", **A)  # its card is cached
    read_cards = views.listing_cards

    def after_a_change(request, ids, listings, **options):
        if change == "withdrawn":
            type(listing).objects.filter(pk=listing.pk).update(withdrawn_at=timezone.now())
        else:
            make_flags(listing, two_agencies["a"], hidden=True)
        return read_cards(request, ids, listings, **options)

    monkeypatch.setattr(views, "listing_cards", after_a_change)
    assert "Maison A" not in client.get("/annonces/", **A).content.decode()


def test_cards_are_rendered_every_time_when_their_cache_is_off(client, two_agencies, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.CARD_CACHE_SECONDS = 0
    listing = two_agencies["listing_a"]
    client.get("/annonces/", **A)
    type(listing).objects.filter(pk=listing.pk).update(title="Maison A, nouveau titre")
    assert "Maison A, nouveau titre" in client.get("/annonces/", **A).content.decode()


def test_an_edit_refreshes_pages_only_once_committed(client, two_agencies):
    """Bumped inside the transaction, a request in between could cache the old page again
    under the new version; the bump waits for the commit (and a rollback bumps nothing)."""
    from django.db import transaction

    from showcase.core.pagecache import page_version

    key = str(two_agencies["a"].pk)
    before = page_version(key)
    listing = two_agencies["listing_a"]
    listing.hidden = True
    with transaction.atomic():
        listing.save()
        assert page_version(key) == before  # not yet: the edit is not visible yet either


def test_a_committed_edit_bumps_the_site_and_platform_versions(
    two_agencies, django_capture_on_commit_callbacks
):
    from showcase.core.pagecache import page_version
    from showcase.core.site import PLATFORM_KEY

    keys = [str(two_agencies["a"].pk), str(two_agencies["b"].pk), PLATFORM_KEY]
    before = [page_version(key) for key in keys]
    listing = two_agencies["listing_a"]
    listing.hidden = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        listing.save()
    assert callbacks
    after = [page_version(key) for key in keys]
    assert after[0] > before[0] and after[1] == before[1] and after[2] > before[2]


def test_a_rolled_back_edit_leaves_the_pages_alone(
    two_agencies, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from showcase.core.pagecache import page_version

    key = str(two_agencies["a"].pk)
    before = page_version(key)
    listing = two_agencies["listing_a"]
    listing.hidden = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                listing.save()
                raise RuntimeError("the admin form failed after the save")
        except RuntimeError:
            pass
    assert callbacks == [] and page_version(key) == before


def test_a_page_cached_from_http_is_not_served_to_https_visitors(client, two_agencies, settings):
    # Behind a TLS proxy that also passes plain http (SECURE_SSL_REDIRECT=0): the page's
    # absolute links (canonical, JSON-LD) carry the scheme it was asked on.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/annonces/", **A, HTTP_X_FORWARDED_PROTO="http")["X-Cache"] == "miss"
    response = client.get("/annonces/", **A, HTTP_X_FORWARDED_PROTO="https")
    assert response["X-Cache"] == "miss"
    assert 'rel="canonical" href="https://agence-a.test/annonces/"' in response.content.decode()
