"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from carbonpeak import __version__
from carbonpeak.web.portal.navigation import NAVIGATION


def platform(request: HttpRequest) -> dict[str, Any]:
    """Add the navigation (with the current entry marked) and the version to every template."""
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    items = []
    for item in NAVIGATION:
        if not (item.public or signed_in):
            continue
        url = reverse(item.url_name) if item.url_name else None
        current = bool(url) and (request.path == url or (url != "/" and request.path.startswith(url or "")))
        items.append({"key": item.key, "label": item.label, "url": url, "current": current})
    return {"navigation": items, "carbonpeak_version": __version__}
