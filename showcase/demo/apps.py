from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "showcase.demo"
    verbose_name = "Demo"
