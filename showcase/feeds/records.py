"""What a provider hands to the sync engine: typed records, never raw JSON.

Each provider is a client module (HTTP only) plus a mapping module (upstream
record -> these records). The sync engine only knows these types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class AgencyRecord:
    upstream_id: str
    # Agency model fields (name, city, legal, ...), already normalized.
    fields: dict[str, Any]


@dataclass(frozen=True)
class ListingRecord:
    upstream_id: str
    # Listing model fields, already normalized; never the agent-owned ones.
    fields: dict[str, Any]
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
        except (TypeError, ValueError) as exc:
            raise UpstreamBadResponse(f"{where}: `{total}` is not a number.") from exc
        return cls(items=list(body[items]), total=count)


class Provider(Protocol):
    """The pair (client, mapping) of one upstream, as the sync engine uses it."""

    def listing_pages(self, feed: Feed, *, since: str | None) -> Iterator[RawPage]: ...

    def item_id(self, item: Any) -> str | None:
        """The upstream id of a raw item, or None when it has none (mapping rejects it)."""
        ...

    def map_listing(self, item: dict[str, Any]) -> ListingRecord: ...

    def agencies(self, feed: Feed) -> Iterator[AgencyRecord]: ...

    def next_cursor(self) -> str | None: ...
