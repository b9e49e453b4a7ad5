"""The criteria app's API endpoints: the router's viewsets (mounted by api/urls.py) and any plain paths."""

from rest_framework.routers import SimpleRouter

from criteria.api.views import CriteriaSetViewSet, ProgrammeViewSet

router = SimpleRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("criteria-sets", CriteriaSetViewSet, basename="criteria-set")

# Viewsets are registered here; api/urls.py mounts them under /api/v1/ through one router.
urlpatterns: list = []
