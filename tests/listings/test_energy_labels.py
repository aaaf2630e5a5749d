from __future__ import annotations

import pytest
import responses

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><text>D</text></svg>'
URL = "/etiquette-energie/sticker.svg?dpe=212&ges=35&date=2023-03-14"


@responses.activate
def test_the_label_is_fetched_from_dpe_gedeon_once_then_cached(client):
    responses.get("https://dpe.gedeon.im/sticker", body=SVG, content_type="image/svg+xml")
    first = client.get(URL)
    second = client.get(URL)
    assert first.content == SVG == second.content
    assert first["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in first["Content-Security-Policy"]
    assert len(responses.calls) == 1
    assert responses.calls[0].request.params == {"dpe": "212", "ges": "35", "date": "2023-03-14"}


@responses.activate
def test_when_dpe_gedeon_cannot_answer_we_draw_the_label_ourselves(client):
    responses.get("https://dpe.gedeon.im/sticker", status=422)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'<svg class="energy-scale" role="img"' in response.content


@pytest.mark.parametrize(
    "query", ["", "?dpe=abc&date=2023-01-01", "?dpe=100&date=yesterday", "?date=2023-01-01"]
)
def test_bad_parameters_are_refused_clearly(client, query):
    response = client.get(f"/etiquette-energie/sticker.svg{query}")
    assert response.status_code == 400


def test_unknown_kinds_are_refused(client):
    assert client.get("/etiquette-energie/other.svg?dpe=1&date=2023-01-01").status_code == 400


@responses.activate
def test_our_drawing_keeps_the_dpe_letter_rather_than_recomputing_it(client):
    responses.get("https://dpe.gedeon.im/sticker", status=500)
    # 212 kWh would compute to D; the DPE says E (e.g. the double threshold): E is drawn.
    response = client.get(URL + "&ld=E&lg=D")
    assert "Classe énergie E".encode() in response.content


@responses.activate
def test_without_a_date_the_label_is_asked_for_without_one(client):
    responses.get("https://dpe.gedeon.im/sticker", body=SVG, content_type="image/svg+xml")
    response = client.get("/etiquette-energie/sticker.svg?dpe=245&ges=52&date=")
    assert response.status_code == 200 and response.content == SVG
    assert responses.calls[0].request.params == {"dpe": "245", "ges": "52"}


@responses.activate
def test_our_sticker_draws_the_energy_and_the_climate_scales(client):
    responses.get("https://dpe.gedeon.im/sticker", status=503)
    svg = client.get(URL + "&ld=D&lg=D").content.decode()
    assert svg.count('<svg class="energy-scale"') == 2
    assert "Classe énergie D" in svg and "Classe climat D" in svg
    assert "D 212 kWh/m²/an" in svg and "D 35 kg CO₂/m²/an" in svg


@responses.activate
def test_our_sticker_with_one_value_draws_the_other_scale_from_its_letter(client):
    responses.get("https://dpe.gedeon.im/sticker", status=503)
    svg = client.get("/etiquette-energie/sticker.svg?dpe=330&date=2019-05-02&lg=C").content
    assert svg.decode().count('<svg class="energy-scale"') == 2
    assert b"Classe climat C" in svg


@responses.activate
@pytest.mark.parametrize(("kind", "title"), [("dpe", "Classe énergie"), ("ges", "Classe climat")])
def test_a_badge_draws_its_own_scale_or_the_one_it_has_a_value_for(client, kind, title):
    responses.get(f"https://dpe.gedeon.im/badge/{kind}", status=503)
    response = client.get(f"/etiquette-energie/{kind}.svg?dpe=212&ges=35&date=2023-03-14")
    assert response.content.decode().count('<svg class="energy-scale"') == 1
    assert title.encode() in response.content
    other = "ges" if kind == "dpe" else "dpe"
    only_other = client.get(f"/etiquette-energie/{kind}.svg?{other}=40&date=2019-01-01")
    assert only_other.status_code == 200


def test_a_malformed_date_is_still_refused(client):
    assert client.get("/etiquette-energie/sticker.svg?dpe=212&date=14/03/2023").status_code == 400
