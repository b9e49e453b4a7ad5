from django.urls import path

from monthly import excel_views, review_views, views

app_name = "monthly"

# <month:month> is YYYY-MM, given to the views as the month's first day; anything else is a 404.
urlpatterns = [
    path("monthly/", views.monthly_home, name="home"),
    path("monthly/review/<month:month>/", review_views.review, name="review"),
    path("monthly/overdue/<month:month>/", review_views.overdue, name="overdue"),
    path("monthly/district/<code:code>/<month:month>/", review_views.district_month, name="district"),
    path("monthly/district/<code:code>/<month:month>/submit-all/", review_views.district_submit_all, name="submit-all"),
    path(
        "monthly/district/<code:code>/<month:month>/approve-all/", review_views.district_approve_all, name="approve-all"
    ),
    path("monthly/district/<code:code>/<month:month>/template.xlsx", excel_views.template, name="template"),
    path("monthly/district/<code:code>/<month:month>/upload/", excel_views.upload, name="upload"),
    path(
        "monthly/province/<code:code>/<month:month>/template.xlsx",
        excel_views.province_template,
        name="province-template",
    ),
    path("monthly/province/<code:code>/<month:month>/upload/", excel_views.province_upload, name="province-upload"),
    path(
        "monthly/province/<code:code>/<month:month>/approve-all/",
        review_views.province_approve_all,
        name="province-approve-all",
    ),
    path("monthly/<code:code>/<month:month>/", views.report_page, name="report"),
    path("monthly/<code:code>/<month:month>/template.xlsx", excel_views.commune_template, name="commune-template"),
    path("monthly/<code:code>/<month:month>/upload/", excel_views.commune_upload, name="commune-upload"),
    path(
        "monthly/<code:code>/<month:month>/take-predecessor/",
        views.report_take_predecessor,
        name="take-predecessor",
    ),
    path("monthly/<code:code>/<month:month>/submit/", views.report_submit, name="submit"),
    path("monthly/<code:code>/<month:month>/approve/", views.report_approve, name="approve"),
    path("monthly/<code:code>/<month:month>/return/", views.report_return, name="return"),
    path("monthly/<code:code>/<month:month>/unapprove/", views.report_unapprove, name="unapprove"),
    path("monthly/<code:code>/<month:month>/comment/", views.report_comment, name="comment"),
]
