from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from showcase.core.admin import SiteListFilter, SiteScopedAdmin
from showcase.listings import compliance
from showcase.listings.models import AGENT_FIELDS, Agency, Listing, ListingQuerySet
from showcase.listings.photos import sized_url

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("live", _("live")), ("withdrawn", _("withdrawn")), ("hidden", _("hidden"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        listings = cast(ListingQuerySet, queryset)  # this filter is on ListingAdmin only
        if self.value() == "live":
            return listings.published()
        if self.value() == "withdrawn":
            return listings.withdrawn()
        if self.value() == "hidden":
            return queryset.filter(hidden=True)
        return queryset


class ComplianceFilter(admin.SimpleListFilter):
    title = _("compliance")
    parameter_name = "compliance"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("ok", _("compliant")), ("issues", _("something missing"))] + [
            (code, code) for code in compliance.RULES
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "ok":
            return queryset.filter(is_compliant=True)
        if value == "issues":
            return queryset.filter(is_compliant=False)
        if value in compliance.RULES:
            return queryset.filter(is_compliant=False, compliance_issues__icontains=value)
        return queryset


class ListingPanel(Protocol):
    """A block another app shows on the change page of some listings, with the admin pages
    it links to: the hook through which the feeds app adds a provider's actions upstream
    (e.g. Apimo's, showcase/feeds/apimo/admin_actions.py) while this admin knows nothing
    about feeds or providers. Added with `ListingAdmin.add_panel()`."""

    field: str  # the read-only field that shows the panel (a name no Listing field has)
    title: StrOrPromise  # the panel's fieldset title
    label: StrOrPromise  # the field's label

    def applies_to(self, listing: Listing) -> bool: ...

    def render(self, model_admin: admin.ModelAdmin, listing: Listing) -> str:
        """The panel's HTML (safe), for a listing it applies to."""
        ...

    def get_urls(self, model_admin: admin.ModelAdmin) -> list[URLPattern]:
        """The panel's pages, served under each listing's admin URL (`<object_id>/...`)."""
        ...


@admin.register(Listing)
class ListingAdmin(SiteScopedAdmin):
    list_display = [
        "thumbnail",
        "title",
        "reference",
        "transaction",
        "property_type",
        "city",
        "price",
        "status",
        "compliance_badge",
        "featured",
        "hidden",
    ]
    list_display_links = ["thumbnail", "title"]
    list_filter = [
        SiteListFilter,
        "feed",
        StatusFilter,
        ComplianceFilter,
        "transaction",
        "property_type",
        "city",
    ]
    list_select_related = ["feed", "agency"]
    search_fields = ["reference", "upstream_id", "mandate", "title", "city"]
    list_per_page = 50
    fieldsets = [
        (_("Agent settings (never overwritten by a sync)"), {"fields": AGENT_FIELDS}),
        (_("Legal compliance"), {"fields": ["compliance_panel"]}),
        (
            _("Synced from the feed (read only)"),
            {
                "classes": ["collapse"],
                "fields": [
                    "feed",
                    "upstream_id",
                    "agency",
                    "reference",
                    "mandate",
                    "title",
                    "transaction",
                    "property_type",
                    "property_subtype",
                    "price",
                    "price_hidden",
                    "price_excluding_fees",
                    "fees_percent",
                    "fees_paid_by",
                    "charges",
                    "deposit",
                    "tenant_fees",
                    "inventory_fees",
                    "surface",
                    "rooms",
                    "bedrooms",
                    "city",
                    "zip_code",
                    "dpe_letter",
                    "dpe_value",
                    "ges_letter",
                    "ges_value",
                    "dpe_date",
                    "energy_cost_min",
                    "energy_cost_max",
                    "energy_cost_reference",
                    "copropriete",
                    "copropriete_lots",
                    "copropriete_charges",
                    "published_at",
                    "first_seen_at",
                    "last_seen_at",
                    "withdrawn_at",
                ],
            },
        ),
    ]

    # What other apps add to the change page (see ListingPanel), in the order added.
    panels: ClassVar[tuple[ListingPanel, ...]] = ()

    @classmethod
    def add_panel(cls, panel: ListingPanel) -> None:
        """Serve `panel`'s pages and show it, after the agent settings, on the change page
        of the listings it applies to. Adding a panel whose field is taken does nothing."""
        if any(added.field == panel.field for added in cls.panels):
            return

        def show(model_admin: ListingAdmin, listing: Listing) -> str:
            return panel.render(model_admin, listing)

        # The admin reads a read-only field from a ModelAdmin attribute of that name.
        setattr(cls, panel.field, admin.display(description=panel.label)(show))
        cls.panels = (*cls.panels, panel)

    def get_urls(self) -> list[Any]:
        own = [url for panel in self.panels for url in panel.get_urls(self)]
        return [*own, *super().get_urls()]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("photos")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets[1:1] = [
                (panel.title, {"fields": [panel.field]})
                for panel in self.panels
                if panel.applies_to(obj)
            ]
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        synced = [f.name for f in Listing._meta.fields if f.name not in AGENT_FIELDS]
        return [*synced, "compliance_panel", *(panel.field for panel in self.panels)]

    @admin.display(description=_("photo"))
    def thumbnail(self, listing: Listing) -> str:
        photos = list(listing.photos.all())
        if not photos:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="80" height="60" style="object-fit:cover">',
            sized_url(photos[0].url, 100),
        )

    @admin.display(description=_("status"))
    def status(self, listing: Listing) -> StrOrPromise:
        if listing.withdrawn_at:
            return _("withdrawn")
        return _("hidden") if listing.hidden else _("live")

    @admin.display(description=_("compliance"), boolean=True, ordering="is_compliant")
    def compliance_badge(self, listing: Listing) -> bool:
        return listing.is_compliant

    @admin.display(description=_("what a legal publication needs"))
    def compliance_panel(self, listing: Listing) -> StrOrPromise:
        rules = compliance.verdict(listing)
        if not rules:
            return _("Nothing missing according to the rules we check.")
        return format_html(
            "<ul>{}</ul><p>{}</p>",
            format_html_join(
                "",
                "<li><strong>{}</strong> ({}) : {}</li>",
                ((r.code, r.severity, r.message) for r in rules),
            ),
            _("Fix these in the agency software: the next sync brings the corrections here."),
        )


@admin.register(Agency)
class AgencyAdmin(SiteScopedAdmin):
    list_display = ["name", "city", "phone", "feed", "withdrawn_at"]
    list_filter = ["feed"]
    search_fields = ["name", "city", "upstream_id"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Agency._meta.fields]
