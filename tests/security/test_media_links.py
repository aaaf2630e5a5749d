"""Video and tour links are matched to a provider by the host a browser would open
(#16, point 10): URLs a browser reads differently from urllib are refused."""

from __future__ import annotations

import pytest

from showcase.listings.embeds import detect_provider, embed_url, link_facade, listing_facades

AMBIGUOUS = [
    "https://evil.example\\.clap.video/x",
    "https://evil.example\\\\.clap.video/x",
    "https://clap.video\\@evil.example/x",
    "https://evil.example%5C.clap.video/x",
    "https://evil.example%2F.clap.video/x",
    "https://evil.example\t.clap.video/x",
    "https://evil.example\n.clap.video/x",
    "https://evil.example .clap.video/x",
    "https://@clap.video/x",
    "https://user@clap.video/x",
    "https://user:pw@clap.video/x",
    "https://clap.video@evil.example/x",
    "https://evil.example#.clap.video/x",
    "https://evil.example?.clap.video/x",
    "https://evilclap.video/x",
    "https://clap.video.evil.example/x",
    "javascript://clap.video/%0aalert(1)",
    "https://[::1]/x",
]


@pytest.mark.parametrize("url", AMBIGUOUS)
def test_a_link_is_never_taken_for_a_provider_its_browser_host_is_not(url):
    assert detect_provider(url) is None
    assert embed_url(url) is None
    facade = link_facade(url)
    assert facade is None or (not facade.provider and not facade.can_embed)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example\\.clap.video/x",
        "https://user@clap.video/x",
        "https://evil.example\t.youtube.com/watch?v=abcdefghijk",
    ],
)
def test_links_a_browser_reads_differently_are_left_out_of_the_page(url):
    assert listing_facades([{"type": 19, "url": url}], virtual_visit=url) == []


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        ("https://clap.video/v/abc", "Clap.video"),
        ("https://www.clap.video/v/abc", "Clap.video"),
        ("https://CLAP.VIDEO/v/abc", "Clap.video"),
        ("https://clap.video:443/v/abc", "Clap.video"),
        ("https://www.youtube.com/watch?v=abcdefghijk", "YouTube"),
        ("https://my.matterport.com/show/?m=Abc123", "Matterport"),
    ],
)
def test_real_provider_links_are_still_recognised_by_exact_host_or_subdomain(url, provider):
    found = detect_provider(url)
    assert found is not None and found.name == provider
    assert embed_url(url) is not None
