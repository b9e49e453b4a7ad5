"""The recognitions and targets endpoints of /api/v1/."""

from rest_framework.routers import SimpleRouter

from records.api import views

router = SimpleRouter()
router.register("recognitions", views.RecognitionViewSet, basename="recognition")
router.register("targets", views.TargetViewSet, basename="target")

# Viewsets are registered here; api/urls.py mounts them under /api/v1/ through one router.
urlpatterns: list = []
