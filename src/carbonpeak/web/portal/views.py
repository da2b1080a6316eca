"""Portal pages: home dashboard and health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carbonpeak.web.plan import selectors as plan_selectors
from carbonpeak.web.portal.api import health_payload
from carbonpeak.web.projection import selectors as projection_selectors
from carbonpeak.web.reference import selectors as reference_selectors
from carbonpeak.web.tracking import selectors as tracking_selectors
from carbonpeak.web.tracking.roles import roles_for


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report platform and database status: HTTP 200 when healthy, 503 otherwise."""
    payload = health_payload()
    return JsonResponse(payload.model_dump(), status=200 if payload.status == "ok" else 503)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: headline goals, the actions' statuses, late and off-track items (published data)."""
    summary = reference_selectors.library_summary()
    chart = reference_selectors.electricity_factor_chart()
    plan = plan_selectors.plan_version_get()
    counts = plan_selectors.plan_counts(plan_version=plan) if plan else None
    tracking = tracking_selectors.dashboard(roles=roles_for(request.user)) if plan else None
    # the projection is internal: signed-in users see the peak outlook, the public does not
    outlook = projection_selectors.peak_outlook() if plan and request.user.is_authenticated else None
    return render(
        request,
        "portal/home.html",
        {
            "summary": summary,
            "electricity_chart": chart,
            "plan": plan,
            "plan_counts": counts,
            "tracking": tracking,
            "units": tracking_selectors.unit_names(plan_version=plan) if plan else {},
            "outlook": outlook,
            "peak_year": plan_selectors.plan_peak_year() if plan else None,
        },
    )
