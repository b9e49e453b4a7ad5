"""WSGI entry point (gunicorn ntm_portal.wsgi)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_portal.settings")
application = get_wsgi_application()


def _load_lazy_parts() -> None:
    """What Django loads on a process's first request, loaded at start instead: the URL configuration with every view
    module it names (0.9 s) and the interface's translations. Under gunicorn's preload_app that is once, in the
    master, and every worker it forks (or recycles after max_requests) starts with them."""
    resolver = get_resolver()
    _ = resolver.url_patterns
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            _ = resolver.reverse_dict  # the URL names, per language


_load_lazy_parts()
