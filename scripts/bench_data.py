"""Load N generated listings (demo generator + the real mapping) quickly, for benchmarks.

Two paths, one distribution:

- SQLite (and any other database): every ad of `generate_ads` is mapped and stored by the
  sync's own page upsert, 500 at a time (about 1,000 ads/s).
- PostgreSQL: the same ads, mapped and checked the same way (`map_ad`, the sync's
  compliance verdict), are written with COPY (psycopg's `cursor.copy`). Mapping costs
  about 0.4 ms an ad, so a million would take seven minutes of Python alone: the first
  `PROTOTYPES` ads (50,000) are mapped for real, and row n is a copy of ad n mod 50,000
  with its own identity (upstream id, reference, mandate, photo URLs, content hash) and
  its own publication time (the prototype's, moved by up to 12 hours). Up to 50,000
  listings the rows are exactly what a sync stores. The secondary indexes and the unique
  and foreign-key constraints are dropped while the table is filled from empty and made
  again afterwards from their own definitions (PostgreSQL builds an index by sorting once,
  and checks every constraint as it adds it back), then VACUUM ANALYZE.

A database that already holds exactly `count` listings of the feed is reused as it is.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from showcase.demo.gedeon_data import generate_ads
from showcase.feeds.gedeon.mapping import map_ad
from showcase.feeds.models import Feed
from showcase.feeds.sync import agencies_upsert, listings_analyze, listings_upsert_page, raw_hash
from showcase.listings import compliance
from showcase.listings.models import Listing, ListingFlags, Photo

# Ads mapped for real on the COPY path; the rest of the rows are their copies.
PROTOTYPES = 50_000
# Columns of a prototype that carry its upstream id, rewritten for each copy.
_IDENTITY_COLUMNS = ("upstream_id", "reference", "mandate", "virtual_visit")
_PHOTO_COLUMNS = ("listing", "position", "url", "description", "width", "height", "upstream_id")
# Bytes handed to COPY at a time.
_CHUNK = 4 << 20


def load_listings(count: int, *, feed_name: str = "bench", echo: bool = False) -> Feed:
    """Fill the cache with `count` listings of the feed `feed_name`; reuses them when the
    database already holds exactly that many (a re-run starts at once)."""
    feed, _ = Feed.objects.get_or_create(
        name=feed_name,
        defaults={"kind": "gedeon", "base_url": "http://127.0.0.1:9", "api_key": "bench"},
    )
    have = Listing.objects.filter(feed=feed).count()
    if have == count:
        return feed
    if connection.vendor == "postgresql":
        _copy_load(feed, count, echo=echo)
        return feed
    Listing.objects.filter(feed=feed).delete()
    now = timezone.now()
    agencies: dict[str, int] = {}
    batch = []
    for ad in generate_ads(count, base_url="http://127.0.0.1:8765"):
        batch.append(ad)
        if len(batch) == 500:
            _load(feed, batch, now, agencies)
            batch = []
    if batch:
        _load(feed, batch, now, agencies)
    listings_analyze()
    return feed


def _mapped(feed: Feed, ads: list[dict], now, agencies: dict[str, int]) -> list:
    """The ads mapped as a sync maps them, their new agencies upserted into `agencies`."""
    records = [map_ad(ad) for ad in ads]
    missing = {
        r.agency_upstream_id: r.agency
        for r in records
        if r.agency and r.agency_upstream_id not in agencies
    }
    if missing:
        agencies_upsert(feed=feed, records=list(missing.values()), now=now, known=agencies)
    return records


def _load(feed: Feed, ads: list[dict], now, agencies: dict[str, int]) -> None:
    records = _mapped(feed, ads, now, agencies)
    listings_upsert_page(
        feed=feed,
        records=records,
        now=now,
        agencies=agencies,
        digests={str(ad["id"]): raw_hash(ad) for ad in ads},
    )


# --- PostgreSQL: COPY ---------------------------------------------------------------


def copy_text(value: Any) -> str:
    """One value in COPY's text format (NULL is \\N; backslash, tab and line ends escaped)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (datetime, date)):
        value = value.isoformat()
    elif isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class _Prototype:
    """A mapped ad as COPY cells, with its identity cut out so copies can get their own."""

    __slots__ = ("cells", "identity", "published_at", "photos", "ad_id")

    def __init__(self, cells: list[str], ad_id: str, published_at: datetime | None) -> None:
        self.ad_id = ad_id
        self.cells = cells
        self.published_at = published_at
        self.identity: list[tuple[int, list[str]]] = []
        # (position, url cut at the upstream id, the cells after the url)
        self.photos: list[tuple[int, list[str], str]] = []


def _prototypes(
    feed: Feed, count: int, now: datetime, fields: list[Any]
) -> tuple[list[_Prototype], list[str]]:
    """Map the first min(count, PROTOTYPES) ads for real; the agencies are upserted by the
    sync's own function. Returns the prototypes and the Listing column names."""
    agencies: dict[str, int] = {}
    names = [f.attname for f in fields]
    index = {name: n for n, name in enumerate(names)}
    prototypes: list[_Prototype] = []
    ads = generate_ads(min(count, PROTOTYPES), base_url="http://127.0.0.1:8765")
    for page in _batched(ads, 1000):
        records = _mapped(feed, page, now, agencies)
        schedules = compliance.schedules_by_agency(set(agencies.values()))
        for ad, record in zip(page, records, strict=True):
            agency_id = agencies.get(record.agency_upstream_id or "")
            listing = Listing(
                feed=feed,
                upstream_id=record.upstream_id,
                agency_id=agency_id,
                content_hash=raw_hash(ad),
                first_seen_at=now,
                last_seen_at=now,
                withdrawn_at=None if record.public else now,
                **record.columns(),
            )
            listing.compliance_issues = compliance.check(
                listing, schedule=schedules.get(agency_id, compliance.NO_SCHEDULE)
            )
            listing.is_compliant = not listing.compliance_issues
            values = listing.__dict__
            cells = [copy_text(values[name]) for name in names]
            proto = _Prototype(cells, record.upstream_id, listing.published_at)
            for name in _IDENTITY_COLUMNS:
                proto.identity.append((index[name], cells[index[name]].split(record.upstream_id)))
            for position, photo in enumerate(record.photos):
                rest = "\t".join(
                    copy_text(value)
                    for value in (photo.description, photo.width, photo.height, photo.upstream_id)
                )
                proto.photos.append(
                    (position, copy_text(photo.url).split(record.upstream_id), rest)
                )
            prototypes.append(proto)
    return prototypes, names


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _copy_load(feed: Feed, count: int, *, echo: bool) -> None:
    started = time.perf_counter()

    def say(message: str) -> None:
        if echo:
            print(f"  [{time.perf_counter() - started:6.1f} s] {message}", flush=True)

    listing_table = Listing._meta.db_table
    photo_table = Photo._meta.db_table
    alone = not Listing.objects.exclude(feed=feed).exists()
    with connection.cursor() as cursor:
        if alone:
            # The bench database holds only this feed: empty the listings (and whatever
            # refers to them: photos, flags, alerts' sent items) at once.
            cursor.execute(f'TRUNCATE "{listing_table}" CASCADE')
        else:
            ListingFlags.objects.filter(listing__feed=feed).delete()
            cursor.execute(
                f'DELETE FROM "{photo_table}" WHERE listing_id IN '
                f'(SELECT id FROM "{listing_table}" WHERE feed_id = %s)',
                [feed.pk],
            )
            Listing.objects.filter(feed=feed).delete()
    say("emptied")
    now = timezone.now()
    fields = [f for f in Listing._meta.concrete_fields if not f.primary_key]
    prototypes, names = _prototypes(feed, count, now, fields)
    say(f"{len(prototypes):,} ads generated and mapped")
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{listing_table}"')
        first_id = cursor.fetchone()[0] + 1
    published_index = names.index("published_at")
    hash_index = names.index("content_hash")
    rng = random.Random(20_260_101)
    first_ad = int(prototypes[0].ad_id)

    def listing_rows() -> Iterator[str]:
        for n in range(count):
            proto = prototypes[n % len(prototypes)]
            if n < len(prototypes):
                yield f"{first_id + n}\t" + "\t".join(proto.cells) + "\n"
                continue
            ad_id = str(first_ad + n)
            cells = proto.cells.copy()
            for column, parts in proto.identity:
                cells[column] = ad_id.join(parts)
            if proto.published_at is not None:
                moved = proto.published_at - timedelta(seconds=rng.randrange(43_200))
                cells[published_index] = moved.isoformat()
            cells[hash_index] = f"{proto.cells[hash_index][:48]}{n:016x}"
            yield f"{first_id + n}\t" + "\t".join(cells) + "\n"

    def photo_rows() -> Iterator[str]:
        for n in range(count):
            proto = prototypes[n % len(prototypes)]
            ad_id = proto.ad_id if n < len(prototypes) else str(first_ad + n)
            listing_id = str(first_id + n)
            for position, url_parts, rest in proto.photos:
                yield f"{listing_id}\t{position}\t{ad_id.join(url_parts)}\t{rest}\n"

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            # The agencies just made are checked now: a table with pending foreign-key
            # checks cannot lose its constraints.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            kept = _drop_indexes(cursor, [listing_table, photo_table]) if alone else []
            say(f"dropped {len(kept)} indexes and constraints for the load")
            columns = ", ".join(['"id"'] + [f'"{f.column}"' for f in fields])
            _copy(cursor, f'COPY "{listing_table}" ({columns}) FROM STDIN', listing_rows())
            say(f"{count:,} listings copied")
            photo_fields = {f.name: f.column for f in Photo._meta.concrete_fields}
            photo_columns = ", ".join(f'"{photo_fields[name]}"' for name in _PHOTO_COLUMNS)
            _copy(cursor, f'COPY "{photo_table}" ({photo_columns}) FROM STDIN', photo_rows())
            say("photos copied")
            for statement in kept:
                cursor.execute(statement)
            say(f"{len(kept)} indexes and constraints made again")
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{listing_table}\"', 'id'), "
                f'(SELECT max(id) FROM "{listing_table}"))'
            )
    with connection.cursor() as cursor:
        # Inside a transaction (a test) VACUUM cannot run: ANALYZE alone.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f'{vacuum} "{photo_table}"')
    listings_analyze()
    say("VACUUM ANALYZE done")


def _copy(cursor: Any, statement: str, lines: Iterable[str]) -> None:
    buffer = io.StringIO()
    size = 0
    with cursor.copy(statement) as copy:
        for line in lines:
            buffer.write(line)
            size += len(line)
            if size >= _CHUNK:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
                size = 0
        if size:
            copy.write(buffer.getvalue())


def _drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the secondary indexes, unique and foreign-key constraints of `tables`; returns
    the statements that make them again, constraints after the indexes (primary keys and
    CHECK constraints stay: they cost little per row)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        "AND c.contype IN ('p', 'u', 'x'))",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    # Unique constraints first (their indexes), foreign keys last (checked in one pass).
    ordered = sorted(constraints, key=lambda row: row[3] == "f")
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition, _kind in ordered
    ]
