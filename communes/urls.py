from django.urls import path

from communes import views

app_name = "communes"

urlpatterns = [
    path("", views.home, name="home"),
    path("provinces/", views.province_list, name="province-list"),
    path("provinces/<str:code>/", views.province_detail, name="province-detail"),
    path("districts/<str:code>/", views.district_detail, name="district-detail"),
    path("communes/<str:code>/", views.commune_detail, name="commune-detail"),
    path("search/", views.search, name="search"),
]
