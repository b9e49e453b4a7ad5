from django.urls import path

from criteria import views

app_name = "criteria"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("<slug:programme>/<slug:set_code>/", views.set_detail, name="set-detail"),
    path("<slug:programme>/<slug:set_code>/<int:number>/", views.criterion_detail, name="criterion-detail"),
]
