"""The reports app's API endpoints: the router's viewsets (included by api/urls.py) and any plain paths."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api.views import EvaluateView, ForecastView, StatusViewSet

router = SimpleRouter()
router.register("statuses", StatusViewSet, basename="status")

urlpatterns = [
    *router.urls,
    path("evaluate/", EvaluateView.as_view(), name="evaluate"),
    path("forecasts/", ForecastView.as_view(), name="forecast-list"),
]
