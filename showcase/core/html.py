"""Upstream and agent HTML through allow-lists: one nh3 policy per use, all of them here.

Each policy keeps only what its place on the page needs; everything else (scripts, event
handlers, styles, unknown tags) is removed, the text of removed tags kept. Outputs are the
policies' contract: a change here changes pages, so the listings tests pin them.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

# Agency legal texts and fee schedules (Gedeon `honoraires`, the admin's text): paragraphs,
# lists and tables of rates, links to the agency's own pages or contacts.
LEGAL_TAGS = frozenset(
    {
        "p",
        "br",
        "ul",
        "ol",
        "li",
        "strong",
        "b",
        "em",
        "i",
        "h3",
        "h4",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "span",
        "small",
        "sup",
        "sub",
        "abbr",
    }
)
LEGAL_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "abbr": {"title"}}
LEGAL_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Gedeon `priceInfo` texts inside the price block's lines: inline emphasis only, no links.
INLINE_PRICE_TAGS = frozenset(
    {"b", "strong", "em", "i", "span", "br", "abbr", "sup", "sub", "small"}
)

# HTML medias (Apimo media type 9): a virtual tour's embed code, one iframe and a caption.
MEDIA_EMBED_TAGS = frozenset({"iframe", "p", "br", "a", "strong", "em", "span", "div"})
MEDIA_EMBED_ATTRIBUTES = {
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
    "a": {"href", "title"},
}

# Built once: nh3.clean() builds a sanitizer on every call, which costs four times the
# cleaning itself (a price line: ~16 µs that way, ~3 µs with a built one).
_LEGAL = nh3.Cleaner(
    tags=LEGAL_TAGS,
    attributes=LEGAL_ATTRIBUTES,
    url_schemes=LEGAL_URL_SCHEMES,
    link_rel="noopener nofollow",
)
_INLINE_PRICE = nh3.Cleaner(tags=INLINE_PRICE_TAGS, attributes={}, link_rel=None)
_MEDIA_EMBED = nh3.Cleaner(
    tags=MEDIA_EMBED_TAGS,
    attributes=MEDIA_EMBED_ATTRIBUTES,
    url_schemes={"https"},
    link_rel="noopener noreferrer nofollow",
)


def clean_legal_html(html: str) -> SafeString:
    """An agency's legal text or fee schedule, ready for a page's content.

    Keeps block structure (p, lists, h3/h4, tables with `th scope`), inline emphasis and
    links (`href` in http, https, mailto or tel; `title`), with `rel="noopener nofollow"`
    on links, since they lead out of the agency's site to pages we do not vouch for.
    "" for None or ""."""
    return mark_safe(_LEGAL.clean(html or ""))  # noqa: S308 - nh3 output


def clean_inline_price_html(text: str) -> SafeString:
    """An upstream price text (amount, prefix, a mandatory mention) reduced to inline
    formatting inside one line of the price block: b, strong, em, i, span, br, abbr, sup,
    sub, small, no attribute at all (a price line has no link and no styling of its own).
    Surrounding whitespace removed."""
    return mark_safe(_INLINE_PRICE.clean(text).strip())  # noqa: S308 - nh3 output


def clean_media_embed_html(html: str) -> str:
    """The allow-listed part of an HTML media (an agent's or upstream's embed code): an
    iframe (`src`, `width`, `height`, `title`, `allowfullscreen`), a caption in p, div,
    span, strong, em, br and links; https URLs only; `rel="noopener noreferrer nofollow"`.

    Returns plain `str`, not safe: the detail page puts it in an iframe's `srcdoc`
    attribute, which the template must escape; Apimo receives it as text."""
    return _MEDIA_EMBED.clean(html or "").strip()
