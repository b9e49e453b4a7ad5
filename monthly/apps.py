from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonthlyConfig(AppConfig):
    name = "monthly"
    verbose_name = _("Báo cáo tháng")
