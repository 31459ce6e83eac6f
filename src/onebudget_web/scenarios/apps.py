from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "onebudget_web.scenarios"
    label = "scenarios"
    verbose_name = "Demand and cost scenarios"
