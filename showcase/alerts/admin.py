from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from showcase.alerts.models import Alert
from showcase.core.admin import SiteScopedAdmin
from showcase.listings.templatetags.criteria_tags import criteria_sentence, query_criteria

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Counted(TypedDict):
    item_count: int  # annotated by AlertAdmin.get_queryset


@admin.register(Alert)
class AlertAdmin(SiteScopedAdmin):
    agents_may_delete = True
    list_display = ("email", "tenant", "criteria", "frequency", "confirmed", "last_sent_at", "sent")
    list_filter = ("frequency", ("confirmed_at", admin.EmptyFieldListFilter))
    list_select_related = ("tenant",)
    search_fields = ("email", "query")
    date_hierarchy = "created_at"
    readonly_fields = (
        "tenant",
        "email",
        "query",
        "language",
        "base_url",
        "created_at",
        "confirmed_at",
        "last_sent_at",
    )
    fields = readonly_fields + ("frequency",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Alert]:
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("criteria"), ordering="query")
    def criteria(self, obj: Alert) -> str:
        # Agencies by code: naming them would cost a query per row.
        return criteria_sentence(query_criteria(obj.query, None))

    @admin.display(boolean=True, description=_("confirmed"), ordering="confirmed_at")
    def confirmed(self, obj: Alert) -> bool:
        return obj.confirmed_at is not None

    @admin.display(description=_("listings known"), ordering="item_count")
    def sent(self, obj: WithAnnotations[Alert, _Counted]) -> int:
        return obj.item_count
