from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "onebudget_web.accounts"
    label = "accounts"
    verbose_name = "Organisations, people and roles"
