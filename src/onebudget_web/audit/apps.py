from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "onebudget_web.audit"
    label = "audit"
    verbose_name = "Audit log"
