from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonthlyConfig(AppConfig):
    name = "monthly"
    verbose_name = _("Báo cáo tháng")

    def ready(self):
        # Emails the district about the office's decisions (post_save receivers of ReportEvent).
        from monthly import notifications  # noqa: F401
