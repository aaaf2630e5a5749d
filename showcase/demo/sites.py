"""The demo's two agency websites (tenants on `*.localhost` host names, each with its own
share of the demo feeds, its branding and its legal details) and the page of an agency's
own website that embeds one of them through the documented embed script.

`*.localhost` names resolve to 127.0.0.1 in browsers (RFC 6761), so the sites work
without touching /etc/hosts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from showcase.demo.apimo_data import AGENCY_ID as APIMO_AGENCY_ID
from showcase.demo.fake_server import FakeServer, JsonHandler
from showcase.feeds.models import Feed
from showcase.tenants.models import Domain, Tenant


@dataclass(frozen=True)
class DemoSite:
    """One demo agency website: what it shows (feeds by name, upstream agency ids) and
    how it looks (colours as #rrggbb, white text on them at WCAG AA contrast)."""

    slug: str
    name: str
    host: str
    feeds: tuple[str, ...]
    agency_ids: tuple[str, ...]
    primary_colour: str
    accent_colour: str
    city: str
    lead_email: str

    def url(self, port: int | str, path: str = "/") -> str:
        return f"http://{self.host}:{port}{path}"


SITES = (
    DemoSite(
        slug="agence-du-port",
        name="Agence du Port",
        host="agence-du-port.localhost",
        # Apimo's Riviera agency and Gedeon's Littoral agency: both on the coast.
        feeds=("demo-apimo", "demo"),
        agency_ids=(str(APIMO_AGENCY_ID), "AG-MER"),
        primary_colour="#0b4f6c",
        accent_colour="#a8430f",
        city="Nice",
        lead_email="contact@agence-du-port.localhost",
    ),
    DemoSite(
        slug="immo-des-collines",
        name="Immo des Collines",
        host="immo-des-collines.localhost",
        feeds=("demo",),
        agency_ids=("AG-LYON",),
        primary_colour="#2f5d1e",
        accent_colour="#7a3b8f",
        city="Lyon",
        lead_email="contact@immo-des-collines.localhost",
    ),
)
# The site the embedding example shows, and the origin of that example page.
EMBEDDED = SITES[0]


def logo_png(site: DemoSite) -> bytes:
    """A 320x80 logo: the agency's name on its brand colour."""
    colour = tuple(int(site.primary_colour[i : i + 2], 16) for i in (1, 3, 5))
    image = Image.new("RGB", (320, 80), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 70, 320, 80), fill=site.accent_colour)
    try:
        font: Any = ImageFont.load_default(size=26)
    except (AttributeError, ImportError, TypeError):  # Pillow without FreeType
        font = ImageFont.load_default()
    draw.text((16, 22), site.name.upper(), fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@transaction.atomic
def demo_sites_setup(*, embed_origin: str) -> list[Tenant]:
    """Create or refresh the demo's agency websites: tenant, primary domain, feeds and
    agencies shown, colours, logo, lead address, legal details, and `embed_origin`
    (e.g. http://127.0.0.1:8767) among the origins allowed to frame the embedded site.
    Feeds that do not exist (yet) are left out. Returns the tenants, in SITES order."""
    tenants = []
    for site in SITES:
        tenant, _created = Tenant.objects.update_or_create(
            slug=site.slug,
            defaults={
                "name": site.name,
                "agency_ids": list(site.agency_ids),
                "primary_colour": site.primary_colour,
                "accent_colour": site.accent_colour,
                "lead_email": site.lead_email,
                "frame_origins": [embed_origin] if site == EMBEDDED else [],
                **_legal(site),
            },
        )
        tenant.feeds.set(Feed.objects.filter(name__in=site.feeds))
        Domain.objects.filter(tenant=tenant).exclude(host=site.host).delete()
        Domain.objects.update_or_create(
            host=site.host, defaults={"tenant": tenant, "is_primary": True}
        )
        if not tenant.logo or not tenant.logo.storage.exists(tenant.logo.name):
            tenant.logo.save(f"{site.slug}.png", ContentFile(logo_png(site)), save=True)
        tenants.append(tenant)
    return tenants


def _legal(site: DemoSite) -> dict[str, Any]:
    # Made-up details, so the legal notice and fee pages have something to show.
    return {
        "company_name": f"{site.name} SARL",
        "legal_form": "SARL",
        "share_capital": "10 000 €",
        "registered_office": f"1 quai du Port, {site.city}",
        "rcs": f"RCS {site.city} 000 000 000",
        "phone": "04 00 00 00 00",
        "email": site.lead_email,
        "professional_card": "CPI 0000 2020 000 000 000",
        "card_issuer": f"CCI {site.city}",
        "card_activities": "Transactions sur immeubles et fonds de commerce",
        "mediator_name": "Médiateur de démonstration",
        "mediator_contact": "1 rue de l'Exemple, 75000 Paris",
        "mediator_website": "https://mediateur.example",
        "publication_director": "Camille Exemple",
        "host_details": "Votre ordinateur (démonstration)",
    }


def embed_example_html(*, site_url: str, site_name: str) -> str:
    """An agency's own page showing its listings through the documented snippet
    (`<script src="…/embed.js" data-search="…" async>`)."""
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{site_name} — notre site (exemple d'intégration Vitrine)</title>
<style>body{{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem}}
header{{border-bottom:4px solid #0b4f6c;margin-bottom:1rem}}code{{background:#eee;padding:.1rem .3rem}}</style>
</head>
<body>
<header><h1>{site_name}</h1><p>Le site de l'agence, hébergé ailleurs que Vitrine.</p></header>
<main>
<h2>Nos biens à vendre</h2>
<p>Ces annonces viennent de Vitrine, insérées par une seule ligne :
<code>&lt;script src="{site_url}/embed.js" data-search="transaction=sell" async&gt;&lt;/script&gt;</code></p>
<script src="{site_url}/embed.js" data-search="transaction=sell" data-title="Nos annonces" async></script>
</main>
</body>
</html>
"""


class EmbedExample(FakeServer):
    """Serves the embedding example page at `/` on 127.0.0.1 (another origin than the
    agency's Vitrine site, as an agency's own website is); a context manager."""

    def __init__(self, *, site_url: str, site_name: str, port: int = 0) -> None:
        page = embed_example_html(site_url=site_url, site_name=site_name).encode()

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path == "/favicon.ico":
                    return self._send(204, b"", "image/x-icon")
                if self.path.split("?")[0] != "/":
                    return self._json(404, {"error": "Not found"})
                self._send(200, page, "text/html; charset=utf-8")

        handler: type[BaseHTTPRequestHandler] = Handler
        super().__init__(handler, host="127.0.0.1", port=port)
