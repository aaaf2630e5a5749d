from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from showcase.core.admin import SiteListFilter, SiteScopedAdmin
from showcase.leads.models import Lead, LeadKind, LeadStatus, Upstream, Valuation
from showcase.leads.services import (
    lead_notify_again,
    leads_forget_messages,
    person_export,
    person_leads,
    valuation_retry_now,
)

CSV_COLUMNS = [
    "created_at",
    "name",
    "email",
    "phone",
    "listing_label",
    "message",
    "status",
    "notification_status",
]


VALUATION_FIELDS = (
    "property_type",
    "city",
    "zip_code",
    "surface",
    "rooms",
    "upstream_status",
    "upstream_id",
    "upstream_feed",
    "upstream_reference",
    "upstream_attempts",
    "upstream_next_attempt_at",
    "upstream_created_at",
    "upstream_last_error",
)

SETTLED_HIDDEN = ("upstream_attempts", "upstream_next_attempt_at", "upstream_last_error")


class ValuationInline(admin.StackedInline):
    """A seller's property and its creation on Apimo (id, attempts, last error), read-only."""

    model = Valuation
    fields = VALUATION_FIELDS
    readonly_fields = VALUATION_FIELDS
    can_delete = False
    extra = 0
    max_num = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once created upstream (or never to be), attempts and the next attempt mean nothing.
        valuation = getattr(obj, "valuation", None) if obj is not None else None
        if valuation is not None and valuation.upstream_status in (Upstream.CREATED, Upstream.NONE):
            return [f for f in VALUATION_FIELDS if f not in SETTLED_HIDDEN]
        return list(VALUATION_FIELDS)


# The lead page's fields, in order; all but the status and assignee are read-only.
FIELDS = (
    "status",
    "assignee",
    "name",
    "email",
    "phone",
    "message",
    "kind",
    "listing_link",
    "consent",
    "language",
    "created_at",
    "recipient",
    "notification_status",
    "attempts",
    "notified_at",
    "next_attempt_at",
    "last_error",
    "acknowledgement",
)


def _safe_cell(value: Any) -> str:
    # Spreadsheets run cells starting with = + - @ as formulas (CSV injection).
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@admin.register(Lead)
class LeadAdmin(SiteScopedAdmin):
    agents_may_delete = True
    list_display = [
        "created_at",
        "name",
        "email",
        "kind",
        "listing_link",
        "status",
        "assignee",
        "delivery",
        "apimo",
    ]
    list_filter = ["kind", "status", "notification_status", SiteListFilter]
    list_select_related = ["listing", "assignee", "tenant", "valuation"]
    inlines = [ValuationInline]
    search_fields = ["name", "email", "phone", "listing_label", "message"]
    date_hierarchy = "created_at"
    actions = [
        "mark_answered",
        "mark_in_progress",
        "mark_spam",
        "resend",
        "create_on_apimo",
        "export_csv",
        "export_person",
        "erase_person",
    ]
    fields = FIELDS

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A seller's request is about their property, not one of the site's listings.
        if obj is not None and obj.kind == LeadKind.VALUATION:
            return [("property_to_value" if f == "listing_link" else f) for f in FIELDS]
        return list(FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f for f in self.get_fields(request, obj) if f not in ("status", "assignee")]

    @admin.display(description=_("Property to value"))
    def property_to_value(self, lead: Lead) -> str:
        return lead.listing_label or "—"

    @admin.display(description=_("listing"))
    def listing_link(self, lead: Lead) -> str:
        if lead.listing is not None:  # no query without a listing_id
            return format_html(
                '<a href="{}">{}</a>',
                lead.listing.get_absolute_url(),
                lead.listing_label or lead.listing,
            )
        return lead.listing_label or "—"

    @admin.display(description=_("notification"), ordering="notification_status")
    def delivery(self, lead: Lead) -> str:
        colour = {"sent": "#0a6b2d", "failed": "#b35c00", "gave_up": "#b00020"}.get(
            lead.notification_status, "#555"
        )
        return format_html(
            '<span style="color:{}">{}</span>', colour, lead.get_notification_status_display()
        )

    @admin.display(description=_("Apimo property"))
    def apimo(self, lead: Lead) -> str:
        try:
            valuation = lead.valuation
        except Valuation.DoesNotExist:
            return "—"
        if valuation.upstream_status == Upstream.NONE:
            return "—"
        colour = {"created": "#0a6b2d", "failed": "#b35c00", "gave_up": "#b00020"}.get(
            valuation.upstream_status, "#555"
        )
        label = valuation.get_upstream_status_display()
        if valuation.upstream_id:
            label = f"{label} ({valuation.upstream_id})"
        return format_html('<span style="color:{}">{}</span>', colour, label)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        count = queryset.update(status=status)
        self.message_user(
            request, _("%(count)d lead(s) updated.") % {"count": count}, messages.SUCCESS
        )

    @admin.action(description=_("Mark as answered"))
    def mark_answered(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, LeadStatus.ANSWERED)

    @admin.action(description=_("Mark as in progress"))
    def mark_in_progress(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, LeadStatus.IN_PROGRESS)

    @admin.action(description=_("Mark as spam"))
    def mark_spam(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, LeadStatus.SPAM)

    @admin.action(description=_("Send the notification again"))
    def resend(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Queued, not sent here: the admin page must not wait on the mail server either.
        leads = list(queryset)
        queued = sum(1 for lead in leads if lead_notify_again(lead))
        failed = len(leads) - queued
        self.message_user(
            request,
            _(
                "%(queued)d notification(s) will be sent within minutes, %(failed)d could not "
                "be queued (see each lead's last error)."
            )
            % {"queued": queued, "failed": failed},
            messages.SUCCESS if not failed else messages.WARNING,
        )

    @admin.action(description=_("Create the property on Apimo again"))
    def create_on_apimo(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Made due, not sent here: `leads retry` (cron) calls Apimo, outside any request.
        valuations = Valuation.objects.filter(lead__in=queryset)
        due = sum(1 for valuation in valuations if valuation_retry_now(valuation))
        self.message_user(
            request,
            _("%(count)d property(ies) will be created on Apimo within minutes.") % {"count": due},
            messages.SUCCESS if due else messages.WARNING,
        )

    @admin.action(description=_("Export the selection (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="leads-{timezone.localdate():%Y%m%d}.csv"'
        )
        response.write("\ufeff")  # so spreadsheet software reads UTF-8
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for lead in queryset:
            writer.writerow([_safe_cell(getattr(lead, column)) for column in CSV_COLUMNS])
        return response

    @admin.action(description=_("Export everything about these people (JSON, right of access)"))
    def export_person(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        scoped = self.get_queryset(request)
        emails = sorted({lead.email.lower() for lead in queryset})
        data = {email: person_export(scoped, email) for email in emails}
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description=_("Erase everything about these people (right to erasure)"))
    def erase_person(self, request: HttpRequest, queryset: QuerySet) -> None:
        scoped = self.get_queryset(request)
        emails = {lead.email.lower() for lead in queryset}
        deleted = 0
        for email in emails:
            leads = person_leads(scoped, email)
            deleted += leads_forget_messages(leads)
            count, _detail = leads.delete()
            deleted += count
        self.message_user(
            request,
            _("%(count)d record(s) erased for %(people)d person(s).")
            % {"count": deleted, "people": len(emails)},
            messages.SUCCESS,
        )
