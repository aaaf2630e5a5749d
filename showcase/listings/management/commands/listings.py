"""`manage.py listings compliance-refresh` (cron, daily): today's legal verdict of every
live listing, stored for the admin's filters."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from showcase.listings.compliance import listings_compliance_refresh


class Command(BaseCommand):
    help = "Maintenance of the listings cache."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "compliance-refresh",
            help="Recompute what each live listing lacks for today's rules (DPE age, décence).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = listings_compliance_refresh()
        self.stdout.write(f"{changed} listing(s) with a new compliance verdict.")
