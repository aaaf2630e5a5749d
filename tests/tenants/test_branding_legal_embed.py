from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from showcase.tenants.branding import logo_from_upload
from showcase.tenants.legal import missing_legal_items

A = {"HTTP_HOST": "agence-a.test"}


def png(width: int, height: int, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def test_branding_colours_reach_the_page_without_a_deploy(client, two_agencies):
    tenant = two_agencies["a"]
    tenant.primary_colour = "#123456"
    tenant.save()
    body = client.get("/annonces/", **A).content.decode()
    assert "--brand:#123456" in body
    assert "<title>" in body and "Agence A" in body


def test_colours_without_aa_contrast_are_refused_with_a_clear_message(two_agencies):
    tenant = two_agencies["a"]
    tenant.primary_colour = "#f0f000"
    with pytest.raises(ValidationError) as caught:
        tenant.full_clean()
    assert "primary_colour" in caught.value.message_dict


def test_bad_text_options_languages_and_origins_are_refused(two_agencies):
    tenant = two_agencies["a"]
    tenant.text_format = ["html", "shout"]
    tenant.languages = ["fr", "xx"]
    tenant.frame_origins = ["https://ok.example", "javascript:alert(1)"]
    with pytest.raises(ValidationError) as caught:
        tenant.full_clean()
    assert {"text_format", "languages", "frame_origins"} <= set(caught.value.message_dict)


def test_a_logo_is_checked_resized_and_served_with_long_cache(client, two_agencies):
    upload = SimpleUploadedFile("logo.jpg", png(1200, 400, "JPEG"), content_type="image/jpeg")
    stored = logo_from_upload(upload)
    with Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "PNG" and image.width <= 480 and image.height <= 160
    tenant = two_agencies["a"]
    stored.seek(0)
    tenant.logo.save(stored.name, stored)
    page = client.get("/", **A).content.decode()
    url = page.split('class="brand" href="/"><img src="')[1].split('"')[0]
    response = client.get(url, **A)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert client.get(url, HTTP_HOST="agence-b.test").status_code == 404


@pytest.mark.parametrize("data", [b"not an image", b"GIF89a broken"])
def test_a_logo_that_is_not_an_image_is_refused(data):
    with pytest.raises(ValidationError):
        logo_from_upload(SimpleUploadedFile("x.png", data))


def test_legal_notice_uses_admin_fields_then_feed_data_and_lists_what_is_missing(
    client, two_agencies
):
    tenant = two_agencies["a"]
    agency = two_agencies["agency_a"]
    agency.legal = {
        "raison_sociale": "Parc SAS",
        "rcs": "RCS Lyon 123 456 789",
        "no_carte_pro": "CPI 6901",
    }
    agency.save()
    tenant.mediator_name = "Médicys"
    tenant.save()
    body = client.get("/mentions-legales/", **A).content.decode()
    assert "Parc SAS" in body and "RCS Lyon 123 456 789" in body and "Médicys" in body
    missing = missing_legal_items(tenant.site())
    assert "Publication director" in missing or "Directeur de la publication" in missing
    assert not any("Company" in m or "Raison" in m for m in missing)


def test_every_page_links_to_the_legal_pages(client, two_agencies):
    for path in ("/", "/annonces/", two_agencies["listing_a"].get_absolute_url(), "/agences/"):
        body = client.get(path, **A).content.decode()
        assert 'href="/mentions-legales/"' in body
        assert 'href="/honoraires/"' in body
        assert 'href="/donnees-personnelles/"' in body


def test_fee_schedule_is_sanitized(client, two_agencies):
    tenant = two_agencies["a"]
    tenant.fee_schedule = "<h3>Vente</h3><p onclick='x()'>5 % TTC</p><script>steal()</script>"
    tenant.save()
    body = client.get("/honoraires/", **A).content.decode()
    assert "<h3>Vente</h3>" in body and "<p>5 % TTC</p>" in body
    assert "steal()" not in body and "onclick" not in body


def test_privacy_page_states_retention_and_no_tracking(client, two_agencies):
    body = client.get("/donnees-personnelles/", **A).content.decode()
    assert "3 ans" in body and "CNIL" in body


def test_only_embed_views_may_be_framed_and_only_by_listed_origins(client, two_agencies):
    tenant = two_agencies["a"]
    tenant.frame_origins = ["https://www.agence-a.fr"]
    tenant.save()
    embed = client.get("/embed/annonces/", **A)
    assert embed["Content-Security-Policy"].endswith("; frame-ancestors https://www.agence-a.fr")
    assert "X-Frame-Options" not in embed
    assert '<base target="_top">' in embed.content.decode()
    page = client.get("/annonces/", **A)
    assert page["Content-Security-Policy"].endswith("; frame-ancestors 'none'")
    assert page["X-Frame-Options"] == "DENY"
    other = client.get("/embed/annonces/", HTTP_HOST="agence-b.test")
    assert other["Content-Security-Policy"].endswith("; frame-ancestors 'none'")


def test_embed_links_stay_in_the_frame_when_configured(client, two_agencies):
    tenant = two_agencies["a"]
    tenant.embed_link_target = "_self"
    tenant.save()
    body = client.get("/embed/annonces/", **A).content.decode()
    listing = two_agencies["listing_a"]
    assert f'href="/embed/annonces/{listing.pk}-{listing.slug}/"' in body
    assert '<base target="_self">' in body


def test_embed_script_points_at_the_tenant_origin_and_checks_origins(client, two_agencies):
    response = client.get("/embed.js", **A)
    script = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert 'var ORIGIN = "http://agence\\u002Da.test"' in script
    assert "event.origin !== ORIGIN" in script


def test_hreflang_alternates_when_several_languages(
    client, two_agencies, django_capture_on_commit_callbacks
):
    body = client.get("/annonces/", **A).content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://agence-a.test/en/annonces/">' in body
    tenant = two_agencies["a"]
    tenant.languages = ["fr"]
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # pages refresh once the edit is committed
        tenant.save()
    assert "hreflang" not in client.get("/annonces/", **A).content.decode()


def test_a_tenant_can_choose_another_default_language(client, two_agencies):
    tenant = two_agencies["a"]
    tenant.default_language = "en"
    tenant.save()
    body = client.get("/annonces/", **A).content.decode()
    assert '<html lang="en">' in body
    assert (
        '<html lang="fr">' in client.get("/annonces/", HTTP_HOST="agence-b.test").content.decode()
    )


def test_a_tenant_chooses_its_description_formatting(client, two_agencies):
    tenant = two_agencies["a"]
    tenant.text_format = ["html", "strip-phones"]
    tenant.save()
    listing = two_agencies["listing_a"]
    listing.description = "Appelez le 0478123456 vite"
    listing.save()
    body = client.get(listing.get_absolute_url(), **A).content.decode()
    assert "0478123456" not in body and "<p>Appelez le  vite</p>" in body
