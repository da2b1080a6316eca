"""Public plan pages: the browser (actions → tasks → targets) and the responsible units."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carbonpeak.web.plan import selectors
from carbonpeak.web.plan.models import PlanVersion
from carbonpeak.web.tracking.registry import computed_indicator_values


def _version(request: HttpRequest) -> PlanVersion:
    raw = request.GET.get("version", "")
    if raw and not raw.isdigit():
        raise Http404("version must be a number")
    found = selectors.plan_version_get(
        plan_code=request.GET.get("plan") or None, version=int(raw) if raw else None
    )
    if found is None:
        raise Http404("no plan is loaded")
    return found


@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    """Actions, tasks and targets with their units; filters by unit, action, deadline and kind."""
    try:
        version = _version(request)
    except Http404:
        if request.GET:
            raise
        return render(request, "plan/empty.html", status=200)
    filters = selectors.PlanFilters(
        unit=request.GET.get("unit", ""),
        action=request.GET.get("action", ""),
        deadline=request.GET.get("deadline", ""),
        kind=request.GET.get("kind", ""),
    )
    if filters.kind not in ("", "quantitative", "qualitative"):
        raise Http404("kind must be quantitative or qualitative")
    context = {
        "version": version,
        "versions": selectors.plan_versions(plan_code=version.plan_code),
        "filters": filters,
        "options": selectors.plan_filter_options(plan_version=version),
        "actions": selectors.plan_browse(plan_version=version, filters=filters),
        "goals": selectors.plan_goals(plan_version=version, filters=filters),
        "counts": selectors.plan_counts(plan_version=version),
        "computed": computed_indicator_values(),
    }
    template = "plan/_results.html" if request.headers.get("HX-Request") else "plan/browse.html"
    return render(request, template, context)


@require_GET
def units(request: HttpRequest) -> HttpResponse:
    """Every responsible unit with how many tasks it leads and co-leads."""
    version = _version(request)
    return render(
        request,
        "plan/units.html",
        {
            "version": version,
            "rows": selectors.units_overview(plan_version=version),
        },
    )


@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """What one responsible unit leads and what it co-leads."""
    version = _version(request)
    found = selectors.unit_responsibilities(plan_version=version, unit_code=code)
    if found is None:
        raise Http404(code)
    return render(request, "plan/unit.html", {"version": version, "found": found})
