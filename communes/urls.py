from django.urls import path

from communes import group_views, set_workbook_views, views

app_name = "communes"

urlpatterns = [
    path("", views.home, name="home"),
    path("provinces/", views.province_list, name="province-list"),
    path("provinces/<code:code>/", views.province_detail, name="province-detail"),
    path("districts/<code:code>/", views.district_detail, name="district-detail"),
    path("communes/<code:code>/", views.commune_detail, name="commune-detail"),
    path("search/", views.search, name="search"),
    path("groups/<code:code>/", group_views.commune_groups, name="groups"),
    path("groups/<code:code>/nhom-xa.xlsx", group_views.groups_workbook, name="groups-workbook"),
    path("groups/<code:code>/upload/", group_views.groups_upload, name="groups-upload"),
    # Criteria sets as Excel workbooks: here, not in criteria, because who may upload is the office's role.
    path("criteria/workbook/upload/", set_workbook_views.set_workbook_upload, name="set-workbook-upload"),
    path(
        "criteria/<slug:programme>/<slug:set_code>/workbook.xlsx", set_workbook_views.set_workbook, name="set-workbook"
    ),
]
