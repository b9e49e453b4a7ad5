from django.urls import path

from monthly import excel_views, views

app_name = "monthly"

# Month is YYYY-MM; the views refuse anything else with 404.
urlpatterns = [
    path("monthly/", views.monthly_home, name="home"),
    path("monthly/review/<str:month>/", views.review, name="review"),
    path("monthly/overdue/<str:month>/", views.overdue, name="overdue"),
    path("monthly/district/<str:code>/<str:month>/", views.district_month, name="district"),
    path("monthly/district/<str:code>/<str:month>/submit-all/", views.district_submit_all, name="submit-all"),
    path("monthly/district/<str:code>/<str:month>/approve-all/", views.district_approve_all, name="approve-all"),
    path("monthly/district/<str:code>/<str:month>/template.xlsx", excel_views.template, name="template"),
    path("monthly/district/<str:code>/<str:month>/upload/", excel_views.upload, name="upload"),
    path("monthly/<str:code>/<str:month>/", views.report_page, name="report"),
    path("monthly/<str:code>/<str:month>/submit/", views.report_submit, name="submit"),
    path("monthly/<str:code>/<str:month>/approve/", views.report_approve, name="approve"),
    path("monthly/<str:code>/<str:month>/return/", views.report_return, name="return"),
    path("monthly/<str:code>/<str:month>/unapprove/", views.report_unapprove, name="unapprove"),
    path("monthly/<str:code>/<str:month>/comment/", views.report_comment, name="comment"),
]
