"""The criteria app's API endpoints: the router's viewsets (included by api/urls.py) and any plain paths."""

from rest_framework.routers import SimpleRouter

from criteria.api.views import CriteriaSetViewSet, ProgrammeViewSet

router = SimpleRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("criteria-sets", CriteriaSetViewSet, basename="criteria-set")

urlpatterns = router.urls
