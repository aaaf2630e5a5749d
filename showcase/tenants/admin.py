from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from showcase.core.admin import SiteScopedAdmin
from showcase.tenants.branding import logo_from_upload
from showcase.tenants.legal import missing_legal_items
from showcase.tenants.models import Domain, Tenant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCOPE_FIELDS = ("feeds", "agency_ids", "transactions", "agents")
BRANDING_FIELDS = (
    "logo",
    "primary_colour",
    "accent_colour",
    "default_language",
    "languages",
    "text_format",
    "lead_email",
)
EMBED_FIELDS = ("frame_origins", "embed_link_target")
LEGAL_FIELDS = (
    "company_name",
    "legal_form",
    "share_capital",
    "registered_office",
    "rcs",
    "vat_number",
    "phone",
    "email",
    "professional_card",
    "card_issuer",
    "card_activities",
    "financial_guarantee",
    "guarantee_amount",
    "holds_no_funds",
    "rcp_insurer",
    "mediator_name",
    "mediator_contact",
    "mediator_website",
    "publication_director",
    "host_details",
)
FEE_FIELDS = ("fee_schedule", "fee_schedule_url")


class TenantForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = [
            "name",
            "slug",
            *SCOPE_FIELDS,
            *BRANDING_FIELDS,
            *EMBED_FIELDS,
            *LEGAL_FIELDS,
            *FEE_FIELDS,
        ]

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return logo_from_upload(logo)
        return logo


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 1


@admin.register(Tenant)
class TenantAdmin(SiteScopedAdmin):
    form = TenantForm
    inlines = [DomainInline]
    list_display = ["name", "primary_domain", "legal_status"]
    search_fields = ["name", "domains__host"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["feeds", "agents"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "missing_items"]}),
        (_("Scope: what the site shows"), {"fields": SCOPE_FIELDS}),
        (_("Branding"), {"fields": BRANDING_FIELDS}),
        (_("Embedding in the agency's own site"), {"fields": EMBED_FIELDS}),
        (_("Legal notice"), {"fields": LEGAL_FIELDS}),
        (_("Fees"), {"fields": FEE_FIELDS}),
    ]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("domains")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Agents run their site; what it shows and who runs it is the operator's call.
        return (
            ["missing_items"]
            if request.user.is_superuser
            else ["missing_items", "slug", *SCOPE_FIELDS]
        )

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return self.prepopulated_fields if request.user.is_superuser else {}

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return self.inlines if request.user.is_superuser else []

    @admin.display(description=_("primary domain"))
    def primary_domain(self, tenant: Tenant) -> str:
        return next((d.host for d in tenant.domains.all() if d.is_primary), "—")

    @admin.display(description=_("legal notice"))
    def legal_status(self, tenant: Tenant) -> StrOrPromise:
        missing = missing_legal_items(tenant.site())
        if not missing:
            return _("complete")
        return format_html(
            '<span style="color:#b00020">{}</span>',
            _("%(count)d item(s) missing") % {"count": len(missing)},
        )

    @admin.display(description=_("missing legal items"))
    def missing_items(self, tenant: Tenant) -> StrOrPromise:
        if tenant.pk is None:
            return "—"
        missing = missing_legal_items(tenant.site())
        if not missing:
            return _("Nothing missing: the legal notice is complete.")
        return format_html(
            '<p style="color:#b00020">{}</p><ul>{}</ul>',
            _(
                "The legal notice lacks these mandatory items (neither filled in here nor sent by the feeds):"
            ),
            format_html_join("", "<li>{}</li>", ((item,) for item in missing)),
        )
