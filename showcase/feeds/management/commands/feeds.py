"""`manage.py feeds add|list|sync|remove` (docs/design.md, "Feeds command")."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from showcase.core.http import redact
from showcase.feeds.models import DEFAULT_BASE_URLS, Feed, FeedKind, SyncStatus
from showcase.feeds.registry import PROVIDERS, base_url_clean
from showcase.feeds.schedule import feeds_due
from showcase.feeds.services import feed_create
from showcase.feeds.sync import (
    SyncAlreadyRunning,
    WithdrawalNotHeld,
    sync_feed,
    withdrawal_confirm,
)


class Command(BaseCommand):
    help = "Manage the upstream feeds and sync their listings into the cache."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="Add a feed.")
        kinds = add.add_subparsers(dest="kind", required=True, metavar="KIND")
        # One sub-command per provider, its credential options from its declaration.
        for spec in PROVIDERS.values():
            provider = kinds.add_parser(spec.kind, help=spec.cli_help)
            provider.add_argument("--name", required=True)
            for credential in spec.credentials:
                provider.add_argument(credential.option, required=True, help=credential.help)
            provider.add_argument("--base-url")
        actions.add_parser("list", help="One line per feed with its last sync result.")
        sync = actions.add_parser("sync", help="Sync the named feeds (all when none).")
        sync.add_argument("names", nargs="*", metavar="NAME")
        sync.add_argument("--full", action="store_true", help="Force a full pass.")
        sync.add_argument(
            "--due",
            action="store_true",
            help="Sync only the active feeds whose own interval (sync every N minutes, set "
            "in the admin) has elapsed since their last sync started: for cron every minute.",
        )
        sync.add_argument(
            "--confirm-withdrawal",
            action="store_true",
            help="Do not sync: apply the withdrawal each named feed holds (its last "
            "complete pass would have withdrawn more than the guard allows).",
        )
        remove = actions.add_parser("remove", help="Remove a feed and its cached listings.")
        remove.add_argument("name", metavar="NAME")
        remove.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (scripts, cron)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(**options)

    def handle_add(self, **options: Any) -> None:
        kind = options["kind"]
        name = options["name"]
        if Feed.objects.filter(name=name).exists():
            raise CommandError(f"A feed named '{name}' already exists.")
        credentials = {c.field: options.get(c.dest) or "" for c in PROVIDERS[kind].credentials}
        secrets = credentials.values()
        base_url = options.get("base_url") or DEFAULT_BASE_URLS[FeedKind(kind)]
        try:
            base_url = base_url_clean(kind, base_url)
        except ValueError as exc:
            raise CommandError(redact(str(exc), secrets)) from None
        try:
            feed = feed_create(kind=kind, name=name, base_url=base_url, **credentials)
        except ValidationError as exc:
            raise CommandError(redact(_explain(exc), secrets)) from None
        self.stdout.write(f"Added {feed.kind} feed '{feed.name}' ({feed.base_url}).")

    def handle_list(self, **options: Any) -> None:
        feeds = list(Feed.objects.all())
        if not feeds:
            self.stdout.write(
                "No feeds. Add one with: manage.py feeds add gedeon --name NAME --key KEY"
            )
            return
        for feed in feeds:
            run = feed.runs.order_by("-started_at").first()
            if run is None:
                last = "never synced"
            else:
                last = f"last sync {run.started_at:%Y-%m-%d %H:%M} {run.status}: {_summary(run)}"
                if run.error:
                    last += f" ({_masked(run.error, feed)})"
            secret = feed.masked_secret
            self.stdout.write(f"{feed.name}\t{feed.kind}\t{feed.base_url}\tkey {secret}\t{last}")

    def handle_sync(self, **options: Any) -> None:
        names: list[str] = options["names"]
        if options.get("due"):
            if names or options.get("confirm_withdrawal"):
                raise CommandError("--due picks the feeds itself: name none, confirm nothing.")
            due = feeds_due()
            if not due:
                self.stdout.write("No feed is due.")
                return
            # A sync that started meanwhile (another cron run, a worker) is no failure here.
            self.sync_feeds(due, full=options["full"], skip_running=True)
            return
        feeds = list(
            Feed.objects.filter(name__in=names) if names else Feed.objects.filter(is_active=True)
        )
        unknown = sorted(set(names) - {f.name for f in feeds})
        if unknown:
            raise CommandError(f"Unknown feed(s): {', '.join(unknown)}. See: manage.py feeds list")
        if options.get("confirm_withdrawal"):
            if not names:
                raise CommandError("--confirm-withdrawal needs the name of each feed.")
            self.confirm_withdrawals(feeds)
            return
        if not feeds:
            self.stdout.write("No active feeds to sync.")
            return
        self.sync_feeds(feeds, full=options["full"])

    def sync_feeds(self, feeds: list[Feed], *, full: bool, skip_running: bool = False) -> None:
        failures = []
        for feed in feeds:
            bar = tqdm(
                desc=feed.name, unit="ad", file=_Raw(self.stdout), leave=False, dynamic_ncols=True
            )

            def progress(done: int, total: int, bar: tqdm = bar) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                run = sync_feed(feed, full=True if full else None, progress=progress)
            except SyncAlreadyRunning as exc:
                bar.close()
                if skip_running:
                    self.stdout.write(f"{feed.name}: skipped, {exc}")
                    continue
                failures.append(str(exc))
                self.stderr.write(str(exc))
                continue
            bar.close()
            line = f"{feed.name}: {run.status} - {_summary(run)}"
            error = _masked(run.error, feed)
            if run.status in (SyncStatus.FAILED, SyncStatus.HELD):
                failures.append(f"{feed.name}: {error}")
                self.stderr.write(f"{line}\n  {error}")
            else:
                if error:
                    line += f" ({error})"
                self.stdout.write(line)
        if failures:
            raise CommandError(
                f"{len(failures)} feed(s) failed or held their withdrawal; every cached "
                "listing was kept."
            )

    def confirm_withdrawals(self, feeds: list[Feed]) -> None:
        refused = []
        for feed in feeds:
            try:
                run = withdrawal_confirm(feed=feed)
            except (WithdrawalNotHeld, SyncAlreadyRunning) as exc:
                refused.append(str(exc))
                self.stderr.write(str(exc))
                continue
            self.stdout.write(
                f"{feed.name}: held withdrawal confirmed - {run.withdrawn} listings withdrawn."
            )
        if refused:
            raise CommandError(
                f"{len(refused)} feed(s) had no withdrawal to confirm, or a sync is running "
                "(see above); nothing was withdrawn for them."
            )

    def handle_remove(self, **options: Any) -> None:
        """Deletes the feed and every listing and agency synced from it, on every site
        that reads it: only with --yes, or after a "yes" typed at a terminal."""
        name = options["name"]
        feed = Feed.objects.filter(name=name).first()
        if feed is None:
            raise CommandError(f"Unknown feed '{name}'. See: manage.py feeds list")
        if not options["yes"]:
            listings = feed.listings.count()
            question = (
                f"Remove feed '{name}' and its {listings} cached listing(s) from every site "
                "that shows them? This cannot be undone."
            )
            if not _interactive():
                raise CommandError(f"{question} Not confirmed: run again with --yes.")
            answer = input(f"{question} Type 'yes' to confirm: ")
            if answer.strip().lower() != "yes":
                raise CommandError(f"Feed '{name}' was not removed.")
        feed.delete()
        self.stdout.write(f"Removed feed '{name}' and its cached listings.")


class _Raw:
    """self.stdout for tqdm: its carriage-return redraws must not get a newline appended."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


def _interactive() -> bool:
    """A person can answer: both stdin and stdout are terminals (not cron, a pipe, CI)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _masked(text: str, feed: Feed) -> str:
    """`text` (e.g. a stored run error, possibly from before errors were masked at the
    source) without the feed's credentials."""
    return redact(text, (feed.api_key, feed.token))


def _summary(run: Any) -> str:
    return (
        f"{run.created} created / {run.updated} updated / {run.unchanged} unchanged / "
        f"{run.withdrawn} withdrawn / {run.rejected} rejected"
    )


def _explain(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(
            f"{msg}" if field == "__all__" else f"{field}: {msg}"
            for field, msgs in exc.message_dict.items()
            for msg in msgs
        )
    return " ".join(exc.messages)
