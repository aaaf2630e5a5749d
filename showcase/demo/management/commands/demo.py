"""`manage.py demo`: the whole demo in one process (what `make demo` runs).

Migrates, starts the fake Gedeon API (which also serves the photos), adds the
demo feed through the real `feeds` command, syncs it over HTTP with the real
client, makes sure an admin login exists, prints it, and serves the site.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from showcase.demo.fake_gedeon import FakeGedeon
from showcase.feeds.models import Feed

DEMO_KEY = "demo-key"


class Command(BaseCommand):
    help = "Serve the site with demo data synced from a local fake Gedeon API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where to serve the site.")
        parser.add_argument("--upstream-port", type=int, default=8765)
        parser.add_argument("--count", type=int, default=320, help="Number of demo ads.")
        parser.add_argument("--no-serve", action="store_true", help="Prepare, do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            upstream = FakeGedeon(
                count=options["count"], key=DEMO_KEY, port=options["upstream_port"]
            )
        except OSError as exc:
            raise CommandError(
                f"Cannot serve the fake Gedeon API on port {options['upstream_port']} ({exc}). "
                "Is another demo running? Choose another with --upstream-port."
            ) from exc
        upstream.start()
        self.stdout.write(f"Fake Gedeon API on {upstream.url} ({upstream.count} ads).")
        try:
            feed = Feed.objects.filter(name="demo").first()
            if feed is None:
                call_command(
                    "feeds",
                    "add",
                    "gedeon",
                    "--name",
                    "demo",
                    "--key",
                    DEMO_KEY,
                    "--base-url",
                    upstream.url,
                    stdout=self.stdout,
                )
            elif feed.base_url != upstream.url:
                Feed.objects.filter(pk=feed.pk).update(base_url=upstream.url)
            call_command("feeds", "sync", "demo", stdout=self.stdout, stderr=self.stderr)
            password = self.ensure_admin()
            host = options["addr"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nVitrine demo ready: http://{host}/\n"
                    f"Admin: http://{host}/admin/  login: admin  password: {password}\n"
                )
            )
            if not options["no_serve"]:
                call_command("runserver", host, use_reloader=False)
        finally:
            upstream.stop()

    def ensure_admin(self) -> str:
        """An `admin` superuser with a fresh password printed for this demo run."""
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username="admin",
            defaults={"email": "admin@localhost", "is_staff": True, "is_superuser": True},
        )
        password = secrets.token_urlsafe(9)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        return password
