from django.apps import AppConfig


class SpendConfig(AppConfig):
    name = "onebudget_web.spend"
    label = "spend"
    verbose_name = "Identifying the spend"
