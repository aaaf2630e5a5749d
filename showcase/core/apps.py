from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared seams; an app only to connect their receivers and ship their templates."""

    name = "showcase.core"
    verbose_name = "Vitrine"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from showcase.core import checks  # noqa: F401  (registers the deploy checks)
        from showcase.core.auth_throttle import count_failure
        from showcase.core.http import install_log_redaction

        user_login_failed.connect(count_failure, dispatch_uid="core-login-failures")
        install_log_redaction()
