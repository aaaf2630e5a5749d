from __future__ import annotations

import pytest

from showcase.listings import embeds


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.youtube.com/watch?v=JGowo0ARgPo", "youtube"),
        ("https://youtu.be/JGowo0ARgPo", "youtube"),
        ("https://m.youtube.com/watch?v=JGowo0ARgPo", "youtube"),
        ("https://vimeo.com/76979871", "vimeo"),
        ("https://player.vimeo.com/video/76979871", "vimeo"),
        ("https://www.dailymotion.com/video/x8abc12", "dailymotion"),
        ("https://dai.ly/x8abc12", "dailymotion"),
        ("https://my.matterport.com/show/?m=SxQL3iGyoDo", "matterport"),
        ("https://app.clap.video/v/abc123", "clap"),
        ("https://clap.video/abc123", "clap"),
    ],
)
def test_detects_the_provider_from_the_host(url, key):
    assert embeds.detect_provider(url).key == key


@pytest.mark.parametrize(
    "url",
    [
        "https://youtube.com.evil.example/watch?v=JGowo0ARgPo",
        "https://notyoutube.com/watch?v=JGowo0ARgPo",
        "https://evil.example/?u=https://youtube.com",
        "javascript:alert(1)",
        "ftp://youtube.com/x",
        "https://user:pw@youtube.com/watch?v=JGowo0ARgPo",
        "https://youtube.com:8443/watch?v=JGowo0ARgPo",
        "https://[::1/",
        "",
    ],
)
def test_lookalike_hosts_and_other_schemes_are_no_provider(url):
    assert embeds.detect_provider(url) is None
    assert embeds.embed_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=JGowo0ARgPo&t=30",
            "https://www.youtube-nocookie.com/embed/JGowo0ARgPo?autoplay=1",
        ),
        (
            "https://youtu.be/JGowo0ARgPo",
            "https://www.youtube-nocookie.com/embed/JGowo0ARgPo?autoplay=1",
        ),
        (
            "https://www.youtube.com/shorts/JGowo0ARgPo",
            "https://www.youtube-nocookie.com/embed/JGowo0ARgPo?autoplay=1",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"),
        (
            "https://vimeo.com/76979871/a1b2c3d4e5",
            "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1&h=a1b2c3d4e5",
        ),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1",
        ),
        (
            "https://www.dailymotion.com/video/x8abc12_visite-maison",
            "https://www.dailymotion.com/embed/video/x8abc12?autoplay=1",
        ),
        ("https://dai.ly/x8abc12", "https://www.dailymotion.com/embed/video/x8abc12?autoplay=1"),
        (
            "http://my.matterport.com/show/?m=SxQL3iGyoDo",
            "https://my.matterport.com/show/?m=SxQL3iGyoDo&play=1",
        ),
        (
            "https://discover.matterport.com/space/SxQL3iGyoDo",
            "https://my.matterport.com/show/?m=SxQL3iGyoDo&play=1",
        ),
        ("http://app.clap.video/v/abc123", "https://app.clap.video/v/abc123"),
    ],
)
def test_embed_urls_are_https_players_and_youtube_uses_the_nocookie_domain(url, expected):
    assert embeds.embed_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UCabc",
        "https://vimeo.com/about",
        "https://www.dailymotion.com/",
        "https://my.matterport.com/show/?m=",
        "https://clap.video/",
    ],
)
def test_a_provider_link_without_one_video_has_no_embed(url):
    assert embeds.embed_url(url) is None


def test_embed_url_checks_the_link_against_the_requested_provider():
    assert embeds.embed_url("https://vimeo.com/76979871", embeds.YOUTUBE) is None


def test_sanitized_html_keeps_https_iframes_and_drops_scripts_handlers_and_other_schemes():
    html = (
        '<p onclick="steal()">Visite</p><script>alert(1)</script>'
        '<iframe src="https://tour.example/v/1" width="600" allow="camera; microphone" '
        'onload="x()" allowfullscreen></iframe>'
        '<iframe src="javascript:alert(1)"></iframe><iframe src="http://plain.example/"></iframe>'
        '<img src="https://tracker.example/p.gif"><style>body{}</style>'
    )
    clean = embeds.sanitize_html(html)
    assert "<p>Visite</p>" in clean
    assert 'src="https://tour.example/v/1"' in clean and "allowfullscreen" in clean
    for bad in (
        "script",
        "onclick",
        "onload",
        "javascript:",
        "http://plain",
        "camera",
        "<img",
        "<style",
    ):
        assert bad not in clean
    assert embeds.iframe_sources(clean) == ["https://tour.example/v/1"]


def test_listing_facades_from_apimo_medias_and_a_gedeon_virtual_visit():
    medias = [
        {
            "id": "1",
            "type": 2,
            "url": "https://youtu.be/JGowo0ARgPo",
            "html": "",
            "title": "Visite",
        },
        {
            "id": "2",
            "type": 9,
            "url": "",
            "html": '<iframe src="https://tour.example/v/1"></iframe>',
            "title": "",
        },
        {"id": "3", "type": None, "url": "https://unknown.example/tour", "html": "", "title": ""},
        {"id": "4", "type": 9, "url": "", "html": "<script>only()</script>", "title": ""},
        "not a dict",
    ]
    facades = embeds.listing_facades(medias, "https://my.matterport.com/show/?m=SxQL3iGyoDo")
    youtube, html, unknown, tour = facades
    assert (youtube.provider, youtube.title, youtube.can_embed) == ("YouTube", "Visite", True)
    assert youtube.link == "https://youtu.be/JGowo0ARgPo"
    assert html.srcdoc == '<iframe src="https://tour.example/v/1"></iframe>' and html.src == ""
    assert html.link == "https://tour.example/v/1"
    assert not unknown.can_embed and unknown.link == "https://unknown.example/tour"
    assert tour.provider == "Matterport" and tour.is_tour
    assert embeds.frame_sources(facades) == [
        "https://www.youtube-nocookie.com",
        "https://tour.example",
        "https://my.matterport.com",
    ]


def test_listing_facades_tolerate_missing_or_odd_medias():
    assert embeds.listing_facades(None) == []
    assert embeds.listing_facades({"not": "a list"}) == []
    assert embeds.listing_facades([{"url": 12, "html": None}]) == []
