"""Tenants: one agency website each, on its own domains, showing a scope of the cache."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from showcase.feeds.models import Feed


class Tenant(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    feeds = models.ManyToManyField(Feed, verbose_name=_("feeds"), related_name="tenants")
    # Optional narrowing of the feeds' catalogue (empty = everything).
    agency_ids = models.JSONField(_("upstream agency ids"), default=list, blank=True)
    transactions = models.JSONField(_("transaction kinds"), default=list, blank=True)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), related_name="tenants", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency website")
        verbose_name_plural = _("agency websites")

    def __str__(self) -> str:
        return self.name

    def scope(self, queryset, *, feed_path: str = "feed"):
        """Narrow a feed-owned queryset to what this tenant shows."""
        condition = Q(**{f"{feed_path}__tenants": self})
        if self.agency_ids and queryset.model._meta.model_name == "listing":
            condition &= Q(agency__upstream_id__in=self.agency_ids)
        if self.agency_ids and queryset.model._meta.model_name == "agency":
            condition &= Q(upstream_id__in=self.agency_ids)
        if self.transactions and queryset.model._meta.model_name == "listing":
            condition &= Q(transaction__in=self.transactions)
        return queryset.filter(condition)


class Domain(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(_("host name"), max_length=253, unique=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "host"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.host
