"""`manage.py demo`: the whole demo in one process (what `make demo` runs).

Migrates, starts the fake Gedeon and Apimo APIs (which also serve the photos),
adds one feed of each through the real `feeds` command, syncs them over HTTP
with the real clients (a mixed site), sets up two agency websites on `*.localhost`
host names with their branding (showcase.demo.sites) and a page of an agency's own
website embedding one of them, makes sure an admin login exists, prints every
address, and serves the site. Meanwhile a background loop does what cron does in
production: `leads retry` (sellers' properties created on the fake Apimo, lead
e-mails sent) and `outbox send`.
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.http.request import validate_host

from showcase.demo.fake_apimo import FakeApimo
from showcase.demo.fake_gedeon import FakeGedeon
from showcase.demo.sites import EMBEDDED, SITES, EmbedExample, demo_sites_setup
from showcase.feeds.models import Feed
from showcase.leads.services import leads_retry
from showcase.outbox.services import outbox_send

logger = logging.getLogger(__name__)
# How often the background loop plays cron (seconds).
WORKER_INTERVAL = 15

DEMO_KEY = "demo-key"
APIMO_PROVIDER, APIMO_TOKEN = "demo-provider", "demo-token"


class Command(BaseCommand):
    help = "Serve the site with demo data synced from a local fake Gedeon API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where to serve the site.")
        parser.add_argument("--upstream-port", type=int, default=8765)
        parser.add_argument("--apimo-port", type=int, default=8766)
        parser.add_argument(
            "--embed-port",
            type=int,
            default=8767,
            help="Where the example of an agency's own page embedding its listings is served.",
        )
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
        port = options["addr"].rsplit(":", 1)[-1] if ":" in options["addr"] else "80"
        try:
            embed = self.start_fake(
                "embedding example",
                options["embed_port"],
                lambda: EmbedExample(
                    site_url=EMBEDDED.url(port).rstrip("/"),
                    site_name=EMBEDDED.name,
                    port=options["embed_port"],
                ),
            )
        except CommandError:
            upstream.stop()
            apimo.stop()
            raise
        stop = threading.Event()
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
            demo_sites_setup(embed_origin=embed.url)
            self.allow_demo_hosts()
            password = self.ensure_admin()
            host = options["addr"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nVitrine demo ready: http://{host}/ (the whole catalogue)\n"
                    f"Admin: http://{host}/admin/  login: admin  password: {password}\n"
                )
            )
            self.stdout.write(self.sites_text(port, embed.url))
            if not options["no_serve"]:
                threading.Thread(target=self.work, args=(stop,), daemon=True).start()
                call_command("runserver", host, use_reloader=False)
        finally:
            stop.set()
            upstream.stop()
            apimo.stop()
            embed.stop()

    def sites_text(self, port: int | str, embed_url: str) -> str:
        """The addresses of the agency websites, their seller page and the embedding example."""
        lines = ["Agency websites (their own host names, branding and listings):"]
        for site in SITES:
            lines.append(f"  {site.name}: {site.url(port)}")
        lines.append(
            f"  Seller page (creates the property on the fake Apimo): {SITES[0].url(port, '/estimer-mon-bien/')}"
        )
        lines.append(
            f"Embedding example (an agency's own page showing {EMBEDDED.name}'s listings): {embed_url}/"
        )
        return "\n".join(lines) + "\n"

    def allow_demo_hosts(self) -> None:
        """The agency sites' host names must pass ALLOWED_HOSTS (DEBUG's default accepts
        `.localhost`); an operator's own ALLOWED_HOSTS gets them added for this run."""
        missing = [s.host for s in SITES if not validate_host(s.host, settings.ALLOWED_HOSTS)]
        if missing:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *missing]
            self.stdout.write(f"Allowed for this run: {', '.join(missing)}.")

    def work(self, stop: threading.Event) -> None:
        """What cron does in production, every WORKER_INTERVAL seconds: `leads retry`
        (sellers' properties created on the fake Apimo) and `outbox send`."""
        while not stop.wait(WORKER_INTERVAL):
            try:
                mail, upstream = leads_retry()
                other = outbox_send()
                if upstream.created or upstream.failed or mail.sent or other.sent:
                    self.stdout.write(
                        f"[cron] {upstream.created} property(ies) created on Apimo "
                        f"({upstream.failed} failed), {mail.sent + other.sent} e-mail(s) sent."
                    )
            except Exception:  # noqa: BLE001 - the demo keeps serving; the next round retries
                logger.exception("demo background round failed")
            finally:
                close_old_connections()

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
