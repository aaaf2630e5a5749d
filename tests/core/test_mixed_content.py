"""Image URLs come out over https, but for a development server on the loopback."""

from __future__ import annotations

import pytest

from showcase.core.mixed_content import secure_url
from showcase.feeds.coerce import https_url


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("http://photos.example.fr/a.jpg", "https://photos.example.fr/a.jpg"),
        ("HTTP://photos.example.fr/a.jpg", "https://photos.example.fr/a.jpg"),
        ("https://photos.example.fr/a.jpg", "https://photos.example.fr/a.jpg"),
        ("http://127.0.0.1:8123/p/1.jpg", "http://127.0.0.1:8123/p/1.jpg"),
        ("http://localhost:8123/p/1.jpg", "http://localhost:8123/p/1.jpg"),
        ("http://[::1]:8123/p/1.jpg", "http://[::1]:8123/p/1.jpg"),
        ("http://127.0.0.1.evil.example/a.jpg", "https://127.0.0.1.evil.example/a.jpg"),
        ("http://[bad/a.jpg", "https://[bad/a.jpg"),
    ],
)
def test_http_image_urls_are_upgraded_except_on_the_loopback(given, shown):
    assert secure_url(given) == shown


def test_stored_photo_urls_follow_the_same_rule():
    assert https_url("http://photos.example.fr/a.jpg") == "https://photos.example.fr/a.jpg"
    assert https_url("http://127.0.0.1:8123/p/1.jpg") == "http://127.0.0.1:8123/p/1.jpg"
    assert https_url("javascript:alert(1)") == ""
    assert https_url("//photos.example.fr/a.jpg") == ""
