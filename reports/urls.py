from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("what-if/", views.what_if, name="what-if"),
    # Dashboards take ?month=YYYY-MM; without it, the latest month with statuses.
    path("dashboard/", views.my_dashboard, name="my-dashboard"),
    path("dashboard/district/<str:code>/", views.district_dashboard, name="district-dashboard"),
    path("dashboard/<str:code>/", views.province_dashboard, name="province-dashboard"),
    path("scorecard/<str:code>/", views.scorecard, name="scorecard"),
]
