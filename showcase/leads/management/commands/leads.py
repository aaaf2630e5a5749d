"""`manage.py leads retry` (cron-safe: creates the due sellers' properties on Apimo, sends
the due lead e-mails of the outbox, exits 1 when some failed) and
`manage.py leads purge --older-than 3y`."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from showcase.leads.services import leads_purge, leads_retry
from showcase.outbox.management.commands.outbox import report_or_fail

UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_age(text: str) -> timedelta:
    """`90d`, `6m`, `3y` (also `12w`) -> a duration."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*([dwmy])\s*", text or "")
    if not match:
        raise CommandError(
            f"--older-than takes a number and a unit (d, w, m or y), e.g. 3y or 90d; not {text!r}."
        )
    days = int(match.group(1)) * UNITS[match.group(2)]
    if days < 1:
        raise CommandError("--older-than must be at least one day.")
    return timedelta(days=days)


class Command(BaseCommand):
    help = "Send the due lead e-mails, or delete old leads."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "retry",
            help="Create the due sellers' properties on Apimo and send the due lead e-mails.",
        )
        purge = actions.add_parser("purge", help="Delete leads older than a duration.")
        purge.add_argument(
            "--older-than", help="e.g. 3y, 18m, 90d (default: LEADS_RETENTION_DAYS)", default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retry":
            mail, upstream = leads_retry()
            if upstream.created or upstream.failed:
                self.stdout.write(
                    f"{upstream.created} seller property(ies) created on Apimo, "
                    f"{upstream.failed} failed (retried later; see the lead in the admin)."
                )
            report_or_fail(self.stdout, mail, "lead e-mail(s)")
            if upstream.failed:
                raise CommandError(
                    f"{upstream.failed} seller property(ies) could not be created on Apimo; "
                    "they will be retried later (see each lead's Apimo error in the admin)."
                )
            return
        age = (
            parse_age(options["older_than"])
            if options["older_than"]
            else timedelta(days=settings.LEADS_RETENTION_DAYS)
        )
        deleted = leads_purge(older_than=timezone.now() - age)
        self.stdout.write(f"{deleted} lead(s) older than {age.days} days deleted.")
