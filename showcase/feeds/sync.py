"""The sync engine: upstream pages -> the cache, one transaction per page.

Rules (issue "Foundation"):
- unchanged records (same content hash) are not rewritten (their last_seen_at is
  refreshed at most every LAST_SEEN_RESOLUTION);
- a record that fails mapping is rejected (counted, logged on the run), never fatal;
- listings and agencies not seen are withdrawn (kept, never deleted) only after a
  complete and consistent pass (every page fetched, as many distinct ids as announced,
  ids in increasing order where the upstream sorts them), and only once the upstream,
  asked again, confirms each one gone (Gedeon: GET /ads/{id}; Apimo: a second pass);
- a pass that would withdraw too much (FEEDS_WITHDRAWAL_GUARD_SHARE of the live
  listings, or everything because the upstream listed nothing), or whose confirmations
  would take more than FEEDS_CONFIRMATION_LIMIT requests, withdraws nothing: the run
  is "held" until an operator confirms it (`withdrawal_confirm`). A hold is never
  released automatically: a later complete pass supersedes it (its own rules decide);
- two syncs of one feed never run at once; a lock not extended for
  FEEDS_LOCK_STALE_HEARTBEATS heartbeats is free, and the dead run it leaves "running"
  is marked failed by the next sync.
A sync never overwrites the agent-owned fields: hidden, featured, display_order,
internal_note.
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from showcase.core.http import UpstreamError, redact
from showcase.feeds.models import Feed, SyncRun, SyncStatus
from showcase.feeds.records import (
    AgencyPass,
    AgencyRecord,
    Confirmation,
    ConfirmationUnavailable,
    ListingRecord,
    Provider,
    RecordRejected,
)
from showcase.feeds.registry import provider_for
from showcase.feeds.signals import feed_synced
from showcase.listings import compliance, fees
from showcase.listings.models import AGENT_FIELDS, Agency, Listing, Photo

logger = logging.getLogger(__name__)

MAX_LOGGED_REJECTIONS = 500
MAX_LOGGED_WARNINGS = 500
# An unchanged listing's last_seen_at is refreshed at most this often. Rewriting every
# row on every pass cost more than the rest of a no-change re-sync (SQLite rewrites the
# whole ~4 KB row; PostgreSQL leaves a dead tuple per row); withdrawal uses the ids seen.
LAST_SEEN_RESOLUTION = timedelta(hours=6)
# SQLite page cache of the sync's connection, in KiB (negative = size, not pages).
SYNC_SQLITE_CACHE_KIB = -16384

Progress = Callable[[int, int], None]


def setting(name: str) -> Any:
    """A FEEDS_* setting of the engine (showcase/settings.py documents each)."""
    return getattr(settings, name)


def lock_stale_after() -> timedelta:
    """How long a lock lives without a heartbeat (heartbeat × stale heartbeats)."""
    seconds = setting("FEEDS_LOCK_HEARTBEAT_SECONDS") * setting("FEEDS_LOCK_STALE_HEARTBEATS")
    return timedelta(seconds=seconds)


class SyncAlreadyRunning(Exception):
    pass


class WithdrawalNotHeld(Exception):
    """An operator asked to confirm a withdrawal the feed does not hold (any more)."""


class SyncLockLost(Exception):
    """Another sync took this feed's lock over (ours had gone stale): stop writing."""


def prefetched(pages: Iterator[Any]) -> Iterator[Any]:
    """Read the next upstream page while the current one is written to the database.

    Only HTTP runs in the helper thread; an upstream error is raised where the page
    would have been consumed, so the run fails exactly as without prefetching.
    """
    slot: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for page in pages:
                while not stop.is_set():
                    try:
                        slot.put(("page", page), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            slot.put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            slot.put(("error", exc))

    worker = threading.Thread(target=produce, name="sync-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = slot.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        while not slot.empty():
            slot.get_nowait()
        worker.join(timeout=5)


def feed_lock(feed: Feed) -> datetime | None:
    """Take the feed's sync lock atomically; None when another sync holds it.

    One conditional UPDATE (free or stale lock -> ours) works the same on SQLite and
    PostgreSQL. The returned expiry is our token: only its holder extends or frees it,
    so a sync whose stale lock was taken over cannot free its successor's.
    """
    now = timezone.now()
    until = now + lock_stale_after()
    taken = Feed.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now), pk=feed.pk
    ).update(locked_until=until)
    return until if taken == 1 else None


def feed_lock_extend(feed: Feed, token: datetime) -> datetime | None:
    """Push our lock's expiry back (long syncs); None when the lock is no longer ours."""
    until = timezone.now() + lock_stale_after()
    kept = Feed.objects.filter(pk=feed.pk, locked_until=token).update(locked_until=until)
    return until if kept == 1 else None


def feed_unlock(feed: Feed, token: datetime | None = None) -> None:
    locked = Feed.objects.filter(pk=feed.pk)
    if token is not None:
        locked = locked.filter(locked_until=token)
    locked.update(locked_until=None)


@contextmanager
def lean_database() -> Iterator[None]:
    """Keep the sync's memory flat on SQLite, whatever the size of the feed.

    The settings give every connection a 256 MB memory map and a 64 MB page cache for
    searches; mapped pages count in this process's RSS and grow with the database file.
    A sync reads each page once, so it does without them and restores them after.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        # In-memory databases (tests) answer no row for mmap_size.
        cursor.execute("PRAGMA mmap_size")
        mmap_size = cursor.fetchone()
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()
        cursor.execute("PRAGMA mmap_size=0")
        cursor.execute(f"PRAGMA cache_size={SYNC_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if mmap_size:
                cursor.execute(f"PRAGMA mmap_size={int(mmap_size[0])}")
            if cache_size:
                cursor.execute(f"PRAGMA cache_size={int(cache_size[0])}")


# Bump when the mapping changes, so every listing is mapped again at the next sync.
MAPPING_VERSION = "4"  # 2: price 0, positions 0,0, rooms, surfaces, https photos;
# 3: NaN/infinite numbers, alpha-3 or named countries, Monaco 980xx, Apimo "HTTP://" photos,
# DPE dates written 10-05-2023, 10.05.2023 or 2023/05/10, postcodes sent as numbers;
# 4: rooms ranked in the agency's order (jsonb reorders keys); unreadable Gedeon prices kept


def raw_hash(item: Any, salt: str = "") -> str:
    """Digest of an upstream item as decoded (same JSON, same digest).

    `salt` is the provider's `mapping_fingerprint()` (what else the mapping read, e.g.
    Apimo's catalog labels): when it changes, every listing is mapped again.

    marshal (format 2: no back-references, so equal values give equal bytes) serialises
    decoded JSON twice as fast as json.dumps; json is the fallback for other types.
    """
    try:
        encoded = marshal.dumps(item, 2)
    except ValueError:
        encoded = json.dumps(item, ensure_ascii=False, default=str).encode()
    prefix = f"{MAPPING_VERSION}|{salt}" if salt else MAPPING_VERSION
    return hashlib.sha256(prefix.encode() + b"|" + encoded).hexdigest()


def agency_hash(record: AgencyRecord) -> str:
    encoded = json.dumps(record.columns(), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def sync_feed(feed: Feed, *, full: bool | None = None, progress: Progress | None = None) -> SyncRun:
    """Sync one feed and return its SyncRun; raises SyncAlreadyRunning if one is under way.

    `full=None` lets the feed decide: a full pass when it has no cursor or its last
    full pass is older than FEEDS_FULL_SYNC_INTERVAL; otherwise an incremental pass.
    The run's status is success, failed, or held (a withdrawal waiting for an operator).
    """
    token = feed_lock(feed)
    if token is None:
        raise SyncAlreadyRunning(f"A sync of feed '{feed.name}' is already running.")
    lock = _Lock(feed, token)
    try:
        syncruns_fail_abandoned(feed=feed)
        if full is None:
            full = needs_full_pass(feed)
        run = SyncRun.objects.create(feed=feed, full_pass=full, heartbeat_at=timezone.now())
        try:
            provider = provider_for(feed)
        except ValueError as exc:
            # e.g. an Apimo feed on a deployment without the Apimo provider.
            run.status = SyncStatus.FAILED
            run.error = f"{exc} Nothing was withdrawn."
            run.failure = exc
            run.finished_at = timezone.now()
            run.save()
            return run
        engine = _Engine(feed=feed, run=run, provider=provider, progress=progress, lock=lock)
        lock.run, lock.engine = run, engine
        with lean_database(), _heartbeat(lock):
            engine.execute(since=None if full else (feed.cursor or None))
        return run
    finally:
        lock.stop()
        if lock.token is not None:  # a lock taken over is the new holder's to free
            feed_unlock(feed, lock.token)


def syncruns_fail_abandoned(*, feed: Feed) -> int:
    """Mark failed the runs of `feed` left "running" by a process that died (kill -9, a
    web worker killed on time-out, a machine restart); returns how many.

    Called by the holder of the feed's lock: no other run of the feed can be alive.
    """
    abandoned = list(SyncRun.objects.filter(feed=feed, status=SyncStatus.RUNNING))
    now = timezone.now()
    for run in abandoned:
        beat = run.heartbeat_at or run.started_at
        run.status = SyncStatus.FAILED
        run.finished_at = now
        run.error = (
            "The sync process stopped before finishing (killed, or it crashed): "
            f"no heartbeat since {timezone.localtime(beat):%Y-%m-%d %H:%M:%S}, and its lock "
            "went stale. Nothing was withdrawn."
        )
        run.save(update_fields=["status", "finished_at", "error"])
        logger.warning("feed %s: run %s was abandoned by a dead process", feed.name, run.pk)
    return len(abandoned)


def needs_full_pass(feed: Feed) -> bool:
    if not feed.cursor or feed.last_full_sync_at is None:
        return True
    interval = timedelta(hours=getattr(settings, "FEEDS_FULL_SYNC_INTERVAL_HOURS", 24))
    return timezone.now() - feed.last_full_sync_at > interval


class _Lock:
    """Our hold on the feed's sync lock, extended at each heartbeat (by the engine between
    pages and by a helper thread while a page or a confirmation waits on the network).
    A heartbeat also records the run's progress for the admin."""

    def __init__(self, feed: Feed, token: datetime) -> None:
        self.feed = feed
        self.token: datetime | None = token
        self.beaten = time.monotonic()
        self.mutex = threading.Lock()
        self.stopped = threading.Event()
        self.lost = False
        self.run: SyncRun | None = None
        self.engine: _Engine | None = None

    @property
    def interval(self) -> float:
        return float(setting("FEEDS_LOCK_HEARTBEAT_SECONDS"))

    def beat(self, *, force: bool = False) -> None:
        """Extend the lock and record progress, if a heartbeat is due."""
        with self.mutex:
            if self.token is None or self.stopped.is_set():
                return
            if not force and time.monotonic() - self.beaten < self.interval:
                return
            self.token = feed_lock_extend(self.feed, self.token)
            self.beaten = time.monotonic()
            if self.token is None:
                self.lost = True
                return
            if self.run is not None and self.engine is not None:
                SyncRun.objects.filter(pk=self.run.pk).update(
                    seen=len(self.engine.seen_ids),
                    announced=self.engine.announced,
                    heartbeat_at=timezone.now(),
                )

    def keep(self) -> None:
        """Between pages: beat if due; stop the sync if another one took the lock over."""
        self.beat()
        if self.lost:
            raise SyncLockLost(
                f"The sync lock of feed '{self.feed.name}' was taken over by another sync."
            )

    def stop(self) -> None:
        with self.mutex:
            self.stopped.set()


@contextmanager
def _heartbeat(lock: _Lock) -> Iterator[None]:
    """Beat from a helper thread too, so that a sync waiting on the network keeps its
    lock; the thread's own database connection is closed when it ends."""

    def beating() -> None:
        try:
            while not lock.stopped.wait(max(lock.interval, 0.05)):
                try:
                    lock.beat()
                except Exception:  # noqa: BLE001 - a missed beat is retried at the next
                    logger.warning("feed %s: heartbeat failed", lock.feed.name, exc_info=True)
                if lock.lost:
                    return
        finally:
            connection.close()

    worker = threading.Thread(target=beating, name="sync-heartbeat", daemon=True)
    worker.start()
    try:
        yield
    finally:
        lock.stop()
        worker.join(timeout=30)


def _id_key(upstream_id: str) -> tuple[int, int, str]:
    """Sort key of an upstream id: numbers by value, before any other text."""
    return (0, int(upstream_id), "") if upstream_id.isdigit() else (1, 0, upstream_id)


def withdrawal_hold_reason(*, what: str, unseen: int, live: int, seen: int) -> str | None:
    """Why a complete pass must not withdraw `unseen` of `live` items, or None.

    Held: the upstream listed nothing while items are live (an empty answer), every live
    item is unseen (whatever the floor), or the unseen are more than
    FEEDS_WITHDRAWAL_GUARD_SHARE of the live ones and more than FEEDS_WITHDRAWAL_GUARD_FLOOR.
    """
    if unseen == 0:
        return None
    if seen == 0:
        return f"the upstream listed no {what} while {live} are live"
    if unseen >= live:
        # Every live one gone at once, whatever the floor (a small feed): more likely the
        # wrong account or an upstream fault than an agency selling all of it overnight.
        return f"none of the {live} live {what} was listed (the upstream listed {seen} others)"
    share = float(setting("FEEDS_WITHDRAWAL_GUARD_SHARE"))
    if unseen > setting("FEEDS_WITHDRAWAL_GUARD_FLOOR") and unseen > share * live:
        return (
            f"{unseen} of the {live} live {what} ({unseen / live:.0%}) were not listed, "
            f"more than the {share:.0%} a pass may withdraw"
        )
    return None


class _Engine:
    def __init__(
        self,
        *,
        feed: Feed,
        run: SyncRun,
        provider: Provider,
        progress: Progress | None,
        lock: _Lock | None = None,
    ) -> None:
        self.feed = feed
        self.run = run
        self.provider = provider
        self.progress = progress
        self.lock = lock
        self.now = run.started_at
        self.agency_ids: dict[str, int] = dict(
            Agency.objects.filter(feed=feed).values_list("upstream_id", "pk")
        )
        # Distinct upstream ids of this pass: a few MB at 100,000 ads.
        self.seen_ids: set[str] = set()
        self.anonymous = 0
        self.announced: int | None = None
        self.warning_kinds: dict[str, dict[str, Any]] = {}
        self.fingerprint: str | None = None  # see mapping_fingerprint()
        self.agencies_withdrawn = 0
        self.live_before = 0  # live listings and agencies when the pass began (execute)
        self.agencies_live_before = 0
        held = held_run(feed)
        self.held_since: datetime | None = held.started_at if held is not None else None

    def execute(self, *, since: str | None) -> None:
        run = self.run
        try:
            # The guard's share is of what was live before the pass: listings and agencies
            # it creates must not dilute a mass disappearance below the threshold.
            self.live_before = Listing.objects.filter(
                feed=self.feed, withdrawn_at__isnull=True
            ).count()
            self.agencies_live_before = Agency.objects.filter(
                feed=self.feed, withdrawn_at__isnull=True
            ).count()
            agencies = self.sync_agencies()
            consistent = True
            ordered = getattr(self.provider, "ordered_ids", False)
            last_key: tuple[int, int, str] | None = None
            for page in prefetched(self.provider.listing_pages(self.feed, since=since)):
                if self.announced is None:
                    self.announced = page.total
                elif page.total != self.announced:
                    consistent = False
                    self.warn(
                        {
                            "reason": "total changed during the pass "
                            f"({self.announced} -> {page.total})"
                        }
                    )
                if ordered:
                    # Read in increasing id order: an id that goes backwards or repeats
                    # means the list moved under our offsets (ads added or removed).
                    for item in page.items:
                        upstream_id = self.provider.item_id(item)
                        if upstream_id is None:
                            continue
                        key = _id_key(upstream_id)
                        if last_key is not None and key <= last_key and consistent:
                            consistent = False
                            self.warn(
                                {
                                    "reason": f"id {upstream_id} came out of order "
                                    "(went backwards or repeated): the list moved during "
                                    "the pass"
                                }
                            )
                        last_key = key if last_key is None else max(key, last_key)
                if self.lock is not None:
                    self.lock.keep()
                self.sync_page(page.items)
                if self.progress:
                    self.progress(len(self.seen_ids), page.total)
            announced = self.announced or 0
            run.announced = announced
            run.seen = len(self.seen_ids)
            # Items without an id were rejected but still fill a slot of the total:
            # one broken upstream record must not block every withdrawal for ever.
            accounted = len(self.seen_ids) + self.anonymous
            run.status = SyncStatus.SUCCESS
            if run.full_pass:
                if consistent and accounted == announced:
                    run.complete = True
                    self.settle_withdrawals(agencies)
                else:
                    run.complete = False
                    run.error = (
                        f"Inconsistent pass: {len(self.seen_ids)} distinct ids seen"
                        + (f" (+{self.anonymous} without id)" if self.anonymous else "")
                        + f", {announced} announced"
                        + ("" if consistent else ", the list changed while it was read")
                        + "; nothing was withdrawn."
                    )
            else:
                run.complete = True
        except (UpstreamError, SyncLockLost) as exc:
            run.status = SyncStatus.FAILED
            run.error = f"{exc} Nothing was withdrawn."
            run.failure = exc
            logger.warning("sync of feed %s failed: %s", self.feed.name, exc)
        except Exception as exc:  # noqa: BLE001 - any crash must end the run as failed
            run.status = SyncStatus.FAILED
            run.failure = exc
            # A repr may quote anything it was given, a credential too (escaped as repr does).
            secrets = [s for s in (self.feed.api_key, self.feed.token) if s]
            run.error = redact(
                f"Unexpected error: {exc!r}. Nothing was withdrawn.",
                [*secrets, *(repr(s)[1:-1] for s in secrets)],
            )
            logger.exception("sync of feed %s crashed", self.feed.name)
        run.seen = len(self.seen_ids)
        run.finished_at = timezone.now()
        run.heartbeat_at = run.finished_at
        run.save()
        if run.status == SyncStatus.SUCCESS and run.complete:
            cursor = self.provider.next_cursor()
            updates: dict[str, Any] = {}
            if cursor is not None:
                updates["cursor"] = cursor
            if run.full_pass:
                updates["last_full_sync_at"] = run.finished_at
            if updates:
                Feed.objects.filter(pk=self.feed.pk).update(**updates)
                for name, value in updates.items():
                    setattr(self.feed, name, value)
        if run.changed_anything or self.agencies_withdrawn:
            listings_analyze()
            feed_synced.send(sender=Feed, feed=self.feed, run=run)

    def settle_withdrawals(self, agencies: AgencyPass | None) -> None:
        """After a complete full pass: withdraw what the upstream confirms gone, or hold.

        Confirmation requests run outside any transaction (SQLite: no write lock held
        while waiting on the network).
        """
        run = self.run
        unseen = listings_unseen(feed=self.feed, seen=self.seen_ids)
        live = max(self.live_before, len(unseen))
        agencies_unseen: list[str] = []
        agencies_live = 0
        if agencies is not None and agencies.complete:
            live_agencies = list(
                Agency.objects.filter(feed=self.feed, withdrawn_at__isnull=True).values_list(
                    "upstream_id", flat=True
                )
            )
            agencies_live = self.agencies_live_before
            unlisted = set(live_agencies) - agencies.seen
            # An agency named by a live listing of this pass still trades upstream (its
            # ads say so): its page stays, for the ads that link to it.
            if unlisted:
                unlisted -= {
                    agency_id
                    for agency_id, upstream_id in Listing.objects.filter(
                        feed=self.feed, withdrawn_at__isnull=True, agency__upstream_id__in=unlisted
                    ).values_list("agency__upstream_id", "upstream_id")
                    if upstream_id in self.seen_ids
                }
            agencies_unseen = sorted(unlisted, key=_id_key)
            agencies_live = max(agencies_live, len(agencies_unseen))
        reason = withdrawal_hold_reason(
            what="listings", unseen=len(unseen), live=live, seen=len(self.seen_ids)
        ) or withdrawal_hold_reason(
            what="agencies",
            unseen=len(agencies_unseen),
            live=agencies_live,
            seen=len(agencies.seen) if agencies is not None else 0,
        )
        listings_found, agencies_found = Confirmation(), Confirmation()
        if reason is None and (unseen or agencies_unseen):
            budget = int(setting("FEEDS_CONFIRMATION_LIMIT"))
            try:
                if unseen:
                    listings_found = self.provider.confirm_listings(
                        self.feed, unseen, budget=budget
                    )
                if agencies_unseen:
                    agencies_found = self.provider.confirm_agencies(
                        self.feed, agencies_unseen, budget=budget - listings_found.requests
                    )
            except ConfirmationUnavailable as exc:
                reason = str(exc)
        if reason is not None:
            run.status = SyncStatus.HELD
            run.held_ids = {"listings": unseen, "agencies": agencies_unseen}
            run.error = (
                f"Withdrawal held: {reason}. Nothing was withdrawn. If these "
                f"{len(unseen)} listings and {len(agencies_unseen)} agencies are really "
                'gone, confirm the withdrawal (admin: Feeds, action "Confirm held '
                f'withdrawal"; or manage.py feeds sync {self.feed.name} --confirm-withdrawal).'
            )
            logger.warning("feed %s: %s", self.feed.name, run.error)
            return
        if self.lock is not None:
            # The confirmations waited on the network: still ours before anything is
            # withdrawn, or another sync took the feed over (this one stalled).
            self.lock.beat(force=True)
            self.lock.keep()
        if listings_found.present:
            self.sync_page(listings_found.present)
        run.withdrawn += listings_withdraw(
            feed=self.feed, upstream_ids=listings_found.gone, now=timezone.now()
        )
        if agencies_found.present:
            agencies_upsert(
                feed=self.feed,
                records=agencies_found.present,
                now=self.now,
                known=self.agency_ids,
            )
        # A queryset update sends no post_save: the pages learn of it from feed_synced.
        self.agencies_withdrawn = agencies_withdraw(
            feed=self.feed, upstream_ids=agencies_found.gone, now=timezone.now()
        )
        requests = listings_found.requests + agencies_found.requests
        if requests:
            self.warn(
                {
                    "reason": f"confirmed upstream ({requests} requests): "
                    f"{len(listings_found.gone)} of {len(unseen)} unseen listings and "
                    f"{len(agencies_found.gone)} of {len(agencies_unseen)} unseen agencies "
                    "are gone"
                }
            )
        for note in (listings_found.note, agencies_found.note):
            if note:
                self.warn({"reason": note})

    def warn(self, warning: dict[str, Any]) -> None:
        """Log a warning once per kind (an unknown code repeats on every record that has
        it): the first record's id is kept and the repeats are counted."""
        kind = json.dumps(
            {k: v for k, v in warning.items() if k != "id"}, sort_keys=True, default=str
        )
        first = self.warning_kinds.get(kind)
        if first is not None:
            first["count"] = first.get("count", 1) + 1
        elif len(self.run.warnings) < MAX_LOGGED_WARNINGS:
            self.warning_kinds[kind] = warning
            self.run.warnings.append(warning)

    def reject(self, upstream_id: str, reason: str) -> None:
        self.run.rejected += 1
        if len(self.run.rejections) < MAX_LOGGED_REJECTIONS:
            self.run.rejections.append({"id": upstream_id, "reason": reason})
        logger.info("feed %s: record %s rejected: %s", self.feed.name, upstream_id, reason)

    def sync_agencies(self) -> AgencyPass | None:
        try:
            agencies = self.provider.agencies(self.feed)
        except UpstreamError as exc:
            # Listings carry their agency's name; the full agency pages can wait.
            self.warn({"reason": f"agencies not read: {exc}"})
            return None
        agencies_upsert(
            feed=self.feed, records=agencies.records, now=self.now, known=self.agency_ids
        )
        return agencies

    def mapping_fingerprint(self) -> str:
        """The provider's optional `mapping_fingerprint()` hook, read once the first page is
        in (the labels it depends on are loaded by then); "" for providers without one."""
        if self.fingerprint is None:
            hook = getattr(self.provider, "mapping_fingerprint", None)
            self.fingerprint = str(hook()) if callable(hook) else ""
        return self.fingerprint

    def sync_page(self, items: Iterable[Any]) -> None:
        # Unchanged records are recognised from the raw upstream item, before any mapping:
        # a no-change re-sync costs one hash per ad and one SELECT per page.
        salt = self.mapping_fingerprint()
        hashed = [(item, self.provider.item_id(item), raw_hash(item, salt)) for item in items]
        known = {
            row[0]: row[1:]
            for row in Listing.objects.filter(
                feed=self.feed, upstream_id__in=[uid for _item, uid, _digest in hashed if uid]
            ).values_list("upstream_id", "pk", "content_hash", "withdrawn_at", "last_seen_at")
        }
        stale_before = self.now - LAST_SEEN_RESOLUTION
        if self.held_since is not None:
            # A held withdrawal spares what was seen since its pass began (last_seen_at):
            # an unchanged listing seen again must say so, however recent its last sight.
            stale_before = max(stale_before, self.held_since)
        unchanged: list[int] = []
        records: dict[str, ListingRecord] = {}
        digests: dict[str, str] = {}
        for item, upstream_id, digest in hashed:
            current = known.get(upstream_id) if upstream_id else None
            if upstream_id and current is not None and current[1] == digest and current[2] is None:
                self.run.unchanged += 1
                if current[3] < stale_before:
                    unchanged.append(current[0])
                self.seen_ids.add(upstream_id)
                continue
            try:
                record = self.provider.map_listing(item)
            except RecordRejected as exc:
                if exc.upstream_id == "?":
                    self.anonymous += 1
                else:
                    self.seen_ids.add(exc.upstream_id)
                    # Keep an existing listing whose new version is invalid: not withdrawn.
                    Listing.objects.filter(feed=self.feed, upstream_id=exc.upstream_id).update(
                        last_seen_at=self.now
                    )
                self.reject(exc.upstream_id, exc.reason)
                continue
            for warning in record.warnings:
                self.warn({"id": record.upstream_id, **warning})
            records[record.upstream_id] = record
            digests[record.upstream_id] = digest
            self.seen_ids.add(record.upstream_id)
        if unchanged:
            Listing.objects.filter(pk__in=unchanged).update(last_seen_at=self.now)
        if records:
            counts = listings_upsert_page(
                feed=self.feed,
                records=list(records.values()),
                now=self.now,
                agencies=self.agency_ids,
                digests=digests,
            )
            for key, value in counts.items():
                setattr(self.run, key, getattr(self.run, key) + value)


def agencies_upsert(*, feed: Feed, records: list[AgencyRecord], now, known: dict[str, int]) -> None:
    """Create or update agencies; a sync never deletes one."""
    if not records:
        return
    with transaction.atomic():
        existing = {
            a.upstream_id: a
            for a in Agency.objects.filter(
                feed=feed, upstream_id__in=[r.upstream_id for r in records]
            )
        }
        for record in records:
            digest = agency_hash(record)
            agency = existing.get(record.upstream_id)
            if agency is None:
                agency = Agency.objects.create(
                    feed=feed,
                    upstream_id=record.upstream_id,
                    content_hash=digest,
                    first_seen_at=now,
                    last_seen_at=now,
                    **_agency_fields(record),
                )
                known[record.upstream_id] = agency.pk
            elif agency.content_hash != digest or agency.withdrawn_at:
                before = fees.agency_schedule(agency)
                for key, value in _agency_fields(record).items():
                    setattr(agency, key, value)
                agency.content_hash = digest
                agency.last_seen_at = now
                agency.withdrawn_at = None
                agency.save()
                if fees.agency_schedule(agency) != before:
                    # Its unchanged ads are not mapped again: their stored verdict
                    # follows the new schedule now, not at the next daily refresh.
                    compliance.listings_compliance_refresh(agency=agency)
            else:
                Agency.objects.filter(pk=agency.pk).update(last_seen_at=now)


def _agency_fields(record: AgencyRecord) -> dict[str, Any]:
    fields = record.columns()
    if not fields["slug"]:
        fields["slug"] = slugify(record.name)[:200] or "agence"
    return fields


def listings_upsert_page(
    *,
    feed: Feed,
    records: list[ListingRecord],
    now,
    agencies: dict[str, int],
    digests: dict[str, str],
) -> dict[str, int]:
    """Upsert one page of listings in one transaction; returns the counts.

    `digests` maps each record's upstream id to the `raw_hash` of its upstream item: the
    stored content hash that lets the next sync skip an unchanged item before mapping it.

    Never writes the agent-owned fields (hidden, featured, display_order, internal_note).
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0, "withdrawn": 0}
    with transaction.atomic():
        missing_agencies = {
            r.agency_upstream_id: r.agency
            for r in records
            if r.agency_upstream_id and r.agency_upstream_id not in agencies and r.agency
        }
        if missing_agencies:
            agencies_upsert(
                feed=feed, records=list(missing_agencies.values()), now=now, known=agencies
            )
        existing = {
            row[0]: row[1:]
            for row in Listing.objects.filter(
                feed=feed, upstream_id__in=[r.upstream_id for r in records]
            ).values_list("upstream_id", "pk", "content_hash", "withdrawn_at")
        }
        to_create: list[tuple[Listing, ListingRecord]] = []
        to_update: list[tuple[Listing, ListingRecord]] = []
        unchanged: list[int] = []
        newly_withdrawn: list[int] = []
        for record in records:
            agency_id = agencies.get(record.agency_upstream_id or "")
            digest = digests[record.upstream_id]
            current = existing.get(record.upstream_id)
            if current is None:
                listing = Listing(
                    feed=feed,
                    upstream_id=record.upstream_id,
                    agency_id=agency_id,
                    content_hash=digest,
                    first_seen_at=now,
                    last_seen_at=now,
                    withdrawn_at=None if record.public else now,
                    **record.columns(),
                )
                to_create.append((listing, record))
                counts["created"] += 1
                continue
            pk, old_digest, withdrawn_at = current
            if not record.public and withdrawn_at is None:
                # Counted once, as withdrawn, even when its content changed too.
                newly_withdrawn.append(pk)
                counts["withdrawn"] += 1
                if old_digest == digest:
                    continue
            elif old_digest == digest and (withdrawn_at is None or not record.public):
                unchanged.append(pk)
                counts["unchanged"] += 1
                continue
            else:
                counts["updated"] += 1
            listing = Listing(
                pk=pk,
                feed=feed,
                upstream_id=record.upstream_id,
                agency_id=agency_id,
                content_hash=digest,
                last_seen_at=now,
                withdrawn_at=None if record.public else (withdrawn_at or now),
                **record.columns(),
            )
            to_update.append((listing, record))

        # One fee schedule read per agency, not per listing.
        schedules = compliance.schedules_by_agency(
            {listing.agency_id for listing, _ in (*to_create, *to_update)}
        )
        for listing, _record in (*to_create, *to_update):
            listing.compliance_issues = compliance.check(
                listing, schedule=schedules.get(listing.agency_id, compliance.NO_SCHEDULE)
            )
            listing.is_compliant = not listing.compliance_issues
        if to_create:
            listings_insert(feed=feed, listings=[listing for listing, _ in to_create])
        if to_update:
            listings_update(listings=[listing for listing, _ in to_update])
            Photo.objects.filter(listing_id__in=[listing.pk for listing, _ in to_update]).delete()
        photos_insert(
            (listing.pk, position, p.url, p.description, p.width, p.height, p.upstream_id)
            for listing, record in (*to_create, *to_update)
            for position, p in enumerate(record.photos)
        )
        if unchanged:
            Listing.objects.filter(pk__in=unchanged).update(last_seen_at=now)
        if newly_withdrawn:
            Listing.objects.filter(pk__in=newly_withdrawn).update(withdrawn_at=now)
    return counts


# Columns whose Python value from the mapping is already what the driver takes.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.FloatField,
    models.BooleanField,
    models.ForeignKey,
)


def _converters(fields: list[Any]) -> list[tuple[str, Callable[[Any], Any] | None]]:
    """Per column: its attribute and the field's own conversion, or None when plain."""
    db = connections[DEFAULT_DB_ALIAS]  # the real wrapper, not the thread-local proxy
    converters: list[tuple[str, Callable[[Any], Any] | None]] = []
    for field in fields:
        if isinstance(field, _PLAIN_FIELDS) and not isinstance(field, models.JSONField):
            converters.append((field.attname, None))
        else:
            converters.append((field.attname, _prep_save(field, db)))
    return converters


def _prep_save(field: models.Field[Any, Any], db: Any) -> Callable[[Any], Any]:
    return lambda value: field.get_db_prep_save(value, db)


def _columns(model: type[models.Model], names: Iterable[str]) -> list[models.Field[Any, Any]]:
    """The fields of `names`, in that order, for raw SQL."""
    # The names listed for raw SQL are the model's own columns; get_field is typed to
    # return a relation's reverse side too, which has no column.
    return [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]


def _db_values(
    listing: Listing, converters: list[tuple[str, Callable[[Any], Any] | None]]
) -> list[Any]:
    values = listing.__dict__
    return [
        values[attname] if convert is None else convert(values[attname])
        for attname, convert in converters
    ]


def listings_insert(*, feed: Feed, listings: list[Listing]) -> None:
    """INSERT new listings with one executemany and set their primary keys.

    Django's bulk_create compiles SQL for every dozen rows on SQLite (999 parameters a
    statement, 80 columns a listing) and costs most of an initial sync; the values are
    still converted by each field's own get_db_prep_save.
    """
    fields = [f for f in Listing._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(Listing._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    converters = _converters(fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [_db_values(listing, converters) for listing in listings],
        )
    keys = dict(
        Listing.objects.filter(
            feed=feed, upstream_id__in=[listing.upstream_id for listing in listings]
        ).values_list("upstream_id", "pk")
    )
    for listing in listings:
        listing.pk = keys[listing.upstream_id]
        listing._state.adding = False


def listings_update(*, listings: list[Listing]) -> None:
    """UPDATE the synced columns of existing listings with one executemany.

    Only SYNCED_FIELDS are written: never hidden, featured, display_order, internal_note,
    nor first_seen_at. (bulk_update's CASE WHEN over 80 columns is far slower.)
    """
    fields = _columns(Listing, SYNCED_FIELDS)
    table = connection.ops.quote_name(Listing._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    pk_column = connection.ops.quote_name(Listing._meta.pk.column)
    converters = _converters(fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s",
            [[*_db_values(listing, converters), listing.pk] for listing in listings],
        )


def listings_analyze() -> None:
    """Refresh the planner's statistics on the cache after a sync changed it.

    Without them SQLite picks a poor index and sorts the whole table on every search. On
    PostgreSQL, VACUUM also marks the rewritten pages all-visible, so that the search's
    counts read the covering indexes alone (index-only scans: 65 → 10 ms at 50,000
    listings) instead of waiting for autovacuum; it cannot run inside a transaction.
    """
    table = connection.ops.quote_name(Listing._meta.db_table)
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")


def photos_insert(rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert photo rows in one statement per batch.

    The ORM's bulk_create costs more than the rest of an initial sync here (several
    photos per listing); a plain executemany keeps the sync above 1,000 ads/s.
    """
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(Photo._meta.db_table)
    names = ("listing", "position", "url", "description", "width", "height", "upstream_id")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in _columns(Photo, names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows
        )


def listings_unseen(*, feed: Feed, seen: set[str]) -> list[str]:
    """The upstream ids of the feed's live listings not in `seen`, in id order.

    The live ids are streamed from the (feed, upstream_id) index, so memory stays
    bounded by the ids of one feed.
    """
    live = (
        Listing.objects.filter(feed=feed, withdrawn_at__isnull=True)
        .values_list("upstream_id", flat=True)
        .iterator(chunk_size=5000)
    )
    return sorted((upstream_id for upstream_id in live if upstream_id not in seen), key=_id_key)


def listings_withdraw(*, feed: Feed, upstream_ids: Iterable[str], now: datetime) -> int:
    """Withdraw (never delete) the feed's live listings of `upstream_ids`; returns how many."""
    ids = list(upstream_ids)
    withdrawn = 0
    for start in range(0, len(ids), 500):
        withdrawn += Listing.objects.filter(
            feed=feed, upstream_id__in=ids[start : start + 500], withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
    return withdrawn


def agencies_withdraw(*, feed: Feed, upstream_ids: Iterable[str], now: datetime) -> int:
    """Withdraw (never delete) the feed's published agencies of `upstream_ids`."""
    ids = list(upstream_ids)
    if not ids:
        return 0
    return Agency.objects.filter(feed=feed, upstream_id__in=ids, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )


def held_run(feed: Feed) -> SyncRun | None:
    """The run whose withdrawal the feed holds for an operator, or None.

    Only the latest complete full pass counts: a later one supersedes a hold (it decided
    again, from fresh evidence), so a held withdrawal is never applied from stale ids.
    """
    latest = (
        SyncRun.objects.filter(feed=feed, full_pass=True, complete=True)
        .order_by("-started_at")
        .first()
    )
    return latest if latest is not None and latest.awaits_confirmation else None


def withdrawal_confirm(*, feed: Feed) -> SyncRun:
    """Apply the feed's held withdrawal, as an operator confirmed it; returns the run.

    Withdraws the held listings and agencies still live and not seen since the held
    pass began (an incremental pass that saw one proves it alive). Raises
    WithdrawalNotHeld when nothing is held, SyncAlreadyRunning while a sync runs.
    """
    token = feed_lock(feed)
    if token is None:
        raise SyncAlreadyRunning(f"A sync of feed '{feed.name}' is already running.")
    try:
        run = held_run(feed)
        if run is None:
            raise WithdrawalNotHeld(f"Feed '{feed.name}' holds no withdrawal to confirm.")
        now = timezone.now()
        held = run.held_ids or {}
        with transaction.atomic():
            listing_ids = list(held.get("listings") or [])
            withdrawn = 0
            for start in range(0, len(listing_ids), 500):
                withdrawn += Listing.objects.filter(
                    feed=feed,
                    upstream_id__in=listing_ids[start : start + 500],
                    withdrawn_at__isnull=True,
                    last_seen_at__lt=run.started_at,
                ).update(withdrawn_at=now)
            Agency.objects.filter(
                feed=feed,
                upstream_id__in=list(held.get("agencies") or []),
                withdrawn_at__isnull=True,
                last_seen_at__lt=run.started_at,
            ).update(withdrawn_at=now)
            run.withdrawn += withdrawn
            run.confirmed_at = now
            run.save(update_fields=["withdrawn", "confirmed_at"])
            Feed.objects.filter(pk=feed.pk).update(last_full_sync_at=now)
        feed.last_full_sync_at = now
        listings_analyze()
        feed_synced.send(sender=Feed, feed=feed, run=run)
        return run
    finally:
        feed_unlock(feed, token)


# Every column an update rewrites: not the identity, not when we first saw the listing,
# never the agent-owned fields (declared on the model).
SYNCED_FIELDS = [
    f.name
    for f in Listing._meta.concrete_fields
    if not f.primary_key and f.name not in {*AGENT_FIELDS, "feed", "upstream_id", "first_seen_at"}
]
