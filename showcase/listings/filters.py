"""The search criteria: one filter per Gedeon criterion, same names, formats and meaning.

The FilterSet runs over any Listing queryset, inside or outside a request; pages and
alerts reach it through the one selector, `showcase.listings.search.listing_search`.
An invalid value leaves its criterion out and explains why; the valid ones still apply.
"""

from __future__ import annotations

import builtins
import copy
import math
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showcase.core.form_rendering import PUBLIC_FORM_RENDERER
from showcase.core.pagecache import page_version
from showcase.core.site import PLATFORM_KEY, Site
from showcase.listings.criteria import (
    BIG_MAX,
    INTEGER_MAX,
    PRICE_UNITS,
    SMALL_MAX,
    SURFACE_UNITS,
    CriterionError,
    Interval,
    boolean,
    canonical_number,
    comma_list,
    decimal_number,
    french_number,
    integer_list,
    interval_list,
    number_parts,
    too_large,
    whole_number,
)
from showcase.listings.models import LIVE, Agency, ListingQuerySet, PropertyType, Transaction
from showcase.listings.place import Place, parse_place, places_q
from showcase.listings.text import city_key
from showcase.listings.widgets import (
    CommaCheckboxes,
    KeptValueCheckbox,
    SearchSelect,
    SearchTextInput,
)

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
# Unknown values (a price on request, no surface, no date) last in both directions, on SQLite
# (NULLs first ascending) and PostgreSQL (NULLs first descending) alike; the id breaks
# ties so that pages never overlap. SQLite reads its (column, id) indexes in either
# order; PostgreSQL has a "DESC NULLS LAST" one for each descending sort (migrations 0010
# and 0011).
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "newest": (F("published_at").desc(nulls_last=True), F("id").desc()),
    "price_asc": (F("price").asc(nulls_last=True), F("id").asc()),
    "price_desc": (F("price").desc(nulls_last=True), F("id").desc()),
    "surface_desc": (F("surface").desc(nulls_last=True), F("id").desc()),
    "surface_asc": (F("surface").asc(nulls_last=True), F("id").asc()),
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


class _GrammarField(forms.CharField):
    """A text field whose value is parsed by a function of `criteria`."""

    widget = SearchTextInput

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        # Django checks this after to_python, too late: the parsed value reached the query,
        # and PostgreSQL refuses NUL in text (a 500).
        ProhibitNullCharactersValidator()(text)
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


# The minus signs people type: hyphen-minus, minus sign, en dash.
_MINUS = "-\u2212\u2013"
_NOT_WHOLE = gettext_lazy("“%(item)s” is not a whole number.")


class NumberField(forms.Field):
    """A number as people type it (`criteria.number_parts`: "400 000", "200000€",
    "80,5 m²"), from 0 to `max_value`; whole unless `decimals`. Shown back the French way
    ("400 000", "80,5"); `canonical()` is what the URL carries ("400000", "80.5").

    Django's IntegerField calls int(), which takes "١٢" or "１" and refuses "²" and
    "400 000" with a generic message; this one reads digits 0-9 only, and a value over the
    column's maximum is a validation message rather than an overflowing query.
    """

    def __init__(
        self,
        *,
        max_value: int,
        decimals: bool = False,
        units: tuple[str, ...] = (),
        scales: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_value = max_value
        self.decimals = decimals
        self.units = units  # what may follow the number: "€" for a price, not "m²"
        # Units that multiply: a distance in metres also typed "10 km" or "2,5 km".
        self.scales = scales or {}
        kwargs.setdefault(
            "widget",
            SearchTextInput(attrs={"inputmode": "decimal" if decimals else "numeric"}),
        )
        super().__init__(**kwargs)

    def parse(self, text: str) -> int | Decimal | None:
        """The number in `text` (None when empty). Raises ValidationError."""
        text = text.strip()
        if not text:
            return None
        for unit, factor in self.scales.items():
            if text.lower().endswith(unit) and len(text) > len(unit):
                return self._scaled(text, text[: -len(unit)], factor)
        try:
            if self.decimals:
                number: int | Decimal | None = decimal_number(
                    text, maximum=self.max_value, units=self.units
                )
            else:
                number = whole_number(text, maximum=self.max_value, units=self.units)
        except CriterionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if number is None:
            if text[0] in _MINUS and self._is_number(text[1:]):
                # A negative price, surface or distance: say that, not "not a number".
                raise forms.ValidationError(
                    _("“%(item)s” is below 0: give 0 or more.") % {"item": text[:24]}
                )
            raise forms.ValidationError(
                (_("“%(item)s” is not a number.") if self.decimals else _NOT_WHOLE)
                % {"item": text[:24]}
            )
        return number

    def _is_number(self, text: str) -> bool:
        """Whether `text` is a number as people type it, however large."""
        number_text = text.strip()
        for unit in self.scales:
            if number_text.lower().endswith(unit) and len(number_text) > len(unit):
                number_text = number_text[: -len(unit)]
                break
        return number_parts(number_text, self.units) is not None

    def _scaled(self, text: str, number_text: str, factor: int) -> int:
        try:
            number = decimal_number(number_text.strip(), maximum=self.max_value, units=())
        except CriterionError as exc:
            raise forms.ValidationError(str(too_large(text, self.max_value))) from exc
        if number is None:
            raise forms.ValidationError(_("“%(item)s” is not a number.") % {"item": text[:24]})
        if number * factor > self.max_value:
            raise forms.ValidationError(str(too_large(text, self.max_value)))
        return round(number * factor)

    def to_python(self, value: Any) -> int | Decimal | None:
        if value in self.empty_values:
            return None
        return self.parse(str(value))

    def canonical(self, raw: str) -> str | None:
        """The URL form of `raw` ("400000" for "400 000 €"); None when it is not valid."""
        try:
            number = self.parse(raw)
        except forms.ValidationError:
            return None
        return "" if number is None else canonical_number(number)

    def prepare_value(self, value: Any) -> Any:
        # Bound forms hand over the text as typed: a valid one is shown the French way,
        # an invalid one as it was, beside its explanation.
        if isinstance(value, str):
            try:
                value = self.parse(value) if value.strip() else value
            except forms.ValidationError:
                return value
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return french_number(value)
        return value


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
    """Gedeon booleans, read by `criteria.boolean`: 1/0, true/false, yes/no, on/off."""

    widget = SearchTextInput

    def to_python(self, value: Any) -> bool | None:
        if value is None:
            return None
        try:
            return boolean(str(value))
        except CriterionError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PlaceListField(_GrammarField):
    """`localization`: a comma list of places (`place.parse_place`)."""

    def parse(self, text: str) -> list[Place]:
        return [parse_place(item) for item in comma_list(text)]


_COORDINATE = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,15})?")


class BboxField(forms.CharField):
    widget = SearchTextInput

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

    def __deepcopy__(self, memo: dict[int, Any]) -> FieldFilter:
        # A filter set copies its class's filters, then sets only `model` and `parent` on
        # each copy: the declarations (words, widgets, functions) are shared, not copied
        # (a deep copy of ~25 filters was about 2 ms of every search).
        clone = copy.copy(self)
        # A `method` is called through a wrapper holding its filter: one for the copy.
        clone.method = self.method
        return clone


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


# The Gedeon doc's meaning of each yes/no criterion ("Critères de recherche"):
# `favorite`, `is_new`, `is_old` read "only favourites / new / old": 1 narrows, 0 is no
# criterion. The viager ones spell out both values: `occupied=0` is "not marked occupied",
# `forward_sale=0` "not marked as a forward sale" (unknown included).


# New builds: flagged new (Gedeon's `new`, Apimo's condition "Neuf"), or a new-build
# programme whatever its flag (a Gedeon "program" need not carry `new`).
_NEW_BUILD = Q(is_new=True) | Q(transaction=Transaction.PROGRAM)


UNSOLD = [value for value in Transaction.values if value != Transaction.SOLD]
# The agency's favourites upstream, counted apart (ListingFilterSet.count_parts); Live is
# repeated for the partial index that holds them (listing_pub_favorite).
FAVOURITES_UPSTREAM = LIVE & Q(upstream_favorite=True)


def _only(condition: Any):
    """1: the listings matching `condition(qs)`; 0: no criterion."""

    def apply(qs: QuerySet, value: bool) -> QuerySet:
        return qs.filter(condition(qs)) if value else qs

    return apply


def _marked(field: str):
    """1: marked `field`; 0: not marked (false or unknown)."""

    def apply(qs: QuerySet, value: bool) -> QuerySet:
        return qs.filter(**{field: True}) if value else qs.exclude(**{field: True})

    return apply


class SearchForm(forms.Form):
    # Its widgets have Jinja2 templates (`widgets`): whoever shows it, the public renderer
    # draws it.
    default_renderer = PUBLIC_FORM_RENDERER


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
        field_class=PlaceListField,
        method="filter_localization",
        label=gettext_lazy("City, zip code or department"),
        max_length=300,
    )
    extends = FieldFilter(
        field_class=NumberField,
        method="filter_noop",
        label=gettext_lazy("Around (metres)"),
        max_value=MAX_EXTENDS,
        units=("m",),
        scales={"km": 1000},
    )
    bbox = CriterionFilter(field_class=BboxField, apply=_bbox, label=gettext_lazy("Map area"))
    min_price = CriterionFilter(
        field_class=NumberField,
        max_value=BIG_MAX,
        units=PRICE_UNITS,
        apply=lambda qs, v: qs.filter(price__gte=v, price_hidden=False),
        label=gettext_lazy("Minimum price (€)"),
    )
    max_price = CriterionFilter(
        field_class=NumberField,
        max_value=BIG_MAX,
        units=PRICE_UNITS,
        apply=lambda qs, v: qs.filter(price__lte=v, price_hidden=False),
        label=gettext_lazy("Maximum price (€)"),
    )
    min_surface = CriterionFilter(
        field_class=NumberField,
        max_value=MAX_SURFACE,
        decimals=True,
        units=SURFACE_UNITS,
        apply=lambda qs, v: qs.filter(surface__gte=v),
        label=gettext_lazy("Minimum surface (m²)"),
    )
    max_surface = CriterionFilter(
        field_class=NumberField,
        max_value=MAX_SURFACE,
        decimals=True,
        units=SURFACE_UNITS,
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
        field_name="agency__upstream_id",
        label=gettext_lazy("Agency"),
        max_length=64,
        widget=SearchTextInput,
    )
    max_days_old = CriterionFilter(
        field_class=NumberField,
        max_value=36500,
        apply=lambda qs, v: qs.filter(published_at__gte=timezone.now() - timedelta(days=v)),
        label=gettext_lazy("Published within (days)"),
    )
    favorite = CriterionFilter(
        field_class=FlagField,
        # The agency's favourites upstream or the site's own picks (never another site's).
        apply=_only(lambda qs: Q(upstream_favorite=True) | Q(pk__in=qs.featured_ids())),
        label=gettext_lazy("Agency's favourites only"),
    )
    is_new = CriterionFilter(
        field_class=FlagField,
        apply=_only(lambda qs: _NEW_BUILD),
        label=gettext_lazy("New builds only"),
    )
    is_old = CriterionFilter(
        field_class=FlagField,
        apply=_only(lambda qs: ~_NEW_BUILD),
        label=gettext_lazy("Existing homes only"),
    )
    nb_photos_min = CriterionFilter(
        field_class=NumberField,
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
        apply=_marked("occupied"),
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
        apply=_marked("forward_sale"),
        label=gettext_lazy("Forward sale"),
    )
    forward_duration = CriterionFilter(
        field_class=IntervalListField,
        maximum=SMALL_MAX,
        apply=lambda qs, v: qs.filter(intervals_q("forward_duration", v, zero_means_unknown=True)),
        label=gettext_lazy("Forward sale term (years)"),
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_noop",
        label=gettext_lazy("Sort by"),
        empty_label=None,
        widget=SearchSelect,
    )

    # Places widened by a distance: the matches of each (filter_queryset).
    place_parts: tuple[QuerySet, ...] = ()

    class Meta:
        form = SearchForm

    def get_form_class(self) -> builtins.type[forms.Form]:
        # Its fields are the filters' declarations, the same for every search: the class
        # is made once (each form still works on its own copy of the fields).
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def filter_noop(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs  # applied in filter_queryset

    def filter_localization(
        self, qs: ListingQuerySet, name: str, places: list[Place] | None
    ) -> ListingQuerySet:
        if not places:
            return qs
        extends = self.form.cleaned_data.get("extends")
        if not extends:
            return qs.filter(places_q(places))
        self.by_distance = True
        # Each place, or within `extends` metres of its centre (great-circle distance).
        # Extents are computed over every site's listings: a sync that changed any
        # bumps the platform's version, which renews them.
        version = page_version(PLATFORM_KEY)
        condition = Q(pk__in=[])
        branches = []
        for place in places:
            extent = qs.model.objects.extent_of(place, version)
            branch = place.q() if extent is None else extent.around_q(place.q(), float(extends))
            branches.append(branch)
            condition |= branch
        # Every other criterion is applied already (filter_queryset's order).
        self.place_parts = tuple(qs.filter(branch) for branch in branches)
        return qs.filter(condition)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        # What `ListingSearch.count` adds up: the matches, or with `favorite=1` its two
        # disjoint halves, each a range of an index where their OR made the database read
        # every live row (bench-search: 10 ms of a 50,000-listing search).
        self.count_parts: tuple[QuerySet, ...] = ()
        # Places widened by a distance: the matches of each, read apart
        # (`ListingSearch.place_parts`).
        self.place_parts = ()
        if not data.get("transaction"):
            # Spec: without `transaction`, sold listings are left out. Named as the list
            # of the others, it is a range of the transaction-first indexes; "not sold"
            # made the database read every live row of them.
            queryset = queryset.filter(transaction__in=UNSOLD)
        # Every criterion, then `localization` (each place's part carries all the others),
        # then `favorite` (its halves must carry all the others).
        for name, value in sorted(data.items(), key=lambda item: _LAST.get(item[0], 0)):
            if name == "favorite" and value:
                listings = cast(ListingQuerySet, queryset)
                self.count_parts = (
                    listings.filter(FAVOURITES_UPSTREAM),
                    listings.filter(pk__in=listings.featured_ids()).exclude(FAVOURITES_UPSTREAM),
                )
                self.place_parts = ()  # they would miss the favourites' criterion
            queryset = self.filters[name].filter(queryset, value)
        self.count_parts = self.count_parts or (queryset,)
        self.ordering = SORTS.get(data.get("sort") or "newest", SORTS["newest"])
        return queryset.order_by(*self.ordering)


# Criteria applied after the others, in this order (ListingFilterSet.filter_queryset).
_LAST = {"localization": 1, "favorite": 2}


def canonical_query(form: forms.Form, params: QueryDict) -> QueryDict | None:
    """`params` with every number as the URL carries it ("400 000 €" -> "400000"); None
    when they already are (or are blank, or invalid: the page explains them as typed)."""
    canonical = params.copy()
    changed = False
    for name, field in form.fields.items():
        raw = params.get(name)
        if raw is None or not isinstance(field, NumberField):
            continue
        value = field.canonical(raw)
        # A blank field is no criterion however it is blank: not worth a redirect.
        if value and value != raw:
            canonical.setlist(name, [value])
            changed = True
    return canonical if changed else None


BASIC_CRITERIA = (
    "transaction",
    "type",
    "localization",
    "min_price",
    "max_price",
    "min_surface",
    "rooms",
)
# Under "More criteria", in the form's order; the sort is drawn beside the result count.
MORE_CRITERIA = tuple(
    name for name in ListingFilterSet.base_filters if name not in (*BASIC_CRITERIA, "sort")
)


def _select(choices: list[tuple[str, str]], current: Any) -> SearchSelect:
    """A select that still shows a value typed in the URL (e.g. a comma list)."""
    values = {value for value, _label in choices}
    if current and current not in values:
        choices = [*choices, (current, current)]
    return SearchSelect(choices=choices)


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
    # "Only favourites / new / old" (Gedeon's meaning): no means no criterion, so no "No".
    for name in ("favorite", "is_new", "is_old"):
        form.fields[name].widget = _select(
            [("", _("No preference")), ("1", _("Yes"))], data.get(name, "")
        )
    for name in ("occupied", "forward_sale"):
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
    form.fields["localization"].widget.attrs.update(
        # static/js/place-suggestions.js fills the list; without it, a plain text field.
        {"data-place-suggestions": reverse("listing-places"), "autocomplete": "off"}
    )
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )
    return form
