"""The recognitions and targets endpoints of /api/v1/."""

from rest_framework.routers import SimpleRouter

from records.api import views

router = SimpleRouter()
router.register("recognitions", views.RecognitionViewSet, basename="recognition")
router.register("targets", views.TargetViewSet, basename="target")

urlpatterns = router.urls
