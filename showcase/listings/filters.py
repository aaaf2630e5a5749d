"""The search criteria: one filter per Gedeon criterion, same names, formats and meaning.

The FilterSet runs over any Listing queryset, inside or outside a request; pages and
alerts reach it through the one selector, `showcase.listings.search.listing_search`.
An invalid value leaves its criterion out and explains why; the valid ones still apply.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showcase.core.form_rendering import PUBLIC_FORM_RENDERER
from showcase.core.site import Site
from showcase.listings.criteria import (
    BIG_MAX,
    INTEGER_MAX,
    SMALL_MAX,
    CriterionError,
    Interval,
    comma_list,
    integer_list,
    interval_list,
    is_whole_number,
    whole_number,
)
from showcase.listings.models import Agency, ListingQuerySet, PropertyType, Transaction
from showcase.listings.text import city_key, postcode_countries
from showcase.listings.widgets import CommaCheckboxes, KeptValueCheckbox

TRANSACTION_WORDS = {
    "sell": Transaction.SELL,
    "rent": Transaction.RENT,
    "holidays": Transaction.HOLIDAYS,
    "sold": Transaction.SOLD,
    "viager": Transaction.VIAGER,
    "l": Transaction.VIAGER,
    "program": Transaction.PROGRAM,
}
TYPE_NAMES = {
    "maison": PropertyType.HOUSE,
    "house": PropertyType.HOUSE,
    "appartement": PropertyType.FLAT,
    "flat": PropertyType.FLAT,
    "garage": PropertyType.GARAGE,
    "terrain": PropertyType.TERRAIN,
    "local industriel": PropertyType.INDUSTRIAL,
    "industrial": PropertyType.INDUSTRIAL,
    "bureau": PropertyType.OFFICE,
    "office": PropertyType.OFFICE,
    "commerce": PropertyType.SHOP,
    "shop": PropertyType.SHOP,
    "autre": PropertyType.OTHER,
    "other": PropertyType.OTHER,
}
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "newest": ("-published_at", "-id"),
    # Listings without an amount (price on request) are not the cheapest: last, as
    # PostgreSQL's default ASC puts them (SQLite put them first).
    "price_asc": (F("price").asc(nulls_last=True), "id"),
    "price_desc": ("-price", "-id"),
    "surface_desc": ("-surface", "-id"),
    "surface_asc": ("surface", "id"),
}
SORT_CHOICES = [
    ("newest", gettext_lazy("Newest first")),
    ("price_asc", gettext_lazy("Price, lowest first")),
    ("price_desc", gettext_lazy("Price, highest first")),
    ("surface_desc", gettext_lazy("Surface, largest first")),
    ("surface_asc", gettext_lazy("Surface, smallest first")),
]
MAX_EXTENDS = 200_000  # metres
# Surfaces are floats in the database; no home is larger than a billion m².
MAX_SURFACE = 1_000_000_000
METRES_PER_DEGREE = 111_320


class _GrammarField(forms.CharField):
    """A text field whose value is parsed by a function of `criteria`."""

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return self.parse(text)
        except CriterionError as exc:
            raise forms.ValidationError(str(exc)) from exc


class _NumberListField(_GrammarField):
    """Numbers from 0 to `maximum` (the largest value of the column they filter)."""

    def __init__(self, *, maximum: int, **kwargs: Any) -> None:
        self.maximum = maximum
        super().__init__(**kwargs)


class IntervalListField(_NumberListField):
    def parse(self, text: str) -> list[Interval]:
        return interval_list(text, maximum=self.maximum)


class IntegerListField(_NumberListField):
    def parse(self, text: str) -> list[int]:
        return integer_list(text, maximum=self.maximum)


class CommaListField(_GrammarField):
    def parse(self, text: str) -> list[str]:
        return comma_list(text)


class WholeNumberField(forms.IntegerField):
    """A whole number in ASCII digits, from `min_value` (default 0) to `max_value`.

    Django's IntegerField calls int(), which takes "١٢" or "１" and refuses "²" with
    a generic message; this one refuses every digit but 0-9, and a value over the column's
    maximum is a validation message rather than an overflowing query.
    """

    def __init__(self, *, max_value: int, min_value: int = 0, **kwargs: Any) -> None:
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        try:
            number = whole_number(text, maximum=BIG_MAX)
        except CriterionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class WordListField(_GrammarField):
    """A comma list whose words must belong to `words` (compared case-insensitively)."""

    def __init__(self, *, words: dict[str, str], **kwargs: Any) -> None:
        self.words = words
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = forms.CharField.to_python(self, value)
        if not text:
            return None
        try:
            items = comma_list(text)
        except CriterionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        unknown = [item for item in items if city_key(item) not in self.words]
        if unknown:
            raise forms.ValidationError(
                _("Unknown value(s): %(values)s. Possible values: %(choices)s.")
                % {"values": ", ".join(unknown), "choices": ", ".join(sorted(set(self.words)))}
            )
        return [self.words[city_key(item)] for item in items]


class FlagField(forms.Field):
    """Gedeon booleans: 1/0 (also true/false, yes/no)."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise forms.ValidationError(_("Use 1 (yes) or 0 (no)."))


_COORDINATE = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,15})?")


class BboxField(forms.CharField):
    # A CharField's input, parsed into numbers: its value is not text (django-stubs ignore
    # the same override on Django's own UUIDField).
    def to_python(self, value: Any) -> tuple[float, float, float, float] | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        parts = [p.strip() for p in text.split(",")]
        # ASCII decimals only: float() also reads "٣", "１", "1e5", "1_0", "nan" and "inf".
        if len(parts) != 4 or not all(_COORDINATE.fullmatch(p) for p in parts):
            raise forms.ValidationError(
                _("Use four numbers: lng1,lat1,lng2,lat2 (north-west corner, then south-east).")
            )
        lng1, lat1, lng2, lat2 = (float(p) for p in parts)
        if not all(math.isfinite(v) for v in (lng1, lat1, lng2, lat2)):
            raise forms.ValidationError(_("The box coordinates must be finite numbers."))
        if not (
            -180 <= lng1 <= 180 and -180 <= lng2 <= 180 and -90 <= lat1 <= 90 and -90 <= lat2 <= 90
        ):
            raise forms.ValidationError(
                _("Longitudes are between -180 and 180, latitudes between -90 and 90.")
            )
        if lat1 < lat2 or lng1 > lng2:
            raise forms.ValidationError(
                _("Give the north-west corner first, then the south-east corner.")
            )
        return lng1, lat1, lng2, lat2


class FieldFilter(django_filters.Filter):
    """A filter that takes its form field class as an argument."""

    def __init__(self, *args: Any, field_class: type[forms.Field], **kwargs: Any) -> None:
        self.field_class = field_class
        super().__init__(*args, **kwargs)


class CriterionFilter(FieldFilter):
    """A filter whose `apply(qs, value)` receives the parsed value (skipped when empty)."""

    def __init__(self, *args: Any, apply: Any, **kwargs: Any) -> None:
        self.apply = apply
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in (None, "", []):
            return qs
        return self.apply(qs, value)


def intervals_q(field: str, intervals: list[Interval], *, zero_means_unknown: bool = False) -> Q:
    condition = Q()
    for interval in intervals:
        part = Q(**{f"{field}__gte": interval.low})
        if interval.high is not None:
            part &= Q(**{f"{field}__lte": interval.high})
        condition |= part
        if zero_means_unknown and interval.includes_zero:
            condition |= Q(**{f"{field}__isnull": True})
    return condition


def _transaction(qs: QuerySet, values: list[str]) -> QuerySet:
    return qs.filter(transaction__in=values)


def _rooms(qs: QuerySet, values: list[int]) -> QuerySet:
    # "5" means 5 or more (spec).
    condition = Q(rooms__in=[v for v in values if v < 5])
    if any(v >= 5 for v in values):
        condition |= Q(rooms__gte=min(v for v in values if v >= 5))
    return qs.filter(condition)


def _bbox(qs: QuerySet, box: tuple[float, float, float, float]) -> QuerySet:
    lng1, lat1, lng2, lat2 = box
    return qs.filter(
        longitude__gte=lng1, longitude__lte=lng2, latitude__gte=lat2, latitude__lte=lat1
    )


def _flag(field: str, *, false_means_not_true: bool = False):
    def apply(qs: QuerySet, value: bool) -> QuerySet:
        if value:
            return qs.filter(**{field: True})
        # Gedeon: 0 means "not marked as", so unknown values are included.
        return qs.exclude(**{field: True}) if false_means_not_true else qs.filter(**{field: False})

    return apply


class ListingFilterSet(django_filters.FilterSet):
    transaction = CriterionFilter(
        field_class=WordListField,
        words=TRANSACTION_WORDS,
        apply=_transaction,
        label=gettext_lazy("Transaction"),
    )
    exclude_transactions = CriterionFilter(
        field_class=WordListField,
        words=TRANSACTION_WORDS,
        apply=lambda qs, v: qs.exclude(transaction__in=v),
        label=gettext_lazy("Exclude"),
        # Boxes send one parameter each: read by every search (page, map, alerts) alike.
        widget=CommaCheckboxes(choices=Transaction.choices, aliases=TRANSACTION_WORDS),
    )
    type = CriterionFilter(
        field_class=WordListField,
        words=TYPE_NAMES,
        apply=lambda qs, v: qs.filter(property_type__in=v),
        label=gettext_lazy("Property type"),
        widget=CommaCheckboxes(choices=PropertyType.choices, aliases=TYPE_NAMES),
    )
    localization = FieldFilter(
        field_class=CommaListField,
        method="filter_localization",
        label=gettext_lazy("City, zip code or department"),
        max_length=300,
    )
    extends = FieldFilter(
        field_class=WholeNumberField,
        method="filter_noop",
        label=gettext_lazy("Around (metres)"),
        max_value=MAX_EXTENDS,
    )
    bbox = CriterionFilter(field_class=BboxField, apply=_bbox, label=gettext_lazy("Map area"))
    min_price = CriterionFilter(
        field_class=WholeNumberField,
        max_value=BIG_MAX,
        apply=lambda qs, v: qs.filter(price__gte=v, price_hidden=False),
        label=gettext_lazy("Minimum price (€)"),
    )
    max_price = CriterionFilter(
        field_class=WholeNumberField,
        max_value=BIG_MAX,
        apply=lambda qs, v: qs.filter(price__lte=v, price_hidden=False),
        label=gettext_lazy("Maximum price (€)"),
    )
    min_surface = CriterionFilter(
        field_class=WholeNumberField,
        max_value=MAX_SURFACE,
        apply=lambda qs, v: qs.filter(surface__gte=v),
        label=gettext_lazy("Minimum surface (m²)"),
    )
    max_surface = CriterionFilter(
        field_class=WholeNumberField,
        max_value=MAX_SURFACE,
        apply=lambda qs, v: qs.filter(surface__lte=v),
        label=gettext_lazy("Maximum surface (m²)"),
    )
    rooms = CriterionFilter(
        field_class=IntegerListField, maximum=SMALL_MAX, apply=_rooms, label=gettext_lazy("Rooms")
    )
    bedrooms = CriterionFilter(
        field_class=IntervalListField,
        maximum=SMALL_MAX,
        apply=lambda qs, v: qs.filter(intervals_q("bedrooms", v)),
        label=gettext_lazy("Bedrooms"),
    )
    sleeps = CriterionFilter(
        field_class=IntervalListField,
        maximum=SMALL_MAX,
        apply=lambda qs, v: qs.filter(intervals_q("sleeps", v)),
        label=gettext_lazy("Sleeps"),
    )
    agency = django_filters.CharFilter(
        field_name="agency__upstream_id", label=gettext_lazy("Agency"), max_length=64
    )
    max_days_old = CriterionFilter(
        field_class=WholeNumberField,
        max_value=36500,
        apply=lambda qs, v: qs.filter(published_at__gte=timezone.now() - timedelta(days=v)),
        label=gettext_lazy("Published within (days)"),
    )
    favorite = CriterionFilter(
        field_class=FlagField,
        # The agency's favourites upstream or the site's own picks (never another site's).
        apply=lambda qs, v: (
            qs.filter(Q(upstream_favorite=True) | Q(pk__in=qs.featured_ids()))
            if v
            else qs.filter(upstream_favorite=False).not_featured()
        ),
        label=gettext_lazy("Agency's favourites only"),
    )
    is_new = CriterionFilter(
        field_class=FlagField,
        apply=lambda qs, v: qs.filter(is_new=True) if v else qs,
        label=gettext_lazy("New builds only"),
    )
    is_old = CriterionFilter(
        field_class=FlagField,
        apply=lambda qs, v: qs.filter(is_new=False) if v else qs,
        label=gettext_lazy("Existing homes only"),
    )
    nb_photos_min = CriterionFilter(
        field_class=WholeNumberField,
        max_value=100,
        apply=lambda qs, v: qs.filter(photo_count__gte=v),
        label=gettext_lazy("Minimum photos"),
    )
    monthly_annuity = CriterionFilter(
        field_class=IntervalListField,
        maximum=INTEGER_MAX,
        apply=lambda qs, v: qs.filter(intervals_q("monthly_annuity", v, zero_means_unknown=True)),
        label=gettext_lazy("Monthly annuity (€)"),
    )
    occupied = CriterionFilter(
        field_class=FlagField,
        apply=_flag("occupied", false_means_not_true=True),
        label=gettext_lazy("Occupied"),
    )
    nb_persons = CriterionFilter(
        field_class=IntegerListField,
        maximum=SMALL_MAX,
        apply=lambda qs, v: qs.filter(
            Q(nb_persons__in=[n for n in v if n])
            | (Q(nb_persons__isnull=True) if 0 in v else Q(pk__in=[]))
        ),
        label=gettext_lazy("Annuitants"),
    )
    forward_sale = CriterionFilter(
        field_class=FlagField,
        apply=_flag("forward_sale", false_means_not_true=True),
        label=gettext_lazy("Forward sale"),
    )
    forward_duration = CriterionFilter(
        field_class=IntervalListField,
        maximum=SMALL_MAX,
        apply=lambda qs, v: qs.filter(intervals_q("forward_duration", v, zero_means_unknown=True)),
        label=gettext_lazy("Forward sale term (years)"),
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_noop", label=gettext_lazy("Sort by"), empty_label=None
    )

    def filter_noop(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs  # applied in filter_queryset

    def filter_localization(
        self, qs: ListingQuerySet, name: str, items: list[str] | None
    ) -> ListingQuerySet:
        if not items:
            return qs
        extends = self.form.cleaned_data.get("extends")
        if not extends:
            # One IN list per kind of place: an index range, where ORs of equalities
            # made PostgreSQL filter a whole index.
            places: dict[str, list[str]] = {}
            for item in items:
                field, value = localization_lookup(item)
                places.setdefault(field, []).append(value)
            condition = Q()
            for field, values in places.items():
                condition |= place_q(field, values)
            return qs.filter(condition)
        condition = Q()
        for item in items:
            field, value = localization_lookup(item)
            place = place_q(field, [value])
            centre = qs.model.objects.centre_of(field, value)
            if centre is not None:
                place |= around_q(*centre, float(extends))
            condition |= place
        return qs.filter(condition)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        if not data.get("transaction"):
            # Spec: without `transaction`, sold listings are left out.
            queryset = queryset.exclude(transaction=Transaction.SOLD)
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*SORTS.get(data.get("sort") or "newest", SORTS["newest"]))


def localization_lookup(item: str) -> tuple[str, str]:
    """(field, value) of one place: a zip code (5 digits), a department (2 digits, 2A/2B,
    97x) or a city name."""
    text = item.strip()
    if is_whole_number(text) and len(text) == 5:
        return "zip_code", text
    if (is_whole_number(text) and len(text) in (2, 3)) or text.upper() in {"2A", "2B"}:
        return "department", text.upper()
    return "city_key", city_key(text)


def place_q(field: str, values: list[str]) -> Q:
    """Listings at one of `values` of `field`: a zip code only in the country it belongs
    to (text.postcode_countries), where a 5-digit search means a French (or Monaco's) one."""
    if field != "zip_code":
        return Q(**{f"{field}__in": values})
    by_countries: dict[tuple[str, ...], list[str]] = {}
    for value in values:
        by_countries.setdefault(postcode_countries(value), []).append(value)
    condition = Q()
    for countries, codes in by_countries.items():
        condition |= Q(zip_code__in=codes, country__in=countries)
    return condition


def around_q(lat: float, lng: float, metres: float) -> Q:
    """Listings within a box of `metres` around a point (indexed latitude/longitude)."""
    dlat = metres / METRES_PER_DEGREE
    dlng = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return Q(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lng - dlng, lng + dlng))


BASIC_CRITERIA = (
    "transaction",
    "type",
    "localization",
    "min_price",
    "max_price",
    "min_surface",
    "rooms",
)


def _select(choices: list[tuple[str, str]], current: Any) -> forms.Select:
    """A select that still shows a value typed in the URL (e.g. a comma list)."""
    values = {value for value, _label in choices}
    if current and current not in values:
        choices = [*choices, (current, current)]
    return forms.Select(choices=choices)


def agency_choices(site: Site) -> list[tuple[str, str]]:
    """(code, name) of the site's published agencies by name, one per code."""
    rows = Agency.objects.for_site(site).published().order_by("name", "upstream_id")
    return list(dict(rows.values_list("upstream_id", "name")).items())


def dress_form(form: forms.Form, site: Site | None = None) -> forms.Form:
    """Widgets for people (selects, boxes, numeric keyboards) and error wiring for screen
    readers. With `site`, the agency is chosen by name among the site's agencies."""
    form.renderer = PUBLIC_FORM_RENDERER
    data = form.data if form.is_bound else {}
    if site is not None:
        form.fields["agency"].widget = _select(
            [("", _("All agencies")), *agency_choices(site)], data.get("agency", "")
        )
    form.fields["bbox"].widget = KeptValueCheckbox()
    # Beside the result count, outside the form's markup, yet sent with its criteria.
    form.fields["sort"].widget.attrs["form"] = "search-form"
    form.fields["transaction"].widget = _select(
        [("", _("All (sold excluded)"))] + [(v, str(label)) for v, label in Transaction.choices],
        data.get("transaction", ""),
    )
    for name in ("favorite", "is_new", "is_old", "occupied", "forward_sale"):
        form.fields[name].widget = _select(
            [("", _("No preference")), ("1", _("Yes")), ("0", _("No"))], data.get(name, "")
        )
    for name in (
        "rooms",
        "bedrooms",
        "sleeps",
        "monthly_annuity",
        "nb_persons",
        "forward_duration",
    ):
        form.fields[name].widget.attrs.update(
            {"inputmode": "numeric", "placeholder": _("e.g. 1-3,5")}
        )
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField):
            # Text, not type=number: a wrong value typed in the URL must be shown back as is.
            field.widget = forms.TextInput(attrs={"inputmode": "numeric"})
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )
    return form
