"""URL wiring: each app's pages, the admin, login and language switching."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

from ntm_portal.health import healthz

admin.site.site_header = _("Quản trị Cổng điều hành NTM")
admin.site.site_title = _("Cổng điều hành NTM")

# Models that left the communes app for their own apps (issue: one app per thing the portal tracks).
MOVED_ADMIN = {
    "report": "monthly",
    "recognition": "records",
    "target": "records",
    "communeplan": "records",
    "apitoken": "api",
}


def moved_admin_page(request, model: str, rest: str):
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return HttpResponsePermanentRedirect(f"/admin/{MOVED_ADMIN[model]}/{model}/{rest}{query}")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("communes.urls")),
    path("", include("monthly.urls")),
    path("", include("reports.urls")),
    path("criteria/", include("criteria.urls")),
    path("records/", include("records.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("communes.account_urls")),
    # People choose their language on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Admin pages of the models that moved out of communes keep their old addresses, as redirects.
    re_path(rf"^admin/communes/(?P<model>{'|'.join(MOVED_ADMIN)})/(?P<rest>.*)$", moved_admin_page),
    # One password change page for everyone, the admin's link included: it is the one that lifts a required change.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
]

# Error pages (only when DEBUG is off; in DEBUG Django's own pages show): under /api/ in the API's JSON shape,
# elsewhere templates/403.html, 404.html and 500.html in the portal's layout.
handler403 = "django.views.defaults.permission_denied"
handler404 = "api.exceptions.not_found"
handler500 = "api.exceptions.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
