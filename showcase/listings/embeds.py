"""Videos and virtual tours: which provider a link belongs to, and how to embed it.

Pure functions shared by the admin (validating what an agent sends to Apimo) and the
public detail page (click-to-load facades). Apimo media types come from the spec:
1 Dailymotion, 2 YouTube, 9 HTML, 12 Matterport, 15 Vimeo, 19 Clap.video.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from showcase.core.html import clean_media_embed_html


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    # Hosts a visitor's link may use (a listed domain and its subdomains).
    domains: tuple[str, ...]
    # Origins our iframe loads from (for the page's CSP `frame-src`).
    frame_origins: tuple[str, ...]
    is_tour: bool = False


YOUTUBE = Provider(
    "youtube",
    "YouTube",
    ("youtube.com", "youtu.be", "youtube-nocookie.com"),
    ("https://www.youtube-nocookie.com",),
)
VIMEO = Provider("vimeo", "Vimeo", ("vimeo.com",), ("https://player.vimeo.com",))
DAILYMOTION = Provider(
    "dailymotion", "Dailymotion", ("dailymotion.com", "dai.ly"), ("https://www.dailymotion.com",)
)
MATTERPORT = Provider(
    "matterport", "Matterport", ("matterport.com",), ("https://my.matterport.com",), is_tour=True
)
# Clap.video publishes no embed format we could check: its https links are framed as
# they are, and only links on clap.video and its subdomains are accepted.
CLAP = Provider("clap", "Clap.video", ("clap.video",), ())

PROVIDERS = (YOUTUBE, VIMEO, DAILYMOTION, MATTERPORT, CLAP)

# Apimo media types (spec: POST …/medias).
HTML_MEDIA_TYPE = 9
MEDIA_TYPE_PROVIDERS: dict[int, Provider] = {
    1: DAILYMOTION,
    2: YOUTUBE,
    12: MATTERPORT,
    15: VIMEO,
    19: CLAP,
}

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
NUMERIC_ID = re.compile(r"^[0-9]{1,20}$")
WORD_ID = re.compile(r"^[A-Za-z0-9]{1,40}$")


def _host_matches(host: str, domains: tuple[str, ...]) -> bool:
    """`host` (a parsed, lower-case DNS name) is one of `domains` or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


# Browsers (the WHATWG URL standard) read "\\" as "/" and drop tabs and newlines, where
# urllib keeps them in the host: "https://evil.example\\.clap.video/" is evil.example
# for a browser and *.clap.video for urlsplit. Such URLs are refused, not guessed at.
_AMBIGUOUS = re.compile(r"[\\\x00-\x20\x7f]")
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}")


def _split(url: str) -> tuple[str, str, list[str], dict[str, list[str]]] | None:
    """(scheme, host, path segments, query) of an http(s) URL, or None for anything a
    browser might read differently: backslashes, spaces or control characters, userinfo
    (`user@`), a host that is not a plain DNS name (IDN hosts in their ASCII form)."""
    text = (url or "").strip()
    if _AMBIGUOUS.search(text):
        return None
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".").encode("idna").decode("ascii").lower()
        port = parts.port
    except (ValueError, UnicodeError):
        return None
    if parts.scheme not in ("http", "https") or "@" in parts.netloc:
        return None
    if len(host) > 253 or not _HOST.fullmatch(host):
        return None
    if port not in (None, 80, 443):
        return None
    segments = [s for s in parts.path.split("/") if s]
    return parts.scheme, host, segments, parse_qs(parts.query)


def detect_provider(url: str) -> Provider | None:
    """The provider whose domain the link is on, or None."""
    split = _split(url)
    if split is None:
        return None
    return next((p for p in PROVIDERS if _host_matches(split[1], p.domains)), None)


def _youtube(host: str, segments: list[str], query: dict[str, list[str]]) -> str | None:
    if host == "youtu.be" or host.endswith(".youtu.be"):
        candidate = segments[0] if segments else ""
    elif segments[:1] == ["watch"]:
        candidate = (query.get("v") or [""])[0]
    elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
        candidate = segments[1]
    else:
        return None
    if not YOUTUBE_ID.match(candidate):
        return None
    return f"https://www.youtube-nocookie.com/embed/{candidate}?" + urlencode({"autoplay": 1})


def _vimeo(host: str, segments: list[str], query: dict[str, list[str]]) -> str | None:
    numeric = [i for i, s in enumerate(segments) if NUMERIC_ID.match(s)]
    if not numeric:
        return None
    index = numeric[-1] if host == "player.vimeo.com" else numeric[0]
    params: dict[str, Any] = {"autoplay": 1, "dnt": 1}
    # Unlisted videos carry a privacy hash: vimeo.com/ID/HASH or ?h=HASH.
    after = segments[index + 1] if index + 1 < len(segments) else ""
    hash_ = (query.get("h") or [""])[0] or after
    if hash_ and WORD_ID.match(hash_):
        params["h"] = hash_
    return f"https://player.vimeo.com/video/{segments[index]}?" + urlencode(params)


def _dailymotion(host: str, segments: list[str], query: dict[str, list[str]]) -> str | None:
    if host == "dai.ly" or host.endswith(".dai.ly"):
        candidate = segments[0] if segments else ""
    elif "video" in segments and segments.index("video") + 1 < len(segments):
        # /video/x8abc12 or /video/x8abc12_some-title
        candidate = segments[segments.index("video") + 1].split("_")[0]
    else:
        candidate = (query.get("video") or [""])[0]
    if not WORD_ID.match(candidate):
        return None
    return f"https://www.dailymotion.com/embed/video/{candidate}?" + urlencode({"autoplay": 1})


def _matterport(host: str, segments: list[str], query: dict[str, list[str]]) -> str | None:
    candidate = (query.get("m") or [""])[0]
    if not candidate and len(segments) >= 2 and segments[0] in ("space", "models"):
        candidate = segments[1]
    if not WORD_ID.match(candidate):
        return None
    return "https://my.matterport.com/show/?" + urlencode({"m": candidate, "play": 1})


def _clap(host: str, segments: list[str], query: dict[str, list[str]]) -> str | None:
    if not segments:
        return None
    path = "/".join(segments)
    return f"https://{host}/{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")


_EMBEDDERS = {
    "youtube": _youtube,
    "vimeo": _vimeo,
    "dailymotion": _dailymotion,
    "matterport": _matterport,
    "clap": _clap,
}


def embed_url(url: str, provider: Provider | None = None) -> str | None:
    """The https player URL to frame for a provider's link, or None when the link does
    not point at one video or tour of that provider."""
    split = _split(url)
    if split is None:
        return None
    _, host, segments, query = split
    provider = provider or detect_provider(url)
    if provider is None or not _host_matches(host, provider.domains):
        return None
    return _EMBEDDERS[provider.key](host, segments, query)


def origin_of(url: str) -> str:
    split = _split(url)
    return f"https://{split[1]}" if split else ""


def sanitize_html(html: str) -> str:
    """An HTML media (type 9) through the embed policy of showcase/core/html.py: no
    script, no event handler, https only. Plain str (escaped into `srcdoc`)."""
    return clean_media_embed_html(html)


class _FrameSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            src = dict(attrs).get("src")
            if src:
                self.sources.append(src)


def iframe_sources(html: str) -> list[str]:
    """The https `src` of each iframe in (already sanitized) HTML."""
    parser = _FrameSources()
    parser.feed(html)
    parser.close()
    return [s for s in parser.sources if urlsplit(s).scheme == "https"]


@dataclass(frozen=True)
class Facade:
    """One media as the detail page shows it before and after the visitor asks."""

    provider: str
    title: str
    is_tour: bool
    link: str = ""  # plain link for visitors without JavaScript
    src: str = ""  # iframe src (provider players)
    srcdoc: str = ""  # sanitized HTML for a sandboxed iframe
    origins: tuple[str, ...] = ()

    @property
    def can_embed(self) -> bool:
        return bool(self.src or self.srcdoc)


def link_facade(url: str, title: str = "") -> Facade | None:
    """A facade for a media link: framed when the provider is known, a plain link otherwise."""
    split = _split(url)
    if split is None:
        return None
    provider = detect_provider(url)
    if provider is None:
        return Facade(provider="", title=title, is_tour=False, link=url)
    src = embed_url(url, provider)
    if src is None:
        return Facade(provider=provider.name, title=title, is_tour=provider.is_tour, link=url)
    origins = provider.frame_origins or (origin_of(src),)
    return Facade(
        provider=provider.name,
        title=title,
        is_tour=provider.is_tour,
        link=url,
        src=src,
        origins=origins,
    )


def html_facade(html: str, title: str = "") -> Facade | None:
    clean = sanitize_html(html)
    if not clean:
        return None
    sources = iframe_sources(clean)
    origins = tuple(dict.fromkeys(origin_of(s) for s in sources if origin_of(s)))
    return Facade(
        provider="",
        title=title,
        is_tour=True,
        link=sources[0] if sources else "",
        srcdoc=clean,
        origins=origins,
    )


def listing_facades(medias: Any, virtual_visit: str = "") -> list[Facade]:
    """Facades for a listing's synced medias (Apimo) and virtual visit link (Gedeon).

    `medias` items: {"id", "type", "url", "html", "title"}; anything else is skipped."""
    facades: list[Facade] = []
    for media in medias if isinstance(medias, list) else []:
        if not isinstance(media, dict):
            continue
        title = str(media.get("title") or "").strip()
        html = media.get("html") if isinstance(media.get("html"), str) else ""
        url = media.get("url") if isinstance(media.get("url"), str) else ""
        facade = html_facade(html, title) if html else None
        if facade is None and url:
            facade = link_facade(url, title)
        if facade is not None:
            facades.append(facade)
    if virtual_visit:
        facade = link_facade(virtual_visit)
        if facade is not None:
            facades.append(facade)
    return facades


def frame_sources(facades: list[Facade]) -> list[str]:
    """The origins the page must allow in CSP `frame-src` for these facades."""
    origins: dict[str, None] = {}
    for facade in facades:
        for origin in facade.origins:
            origins[origin] = None
    return list(origins)
