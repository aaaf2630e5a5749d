from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "showcase.leads"
    verbose_name = _("Leads")

    def ready(self) -> None:
        from showcase.leads.services import lead_record_delivery
        from showcase.outbox.models import Message
        from showcase.outbox.signals import delivery_recorded

        delivery_recorded.connect(
            lead_record_delivery, sender=Message, dispatch_uid="leads.record_delivery"
        )
