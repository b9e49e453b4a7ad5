"""The communes app's API endpoints: the router's viewsets (mounted by ntm_portal/api_urls.py) and any plain paths."""

from rest_framework.routers import SimpleRouter

from communes.api import views

router = SimpleRouter()
router.register("units", views.AdministrativeUnitViewSet, basename="unit")
router.register("reports", views.ReportViewSet, basename="report")
router.register("recognitions", views.RecognitionViewSet, basename="recognition")
router.register("targets", views.TargetViewSet, basename="target")

# Viewsets are registered here; ntm_portal/api_urls.py mounts them under /api/v1/ through one router.
urlpatterns: list = []
