from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from showcase.core.admin import SiteListFilter, SiteScopedAdmin, is_agent, visible
from showcase.listings import compliance, fees
from showcase.listings.identity import agency_items
from showcase.listings.models import (
    AGENT_FIELDS,
    Agency,
    Listing,
    ListingFlags,
    ListingQuerySet,
)
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
        # Hidden on the site picked in the "agency website" filter, else on any site the
        # user sees (an agent's own sites; every site for the operator).
        hidden: QuerySet[ListingFlags]
        if listings.scoped_site is not None:
            hidden = ListingFlags.objects.for_site(listings.scoped_site)
        else:
            hidden = visible(ListingFlags.objects.all(), request.user)
        hidden_ids = hidden.filter(hidden=True).values("listing_id")
        if self.value() == "live":
            return listings.live().exclude(pk__in=hidden_ids)
        if self.value() == "withdrawn":
            return listings.withdrawn()
        if self.value() == "hidden":
            return listings.filter(pk__in=hidden_ids)
        return queryset


class ComplianceFilter(admin.SimpleListFilter):
    title = _("compliance")
    parameter_name = "compliance"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("ok", _("compliant")), ("issues", _("something missing"))] + [
            (code, rule.label) for code, rule in compliance.RULES.items()
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


class ListingFlagsFormSet(forms.BaseInlineFormSet):
    """One row per site, for a site that shows the listing; agents set their own sites'
    rows only (the platform's row, no site, is the operator's)."""

    user: Any = None  # set by ListingFlagsInline.get_formset

    def clean(self) -> None:
        super().clean()
        listing = cast(Listing, self.instance)
        seen: set[int | None] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            tenant = data.get("tenant")
            if tenant is None and not self.user.is_superuser:
                form.add_error("tenant", gettext("Pick the agency website these flags are for."))
                continue
            key = tenant.pk if tenant is not None else None
            if key in seen:
                form.add_error("tenant", gettext("This website already has a row: edit that one."))
                continue
            seen.add(key)
            if tenant is not None and listing.pk is not None:
                shows = Listing.objects.for_site(tenant.site()).filter(pk=listing.pk).exists()
                if not shows:
                    form.add_error(
                        "tenant",
                        gettext("%(site)s does not show this listing.") % {"site": tenant.name},
                    )


class ListingFlagsInline(admin.TabularInline):
    """The agent flags of the listing, one row per site the user works for."""

    model = ListingFlags
    formset = ListingFlagsFormSet
    fields = ["tenant", *AGENT_FIELDS]
    extra = 0
    verbose_name = _("agent settings for a website (never overwritten by a sync)")
    verbose_name_plural = _("Agent settings (never overwritten by a sync)")
    # The admin's 40 x 10 note pushed the row past a 1366 px screen: a narrower, shorter box.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # An agent never sees, so never edits, another site's row.
        return visible(super().get_queryset(request), request.user).select_related("tenant")

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # A blank row only while one of the user's sites reading the feed has none yet.
        if obj is None:
            return 0
        rows = set(self.get_queryset(request).filter(listing=obj).values_list("tenant", flat=True))
        return int(
            any(t.pk not in rows for t in self._tenants(request, obj))
            or (request.user.is_superuser and None not in rows)
        )

    def _tenants(self, request: HttpRequest, listing: Listing | None = None) -> QuerySet:
        """The sites the user may pick: theirs, reading the listing's feed if one is given."""
        tenant_model = ListingFlags._meta.get_field("tenant").related_model
        tenants = visible(tenant_model._default_manager.all(), request.user)  # type: ignore[union-attr]
        return tenants.filter(feeds=listing.feed_id) if listing is not None else tenants

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:  # a fresh form class per call: narrowing its field is local
            tenant_field = cast(forms.ModelChoiceField, formset.form.base_fields["tenant"])
            tenant_field.queryset = self._tenants(request, obj)
        return type(formset.__name__, (formset,), {"user": request.user})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "tenant":
            tenants = self._tenants(request)
            kwargs["queryset"] = tenants
            if not request.user.is_superuser:
                kwargs["required"] = True
                kwargs["empty_label"] = None if len(tenants) == 1 else "---------"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_agent(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_agent(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_agent(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_agent(request)


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
        "site_flags",
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
    inlines = [ListingFlagsInline]
    fieldsets = [
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
                    "surface_carrez",
                    "rooms",
                    "bedrooms",
                    "city",
                    "zip_code",
                    "country",
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
        """Serve `panel`'s pages and show it, first, on the change page
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
        flags = visible(ListingFlags.objects.select_related("tenant"), request.user)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "photos", Prefetch("flags", queryset=flags, to_attr="site_flags_rows")
            )
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets[0:0] = [
                (panel.title, {"fields": [panel.field]})
                for panel in self.panels
                if panel.applies_to(obj)
            ]
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        synced = [f.name for f in Listing._meta.fields]
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
        return _("withdrawn") if listing.withdrawn_at else _("live")

    @admin.display(description=_("agent settings per website"))
    def site_flags(self, listing: Listing) -> str:
        """The flags of the sites the user sees, e.g. "Agence A: hidden, featured (2)"."""
        rows = []
        for flags in getattr(listing, "site_flags_rows", []):
            words = [gettext("hidden")] if flags.hidden else []
            if flags.featured:
                words.append(gettext("featured (%(order)d)") % {"order": flags.display_order})
            if words:
                site = flags.tenant.name if flags.tenant else gettext("platform")
                rows.append((site, ", ".join(words)))
        return format_html_join("", "<div>{}: {}</div>", rows) or "—"

    @admin.display(description=_("compliance"), boolean=True, ordering="is_compliant")
    def compliance_badge(self, listing: Listing) -> bool:
        return listing.is_compliant

    @admin.display(description=_("what a legal publication needs"))
    def compliance_panel(self, listing: Listing) -> StrOrPromise:
        """Each broken rule in words, this listing's case, then its code in small type."""
        found = compliance.findings(listing)
        if not found:
            return _("Nothing missing according to the rules we check.")
        return format_html(
            "<ul>{}</ul><p>{}</p>",
            format_html_join(
                "",
                "<li><strong>{}</strong> — {}{} <small>({}, {})</small></li>",
                (
                    (
                        f.rule.message,
                        compliance.SEVERITIES[f.rule.severity],
                        format_html("<br>{}", f.detail) if f.detail else "",
                        gettext("code"),
                        f.rule.code,
                    )
                    for f in found
                ),
            ),
            _("Fix these in the agency software: the next sync brings the corrections here."),
        )


# The agent's own entries on an agency: a sync never overwrites them (docs/legal.md §4).
AGENCY_LEGAL_FIELDS = [
    "company_name",
    "legal_form",
    "registered_office",
    "rcs",
    "professional_card",
    "card_issuer",
    "financial_guarantee",
    "guarantee_amount",
    "rcp_insurer",
]


@admin.register(Agency)
class AgencyAdmin(SiteScopedAdmin):
    list_display = ["name", "city", "phone", "feed", "schedule_source", "withdrawn_at"]
    list_filter = ["feed"]
    list_select_related = ["feed"]
    search_fields = ["name", "city", "upstream_id"]
    fieldsets = [
        (
            _("Legal identity (your entries win over the feed's)"),
            {"fields": ["legal_from_feed", *AGENCY_LEGAL_FIELDS]},
        ),
        (
            _("Fee schedule"),
            {"fields": ["schedule_source", "fee_schedule"]},
        ),
        (
            _("Synced from the feed (read only)"),
            {
                "classes": ["collapse"],
                "fields": [
                    "feed",
                    "upstream_id",
                    "name",
                    "slug",
                    "homepage",
                    "address",
                    "zip_code",
                    "city",
                    "phone",
                    "emails",
                    "opening_hours",
                    "first_seen_at",
                    "last_seen_at",
                    "withdrawn_at",
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        editable = {*AGENCY_LEGAL_FIELDS, "fee_schedule"}
        synced = [f.name for f in Agency._meta.fields if f.name not in editable]
        return [*synced, "legal_from_feed", "schedule_source"]

    @admin.display(description=_("fee schedule in use"))
    def schedule_source(self, agency: Agency) -> StrOrPromise:
        return {
            fees.SOURCE_ADMIN: _("entered in the admin"),
            fees.SOURCE_APIMO: _("sent by Apimo (rates)"),
            fees.SOURCE_GEDEON: _("sent by Gedeon (honoraires)"),
        }.get(fees.agency_schedule(agency).source, _("none"))

    @admin.display(description=_("sent by the feed"))
    def legal_from_feed(self, agency: Agency) -> str:
        from_feed = agency_items(Agency(legal=agency.legal))
        rows = [(item.label, item.value) for item in from_feed if item.value]
        return format_html_join("", "<div>{}: {}</div>", rows) or "—"

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "fee_schedule" in form.changed_data:
            # Its listings' stored verdict follows the new schedule now, not at the next
            # daily refresh.
            compliance.listings_compliance_refresh(agency=obj)
