from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "showcase.alerts"
    verbose_name = _("Saved searches and alerts")
    default_auto_field = "django.db.models.BigAutoField"
