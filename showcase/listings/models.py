"""The cache: agencies, listings and photos mapped from the upstream feeds.

Upstream data is normalized once, at sync time. Typed columns hold everything
that is searched, sorted or shown; JSON holds display-only blocks kept verbatim.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Self

from django.core.cache import caches
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from showcase.core.scope import SiteOwnedQuerySet, SiteScopedQuerySet
from showcase.core.site import Site
from showcase.listings.geo import box_around, box_q, within_q
from showcase.listings.place import Place


class Transaction(models.TextChoices):
    """Our transaction kinds; the values are Gedeon's search words."""

    SELL = "sell", _("Sale")
    RENT = "rent", _("Rental")
    HOLIDAYS = "holidays", _("Holiday rental")
    VIAGER = "viager", _("Life annuity sale (viager)")
    PROGRAM = "program", _("New development")
    SOLD = "sold", _("Sold")


class PropertyType(models.TextChoices):
    """Gedeon's categories; the values are the English search names."""

    HOUSE = "house", _("House")
    FLAT = "flat", _("Flat")
    GARAGE = "garage", _("Garage")
    TERRAIN = "terrain", _("Land")
    INDUSTRIAL = "industrial", _("Industrial premises")
    OFFICE = "office", _("Office")
    SHOP = "shop", _("Shop")
    OTHER = "other", _("Other")


class AgencyQuerySet(SiteScopedQuerySet["Agency"]):
    def site_condition(self, site: Site) -> Q:
        """The agencies of the site's feeds, narrowed to its upstream agency ids if any;
        every agency on the platform."""
        if site.is_platform:
            return Q()
        condition = Q(feed_id__in=site.feed_ids)
        if site.agency_ids:
            condition &= Q(upstream_id__in=site.agency_ids)
        return condition

    def published(self):
        return self.filter(withdrawn_at__isnull=True)


class Agency(models.Model):
    feed = models.ForeignKey("feeds.Feed", on_delete=models.CASCADE, related_name="agencies")
    upstream_id = models.CharField(_("upstream id"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    homepage = models.URLField(_("website"), max_length=500, blank=True)
    logo_url = models.URLField(_("logo"), max_length=500, blank=True)
    photo_url = models.URLField(_("photo"), max_length=500, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    zip_code = models.CharField(_("zip code"), max_length=10, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    emails = models.JSONField(_("e-mails"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=500, blank=True)
    # Gedeon `legal` block / Apimo agency data, kept verbatim (HTML parts sanitized on display).
    legal = models.JSONField(_("legal information"), default=dict, blank=True)
    # Apimo `rates[]`: the fee schedule.
    rates = models.JSONField(_("fee schedule rows (Apimo)"), default=list, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    # Entered by an agent in the admin; a sync never writes them (they are not
    # AgencyRecord fields). Each one, when filled, wins over the upstream value.
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=100, blank=True)
    registered_office = models.CharField(_("registered office"), max_length=300, blank=True)
    rcs = models.CharField(_("RCS number and city"), max_length=100, blank=True)
    professional_card = models.CharField(_("professional card number"), max_length=100, blank=True)
    card_issuer = models.CharField(_("card issued by (CCI)"), max_length=200, blank=True)
    financial_guarantee = models.CharField(_("financial guarantor"), max_length=300, blank=True)
    guarantee_amount = models.CharField(_("guarantee amount"), max_length=100, blank=True)
    rcp_insurer = models.CharField(_("professional liability insurer"), max_length=300, blank=True)
    fee_schedule = models.TextField(
        _("fee schedule"),
        blank=True,
        help_text=_(
            "Replaces the schedule the feed sends. Write one line per price band, e.g. "
            "“Jusqu'à 100 000 € : 6 % TTC”, “De 100 001 € à 300 000 € : 5 % TTC”, "
            "“Au-delà de 300 000 € : 4 % TTC”, who pays, and the rental fees per m²; "
            "HTML allowed."
        ),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["feed", "upstream_id"], name="agency_identity")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agency-detail", kwargs={"pk": self.pk, "slug": self.slug or "agence"})


PLACE_CENTRE_SECONDS = 3600
# Live rows (not withdrawn upstream): the partial indexes are built on them. What a site's
# visitors see (ListingQuerySet.published) also leaves out the rows its agents hid, which
# are few and read from ListingFlags.
LIVE = models.Q(withdrawn_at__isnull=True)
# Display-only columns of the detail page that no card, feed or JSON-LD list reads.
CARD_DEFERRED = (
    "description",
    "price_info",
    "extras",
    "rooms_details",
    "contact",
    "medias",
    "compliance_issues",
    "copropriete_procedure",
    "energy_cost_reference",
)
# What the detail page shows of a listing's agency: its card (name, phone, link).
AGENCY_CARD_FIELDS = ("id", "name", "slug", "phone")
# Columns the search criteria and the tenant scopes filter on (showcase/listings/filters.py),
# the department first: a department search is then a range of this index.
SEARCH_COLUMNS = [
    "department",
    "transaction",
    "property_type",
    "city_key",
    "zip_code",
    "price",
    "price_hidden",
    "surface",
    "rooms",
    "bedrooms",
    "sleeps",
    "latitude",
    "longitude",
    "published_at",
    "is_new",
    "photo_count",
    "upstream_favorite",
    "monthly_annuity",
    "occupied",
    "nb_persons",
    "forward_sale",
    "forward_duration",
    "agency",
    "feed",
    "withdrawn_at",
    # Last, for PostgreSQL's index-only scans: a site's hidden listings are left out by id.
    "id",
]


def listing_slug(title: str, property_type: str, city: str) -> str:
    """The slug of a listing's address: its title, else its type and town."""
    kind = dict(PropertyType.choices).get(property_type, property_type)
    base = title or f"{kind} {city}"
    return slugify(base)[:80].strip("-") or "annonce"


@dataclass(frozen=True)
class PlaceExtent:
    """Where a place's listings lie, in degrees: their mean position (`latitude`,
    `longitude`), the box around every located one (`south`, `north`, `west`, `east`)
    and whether some of them have no position (`unlocated`)."""

    latitude: float
    longitude: float
    south: float
    north: float
    west: float
    east: float
    unlocated: bool

    @property
    def centre(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)

    def around_q(self, place_q: Q, metres: float) -> Q:
        """Live listings at the place or at most `metres` from its centre (`within_q`).
        Every one of them lies in the box around the place and the circle, which comes
        first: each place is then a range of the latitude-first index, where an OR of
        the place's lists and a distance made the database read every live row. Live
        is repeated here because SQLite uses a partial index under an OR only when the
        branch itself names the index's condition."""
        circle = box_around(self.latitude, self.longitude, metres)
        south, north = min(self.south, circle[0]), max(self.north, circle[1])
        west, east = min(self.west, circle[2]), max(self.east, circle[3])
        # Holds the circle: `within_q` needs no box of its own.
        near = LIVE & box_q(south, north, west, east)
        condition = near & (place_q | within_q(self.latitude, self.longitude, metres))
        if self.unlocated:
            condition |= LIVE & place_q & (Q(latitude__isnull=True) | Q(longitude__isnull=True))
        return condition


class ListingQuerySet(SiteScopedQuerySet["Listing"]):
    # The site `for_site()` scoped these rows to: the one whose agent flags (ListingFlags)
    # `published()`, `shown()` and `featured()` read. Rows never scoped read the platform's.
    _site: Site | None = None

    def _clone(self) -> Self:
        # Django's private copy step behind every chained call (the stubs omit it).
        clone = super()._clone()  # type: ignore[misc]
        clone._site = self._site
        return clone

    def site_condition(self, site: Site) -> Q:
        """The listings of the site's feeds, narrowed to its agencies and transactions
        if it chose some; the whole catalogue on the platform."""
        if site.is_platform:
            return Q()
        condition = Q(feed_id__in=site.feed_ids)
        if site.agency_ids:
            condition &= Q(agency__upstream_id__in=site.agency_ids)
        if site.transactions:
            condition &= Q(transaction__in=site.transactions)
        return condition

    def for_site(self, site: Site) -> Self:
        """The listings `site` shows, whose flags are then `site`'s own."""
        scoped = super().for_site(site)
        scoped._site = site
        return scoped

    @property
    def scoped_site(self) -> Site | None:
        """The site of `for_site()`, None for rows never scoped to one."""
        return self._site

    @property
    def flags_site(self) -> Site:
        """The site whose agent flags apply: the one of `for_site()`, else the platform."""
        return self._site if self._site is not None else Site.platform()

    def _flagged(self, **flags: Any) -> QuerySet[ListingFlags, Any]:
        # A subquery of ids, not a join: a site flags few listings, so the database reads
        # them once and the partial indexes still serve the listings' criteria and sort.
        return ListingFlags.objects.for_site(self.flags_site).filter(**flags).values("listing_id")

    def hidden_ids(self) -> QuerySet[ListingFlags, Any]:
        """Ids (`listing_id`, a subquery) of the listings the site's agents hid."""
        return self._flagged(hidden=True)

    def live(self) -> Self:
        """Not withdrawn upstream (sold listings stay live as references)."""
        return self.filter(LIVE)

    def shown(self) -> Self:
        """Not hidden by the site's agents (withdrawn ones included: their page says so)."""
        return self.exclude(pk__in=self.hidden_ids())

    def published(self) -> Self:
        """Shown to visitors: live and not hidden by the site's agents."""
        return self.live().shown()

    def featured_ids(self) -> QuerySet[ListingFlags, Any]:
        """Ids (`listing_id`, a subquery) of the site's agents' picks ("coup de cœur")."""
        return self._flagged(featured=True)

    def featured(self) -> Self:
        """The site's agents' picks ("coup de cœur")."""
        return self.filter(pk__in=self.featured_ids())

    def not_featured(self) -> Self:
        return self.exclude(pk__in=self.featured_ids())

    def picks_first(self, limit: int) -> list[int]:
        """Ids of up to `limit` of these listings: the site's featured ones in their display
        order (then newest first), then the newest others. Two small queries that each
        read an index in order, where sorting every match on a flag did not."""
        flags = ListingFlags.objects.for_site(self.flags_site).filter(featured=True)
        picks = list(
            self.filter(flags__in=flags)
            .order_by("flags__display_order", "-published_at", "-id")
            .values_list("pk", flat=True)[:limit]
        )
        if len(picks) < limit:
            others = self.exclude(pk__in=picks).newest_first().values_list("pk", flat=True)
            picks += list(others[: limit - len(picks)])
        return picks

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)

    def newest_first(self):
        """Newest first, undated ones last on every database (PostgreSQL's descending
        order puts NULLs first; migration 0011 indexes this order there)."""
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-id")

    def extent_of(self, place: Place, version: int = 0) -> PlaceExtent | None:
        """Where the live listings at `place` (a town, zip code or département, see
        `place.parse_place`) lie: their mean position, the centre of a distance search
        (`extends`), and the box around every located one. None when none is located.
        Read over every live listing whatever `self` was narrowed to, since the cache key
        knows only the place; a withdrawn one, which no visitor sees, never moves them.
        Cached for an hour, since a place does not move; this query was a fifth of a
        distance search's time. `version` (the listings' version, `ListingFilterSet`)
        keys the cache so that a sync that moves, adds or locates a listing of the place
        renews its extent at once, not an hour later."""
        digest = hashlib.sha1(place.cache_key.encode()).hexdigest()
        key = f"place-extent:v2:{version}:{digest}"
        extent = caches["lookups"].get(key)
        if extent is None:
            located = Q(latitude__isnull=False, longitude__isnull=False)
            # Aliases other than the column names: Django refuses an aggregate named
            # like a column that another aggregate reads.
            row = self.model.objects.filter(LIVE, place.q()).aggregate(
                mean_lat=models.Avg("latitude", filter=located),
                mean_lng=models.Avg("longitude", filter=located),
                min_lat=models.Min("latitude", filter=located),
                max_lat=models.Max("latitude", filter=located),
                min_lng=models.Min("longitude", filter=located),
                max_lng=models.Max("longitude", filter=located),
                unlocated=models.Count("pk", filter=~located),
            )
            extent = (
                PlaceExtent(
                    latitude=row["mean_lat"],
                    longitude=row["mean_lng"],
                    south=row["min_lat"],
                    north=row["max_lat"],
                    west=row["min_lng"],
                    east=row["max_lng"],
                    unlocated=bool(row["unlocated"]),
                )
                if row["mean_lat"] is not None
                else ()
            )
            caches["lookups"].set(key, extent, PLACE_CENTRE_SECONDS)
        return extent or None

    def in_order_of(self, ids: list[int]) -> list[Listing]:
        """The listings of `ids` in that order: a page chosen on a narrow index first, then
        only its rows read (sorting whole rows of every match was the search's cost)."""
        rows = {listing.pk: listing for listing in self.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows]

    def for_cards(self, language: str | None = None):
        """What a result card shows: the wide display-only columns stay in the database
        (reading and decoding them was most of a search page's SQL time). The other
        languages' texts are read only for a visitor who may need a translated title."""
        language = language or get_language() or "fr"
        deferred = CARD_DEFERRED + (("texts",) if language == "fr" else ())
        return self.defer(*deferred)

    def with_agency_card(self) -> Self:
        """With the agency's card (AGENCY_CARD_FIELDS) read in the same query; its other
        columns (legal texts, fee schedule, JSON blocks) stay in the database."""
        deferred = [
            f"agency__{field.name}"
            for field in Agency._meta.concrete_fields
            if field.name not in AGENCY_CARD_FIELDS
        ]
        return self.select_related("agency").defer(*deferred)

    def with_cover(self):
        """Cards: their columns (`for_cards`) and first photo, as `covers`; two queries
        whatever the page size."""
        return self.for_cards().prefetch_related(
            # No ordering: Photo's default one joins the listings to sort by their order.
            Prefetch(
                "photos", queryset=Photo.objects.filter(position=0).order_by(), to_attr="covers"
            )
        )


# The facts of a listing that are declared once, here, and read by the sync engine
# (showcase/feeds/sync.py) and the admin (showcase/listings/admin.py).
# Set by an agent in the admin for one site (ListingFlags, not Listing): a sync never
# writes them.
AGENT_FIELDS = ("hidden", "featured", "display_order", "internal_note")
# Upstream JSON blocks kept verbatim for the detail page (sanitized when shown); nothing
# searches or sorts on them. A mapping hands them over as they are, never flattened.
DISPLAY_ONLY_FIELDS = ("price_info", "extras", "rooms_details", "contact", "medias")


class Listing(models.Model):
    """One upstream ad. Identity is (feed, upstream_id).

    What agents decide about it (hidden, featured, display order, internal note) is not
    here but in `ListingFlags`, one row per site: a sync never writes it, and two sites
    sharing a feed decide each for themselves.
    """

    feed = models.ForeignKey("feeds.Feed", on_delete=models.CASCADE, related_name="listings")
    upstream_id = models.CharField(_("upstream id"), max_length=64)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="listings"
    )
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    mandate = models.CharField(_("mandate number"), max_length=64, blank=True)
    mandate_type = models.CharField(_("mandate type"), max_length=40, blank=True)

    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Other languages: {"en": {"title": ..., "description": ...}, ...}
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)

    transaction = models.CharField(_("transaction"), max_length=12, choices=Transaction.choices)
    transaction_label = models.CharField(_("upstream transaction"), max_length=60, blank=True)
    property_type = models.CharField(
        _("property type"), max_length=12, choices=PropertyType.choices, default=PropertyType.OTHER
    )
    property_subtype = models.CharField(_("property subtype"), max_length=80, blank=True)
    is_new = models.BooleanField(_("new build"), default=False)

    price = models.PositiveBigIntegerField(_("price (€)"), null=True, blank=True)
    price_hidden = models.BooleanField(_("price on request"), default=False)
    rent_period = models.CharField(_("rent period"), max_length=40, blank=True)
    price_excluding_fees = models.PositiveBigIntegerField(
        _("price excluding fees (€)"), null=True, blank=True
    )
    fees_percent = models.DecimalField(
        _("fees (percentage incl. VAT)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    fees_paid_by = models.CharField(_("fees paid by"), max_length=40, blank=True)
    charges = models.PositiveIntegerField(_("charges (€)"), null=True, blank=True)
    deposit = models.PositiveIntegerField(_("deposit (€)"), null=True, blank=True)
    tenant_fees = models.PositiveIntegerField(_("tenant fees (€)"), null=True, blank=True)
    inventory_fees = models.PositiveIntegerField(_("inventory fees (€)"), null=True, blank=True)

    surface = models.FloatField(_("living area (m²)"), null=True, blank=True)
    # Upstream's Loi Carrez surface (a copropriété lot's private area), shown beside it.
    surface_carrez = models.FloatField(_("Loi Carrez area (m²)"), null=True, blank=True)
    land_surface = models.FloatField(_("land area (m²)"), null=True, blank=True)
    rooms = models.PositiveSmallIntegerField(_("rooms"), null=True, blank=True)
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), null=True, blank=True)
    bathrooms = models.PositiveSmallIntegerField(_("bathrooms"), null=True, blank=True)
    sleeps = models.PositiveSmallIntegerField(_("sleeps"), null=True, blank=True)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    floors = models.SmallIntegerField(_("number of floors"), null=True, blank=True)
    construction_year = models.PositiveSmallIntegerField(
        _("construction year"), null=True, blank=True
    )
    copropriete = models.BooleanField(_("in a copropriété"), null=True, blank=True)
    copropriete_lots = models.PositiveIntegerField(_("copropriété lots"), null=True, blank=True)
    copropriete_charges = models.PositiveIntegerField(
        _("annual copropriété charges (€)"), null=True, blank=True
    )
    copropriete_procedure = models.TextField(_("procedure against the syndicate"), blank=True)

    address = models.CharField(_("address"), max_length=300, blank=True)
    address_public = models.BooleanField(_("address is public"), default=True)
    # ISO 3166-1 alpha-2; a département only for French places.
    country = models.CharField(_("country"), max_length=2, default="FR")
    city = models.CharField(_("city"), max_length=120, blank=True)
    # Lower-case, accent- and hyphen-free city name, for `localization`.
    city_key = models.CharField(max_length=120, blank=True, db_index=True)
    zip_code = models.CharField(_("zip code"), max_length=10, blank=True, db_index=True)
    # 2A/2B for Corsica, three digits overseas.
    department = models.CharField(_("department"), max_length=3, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Upstream `acc`: precision of the coordinates (metres).
    accuracy = models.FloatField(_("location accuracy (m)"), null=True, blank=True)

    photo_count = models.PositiveSmallIntegerField(_("photos"), default=0)
    virtual_visit = models.URLField(_("virtual visit"), max_length=500, blank=True)

    dpe_value = models.FloatField(_("energy use (kWh/m²/year)"), null=True, blank=True)
    dpe_letter = models.CharField(_("energy class"), max_length=1, blank=True)
    ges_value = models.FloatField(_("emissions (kg CO₂/m²/year)"), null=True, blank=True)
    ges_letter = models.CharField(_("climate class"), max_length=1, blank=True)
    dpe_date = models.DateField(_("DPE date"), null=True, blank=True)
    dpe_version = models.CharField(_("DPE version"), max_length=20, blank=True)
    energy_cost_min = models.PositiveIntegerField(
        _("energy cost low (€/year)"), null=True, blank=True
    )
    energy_cost_max = models.PositiveIntegerField(
        _("energy cost high (€/year)"), null=True, blank=True
    )
    energy_cost_reference = models.CharField(
        _("energy prices reference"), max_length=200, blank=True
    )

    upstream_favorite = models.BooleanField(_("agency's favourite (upstream)"), default=False)

    # Viager criteria.
    monthly_annuity = models.PositiveIntegerField(_("monthly annuity (€)"), null=True, blank=True)
    occupied = models.BooleanField(_("occupied"), null=True, blank=True)
    nb_persons = models.PositiveSmallIntegerField(_("annuitants"), null=True, blank=True)
    forward_sale = models.BooleanField(_("forward sale"), null=True, blank=True)
    forward_duration = models.PositiveSmallIntegerField(
        _("forward sale term (years)"), null=True, blank=True
    )

    # Display-only blocks kept verbatim (sanitized when shown).
    price_info = models.JSONField(_("price information"), default=dict, blank=True)
    extras = models.JSONField(_("extras"), default=dict, blank=True)
    rooms_details = models.JSONField(_("rooms details"), default=dict, blank=True)
    contact = models.JSONField(_("contact"), default=dict, blank=True)
    medias = models.JSONField(_("medias"), default=list, blank=True)

    published_at = models.DateTimeField(_("published upstream"), null=True, blank=True)
    upstream_updated_at = models.DateTimeField(_("updated upstream"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    # docs/legal.md §6 rules this listing breaks (codes), computed when it is synced.
    compliance_issues = models.JSONField(_("compliance issues"), default=list, blank=True)
    is_compliant = models.BooleanField(_("compliant"), default=True, db_index=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(fields=["feed", "upstream_id"], name="listing_identity")
        ]
        indexes = [
            models.Index(fields=["city_key", "transaction"]),
            models.Index(fields=["-published_at", "-id"]),
            # Partial indexes over live listings (a site's few hidden ones are left out by
            # id, see ListingQuerySet.shown), one per sort order: the page of
            # results is read in index order and stops after `limit` rows instead of
            # sorting every match. Sorts are (column, id) in one direction so each index
            # serves both directions.
            models.Index(
                fields=["-published_at", "-id", "transaction"],
                condition=LIVE,
                name="listing_pub_newest",
            ),
            models.Index(
                fields=["transaction", "-published_at", "-id"],
                condition=LIVE,
                name="listing_pub_tx_newest",
            ),
            models.Index(fields=["price", "id"], condition=LIVE, name="listing_pub_price"),
            models.Index(fields=["surface", "id"], condition=LIVE, name="listing_pub_surface"),
            # Every searchable column in one narrow index: counting the matches of any
            # combination of criteria reads this instead of the wide rows (descriptions,
            # JSON blocks), several times faster.
            models.Index(fields=SEARCH_COLUMNS, condition=LIVE, name="listing_pub_search"),
            # The same, transaction and type first: the most common search (sale or rent,
            # a type, a price range) is a range of it.
            models.Index(
                fields=["transaction", "property_type", "price"]
                + [c for c in SEARCH_COLUMNS if c not in ("transaction", "property_type", "price")],
                condition=LIVE,
                name="listing_pub_type",
            ),
            # `listing_pub_type` over the agency's favourites only (`favorite=1`, about a
            # tenth of the listings): with the same leading columns, the database prefers
            # it wherever it would read listing_pub_type.
            models.Index(
                fields=["transaction", "property_type", "price"]
                + [c for c in SEARCH_COLUMNS if c not in ("transaction", "property_type", "price")],
                condition=LIVE & Q(upstream_favorite=True),
                name="listing_pub_favorite",
            ),
            # The same, latitude first: map areas (bbox) and distances (extends) are ranges.
            models.Index(
                fields=["latitude", "longitude"]
                + [c for c in SEARCH_COLUMNS if c not in ("latitude", "longitude")],
                condition=LIVE,
                name="listing_pub_geo",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_property_type_display()} {self.city}"

    def get_absolute_url(self) -> str:
        return reverse("listing-detail", kwargs={"pk": self.pk, "slug": self.slug})

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Self:
        # Cards defer the wide columns; Django then looks each of ~80 columns up in the
        # list of loaded names, per row: 2.5 ms of a 24-card search page. A set is O(1).
        return super().from_db(db, frozenset(field_names), values)

    @cached_property
    def slug(self) -> str:
        return listing_slug(self.title, self.property_type, self.city)

    def _texts_in(self, language: str) -> dict[str, Any]:
        if language == "fr":  # French pages never read `texts` (cards defer it)
            return {}
        other = self.texts.get(language) if isinstance(self.texts, dict) else None
        return other if isinstance(other, dict) else {}

    def title_in(self, language: str) -> tuple[str, str]:
        """(title, language it is written in): the visitor's language when the feed has
        it, French otherwise."""
        title = str(self._texts_in(language).get("title") or "")
        return (title, language) if title else (str(self), "fr")

    def description_in(self, language: str) -> tuple[str, str]:
        """(description, language it is written in), like `title_in`."""
        description = str(self._texts_in(language).get("description") or "")
        return (description, language) if description else (self.description, "fr")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_sold(self) -> bool:
        return self.transaction == Transaction.SOLD


class Photo(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(_("position"))
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=300, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    upstream_id = models.CharField(_("upstream id"), max_length=64, blank=True)

    class Meta:
        ordering = ["listing", "position"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.UniqueConstraint(fields=["listing", "position"], name="photo_position")
        ]

    def __str__(self) -> str:
        return self.url


class ListingFlagsQuerySet(SiteOwnedQuerySet["ListingFlags"]):
    """A site's flags: a tenant's own rows; on the platform (single-site mode, or the
    operator's catalogue of every site), the rows with no tenant."""


class ListingFlags(models.Model):
    """What one site's agents decided about one listing (AGENT_FIELDS): hidden from the
    site's visitors, featured ("coup de cœur") first on its home page in `display_order`
    (ascending), and a note for the agents only. One row per (site, listing), made when
    an agent first sets something; no row means "shown, not featured". `tenant` is None
    for the platform. A sync never writes these rows.
    """

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="listing_flags",
        verbose_name=_("agency website"),
        help_text=_("Empty: the platform (single-site mode, or every site's catalogue)."),
    )
    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="flags", verbose_name=_("listing")
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    featured = models.BooleanField(_("featured (coup de cœur)"), default=False)
    display_order = models.IntegerField(
        _("display order"),
        default=0,
        help_text=_("Among the site's featured listings on its home page, lowest first."),
    )
    internal_note = models.TextField(_("internal note"), blank=True)

    objects = ListingFlagsQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent flags of a listing")
        verbose_name_plural = _("agent flags of listings")
        constraints = [
            # Two partial constraints: a unique (tenant, listing) would let the platform
            # (tenant NULL) have several rows, NULLs being distinct in SQL.
            models.UniqueConstraint(
                fields=["tenant", "listing"],
                condition=Q(tenant__isnull=False),
                name="listing_flags_per_tenant",
            ),
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(tenant__isnull=True),
                name="listing_flags_platform",
            ),
        ]
        indexes = [
            # What every public page asks of a site: its hidden ids, its featured ones.
            models.Index(
                fields=["tenant", "listing"], condition=Q(hidden=True), name="listing_flags_hidden"
            ),
            models.Index(
                fields=["tenant", "display_order", "listing"],
                condition=Q(featured=True),
                name="listing_flags_featured",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} — {self.tenant or _('platform')}"
