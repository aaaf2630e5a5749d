"""The energy-label service is fetched on a visitor's request: whatever it answers, we follow
no redirect elsewhere and read no more than a label's worth of bytes (#16, hostile upstream).
"""

from __future__ import annotations

import pytest
import responses

pytestmark = pytest.mark.django_db

URL = "/etiquette-energie/sticker.svg?dpe=212&ges=35&date=2023-03-14"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><text>D</text></svg>'
OUR_DRAWING = b'<svg class="energy-scale" role="img"'


@responses.activate
def test_a_redirect_from_the_label_service_is_not_followed(client):
    responses.get(
        "https://dpe.gedeon.im/sticker",
        status=302,
        headers={"Location": "http://169.254.169.254/latest/meta-data/"},
    )
    responses.get(
        "http://169.254.169.254/latest/meta-data/", body=SVG, content_type="image/svg+xml"
    )
    response = client.get(URL)
    assert response.status_code == 200
    assert OUR_DRAWING in response.content
    assert [call.request.url.split("?")[0] for call in responses.calls] == [
        "https://dpe.gedeon.im/sticker"
    ]


@responses.activate
def test_an_oversized_answer_from_the_label_service_is_not_read_nor_served(client):
    huge = b"<svg>" + b" " * (3 * 1024 * 1024) + b"</svg>"
    responses.get("https://dpe.gedeon.im/sticker", body=huge, content_type="image/svg+xml")
    response = client.get(URL)
    assert response.status_code == 200
    assert OUR_DRAWING in response.content
    assert len(response.content) < 100_000
