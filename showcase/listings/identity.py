"""An agency's legal identity (docs/legal.md W1, W3-W6): the agent's entry on the agency
in the admin first, then its feed (Gedeon `legal`, Apimo company data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from showcase.listings.models import Agency


@dataclass(frozen=True)
class LegalItem:
    key: str
    label: Promise
    value: str
    mandatory: bool = True


# (key, label, Agency/Tenant field, Gedeon `legal` keys): an agency's identity (W1, W3-W6).
AGENCY_ITEMS: tuple[tuple[str, Promise, str, tuple[str, ...]], ...] = (
    ("company", _("Company name"), "company_name", ("raison_sociale",)),
    ("legal_form", _("Legal form and share capital"), "legal_form", ("forme_juridique",)),
    ("office", _("Registered office"), "registered_office", ("adresse_societe",)),
    ("rcs", _("Trade register (RCS)"), "rcs", ("rcs",)),
    ("card", _("Professional card"), "professional_card", ("no_carte_pro",)),
    ("card_issuer", _("Card issued by"), "card_issuer", ("prefecture",)),
    ("guarantee", _("Financial guarantee"), "financial_guarantee", ("garantie_etablissement",)),
    ("guarantee_amount", _("Guarantee amount"), "guarantee_amount", ("garantie_montant",)),
    ("insurer", _("Professional liability insurance"), "rcp_insurer", ("rcp_nom",)),
)


def upstream_text(value: Any) -> str:
    """A value of the feed's `legal` block as text: a string or a number ("RCS 123",
    123456789); "" for a list, an object, a boolean or nothing, never their repr."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def agency_items(agency: Agency, *, fallback: Any = None) -> list[LegalItem]:
    """The agency's identity: its admin field, else its feed's `legal`, else `fallback`'s
    field of the same name (the website, for a site showing this agency alone)."""
    legal: dict[str, Any] = agency.legal if isinstance(agency.legal, dict) else {}
    items = []
    for key, label, name, upstream_keys in AGENCY_ITEMS:
        value = str(getattr(agency, name, "") or "").strip()
        if not value:
            value = next((v for k in upstream_keys if (v := upstream_text(legal.get(k)))), "")
        if not value and fallback is not None:
            value = str(getattr(fallback, name, "") or "").strip()
        items.append(LegalItem(key, label, value))
    address = ", ".join(
        p for p in (agency.address, f"{agency.zip_code} {agency.city}".strip()) if p
    )
    items.append(LegalItem("address", _("Agency address"), address, False))
    items.append(LegalItem("agency_phone", _("Phone"), agency.phone, False))
    email = agency.emails[0] if agency.emails else ""
    items.append(LegalItem("agency_email", _("E-mail"), str(email), False))
    return items
