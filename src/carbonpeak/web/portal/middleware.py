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


class NoPlanMiddleware:
    """Answer a page that needs the current plan, when none is loaded, with a page that says so.

    Selectors raise :class:`~carbonpeak.web.plan.selectors.NoPlanError` rather than assume a district's
    region or targets; the page tells the office which command loads a plan (HTTP 503, with navigation).
    API requests get the same message as JSON.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.http import JsonResponse
        from django.shortcuts import render

        from carbonpeak.web.plan.selectors import NoPlanError

        if not isinstance(exception, NoPlanError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(exception)}, status=503)
        return render(request, "portal/no_plan.html", status=503)
