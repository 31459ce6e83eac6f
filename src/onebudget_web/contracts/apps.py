from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "onebudget_web.contracts"
    label = "contracts"
    verbose_name = "Provider contracts"
