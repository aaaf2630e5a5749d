"""Search criteria in words: "Sale · House · Lille · up to €400,000 · 3 rooms or more".

One function for every place that tells a visitor what a search watches: the search
page's filter summary, the alert sign-up page and the alert e-mails. It reads the
parsed values of the search form (`form.cleaned_data`: the criteria the search really
applied, invalid ones already left out), never the raw query string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from showcase.listings.criteria import Interval
from showcase.listings.models import PropertyType, Transaction
from showcase.listings.numbers import figure
from showcase.listings.price import euros

SEPARATOR = " · "


def _labels(values: Iterable[str], choices: Any) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(v, v)) for v in values)


def _interval(interval: Interval) -> str:
    if interval.high is None:
        return _("%(low)s or more") % {"low": figure(interval.low)}
    if interval.low == interval.high:
        return figure(interval.low)
    if interval.low == 0:
        return _("up to %(high)s") % {"high": figure(interval.high)}
    return f"{figure(interval.low)}–{figure(interval.high)}"


def _intervals(intervals: list[Interval]) -> str:
    return ", ".join(_interval(i) for i in intervals)


def _range(low: Any, high: Any, fmt: Any) -> str | None:
    if low is not None and high is not None:
        return _("%(low)s to %(high)s") % {"low": fmt(low), "high": fmt(high)}
    if high is not None:
        return _("up to %(high)s") % {"high": fmt(high)}
    if low is not None:
        return _("from %(low)s") % {"low": fmt(low)}
    return None


def _square_metres(value: int) -> str:
    return f"{figure(value)}\u00a0m²"


def _rooms(values: list[int]) -> str:
    # Gedeon: "5" means 5 or more.
    if len(values) == 1:
        n = values[0]
        if n >= 5:
            return _("%(count)s rooms or more") % {"count": figure(n)}
        return ngettext("%(count)s room", "%(count)s rooms", n) % {"count": figure(n)}
    items = [figure(v) + ("+" if v >= 5 else "") for v in sorted(values)]
    return _("%(list)s rooms") % {"list": ", ".join(items)}


def _flag(value: bool | None, yes: str, no: str) -> str | None:
    if value is None:
        return None
    return yes if value else no


def criteria_phrases(
    data: Mapping[str, Any], agency_names: Mapping[str, str] | None = None
) -> list[str]:
    """The applied criteria of `data` (a search form's cleaned_data) as short phrases, in
    the form's order, translated in the active language; empty for "every listing".

    `agency_names` maps an agency's code (the `agency` parameter) to its name; a code not
    in it is "agency <code>", shown as it is without the mapping. Page-only parameters (sort, page, limit) are not criteria."""
    phrases: list[str | None] = []
    add = phrases.append
    if data.get("transaction"):
        add(_labels(data["transaction"], Transaction))
    if data.get("exclude_transactions"):
        add(_("except %(list)s") % {"list": _labels(data["exclude_transactions"], Transaction)})
    if data.get("type"):
        add(_labels(data["type"], PropertyType))
    if data.get("localization"):
        places = ", ".join(str(place) for place in data["localization"])
        if data.get("extends"):
            # To the metre: rounded to 100 m, a search within 40 m read "0 km around".
            km = figure(data["extends"] / 1000, max_places=3)
            add(_("%(places)s and %(km)s km around") % {"places": places, "km": km})
        else:
            add(places)
    if data.get("bbox"):
        add(_("area chosen on the map"))
    add(_range(data.get("min_price"), data.get("max_price"), euros))
    add(_range(data.get("min_surface"), data.get("max_surface"), _square_metres))
    if data.get("rooms"):
        add(_rooms(data["rooms"]))
    if data.get("bedrooms"):
        add(_("bedrooms: %(list)s") % {"list": _intervals(data["bedrooms"])})
    if data.get("sleeps"):
        add(_("sleeps %(list)s") % {"list": _intervals(data["sleeps"])})
    if data.get("agency"):
        code = data["agency"]
        if agency_names is None:
            add(code)
        else:  # the site's agencies are known: a code not among them is still an agency
            add(agency_names.get(code) or _("agency %(code)s") % {"code": code})
    if data.get("max_days_old") is not None:
        days = data["max_days_old"]
        add(
            ngettext(
                "published in the last %(count)s day",
                "published in the last %(count)s days",
                days,
            )
            % {"count": figure(days)}
        )
    # "Only favourites" (Gedeon): 0 is no criterion, as the search applies it.
    if data.get("favorite"):
        add(_("agency's favourites"))
    if data.get("is_new"):
        add(_("new builds"))
    if data.get("is_old"):
        add(_("existing homes"))
    if data.get("nb_photos_min"):
        n = data["nb_photos_min"]
        add(
            ngettext("at least %(count)s photo", "at least %(count)s photos", n)
            % {"count": figure(n)}
        )
    if data.get("monthly_annuity"):
        add(_("annuity: %(list)s €/month") % {"list": _intervals(data["monthly_annuity"])})
    add(_flag(data.get("occupied"), _("occupied"), _("not occupied")))
    if data.get("nb_persons"):
        people = ", ".join(figure(n) for n in data["nb_persons"])
        add(_("annuitants: %(list)s") % {"list": people})
    add(_flag(data.get("forward_sale"), _("forward sale"), _("no forward sale")))
    if data.get("forward_duration"):
        add(_("term: %(list)s years") % {"list": _intervals(data["forward_duration"])})
    return [p for p in phrases if p]


def criteria_sentence(phrases: list[str]) -> str:
    """The phrases on one line, or "every listing" when there is none."""
    return SEPARATOR.join(phrases) if phrases else _("every listing")
