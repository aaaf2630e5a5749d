"""What a provider declares to the rest of the feeds app; registry.py lists them.

A provider is one folder under showcase/feeds/ (client, mapping, credentials, and the
admin actions it may offer) whose `provider.py` exports one `ProviderSpec` as
`PROVIDER`. The command, the admin form and the sync engine read the registry only,
never a provider's modules (README, "Adding a provider").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from showcase.feeds.models import Feed
from showcase.feeds.records import Provider

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from showcase.listings.admin import ListingPanel


@dataclass(frozen=True)
class Credential:
    """One Feed field a provider needs, and how each caller says that it is missing.

    The `feeds add` command fills it from `option` and reports `cli_message` (English,
    names the option); the admin form reports `admin_message` (translated) under the field.
    """

    field: str  # a Feed field: "api_key", "provider_id", "token", "upstream_agency_id"
    option: str  # the `manage.py feeds add <kind>` option, e.g. "--key"
    help: str  # the option's help text
    cli_message: str
    admin_message: StrOrPromise

    @property
    def dest(self) -> str:
        """The argparse destination of `option` ("--key" -> "key")."""
        return self.option.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class ProviderSpec:
    """Everything the feeds app needs to know about one upstream provider."""

    kind: str  # a FeedKind value (showcase/feeds/models.py)
    cli_help: str  # the `feeds add <kind>` help, e.g. "A Gedeon feed."
    credentials: tuple[Credential, ...]
    # The provider's own API hosts: credentials go there (https) or to the hosts the
    # operator allows in settings.FEEDS_EXTRA_ALLOWED_HOSTS, nowhere else.
    official_hosts: tuple[str, ...]
    # Builds the adapter the sync engine drives (pages, ids, mapping, agencies, cursor).
    source: Callable[[Feed], Provider]
    # A panel for the listing change page (admin actions upstream), if the provider has one.
    listing_panel: ListingPanel | None = None

    def missing_credentials(self, values: Mapping[str, Any]) -> list[Credential]:
        """The credentials with an empty value in `values` (a field name -> value mapping:
        a form's cleaned data, or a Feed's fields), in declaration order."""
        return [c for c in self.credentials if not values.get(c.field)]
