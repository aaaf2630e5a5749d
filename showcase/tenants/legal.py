"""The agency's legal information (docs/legal.md §4): from the admin first, then the feeds.

Nothing is invented: what neither source gives is listed as missing to the agent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from showcase.core.site import Site
from showcase.listings.models import Agency


@dataclass(frozen=True)
class LegalItem:
    key: str
    label: Promise
    value: str
    mandatory: bool = True


# (key, label, tenant field, Gedeon `legal` keys, mandatory)
ITEMS: tuple[tuple[str, Promise, str, tuple[str, ...], bool], ...] = (
    ("company", _("Company name"), "company_name", ("raison_sociale",), True),
    ("legal_form", _("Legal form and share capital"), "legal_form", ("forme_juridique",), True),
    ("capital", _("Share capital"), "share_capital", (), False),
    ("office", _("Registered office"), "registered_office", ("adresse_societe",), True),
    ("rcs", _("Trade register (RCS)"), "rcs", ("rcs",), True),
    ("vat", _("VAT number"), "vat_number", (), False),
    ("phone", _("Phone"), "phone", (), True),
    ("email", _("E-mail"), "email", (), True),
    ("card", _("Professional card"), "professional_card", ("no_carte_pro",), True),
    ("card_issuer", _("Card issued by"), "card_issuer", ("prefecture",), True),
    ("card_activities", _("Activities on the card"), "card_activities", (), False),
    (
        "guarantee",
        _("Financial guarantee"),
        "financial_guarantee",
        ("garantie_etablissement",),
        True,
    ),
    ("guarantee_amount", _("Guarantee amount"), "guarantee_amount", ("garantie_montant",), True),
    ("insurer", _("Professional liability insurance"), "rcp_insurer", ("rcp_nom",), True),
    ("mediator", _("Consumer mediator"), "mediator_name", (), True),
    ("mediator_contact", _("Mediator's address"), "mediator_contact", (), True),
    ("mediator_website", _("Mediator's website"), "mediator_website", (), True),
    ("director", _("Publication director"), "publication_director", (), True),
    ("host", _("Host"), "host_details", (), True),
)


def source_agency(site: Site) -> Agency | None:
    """The agency whose feed data fills the gaps: the first one with a legal block."""
    agencies = Agency.objects.for_site(site).published().exclude(legal={}).order_by("pk")
    return agencies.first()


def legal_items(site: Site, agency: Agency | None = None) -> list[LegalItem]:
    agency = agency if agency is not None else source_agency(site)
    tenant = site.tenant
    legal: dict[str, Any] = agency.legal if agency is not None else {}
    items = []
    for key, label, field, upstream_keys, mandatory in ITEMS:
        value = str(getattr(tenant, field, "") or "").strip() if tenant is not None else ""
        if not value:
            value = next((str(legal[k]).strip() for k in upstream_keys if legal.get(k)), "")
        if not value and agency is not None:
            if key == "phone":
                value = agency.phone
            elif key == "email" and agency.emails:
                value = agency.emails[0]
        items.append(LegalItem(key, label, value, mandatory))
    return items


def missing_legal_items(site: Site) -> list[str]:
    """Labels of the mandatory items neither the admin nor the feeds give."""
    return [str(item.label) for item in legal_items(site) if item.mandatory and not item.value]


def fee_schedule_html(site: Site) -> tuple[str, str]:
    """(HTML to sanitize, link): the admin's text, else Gedeon `honoraires`/`url_bareme`."""
    tenant = site.tenant
    if tenant is not None and (tenant.fee_schedule or tenant.fee_schedule_url):
        return tenant.fee_schedule, tenant.fee_schedule_url
    agency = source_agency(site)
    if agency is None:
        return "", ""
    return str(agency.legal.get("honoraires") or ""), str(agency.legal.get("url_bareme") or "")


def fee_rates(site: Site) -> list[dict[str, Any]]:
    """Apimo agency `rates[]`, when the feeds carry them."""
    agencies = Agency.objects.for_site(site).published().exclude(rates=[])
    rates: list[dict[str, Any]] = []
    for agency in agencies[:5]:
        rates.extend(r for r in agency.rates if isinstance(r, dict))
    return rates
