from django.urls import path

# periodic_views registers <period:…> (reports.periods)
from reports import export_views, forecast_views, periodic_views, views
from reports.documents import views as document_views

app_name = "reports"

urlpatterns = [
    path("what-if/", views.what_if, name="what-if"),
    # Dashboards take ?month=YYYY-MM; without it, the latest month with statuses.
    path("dashboard/", views.my_dashboard, name="my-dashboard"),
    path("dashboard/country/", views.country_dashboard, name="country-dashboard"),
    path("dashboard/district/<code:code>/", views.district_dashboard, name="district-dashboard"),
    path("dashboard/<code:code>/", views.province_dashboard, name="province-dashboard"),
    path("dashboard/<code:code>/forecast/", forecast_views.forecast, name="forecast"),
    path("scorecard/<code:code>/", views.scorecard, name="scorecard"),
    # Excel exports of a scope (province, district or commune) for a month.
    path("excel/statuses/<code:code>/<month:month>/", export_views.statuses_excel, name="excel-statuses"),
    path("excel/values/<code:code>/<month:month>/", export_views.values_excel, name="excel-values"),
    # Printed documents (Nghị định 30/2020 layout): the PDF, ?preview=1 for its HTML, /form/ to set number, signer…
    *[
        route
        for kind in ("province", "district", "commune", "directive")
        for route in (
            path(f"pdf/{kind}/<code:code>/<month:month>/", document_views.document, {"kind": kind}, name=f"pdf-{kind}"),
            path(
                f"pdf/{kind}/<code:code>/<month:month>/form/",
                document_views.document_form,
                {"kind": kind},
                name=f"pdf-{kind}-form",
            ),
        )
    ],
    # A province's or a commune's half-year (YYYY-H1, YYYY-H2) or year (YYYY): the PDF and its Excel.
    *[
        route
        for kind in ("province", "commune")
        for route in (
            path(
                f"pdf/{kind}/<code:code>/<period:period>/",
                periodic_views.periodic_document,
                {"kind": kind},
                name=f"pdf-{kind}-period",
            ),
            path(
                f"excel/{kind}/<code:code>/<period:period>/",
                periodic_views.periodic_excel,
                {"kind": kind},
                name=f"excel-{kind}-period",
            ),
        )
    ],
]
