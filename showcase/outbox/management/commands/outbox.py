"""`manage.py outbox send` (cron every minute, or a worker) and `manage.py outbox purge`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import timezone

from showcase.outbox.services import KEEP_DAYS, SendReport, outbox_purge, outbox_send


def report_or_fail(stdout: OutputWrapper, report: SendReport, what: str) -> None:
    """Print what a sending run did; raise CommandError (exit status 1) when some failed."""
    stdout.write(f"{report.sent} {what} sent, {report.failed} failed.")
    if report.left:
        stdout.write(f"{report.left} more left for the next run: the mail server is unreachable.")
    if report.failed:
        raise CommandError(
            f"{report.failed} e-mail(s) could not be sent; they will be retried later "
            "(see the last error of each in the admin's outgoing e-mails)."
        )


class Command(BaseCommand):
    help = "Send the queued e-mails that are due, or delete old sent ones."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("send", help="Send every due e-mail (leads, alerts), with retries.")
        purge = actions.add_parser(
            "purge", help="Delete sent or abandoned e-mails older than a number of days."
        )
        purge.add_argument("--days", type=int, default=KEEP_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send":
            report_or_fail(self.stdout, outbox_send(), "e-mail(s)")
            return
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        deleted = outbox_purge(older_than=timezone.now() - timedelta(days=options["days"]))
        self.stdout.write(f"{deleted} old e-mail(s) deleted.")
