"""Search-form widgets for people, writing the Gedeon parameters' own formats.

The parameters keep Gedeon's value formats (`type=house,flat`); these widgets only change
how a visitor sets them: ticked boxes instead of a typed comma list, a kept map area that
can be unticked instead of four typed coordinates.

They draw with one flat Jinja2 template each (`jinja2/listings/widgets/`), so the public
renderer (`core.form_rendering`) must draw them. Django's own Jinja2 templates give the
same HTML through an include per option and per attribute list: some 180 template renders
for the search form, most of its rendering time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict


def _values(data: Mapping[str, Any], name: str) -> list[str]:
    if isinstance(data, MultiValueDict):
        return [str(v) for v in data.getlist(name)]
    value = data.get(name)
    return [] if value is None else [str(value)]


class SearchTextInput(forms.TextInput):
    template_name = "listings/widgets/input.html"


class SearchSelect(forms.Select):
    template_name = "listings/widgets/select.html"


class CommaCheckboxes(forms.CheckboxSelectMultiple):
    """Boxes for a Gedeon comma list. A form without JavaScript sends one parameter per
    ticked box (`type=house&type=flat`); the link in Gedeon's format (`type=house,flat`)
    means the same, and ticks the same boxes. `aliases` maps other accepted words (e.g.
    `maison`) to the box they tick."""

    template_name = "listings/widgets/checkboxes.html"

    def __init__(self, *args: Any, aliases: Mapping[str, str] | None = None, **kwargs: Any):
        self.aliases = dict(aliases or {})
        super().__init__(*args, **kwargs)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str | None:
        items = [v for v in _values(data, name) if v.strip()]
        return ",".join(items) if items else None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an unticked list is a value: no criterion

    # Choice widgets format a list of values (Django's ChoiceWidget does too; the stubs
    # declare only the single-value Widget.format_value).
    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if not value:
            return []
        raw = value if isinstance(value, list | tuple) else str(value).split(",")
        items = [str(v).strip().lower() for v in raw]
        return [self.aliases.get(item, item) for item in items if item]


class KeptValueCheckbox(forms.CheckboxInput):
    """A ticked box carrying a value set elsewhere (the map area from the map): unticking
    it removes the criterion. Its data is the value itself, not a boolean."""

    template_name = "listings/widgets/input.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = _values(data, name)
        return values[-1] if values else None
