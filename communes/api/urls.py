"""The units endpoint of /api/v1/."""

from rest_framework.routers import SimpleRouter

from communes.api import views

router = SimpleRouter()
router.register("units", views.AdministrativeUnitViewSet, basename="unit")

urlpatterns = router.urls
