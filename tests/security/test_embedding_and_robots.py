"""Who may frame the embed pages is a list of exact origins (no wildcard, nothing that
changes the CSP header), and robots.txt does not reveal the admin path (#16, point 12)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from showcase.core.origins import parse_origin
from showcase.tenants.admin import TenantForm

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "agence-a.test"}
NOT_ORIGINS = [
    "https://*",
    "https://*.agence-a.fr",
    "*",
    "https:",
    "https://",
    "https://www.agence-a.fr/embed",
    "https://www.agence-a.fr; script-src *",
    "https://www.agence-a.fr 'unsafe-inline'",
    "https://user@www.agence-a.fr",
    "javascript://agence-a.fr",
    "ftp://agence-a.fr",
    "https://agence-a.fr:0",
    "https://agence-a.fr:99999",
    "https://-agence.fr",
    "'self'",
    "'none'",
    "https://agence-a.fr\\@evil.example",
    12,
    None,
]


@pytest.mark.parametrize("value", NOT_ORIGINS)
def test_anything_but_a_scheme_host_port_origin_is_not_an_origin(value):
    assert parse_origin(value) is None


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://www.agence-a.fr", "https://www.agence-a.fr"),
        (" HTTPS://WWW.Agence-A.fr/ ", "https://www.agence-a.fr"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("https://xn--agence-dt-b7a.fr:443", "https://xn--agence-dt-b7a.fr:443"),
    ],
)
def test_origins_are_normalised(value, origin):
    assert parse_origin(value) == origin


@pytest.mark.parametrize("value", ["https://*", "https://a.fr; script-src *", "https://a.fr/x"])
def test_a_site_refuses_a_wildcard_or_non_origin_with_a_clear_error(two_agencies, value):
    tenant = two_agencies["a"]
    tenant.frame_origins = ["https://www.agence-a.fr", value]
    with pytest.raises(ValidationError) as caught:
        tenant.full_clean()
    message = " ".join(caught.value.message_dict["frame_origins"])
    assert value in message and "https://www.agence-a.fr " not in message


def test_frame_origins_must_be_a_list(two_agencies):
    tenant = two_agencies["a"]
    tenant.frame_origins = "https://www.agence-a.fr"
    with pytest.raises(ValidationError) as caught:
        tenant.full_clean()
    assert "frame_origins" in caught.value.message_dict


def test_valid_frame_origins_are_stored_normalised(two_agencies):
    tenant = two_agencies["a"]
    tenant.frame_origins = ["HTTPS://www.agence-a.fr/", "https://www.agence-a.fr"]
    tenant.full_clean()
    assert tenant.frame_origins == ["https://www.agence-a.fr"]


def test_the_admin_form_shows_the_origin_error(two_agencies):
    tenant = two_agencies["a"]
    form = TenantForm(data={"frame_origins": '["https://*"]'}, instance=tenant)
    assert not form.is_valid()
    assert "https://*" in " ".join(form.errors["frame_origins"])


def test_origins_saved_before_validation_never_reach_the_csp_header(client, two_agencies):
    tenant = two_agencies["a"]
    tenant.frame_origins = ["https://*", "https://ok.agence-a.fr", "https://x.fr; script-src *"]
    tenant.save()  # bypasses clean(), as rows from before this check did
    policy = client.get("/embed/annonces/", **A)["Content-Security-Policy"]
    assert "frame-ancestors https://ok.agence-a.fr" in policy
    assert "*" not in policy.split("frame-ancestors")[1].split(";")[0]
    assert "script-src *" not in policy


def test_robots_txt_does_not_reveal_a_custom_admin_path(client, two_agencies, settings):
    settings.ADMIN_PATH = "back-office-7f3k2/"
    body = client.get("/robots.txt", **A).content.decode()
    assert "back-office-7f3k2" not in body
    assert "admin" not in body
    assert "Sitemap: http://agence-a.test/sitemap.xml" in body
