"""The search form is drawn by flat Jinja2 widget templates and a Python field wrapper, for
speed; the HTML is the one Django's own widget templates and `includes/field.html` draw."""

from __future__ import annotations

import copy

import pytest
from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string

from showcase.core.form_rendering import PUBLIC_FORM_RENDERER
from showcase.listings.filters import ListingFilterSet, dress_form
from showcase.listings.models import Listing, PropertyType
from showcase.listings.templatetags.search_form_tags import search_field
from showcase.listings.widgets import (
    CommaCheckboxes,
    KeptValueCheckbox,
    SearchSelect,
    SearchTextInput,
)

QUOTES = 'l\'a "b" <c> & d'
ATTRS = {"id": "id_x", "aria-invalid": "true", "data-q": QUOTES, "required": True, "hidden": False}


def dressed(query: str) -> forms.Form:
    form = ListingFilterSet(QueryDict(query), queryset=Listing.objects.none()).form
    form.is_valid()
    return dress_form(form)


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (SearchTextInput(attrs={"inputmode": "numeric", "placeholder": QUOTES}), QUOTES, ATTRS),
        (SearchTextInput(), None, {}),
        (SearchSelect(choices=[("", "All"), ("a", QUOTES), (QUOTES, "q")]), QUOTES, ATTRS),
        (SearchSelect(choices=[("", "All"), ("Group", [("g", "G"), ("h", QUOTES)])]), "h", {}),
        (CommaCheckboxes(choices=PropertyType.choices), "house,FLAT", ATTRS),
        (CommaCheckboxes(choices=[("a", QUOTES), ("Group", [("g", "G")])]), None, {}),
        (KeptValueCheckbox(), "4.7,45.9,5.0,45.6", ATTRS),
        (KeptValueCheckbox(), None, {}),
    ],
)
def test_the_flat_widget_templates_draw_what_djangos_own_templates_draw(widget, value, attrs):
    stock = copy.deepcopy(widget)
    stock.template_name = type(widget).__bases__[0].template_name
    assert stock.template_name.startswith("django/forms/widgets/")
    ours = widget.render("x", value, attrs=attrs, renderer=PUBLIC_FORM_RENDERER)
    theirs = stock.render("x", value, attrs=attrs, renderer=PUBLIC_FORM_RENDERER)
    assert ours == theirs


@pytest.mark.parametrize("name", ["min_price", "rooms", "localization", "favorite", "extends"])
def test_a_plain_criterion_is_drawn_as_the_field_template_draws_it(name):
    form = dressed("min_price=abc&rooms=a'b&localization=Lyon&favorite=1")
    field = form[name]
    assert search_field(field) == render_to_string("includes/field.html", {"field": field}) + "\n"


def test_an_invalid_list_of_boxes_is_a_fieldset_naming_its_error():
    html = search_field(dressed("type=house,bogus")["type"])
    assert html.startswith(
        '<fieldset class="field field-boxes field-invalid" aria-describedby="id_type-error">\n'
        "  <legend>Type de bien</legend>\n"
        '  <div id="id_type">'
    )
    assert 'value="house" aria-invalid="true" aria-describedby="id_type-error"' in html
    assert '<p class="error" id="id_type-error">Valeur(s) inconnue(s) : bogus.' in html
    assert html.endswith("</p>\n</fieldset>\n")


def test_the_map_area_box_is_drawn_only_when_the_search_has_one():
    assert search_field(dressed("")["bbox"]) == "\n"
    html = search_field(dressed("bbox=4.7,45.9,5.0,45.6")["bbox"])
    assert html == (
        '<div class="field field-check">\n'
        '  <input type="checkbox" name="bbox" value="4.7,45.9,5.0,45.6" id="id_bbox" checked>\n'
        '  <label for="id_bbox">Seulement la zone choisie sur la carte'
        " (décochez pour chercher partout)</label>\n"
        "  \n"
        "</div>\n"
    )


def test_labels_and_errors_are_escaped_as_djangos_templates_escape_them():
    field = dressed("rooms=a'b")["rooms"]
    field.label = 'Agency\'s "rooms"'
    html = search_field(field)
    assert '<label for="id_rooms">Agency&#x27;s &quot;rooms&quot;</label>' in html
    assert "« a&#x27;b »" in html
    # The value typed stays in the widget, escaped by Jinja2 as Django's template did.
    assert 'value="a&#39;b"' in html
