"""Search criteria in words for templates (search summary, alert page, alert e-mails)."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.http import QueryDict

from showcase.core.site import Site
from showcase.listings import criteria_words
from showcase.listings.filters import ListingFilterSet, agency_choices
from showcase.listings.models import Listing

register = template.Library()


@register.simple_tag
def form_criteria(form: forms.Form) -> list[str]:
    """The criteria a bound search form applied, in words; its agency choices name the
    agency (no query)."""
    data = getattr(form, "cleaned_data", None) or {}
    choices = getattr(form.fields["agency"].widget, "choices", None) or []
    return criteria_words.criteria_phrases(data, {str(k): str(v) for k, v in choices if k})


@register.simple_tag
def query_criteria(query: str, site: Site | None) -> list[str]:
    """The criteria of a saved query string (an alert's), in words, as its search reads them."""
    form: Any = ListingFilterSet(QueryDict(query or ""), queryset=Listing.objects.none()).form
    form.is_valid()
    data = form.cleaned_data
    names = dict(agency_choices(site)) if data.get("agency") and site is not None else {}
    return criteria_words.criteria_phrases(data, names)


@register.filter
def criteria_sentence(phrases: list[str]) -> str:
    return criteria_words.criteria_sentence(phrases)
