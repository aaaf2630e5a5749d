"""The legal information of a site (docs/legal.md §4): the publisher of the website, and
for every agency the site shows its own identity, card, guarantee, insurance and fee
schedule.

Each agency's items come from the agent's entry on the agency in the admin first, then
its feed (Gedeon `legal`, Apimo company data); the website's own fields fill an agency's
gaps only when the site shows that agency alone, so two agencies never share one identity.
The director of publication and the host come from the website, else from the operator's
settings (LEGAL_PUBLICATION_DIRECTOR, LEGAL_HOST_*). Nothing is invented: what no source
gives is listed as missing to the agent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from showcase.core.site import Site
from showcase.listings import fees
from showcase.listings.identity import LegalItem, agency_items, upstream_text
from showcase.listings.models import Agency, Listing

__all__ = ["LegalItem", "agency_items"]


# (key, label, Tenant field, mandatory): the website's publisher (W1, W2, W8).
SITE_ITEMS: tuple[tuple[str, Promise, str, bool], ...] = (
    ("publisher", _("Publisher"), "company_name", False),
    ("publisher_form", _("Legal form and share capital"), "legal_form", False),
    ("capital", _("Share capital"), "share_capital", False),
    ("publisher_office", _("Registered office"), "registered_office", False),
    ("publisher_rcs", _("Trade register (RCS)"), "rcs", False),
    ("vat", _("VAT number"), "vat_number", False),
    ("phone", _("Phone"), "phone", False),
    ("email", _("E-mail"), "email", False),
    ("card_activities", _("Activities on the card"), "card_activities", False),
    ("mediator", _("Consumer mediator"), "mediator_name", True),
    ("mediator_contact", _("Mediator's address"), "mediator_contact", True),
    ("mediator_website", _("Mediator's website"), "mediator_website", True),
)


@dataclass(frozen=True)
class AgencyLegal:
    """One agency as the legal pages show it: `anchor` is its id on both pages."""

    agency: Agency
    items: list[LegalItem]
    schedule: fees.FeeSchedule
    infos: str = ""  # Gedeon `legal.infos`, HTML to sanitize
    extra: dict[str, Any] = field(default_factory=dict)
    title: str = ""  # the name, with where it trades when another agency shown shares it

    @property
    def anchor(self) -> str:
        return f"agence-{self.agency.pk}"


def site_agencies(site: Site) -> list[Agency]:
    """The agencies the site shows, by name: the published ones, and one the feed no
    longer lists while a listing of it is still shown (its ad links to its schedule)."""
    shown = Listing.objects.for_site(site).published().values("agency_id")
    return list(
        Agency.objects.for_site(site)
        .filter(Q(withdrawn_at__isnull=True) | Q(pk__in=shown))
        .order_by("name", "pk")
    )


def _title(agency: Agency, *, shared: bool) -> str:
    """The agency's name; "Agence du Parc (12 rue X, 69003 Lyon)" when another agency the
    site shows bears the same name, so a visitor tells their identities and schedules apart."""
    if not shared:
        return agency.name
    place = ", ".join(
        part
        for part in (agency.address.strip(), f"{agency.zip_code} {agency.city}".strip())
        if part
    )
    return f"{agency.name} ({place})" if place else agency.name


def agencies_legal(site: Site, agencies: list[Agency] | None = None) -> list[AgencyLegal]:
    """Every agency of the site with its identity and its one fee schedule."""
    agencies = site_agencies(site) if agencies is None else agencies
    tenant = site.tenant
    alone = tenant if tenant is not None and len(agencies) == 1 else None
    website_text = tenant.fee_schedule if tenant is not None else ""
    website_link = tenant.fee_schedule_url if tenant is not None else ""
    names = Counter(agency.name.strip().casefold() for agency in agencies)
    result = []
    for agency in agencies:
        legal = agency.legal if isinstance(agency.legal, dict) else {}
        result.append(
            AgencyLegal(
                agency=agency,
                items=agency_items(agency, fallback=alone),
                schedule=fees.agency_schedule(
                    agency, website_text=website_text, website_link=website_link
                ),
                infos=upstream_text(legal.get("infos")),
                title=_title(agency, shared=names[agency.name.strip().casefold()] > 1),
            )
        )
    return result


def director(site: Site) -> str:
    tenant = site.tenant
    chosen = tenant.publication_director.strip() if tenant is not None else ""
    return chosen or settings.LEGAL_PUBLICATION_DIRECTOR


def host(site: Site) -> str:
    """The host's name, address and phone (LCEN art. 6-III, W2)."""
    tenant = site.tenant
    chosen = tenant.host_details.strip() if tenant is not None else ""
    if chosen:
        return chosen
    parts = (settings.LEGAL_HOST_NAME, settings.LEGAL_HOST_ADDRESS, settings.LEGAL_HOST_PHONE)
    return ", ".join(p for p in parts if p)


def site_items(site: Site) -> list[LegalItem]:
    """The publisher's items, then the director of publication and the host."""
    tenant = site.tenant
    items = [
        LegalItem(key, label, str(getattr(tenant, name, "") or "").strip(), mandatory)
        for key, label, name, mandatory in SITE_ITEMS
    ]
    items.append(LegalItem("director", _("Publication director"), director(site)))
    items.append(LegalItem("host", _("Host"), host(site)))
    return items


def missing_legal_items(site: Site) -> list[str]:
    """Labels of the mandatory items no source gives, an agency's prefixed with its name
    (e.g. "Agence du Parc: Professional card")."""
    missing = [str(i.label) for i in site_items(site) if i.mandatory and not i.value]
    for entry in agencies_legal(site):
        missing.extend(
            f"{entry.title}: {item.label}"
            for item in entry.items
            if item.mandatory and not item.value
        )
        if entry.schedule.is_empty:
            missing.append(f"{entry.title}: {_('Fee schedule')}")
    return missing


def company_names(site: Site) -> list[str]:
    """Who is responsible for the site's data: the publisher, else each agency's company."""
    tenant = site.tenant
    if tenant is not None and tenant.company_name.strip():
        return [tenant.company_name.strip()]
    names = []
    for entry in agencies_legal(site):
        name = next((i.value for i in entry.items if i.key == "company" and i.value), "")
        names.append(name or entry.agency.name)
    return list(dict.fromkeys(names))
