"""Row-level admin scoping: agents see and change only their own sites' objects.

Agents are staff users attached to tenants (`Tenant.agents`); superusers see all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from showcase.tenants.models import Tenant


def is_agent(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and (user.is_superuser or user.tenants.exists()))


def agent_tenants(request: HttpRequest) -> QuerySet:
    if request.user.is_superuser:
        return Tenant.objects.all()
    return Tenant.objects.filter(agents=request.user)


class TenantScopedAdmin(admin.ModelAdmin):
    """`tenant_path` is the lookup from the model to Tenant ("" for Tenant itself)."""

    tenant_path = "tenant"
    agents_may_add = False
    agents_may_delete = False

    def scope(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if request.user.is_superuser:
            return queryset
        lookup = f"{self.tenant_path}__agents" if self.tenant_path else "agents"
        return queryset.filter(**{lookup: request.user}).distinct()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope(request, super().get_queryset(request))

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self.scope(request, self.model._default_manager.filter(pk=obj.pk)).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_agent(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_agent(request) and self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_agent(request) and self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser or (self.agents_may_add and is_agent(request))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if request.user.is_superuser:
            return True
        return self.agents_may_delete and is_agent(request) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = scoped_choices(request, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = scoped_choices(request, field.queryset)
        return field


SCOPE_PATHS = {
    "tenant": "agents",
    "feed": "tenants__agents",
    "listing": "feed__tenants__agents",
    "agency": "feed__tenants__agents",
    "lead": "tenant__agents",
    "user": "tenants__in",
}


def scoped_choices(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """Foreign-key choices an agent may pick: only their tenants' objects."""
    name = queryset.model._meta.model_name
    if name == "user":
        # Assignees: the agents of the same tenants.
        return queryset.filter(tenants__in=agent_tenants(request)).distinct()
    path = SCOPE_PATHS.get(name)
    if path is None:
        return queryset.none()
    return queryset.filter(**{path: request.user}).distinct()


class AgentTenantFilter(admin.SimpleListFilter):
    """Filter by site, listing only the sites the agent works for."""

    title = _("agency website")
    parameter_name = "site"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(str(t.pk), t.name) for t in agent_tenants(request)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit() and agent_tenants(request).filter(pk=value).exists():
            return queryset.filter(tenant_id=value)
        return queryset
