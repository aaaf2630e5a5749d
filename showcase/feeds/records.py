"""What a provider hands to the sync engine: typed records, never raw JSON.

Each provider is a client module (HTTP only) plus a mapping module (upstream
record -> these records). The sync engine only knows these types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, Protocol

from showcase.core.http import UpstreamBadResponse
from showcase.feeds.models import Feed


class RecordRejected(ValueError):
    """An upstream record that cannot be imported; the sync counts it and goes on."""

    def __init__(self, upstream_id: str, reason: str) -> None:
        super().__init__(f"{upstream_id}: {reason}")
        self.upstream_id = upstream_id
        self.reason = reason


@dataclass(frozen=True)
class PhotoRecord:
    url: str
    description: str = ""
    width: int | None = None
    height: int | None = None
    upstream_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AgencyRecord:
    """One upstream agency, normalized: one field per Agency column the sync writes.

    Defaults are the model's: a provider leaves out what it never has. An empty `slug`
    is made from the name by the sync.
    """

    upstream_id: str
    name: str
    slug: str = ""
    homepage: str = ""
    logo_url: str = ""
    photo_url: str = ""
    address: str = ""
    city: str = ""
    zip_code: str = ""
    latitude: float | None = None  # degrees
    longitude: float | None = None
    emails: list[str] = field(default_factory=list)
    phone: str = ""
    description: str = ""
    opening_hours: str = ""
    # Gedeon `legal` block / Apimo company data: {"raison_sociale", "rcs", ...}.
    legal: dict[str, Any] = field(default_factory=dict)
    # Apimo `rates[]`: the fee schedule rows.
    rates: list[dict[str, Any]] = field(default_factory=list)

    def columns(self) -> dict[str, Any]:
        """The Agency model's keyword arguments (not `upstream_id`)."""
        return dict(zip(AGENCY_COLUMNS, _agency_values(self), strict=True))


# Slots, not frozen: a frozen init sets each of its ~70 fields through
# object.__setattr__ (about 11 µs a record instead of 4), for every changed ad of a sync.
@dataclass(slots=True, kw_only=True)
class ListingRecord:
    """One upstream ad, normalized: one field per Listing column the sync writes, plus
    what the sync needs around them (identity, agency, photos, public or not).

    Never the agent-owned columns (AGENT_FIELDS), nor the sync's own (first/last seen,
    withdrawn, content hash, compliance). Defaults are the model's: a provider leaves
    out what it never has. Amounts are whole euros, surfaces m², coordinates degrees.
    """

    upstream_id: str

    reference: str = ""
    mandate: str = ""
    mandate_type: str = ""
    title: str = ""
    description: str = ""
    # Other languages: {"en": {"title": ..., "description": ...}, ...}
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    transaction: str  # a Transaction value
    transaction_label: str = ""
    property_type: str = "other"  # a PropertyType value
    property_subtype: str = ""
    is_new: bool = False

    price: int | None = None
    price_hidden: bool = False
    rent_period: str = ""
    price_excluding_fees: int | None = None
    fees_percent: Decimal | None = None  # % incl. VAT
    fees_paid_by: str = ""
    charges: int | None = None
    deposit: int | None = None
    tenant_fees: int | None = None
    inventory_fees: int | None = None

    surface: float | None = None
    surface_carrez: float | None = None  # m² under the Loi Carrez (copropriété lots)
    land_surface: float | None = None
    rooms: int | None = None
    bedrooms: int | None = None
    bathrooms: int | None = None
    sleeps: int | None = None
    floor: int | None = None
    floors: int | None = None
    construction_year: int | None = None
    copropriete: bool | None = None
    copropriete_lots: int | None = None
    copropriete_charges: int | None = None  # € a year
    copropriete_procedure: str = ""

    address: str = ""
    address_public: bool = True
    country: str = "FR"  # ISO 3166-1 alpha-2
    city: str = ""
    city_key: str = ""
    zip_code: str = ""
    department: str = ""
    latitude: float | None = None
    longitude: float | None = None
    accuracy: float | None = None  # metres

    photo_count: int = 0
    virtual_visit: str = ""

    dpe_value: float | None = None  # kWh/m²/year
    dpe_letter: str = ""
    ges_value: float | None = None  # kg CO₂/m²/year
    ges_letter: str = ""
    dpe_date: date | None = None
    dpe_version: str = ""
    energy_cost_min: int | None = None  # € a year
    energy_cost_max: int | None = None
    energy_cost_reference: str = ""

    upstream_favorite: bool = False

    monthly_annuity: int | None = None
    occupied: bool | None = None
    nb_persons: int | None = None
    forward_sale: bool | None = None
    forward_duration: int | None = None  # years

    # The display-only blocks (DISPLAY_ONLY_FIELDS), verbatim.
    price_info: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    rooms_details: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, Any] = field(default_factory=dict)
    medias: list[dict[str, Any]] = field(default_factory=list)

    published_at: datetime | None = None
    upstream_updated_at: datetime | None = None

    # Not columns: what the sync needs around them.
    agency_upstream_id: str | None = None
    # The agency as the listing itself describes it, used when /agencies lacks it.
    agency: AgencyRecord | None = None
    photos: tuple[PhotoRecord, ...] = ()
    # Provider-specific data kept out of public pages (e.g. Apimo private mode).
    private: dict[str, Any] = field(default_factory=dict)
    # Codes the mapping did not recognise: [{"catalog": ..., "code": ...}].
    warnings: tuple[dict[str, Any], ...] = ()
    # False when upstream says the listing is no longer public: withdraw it now.
    public: bool = True

    def columns(self) -> dict[str, Any]:
        """The Listing model's keyword arguments for these columns (LISTING_COLUMNS).

        Built directly: `dataclasses.asdict` would deep-copy every JSON block, and the
        sync calls this once per changed ad.
        """
        return dict(zip(LISTING_COLUMNS, _listing_values(self), strict=True))


# What records carry besides the model's columns.
_AROUND = {
    "upstream_id",
    "agency_upstream_id",
    "agency",
    "photos",
    "private",
    "warnings",
    "public",
}
LISTING_COLUMNS = tuple(f.name for f in fields(ListingRecord) if f.name not in _AROUND)
AGENCY_COLUMNS = tuple(f.name for f in fields(AgencyRecord) if f.name not in _AROUND)
_listing_values = attrgetter(*LISTING_COLUMNS)
_agency_values = attrgetter(*AGENCY_COLUMNS)


# The most items an upstream may announce (a run's `announced` is a 32-bit column): more is
# a hostile or broken answer, never a count to compare ids with.
MAX_ANNOUNCED = 10**9


@dataclass(frozen=True)
class RawPage:
    """One page of upstream items as read, with the total the upstream announced."""

    items: list[dict[str, Any]]
    total: int

    @classmethod
    def from_envelope(cls, body: Any, *, items: str, total: str, where: str) -> RawPage:
        """Read a list envelope `{items: [...], total: N}`; UpstreamBadResponse otherwise.

        Items that are not objects are passed on so the mapping rejects them visibly.
        """
        if not isinstance(body, dict) or not isinstance(body.get(items), list):
            raise UpstreamBadResponse(f"{where}: the answer has no `{items}` list.")
        try:
            count = int(body.get(total, len(body[items])))
        except (TypeError, ValueError, OverflowError) as exc:  # "x", or 1e400 read as inf
            raise UpstreamBadResponse(f"{where}: `{total}` is not a number.") from exc
        if not 0 <= count <= MAX_ANNOUNCED:
            raise UpstreamBadResponse(f"{where}: `{total}` is not a count of items ({count}).")
        return cls(items=list(body[items]), total=count)


@dataclass
class AgencyPass:
    """The agencies one read of the upstream's list gave.

    `complete` is True only when every page was read and every announced agency has an
    id in `seen`; only a complete pass lets the sync withdraw the agencies it lacks.
    """

    records: list[AgencyRecord]
    seen: set[str]
    complete: bool


@dataclass
class Confirmation:
    """What the upstream said, asked again, about ids a complete pass did not see.

    `gone`: ids confirmed absent (withdraw them); `present`: what is still listed, raw
    listing items (the sync upserts them: kept when public, withdrawn when not) or
    AgencyRecords. Ids in neither (e.g. a confirming pass that was itself incomplete)
    are kept until a later pass.
    """

    gone: set[str] = field(default_factory=set)
    present: list[Any] = field(default_factory=list)
    requests: int = 0  # upstream calls it took
    note: str = ""


class ConfirmationUnavailable(Exception):
    """Confirming would cost more upstream requests than allowed: the sync holds instead."""


class Provider(Protocol):
    """The pair (client, mapping) of one upstream, as the sync engine uses it."""

    # True when the listing pages come in increasing id order (Gedeon's `sort=ad_id asc`):
    # an id going backwards or repeating then proves the list shifted during the pass.
    ordered_ids: bool

    def listing_pages(self, feed: Feed, *, since: str | None) -> Iterator[RawPage]: ...

    def item_id(self, item: Any) -> str | None:
        """The upstream id of a raw item, or None when it has none (mapping rejects it)."""
        ...

    def map_listing(self, item: dict[str, Any]) -> ListingRecord: ...

    def agencies(self, feed: Feed) -> AgencyPass: ...

    def confirm_listings(self, feed: Feed, ids: list[str], *, budget: int) -> Confirmation:
        """Ask the upstream again about listing ids a complete pass did not see, in at most
        `budget` requests; raises ConfirmationUnavailable past it, UpstreamError on failure."""
        ...

    def confirm_agencies(self, feed: Feed, ids: list[str], *, budget: int) -> Confirmation:
        """The same for agencies; `present` then holds AgencyRecords."""
        ...

    def next_cursor(self) -> str | None: ...
