from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        # Once per process, before any URLconf is read: `<month:month>` in every app's urls.
        from django.urls import register_converter

        from communes.months import MonthConverter, UnitCodeConverter

        register_converter(MonthConverter, "month")
        register_converter(UnitCodeConverter, "code")

        from communes import receivers  # noqa: F401 - connects the receiver that clears an account's failed logins
