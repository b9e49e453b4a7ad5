from django.urls import path

from communes.views import excel, monthly, units

app_name = "communes"

urlpatterns = [
    path("", units.home, name="home"),
    path("provinces/", units.province_list, name="province-list"),
    path("provinces/<str:code>/", units.province_detail, name="province-detail"),
    path("districts/<str:code>/", units.district_detail, name="district-detail"),
    path("communes/<str:code>/", units.commune_detail, name="commune-detail"),
    path("search/", units.search, name="search"),
    # Monthly reports. Month is YYYY-MM; the views refuse anything else with 404.
    path("monthly/", monthly.monthly_home, name="monthly-home"),
    path("monthly/review/<str:month>/", monthly.review, name="monthly-review"),
    path("monthly/overdue/<str:month>/", monthly.overdue, name="monthly-overdue"),
    path("monthly/district/<str:code>/<str:month>/", monthly.district_month, name="monthly-district"),
    path("monthly/district/<str:code>/<str:month>/submit-all/", monthly.district_submit_all, name="monthly-submit-all"),
    path(
        "monthly/district/<str:code>/<str:month>/approve-all/", monthly.district_approve_all, name="monthly-approve-all"
    ),
    path("monthly/district/<str:code>/<str:month>/template.xlsx", excel.template, name="monthly-template"),
    path("monthly/district/<str:code>/<str:month>/upload/", excel.upload, name="monthly-upload"),
    path("monthly/<str:code>/<str:month>/", monthly.report_page, name="monthly-report"),
    path("monthly/<str:code>/<str:month>/submit/", monthly.report_submit, name="monthly-submit"),
    path("monthly/<str:code>/<str:month>/approve/", monthly.report_approve, name="monthly-approve"),
    path("monthly/<str:code>/<str:month>/return/", monthly.report_return, name="monthly-return"),
    path("monthly/<str:code>/<str:month>/unapprove/", monthly.report_unapprove, name="monthly-unapprove"),
    path("monthly/<str:code>/<str:month>/comment/", monthly.report_comment, name="monthly-comment"),
]
