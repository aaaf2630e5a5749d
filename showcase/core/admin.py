"""Row-level admin scoping: agents see and change only their own sites' rows.

Agents are staff users attached to tenants (`Tenant.agents`); superusers (operators)
see everything. Every scoped model's QuerySet has `visible_to(user)` (showcase.core.scope);
`SiteScopedAdmin` applies it to change lists, object pages, foreign-key choices,
autocomplete and the related-object filters, and `view_on_site` refuses rows the agent
may not see, so no admin page confirms that another site's row exists.
"""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from showcase.core.scope import SiteScopedQuerySet


def is_agent(request: HttpRequest) -> bool:
    """An active staff user who is a superuser or works for at least one site."""
    user: Any = request.user
    return bool(user.is_active and user.is_staff and (user.is_superuser or user.tenants.exists()))


def visible(queryset: QuerySet, user: Any) -> QuerySet:
    """`queryset` narrowed to what `user` may see or pick in the back office.

    Users (assignees) an agent may pick are the agents of their own sites; a model with no
    `visible_to` is the operator's alone."""
    if user.is_superuser:
        return queryset
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    if queryset.model is get_user_model():
        return queryset.filter(tenants__agents=user).distinct()
    return queryset.none()


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A foreign-key filter whose choices are only the related rows the user may see."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list:
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = visible(field.related_model._default_manager.all(), request.user)
        if ordering:
            related = related.order_by(*ordering)
        return [(row.pk, str(row)) for row in related]


class SiteListFilter(admin.SimpleListFilter):
    """Filter by agency website, offering only the sites the user works for."""

    title = _("agency website")
    parameter_name = "site"

    def _tenants(self, request: HttpRequest) -> QuerySet:
        return apps.get_model("tenants", "Tenant").objects.visible_to(request.user)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(str(t.pk), t.name) for t in self._tenants(request)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        tenant = self._tenants(request).filter(pk=value).first() if value.isdecimal() else None
        # Listed only on SiteScopedAdmin pages, whose change lists are scoped QuerySets.
        scoped = cast(SiteScopedQuerySet[Any], queryset)
        return scoped.for_site(tenant.site()) if tenant else queryset.none()


def _unscoped_related_filter(filter_class: Any) -> bool:
    return (
        isinstance(filter_class, type)
        and issubclass(filter_class, admin.RelatedFieldListFilter)
        and not issubclass(filter_class, ScopedRelatedFieldListFilter)
    )


class BoundedChangeList(ChangeList):
    """A change list whose date drill-down (`date_hierarchy`) takes any number: Django
    builds a datetime from `?<field>__year=` and friends and lets an OverflowError (a
    25-digit year) or a ValueError past year 9999 escape as a server error; both are a bad
    filter here, like any other (a redirect to "?e=1")."""

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class SiteScopedAdmin(admin.ModelAdmin):
    """Admin of a model whose QuerySet has `visible_to(user)`."""

    agents_may_add = False
    agents_may_delete = False

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedChangeList

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible(super().get_queryset(request), request.user)

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return visible(self.model._default_manager.filter(pk=obj.pk), request.user).exists()

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

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and field.queryset is not None:
            field.queryset = visible(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and field.queryset is not None:
            field.queryset = visible(field.queryset, request.user)
        return field

    def get_list_filter(self, request: HttpRequest) -> Any:
        """Filters over a relation (a field name or a `a__b` path; foreign key, one-to-one,
        many-to-many or reverse) list only the related rows the user may see: Django's own
        list every row of the related table, e.g. every site's feed names."""
        scoped: list[Any] = []
        item: Any
        for item in super().get_list_filter(request):
            path: Any
            if isinstance(item, str):
                path = item
            elif isinstance(item, tuple) and _unscoped_related_filter(item[1]):
                path = item[0]
            else:  # a custom filter: it builds its own choices
                scoped.append(item)
                continue
            if get_fields_from_path(self.model, path)[-1].is_relation:
                item = (path, ScopedRelatedFieldListFilter)
            scoped.append(item)
        return scoped


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's "view on site" redirect (`/admin/r/<type>/<id>/`), for staff only and
    only for rows the user may see: others answer 404 like rows that do not exist."""
    if not is_agent(request):
        raise Http404
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    if model is None:
        raise Http404
    try:
        found = visible(model._default_manager.filter(pk=object_id), request.user).exists()
    except (ValueError, ValidationError) as exc:  # an id of the wrong shape
        raise Http404 from exc
    if not found:
        raise Http404
    return shortcut(request, content_type_id, object_id)
