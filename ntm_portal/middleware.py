"""Request wiring that belongs to no app."""

import re
import uuid

from django.conf import settings
from django.utils import translation

# A request id from the proxy in front (nginx's $request_id) is kept when it looks like one.
REQUEST_ID = re.compile(r"[0-9A-Za-z-]{8,64}")


class RequestIdMiddleware:
    """Every request gets an id, echoed in the X-Request-ID header and shown on the error page, so that a user's
    report of an error can be found in the logs (api.exceptions.server_error logs it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request.request_id
        return response


class PreferredLanguageMiddleware:
    """Vietnamese unless the person chose English with the switch at the foot of the page.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: officials' browsers are
    often set to English, and the portal is Vietnamese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PermissionsPolicyMiddleware:
    """The browser features no page of the portal uses are turned off for it and anything it might embed."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response
