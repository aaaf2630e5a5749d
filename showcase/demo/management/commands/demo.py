"""`manage.py demo`: the whole demo in one process (what `make demo` runs).

Migrates, starts the fake Gedeon and Apimo APIs (which also serve the photos),
adds one feed of each through the real `feeds` command, syncs them over HTTP
with the real clients (a mixed site), makes sure an admin login exists, prints
it, and serves the site.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from showcase.demo.apimo_data import AGENCY_LEGAL_ENTRIES
from showcase.demo.fake_apimo import FakeApimo
from showcase.demo.fake_gedeon import FakeGedeon
from showcase.feeds.models import Feed
from showcase.listings import compliance
from showcase.listings.models import Agency

# The operator's legal settings for the demo (LEGAL_* in the README), invented.
DEMO_OPERATOR = {
    "LEGAL_PUBLICATION_DIRECTOR": "Claire Martin",
    "LEGAL_HOST_NAME": "Hébergeur Démo SAS",
    "LEGAL_HOST_ADDRESS": "12 rue des Serveurs, 69007 Lyon",
    "LEGAL_HOST_PHONE": "+33 4 00 00 00 00",
}

DEMO_KEY = "demo-key"
APIMO_PROVIDER, APIMO_TOKEN = "demo-provider", "demo-token"


class Command(BaseCommand):
    help = "Serve the site with demo data synced from a local fake Gedeon API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where to serve the site.")
        parser.add_argument("--upstream-port", type=int, default=8765)
        parser.add_argument("--apimo-port", type=int, default=8766)
        parser.add_argument("--count", type=int, default=320, help="Number of demo ads.")
        parser.add_argument(
            "--apimo-count", type=int, default=60, help="Number of demo Apimo properties."
        )
        parser.add_argument("--no-serve", action="store_true", help="Prepare, do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        upstream = self.start_fake(
            "Gedeon",
            options["upstream_port"],
            lambda: FakeGedeon(count=options["count"], key=DEMO_KEY, port=options["upstream_port"]),
        )
        self.stdout.write(f"Fake Gedeon API on {upstream.url} ({upstream.count} ads).")
        try:
            apimo = self.start_fake(
                "Apimo",
                options["apimo_port"],
                lambda: FakeApimo(
                    count=options["apimo_count"],
                    provider=APIMO_PROVIDER,
                    token=APIMO_TOKEN,
                    port=options["apimo_port"],
                ),
            )
        except CommandError:
            upstream.stop()
            raise
        self.stdout.write(f"Fake Apimo API on {apimo.url} ({len(apimo.properties)} properties).")
        try:
            self.ensure_feed("demo", upstream.url, ["gedeon", "--key", DEMO_KEY])
            self.ensure_feed(
                "demo-apimo",
                apimo.url,
                ["apimo", "--provider", APIMO_PROVIDER, "--token", APIMO_TOKEN]
                + ["--agency", str(apimo.agency["id"])],
            )
            call_command(
                "feeds", "sync", "demo", "demo-apimo", stdout=self.stdout, stderr=self.stderr
            )
            self.ensure_legal_entries(str(apimo.agency["id"]))
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
            apimo.stop()

    def start_fake(self, name: str, port: int, build: Any) -> Any:
        try:
            fake = build()
        except OSError as exc:
            raise CommandError(
                f"Cannot serve the fake {name} API on port {port} ({exc}). "
                "Is another demo running? Choose another port (see --help)."
            ) from exc
        return fake.start()

    def ensure_feed(self, name: str, url: str, kind_options: list[str]) -> None:
        """Add the demo feed through the real command, or point it at this run's fake."""
        feed = Feed.objects.filter(name=name).first()
        if feed is None:
            call_command(
                "feeds",
                "add",
                kind_options[0],
                "--name",
                name,
                *kind_options[1:],
                "--base-url",
                url,
                stdout=self.stdout,
            )
        elif feed.base_url != url:
            Feed.objects.filter(pk=feed.pk).update(base_url=url)

    def ensure_legal_entries(self, apimo_agency_id: str) -> None:
        """What an agent enters in the admin for the demo: the Apimo agency's card,
        guarantee and insurer (its feed sends none), and the operator's director of
        publication and host when the environment gives none (this process serves)."""
        agency = Agency.objects.filter(feed__name="demo-apimo", upstream_id=apimo_agency_id).first()
        if agency is not None:
            for name, value in AGENCY_LEGAL_ENTRIES.items():
                if not getattr(agency, name):
                    setattr(agency, name, value)
            agency.save()
            compliance.listings_compliance_refresh(agency=agency)
        for name, value in DEMO_OPERATOR.items():
            if not getattr(settings, name):
                setattr(settings, name, value)

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
