from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo và kết quả")

    def ready(self):
        from reports import receivers  # noqa: F401 - connects the approval receiver (it queues reports.tasks)
        from reports.freshness import connect_signals

        connect_signals()
