"""The search form's criteria, each with its label, widget and errors.

Written in Python rather than one template include (and its nested include) per field:
the includes were half of the search form's rendering time. The markup is the one
`includes/field.html` draws for the other forms, escaped as Django's templates escape.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from showcase.listings.widgets import CommaCheckboxes, KeptValueCheckbox

register = template.Library()


def _escaped(value: Any) -> str:
    # Django's conditional_escape (`&#x27;` for ', where Jinja2 writes `&#39;`), without
    # the lazy-string check its decorator makes on each call: through format_html, the
    # wrappers cost the form more than a third of what the widgets do.
    if type(value) is not str:
        if hasattr(value, "__html__"):
            return str(value.__html__())
        value = str(value)
    return html.escape(value)


def _field_html(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, KeptValueCheckbox) and not field.value():
        return "\n"  # no map area: nothing to untick
    auto_id = _escaped(field.auto_id)
    errors = field.errors
    invalid = " field-invalid" if errors else ""
    error_lines = (
        "".join(f'<p class="error" id="{auto_id}-error">{_escaped(e)}</p>' for e in errors)
        if errors
        else ""
    )
    if isinstance(widget, CommaCheckboxes):
        described = f' aria-describedby="{auto_id}-error"' if errors else ""
        return (
            f'<fieldset class="field field-boxes{invalid}"{described}>\n'
            f"  <legend>{_escaped(field.label)}</legend>\n"
            f"  {field}\n"
            f"  {error_lines}\n"
            "</fieldset>\n"
        )
    label_for = _escaped(field.id_for_label)
    if isinstance(widget, KeptValueCheckbox):
        what = _("Only the area chosen on the map (untick to search everywhere)")
        return (
            f'<div class="field field-check{invalid}">\n'
            f"  {field}\n"
            f'  <label for="{label_for}">{_escaped(what)}</label>\n'
            f"  {error_lines}\n"
            "</div>\n"
        )
    return (
        f'<div class="field{invalid}">\n'
        f'  <label for="{label_for}">{_escaped(field.label)}</label>\n'
        f"  {field}\n"
        f"  {error_lines}\n"
        "</div>\n\n"
    )


@register.simple_tag
def search_field(field: BoundField) -> SafeString:
    """A criterion of the search form, followed by line breaks as its lines were:

    - boxes (`CommaCheckboxes`): a fieldset whose legend is the label;
    - the kept map area (`KeptValueCheckbox`): its box and what unticking does, only when
      the search has one;
    - any other: the label above the widget.

    An invalid criterion is marked `field-invalid` and followed by its errors, each with
    the id that the widget's `aria-describedby` names (`filters.dress_form`).
    """
    return mark_safe(_field_html(field))


@register.simple_tag
def search_fields(form: forms.Form, names: Iterable[str]) -> SafeString:
    """`search_field` of each of `names`, in that order."""
    return mark_safe("".join(_field_html(form[name]) for name in names))
