"""The portal's URLs plus /bench/bare/ (benchmarks/pages.py): a logged-in view that returns a few bytes."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("ntm_portal.urls")),
]
