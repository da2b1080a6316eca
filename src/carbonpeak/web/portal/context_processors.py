"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from carbonpeak import __version__
from carbonpeak.web.portal.navigation import NAVIGATION


def platform(request: HttpRequest) -> dict[str, Any]:
    """Add the navigation (with the current entry marked), the version and the current plan (whose
    district names the platform) to every template."""
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    items = []
    for item in NAVIGATION:
        if not (item.public or signed_in):
            continue
        url = reverse(item.url_name) if item.url_name else None
        current = bool(url) and (request.path == url or (url != "/" and request.path.startswith(url or "")))
        items.append({"key": item.key, "label": item.label, "url": url, "current": current})
    from carbonpeak.web.plan.selectors import current_plan_version

    plan = current_plan_version()
    return {"navigation": items, "carbonpeak_version": __version__, "current_plan": plan}
