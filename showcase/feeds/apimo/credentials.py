"""The Feed fields an Apimo feed needs: basic auth `provider:token`, and the agency id."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from showcase.feeds.providers import Credential

# The admin says the same thing under each field: the field's label names it.
_NEEDED = _("An Apimo feed needs this.")

CREDENTIALS = (
    Credential(
        field="provider_id",
        option="--provider",
        help="Apimo provider id.",
        cli_message="An Apimo feed needs --provider.",
        admin_message=_NEEDED,
    ),
    Credential(
        field="token",
        option="--token",
        help="Apimo token.",
        cli_message="An Apimo feed needs --token.",
        admin_message=_NEEDED,
    ),
    Credential(
        field="upstream_agency_id",
        option="--agency",
        help="Apimo agency id.",
        cli_message="An Apimo feed needs --agency.",
        admin_message=_NEEDED,
    ),
)
