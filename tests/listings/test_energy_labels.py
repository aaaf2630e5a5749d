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
