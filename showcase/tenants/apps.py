from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "showcase.tenants"
    verbose_name = _("Agency websites")

    def ready(self) -> None:
        from showcase.tenants import receivers

        receivers.connect()
