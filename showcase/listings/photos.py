"""Photo URLs at the size a layout needs, by rewriting the upstream URL (spec "photos").

Gedeon: the size word is a path segment (`.../large/<timestamp>`): thumb 50x50,
medium 100x100, large 300x300, large2 640x480, large3 800x600.
media.studio-net.fr: `width`, `height`, `func`, plus `format=jpg` (some sources are PNG).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from showcase.core.mixed_content import secure_url

SIZE_WORDS = ("thumb", "medium", "large", "large2", "large3")
# Width of the image each word gives for a 4:3 photo.
WORD_WIDTHS = {"thumb": 50, "medium": 100, "large": 300, "large2": 640, "large3": 800}
STUDIO_NET_HOST = "media.studio-net.fr"
STUDIO_NET_WIDTHS = (320, 640, 960, 1280)
SRCSET_WORDS = ("large", "large2", "large3")


def is_studio_net(url: str) -> bool:
    return urlsplit(url).hostname == STUDIO_NET_HOST


def size_word_index(path: str) -> int | None:
    """Index of the last path segment that is exactly a size word (a token, not a prefix)."""
    segments = path.split("/")
    for index in range(len(segments) - 1, -1, -1):
        segment = segments[index].split(".")[0]
        if segment in SIZE_WORDS:
            return index
    return None


def with_size_word(url: str, word: str) -> str:
    """The URL with its size word replaced; unchanged when it has none."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    index = size_word_index(parts.path)
    if index is None:
        return url
    current = segments[index]
    extension = current[len(current.split(".")[0]) :]
    segments[index] = word + extension
    return urlunsplit(parts._replace(path="/".join(segments)))


def studio_net_url(url: str, width: int, height: int | None = None, func: str = "bound") -> str:
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query) if k not in {"width", "height", "func", "format"}
    ]
    query += [("width", str(width))]
    if height:
        query.append(("height", str(height)))
    query += [("func", func), ("format", "jpg")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def sized_url(url: str, width: int) -> str:
    """The smallest rendition at least `width` pixels wide (or the largest there is),
    over https."""
    return renditions(url, width)[0]


def srcset(url: str) -> str:
    """`srcset` candidates with their widths, over https; empty when the URL cannot be
    resized."""
    return renditions(url, 0)[1]


def renditions(url: str, width: int) -> tuple[str, str]:
    """(`sized_url(url, width)`, `srcset(url)`), from one reading of the URL: a gallery
    asks both of every photo."""
    url = secure_url(url)
    if is_studio_net(url):
        candidates = ", ".join(
            f"{studio_net_url(url, w, w * 3 // 4)} {w}w" for w in STUDIO_NET_WIDTHS
        )
        return studio_net_url(url, width, width * 3 // 4), candidates
    words = _size_word_urls(url)
    if words is None:
        return url, ""
    word = next((w for w in SRCSET_WORDS if WORD_WIDTHS[w] >= width), SRCSET_WORDS[-1])
    return words[word], ", ".join(f"{words[w]} {WORD_WIDTHS[w]}w" for w in SRCSET_WORDS)


def _size_word_urls(url: str) -> dict[str, str] | None:
    """`url` with each of SRCSET_WORDS for its size word (as `with_size_word`); None
    when it has none."""
    parts = urlsplit(url)
    index = size_word_index(parts.path)
    if index is None:
        return None
    segments = parts.path.split("/")
    current = segments[index]
    extension = current[len(current.split(".")[0]) :]
    urls = {}
    for word in SRCSET_WORDS:
        segments[index] = word + extension
        urls[word] = urlunsplit(parts._replace(path="/".join(segments)))
    return urls
