"""Every redirect goes to a path on the same site, never to another host (#16, point 3)."""

from __future__ import annotations

import pytest
from django.utils.http import url_has_allowed_host_and_scheme

from showcase.tenants.languages import language_path

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "agence-a.test"}
HOSTILE_PATHS = [
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example/annonces/?x=1",
    "/%2F/evil.example",
]


@pytest.fixture
def english_site(two_agencies):
    tenant = two_agencies["a"]
    tenant.default_language = "en"
    tenant.save()
    return tenant


def get_raw(client, path: str, host: str = "agence-a.test"):
    """GET `path` as sent on the wire: the test client would read "//host" as a host."""
    path, _sep, query = path.partition("?")
    return client.get("/", PATH_INFO=path, QUERY_STRING=query, HTTP_HOST=host)


def is_local(location: str) -> bool:
    return location.startswith("/") and url_has_allowed_host_and_scheme(location, None)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("rest", HOSTILE_PATHS)
def test_the_root_language_prefix_redirect_stays_on_the_site(client, two_agencies, language, rest):
    tenant = two_agencies["a"]
    tenant.default_language = language
    tenant.languages = ["fr", "en", "de"]
    tenant.save()
    response = get_raw(client, f"/{language}{rest}")
    if response.status_code in (301, 302):
        assert is_local(response["Location"]), response["Location"]


def test_the_root_language_prefix_redirect_keeps_ordinary_paths(client, english_site):
    response = client.get("/en/annonces/?rooms=3", **A)
    assert response.status_code == 301
    assert response["Location"] == "/annonces/?rooms=3"


@pytest.mark.parametrize(
    ("path", "language", "root", "expected"),
    [
        ("/en//evil.example", "en", "en", "/evil.example"),
        ("//evil.example", "fr", "fr", "/evil.example"),
        ("/\\evil.example", "fr", "fr", "/evil.example"),
        ("//evil.example", "en", "fr", "/en/evil.example"),
        ("/de/\\\\evil.example", "fr", "fr", "/evil.example"),
        ("/en/", "en", "en", "/"),
        ("/annonces/", "de", "fr", "/de/annonces/"),
    ],
)
def test_language_paths_are_always_paths_on_this_site(path, language, root, expected):
    assert language_path(path, language, root) == expected


@pytest.mark.parametrize("rest", HOSTILE_PATHS)
def test_language_switch_links_on_a_not_found_page_stay_on_the_site(client, two_agencies, rest):
    response = get_raw(client, rest)
    assert response.status_code == 404
    body = response.content.decode()
    assert 'href="//' not in body and 'href="/\\' not in body


def test_an_alias_redirects_to_the_primary_host_whatever_the_path(client, two_agencies):
    response = get_raw(client, "//evil.example/", host="www.agence-a.test")
    assert response.status_code == 301
    assert response["Location"].startswith("http://agence-a.test/")
