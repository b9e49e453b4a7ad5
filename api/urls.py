"""/api/v1/: the root listing, each app's `api/urls.py` (included by name, so that this app imports none of
them), and the OpenAPI schema with its viewer, Swagger UI (from the sidecar package: no CDN). Redoc is not offered: its
menu always loads Redocly's logo from cdn.redoc.ly, and no page of the portal may ask another host for anything."""

from django.urls import include, path
from rest_framework.routers import APIRootView

from api.views import DocsView, SchemaView

app_name = "api"

# The apps whose api/ module serves under /api/v1/, in the order of the root listing.
API_APPS = ["communes", "monthly", "records", "criteria", "reports"]

# What the browsable root lists: each collection's URL name, as the apps' routers register them.
ROOT_LISTING = {
    "units": "unit-list",
    "reports": "report-list",
    "recognitions": "recognition-list",
    "targets": "target-list",
    "programmes": "programme-list",
    "criteria-sets": "criteria-set-list",
    "statuses": "status-list",
    "forecasts": "forecast-list",
}

urlpatterns = [
    path("", APIRootView.as_view(api_root_dict=ROOT_LISTING), name="api-root"),
    *[path("", include(f"{app}.api.urls")) for app in API_APPS],
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
