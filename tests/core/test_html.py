"""The three sanitizing policies, pinned byte for byte: pages print their output as is."""

from __future__ import annotations

from django.utils.safestring import SafeString

from showcase.core.html import clean_inline_price_html, clean_legal_html, clean_media_embed_html


def test_legal_policy_keeps_tables_and_safe_links_and_marks_them_nofollow():
    html = (
        '<h3 style="x">Barème</h3><table><tr><th scope="col" class="c">Prix</th>'
        '<td onclick="x()">5 %</td></tr></table><script>steal()</script>'
        '<a href="https://agence.test/bareme" target="_blank">barème</a>'
        '<a href="javascript:alert(1)">x</a> <a href="mailto:a@agence.test">m</a>'
    )
    cleaned = clean_legal_html(html)
    assert isinstance(cleaned, SafeString)
    assert cleaned == (
        '<h3>Barème</h3><table><tbody><tr><th scope="col">Prix</th><td>5 %</td></tr></tbody>'
        '</table><a href="https://agence.test/bareme" rel="noopener nofollow">barème</a>'
        '<a rel="noopener nofollow">x</a> <a href="mailto:a@agence.test" rel="noopener nofollow">m</a>'
    )


def test_legal_policy_of_nothing_is_empty():
    assert clean_legal_html("") == ""


def test_inline_price_policy_keeps_emphasis_only_without_attributes():
    cleaned = clean_inline_price_html(
        ' <b class="x">385 000 €</b> <a href="https://x.test">FAI</a><p>net</p>\n'
    )
    assert isinstance(cleaned, SafeString)
    assert cleaned == "<b>385 000 €</b> FAInet"


def test_media_embed_policy_keeps_https_iframes_and_stays_unsafe_for_srcdoc():
    cleaned = clean_media_embed_html(
        ' <iframe src="https://tour.test/v/1" width="600" onload="x()" allow="camera" '
        'allowfullscreen></iframe><iframe src="http://plain.test/"></iframe>'
        '<a href="https://tour.test">Visite</a><img src="https://t.test/p.gif"> '
    )
    assert not isinstance(cleaned, SafeString)
    assert cleaned == (
        '<iframe src="https://tour.test/v/1" width="600" allowfullscreen=""></iframe>'
        '<iframe></iframe><a href="https://tour.test" rel="noopener noreferrer nofollow">Visite</a>'
    )
