"""Chinese-first language selection."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """Activate the language chosen with the switch, else ``LANGUAGE_CODE`` (zh-hans).

    Unlike Django's ``LocaleMiddleware`` this ignores the browser's Accept-Language header: the platform
    speaks Chinese first on every machine, and English only after the user picks it (the choice is kept
    in Django's language cookie by the ``set_language`` view).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary")
        response.headers["Vary"] = (
            f"{patch}, Cookie" if patch and "Cookie" not in patch else (patch or "Cookie")
        )
        translation.deactivate()
        return response
