"""URL wiring: each app's pages, the admin, login and language switching."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

admin.site.site_header = _("Quản trị Cổng điều hành NTM")
admin.site.site_title = _("Cổng điều hành NTM")

urlpatterns = [
    path("", include("communes.urls")),
    path("", include("reports.urls")),
    path("criteria/", include("criteria.urls")),
    path("records/", include("communes.records_urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # People choose their language on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ntm_portal.api_urls")),
]

# Unmatched /api/ paths answer in the API's JSON shape (only when DEBUG is off; in DEBUG Django's own page shows).
handler404 = "communes.api.exceptions.not_found"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
