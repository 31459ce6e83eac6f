from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onebudget_web.core"
    label = "core"
    verbose_name = "Service shell"

    def ready(self) -> None:
        """Charts drawn by any process of the service are kept in the data folder, so each
        is drawn once for what it shows (``onebudget.chart_store``)."""
        from django.conf import settings

        from onebudget import chart_store

        chart_store.keep_in(settings.DATA_DIR / "charts")
