"""Request wiring that belongs to no app."""

from django.conf import settings
from django.utils import translation


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
