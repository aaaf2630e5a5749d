"""Scripts run from our own files only: no 'unsafe-inline', no inline script or event
handler in any page, the CSRF cookie out of scripts' reach (#16, point 13)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import reverse

from showcase.core.framing import FramingMiddleware, style_hashes
from tests.factories import make_agency, make_feed, make_listing, make_tenant

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "agence-a.test"}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


class InlineCode(HTMLParser):
    """Every place a browser would run code written in the page itself."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and not values.get("src"):
            if (values.get("type") or "") not in DATA_SCRIPT_TYPES:
                self.problems.append("inline <script>")


@pytest.fixture
def world(db):
    feed = make_feed()
    tenant = make_tenant("agence-a.test", feeds=[feed], name="Agence A")
    tenant.frame_origins = ["https://www.agence-a.fr"]
    tenant.save()
    agency = make_agency(feed=feed, name="Agence du Port")
    listing = make_listing(
        feed=feed,
        agency=agency,
        upstream_id="1",
        latitude=45.0,
        longitude=5.0,
        virtual_visit="https://my.matterport.com/show/?m=Abc123",
    )
    return {"tenant": tenant, "listing": listing, "agency": agency}


def pages(world) -> list[str]:
    listing, agency = world["listing"], world["agency"]
    return [
        "/",
        "/annonces/",
        "/annonces/?rooms=²",
        listing.get_absolute_url(),
        "/en" + listing.get_absolute_url(),
        agency.get_absolute_url(),
        "/agences/",
        "/embed/annonces/",
        f"/embed/annonces/{listing.pk}-{listing.slug}/",
        f"/favoris/?ids={listing.pk}",
        "/alertes/nouvelle/?transaction=sell",
        "/mentions-legales/",
        "/honoraires/",
        "/donnees-personnelles/",
        f"/contact/annonce/{listing.pk}/",
        "/page-qui-n-existe-pas/",
    ]


def policy_of(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_no_page_runs_inline_code_and_the_policy_forbids_it(client, world):
    for path in pages(world):
        response = client.get(path, **A)
        assert response.status_code in (200, 404), path
        policy = policy_of(response)
        assert policy["script-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in policy["style-src"], path
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.problems == [], (path, parser.problems)


def test_the_brand_style_block_is_allowed_by_its_hash_even_when_replayed_from_cache(client, world):
    first = client.get("/annonces/", **A)
    second = client.get("/annonces/", **A)
    [brand] = style_hashes(first.content)
    assert brand in policy_of(first)["style-src"]
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert style_hashes(second.content) == [brand]


def test_style_hashes_are_the_sha256_of_each_block():
    html = b"<style>:root{--brand:#123456}</style><p>x</p><style media='print'>p{}</style>"
    assert style_hashes(html) == [
        "'sha256-"
        + __import__("base64")
        .b64encode(__import__("hashlib").sha256(b":root{--brand:#123456}").digest())
        .decode()
        + "'",
        "'sha256-"
        + __import__("base64").b64encode(__import__("hashlib").sha256(b"p{}").digest()).decode()
        + "'",
    ]


def test_embed_pages_may_be_framed_by_the_listed_origins_only(client, world):
    policy = policy_of(client.get("/embed/annonces/", **A))
    assert policy["frame-ancestors"] == ["https://www.agence-a.fr"]
    assert policy_of(client.get("/annonces/", **A))["frame-ancestors"] == ["'none'"]


def test_a_view_with_its_own_policy_keeps_it(rf):
    def view(request):
        response = HttpResponse("<svg/>", content_type="image/svg+xml")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = FramingMiddleware(view)(rf.get("/etiquette-energie/sticker.svg"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_admin_runs_no_inline_script_either(client, world):
    boss = get_user_model().objects.create_superuser("boss", "boss@x.test", "pw")
    client.force_login(boss)
    for url in (
        reverse("admin:index"),
        reverse("admin:listings_listing_changelist"),
        reverse("admin:listings_listing_change", args=[world["listing"].pk]),
        reverse("admin:tenants_tenant_change", args=[world["tenant"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy_of(response)["script-src"] == ["'self'"]
        body = response.content.decode()
        inline = [
            m for m in re.findall(r"<script\b([^>]*)>", body) if "src=" not in m and "json" not in m
        ]
        assert inline == [], (url, inline)


def test_the_csrf_cookie_is_http_only(client, world):
    # Public forms set no CSRF cookie at all (showcase/core/csrf.py); the admin's does.
    assert not client.get(f"/contact/annonce/{world['listing'].pk}/", **A).cookies
    response = client.get("/admin/login/")
    cookie = response.cookies.get("csrftoken") or client.cookies.get("csrftoken")
    assert cookie is not None and cookie["httponly"]


def test_pages_answered_before_the_view_carry_the_policy_too(client, world):
    """An unknown host's page, a language the site does not offer, an alias's redirect and
    a missing slash are answered by middleware before any view: same policy, no frames."""
    world["tenant"].languages = ["fr", "en"]
    world["tenant"].save()
    answers = {
        "unknown host": client.get("/", HTTP_HOST="inconnu.test"),
        "language not offered": client.get("/de/annonces/", **A),
        "missing slash": client.get("/annonces", **A),
    }
    for what, response in answers.items():
        assert response.status_code in (301, 404), what
        policy = policy_of(response)
        assert policy["script-src"] == ["'self'"], what
        assert policy["frame-ancestors"] == ["'none'"], what
