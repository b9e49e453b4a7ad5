"""The monthly reports endpoint of /api/v1/."""

from rest_framework.routers import SimpleRouter

from monthly.api import views

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = router.urls
