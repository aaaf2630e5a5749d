"""`manage.py alerts send` (after each sync, cron-safe: queues the due digests and sends the
alert e-mails of the outbox, exits 1 when some failed) and `manage.py alerts purge`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from showcase.alerts.services import alerts_purge, alerts_send
from showcase.leads.management.commands.leads import parse_age
from showcase.outbox.management.commands.outbox import report_or_fail


class Command(BaseCommand):
    help = "Send the saved-search e-mails that are due, or delete old alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("send", help="E-mail new listings and price drops to due alerts.")
        purge = actions.add_parser(
            "purge", help="Delete alerts older than a duration and expired confirmation requests."
        )
        purge.add_argument(
            "--older-than", help="e.g. 3y, 18m, 90d (default: LEADS_RETENTION_DAYS)", default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send":
            report_or_fail(self.stdout, alerts_send(), "alert e-mail(s)")
            return
        age = (
            parse_age(options["older_than"])
            if options["older_than"]
            else timedelta(days=settings.LEADS_RETENTION_DAYS)
        )
        deleted = alerts_purge(older_than=timezone.now() - age)
        self.stdout.write(f"{deleted} alert(s) deleted.")
