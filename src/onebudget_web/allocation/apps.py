from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "onebudget_web.allocation"
    label = "allocation"
    verbose_name = "Needs-based allocation"
