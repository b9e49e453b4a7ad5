from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("what-if/", views.what_if, name="what-if"),
]
