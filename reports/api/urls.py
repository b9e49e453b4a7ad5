"""The reports app's API endpoints: the router's viewsets (mounted by api/urls.py) and any plain paths."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api.views import EvaluateView, StatusViewSet

router = SimpleRouter()
router.register("statuses", StatusViewSet, basename="status")

# Viewsets are registered here; api/urls.py mounts them under /api/v1/ through one router.
urlpatterns = [
    path("evaluate/", EvaluateView.as_view(), name="evaluate"),
]
