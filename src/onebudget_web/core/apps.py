from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onebudget_web.core"
    label = "core"
    verbose_name = "Service shell"
