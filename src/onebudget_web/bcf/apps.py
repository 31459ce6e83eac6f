from django.apps import AppConfig


class BcfConfig(AppConfig):
    name = "onebudget_web.bcf"
    label = "bcf"
    verbose_name = "Better Care Fund"
