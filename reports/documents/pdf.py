"""HTML to PDF: the one module that imports WeasyPrint, and only when a document is rendered (commands and pages
that never print do not pay for loading it).

Documents are rendered from the same templates as their HTML preview. Nothing is fetched from the network:
the stylesheet and any image come from the portal's own static files, looked up the way Django serves them,
so a PDF renders the same on a laptop, behind a proxy or in CI.
"""

from __future__ import annotations

import functools
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

# Relative URLs in a document resolve against this made-up origin; the fetcher maps it onto static files.
BASE_URL = "https://portal.invalid/"


@functools.cache
def fetcher_class() -> type:
    """StaticFilesFetcher, a WeasyPrint URLFetcher: defined on first use so that importing this module is cheap."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves STATIC_URL paths from the static files, refuses everything else (no network, no local files)."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            static_prefix = "/" + settings.STATIC_URL.lstrip("/")
            if parts.scheme + "://" + parts.netloc + "/" != BASE_URL or not parts.path.startswith(static_prefix):
                # Skipped, not fatal: WeasyPrint logs it and renders the rest.
                raise ValueError(f"Refusing to fetch {url!r}: documents use the portal's static files only")
            name = unquote(parts.path.removeprefix(static_prefix))
            path = _static_path(name)
            if path is None:
                # A missing stylesheet is a bug in the portal: stop rather than print an unstyled document.
                raise FatalURLFetchingError(f"No static file {name!r}")
            with open(path, "rb") as file:
                body = file.read()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticFilesFetcher


def _static_path(name: str) -> str | None:
    # The finders in development and tests; the collected (possibly hashed) files in production.
    found = finders.find(name)
    if found:
        return found
    if not hasattr(staticfiles_storage, "stored_name"):  # StaticFilesStorage: the finders already looked
        return None
    try:
        # `{% static %}` already wrote the hashed name (css/print.84d4….css): it is a collected file as it stands.
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
        return staticfiles_storage.path(staticfiles_storage.stored_name(name))
    except (ValueError, NotImplementedError, FileNotFoundError, SuspiciousFileOperation):
        return None


def render_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document whose static references are relative to the site root."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher_class()())
    return document.write_pdf(font_config=fonts)
