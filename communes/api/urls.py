"""The units endpoint of /api/v1/."""

from rest_framework.routers import SimpleRouter

from communes.api import views

router = SimpleRouter()
router.register("units", views.AdministrativeUnitViewSet, basename="unit")

# Viewsets are registered here; api/urls.py mounts them under /api/v1/ through one router.
urlpatterns: list = []
