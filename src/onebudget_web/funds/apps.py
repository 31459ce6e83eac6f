from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "onebudget_web.funds"
    label = "funds"
    verbose_name = "Section 75 pooled funds"
