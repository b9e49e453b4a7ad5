"""/api/v1/: every app's router in one, the evaluation endpoint, and the OpenAPI schema with its two viewers."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from communes.api.urls import router as communes_router
from criteria.api.urls import router as criteria_router
from monthly.api.urls import router as monthly_router
from records.api.urls import router as records_router
from reports.api.urls import router as reports_router

app_name = "api"

# Order of the API root's listing: units, reports, recognitions, targets, programmes, criteria sets, statuses.
router = DefaultRouter()
for app_router in (communes_router, monthly_router, records_router, criteria_router, reports_router):
    router.registry.extend(app_router.registry)

urlpatterns = [
    path("", include("reports.api.urls")),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
