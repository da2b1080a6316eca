"""PV and charging pages: the plan's progress and rules, the district map, the registries, the upload."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carbonpeak.web.portal.uploads import upload_page
from carbonpeak.web.renewables import plan_rules, selectors, services

IMPORT_PERMISSIONS = {
    "pv": "renewables.add_pvinstallation",
    "chargers": "renewables.add_chargingsite",
}


def _labelled(progress: list[selectors.Progress]) -> list[dict[str, Any]]:
    """Each bar with its label: the plan's indicator name and the target's scope, in the page's language."""
    from django.utils.translation import get_language

    from carbonpeak.web.plan.selectors import current_plan

    plan = current_plan()
    targets = {t.code: t for _, t in plan.all_targets()} if plan else {}
    names = {i.code: i for i in plan.indicators} if plan else {}
    english = (get_language() or "").startswith("en")
    out = []
    for p in progress:
        target = targets.get(p.target_code)
        indicator = names.get(target.indicator) if target else None
        label = p.key
        if target is not None and indicator is not None:
            name = indicator.name_en if english else indicator.name_zh
            scope = target.scope_en if english else target.scope
            label = f"{name} · {scope}" if scope else name
        out.append({"p": p, "label": label, "target": target})
    return out


def _map(layer: str | None) -> dict[str, Any]:
    points = selectors.map_points(layer=layer)
    return {"points": points, "footprints": selectors.map_footprints(points)}


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Progress against every PV and charging target, with links to the PV and charging pages."""
    context = selectors.renewables_summary()
    context["progress"] = _labelled(context["progress"])
    return render(request, "renewables/overview.html", context)


@login_required
@require_GET
def pv(request: HttpRequest) -> HttpResponse:
    """PV: progress, new buildings that do not comply, the renewable substitution rate, the map, each
    building's potential and the registry."""
    context = selectors.pv_summary()
    substitution = selectors.substitution_summary()
    progress = context["pv_progress"]
    targets = plan_rules.substitution_targets()
    latest = substitution["latest"]
    goal = targets[0].target.value if targets else None
    if latest is not None and latest.rate_pct is not None and goal is not None:
        key = "renewable_substitution_rate_new_buildings"
        progress.append(selectors.Progress(key, latest.rate_pct, goal, "%", targets[0].code))
    context.update(
        progress=_labelled(progress),
        substitution=substitution,
        installations=selectors.pv_installations(),
        potentials=selectors.building_potentials(),
        **_map("pv"),
    )
    return render(request, "renewables/pv.html", context)


@login_required
@require_GET
def charging(request: HttpRequest) -> HttpResponse:
    """Charging: progress, new sites and communities that do not comply, the map and the registry."""
    context = selectors.charging_summary()
    context.update(
        progress=_labelled(context["charging_progress"]),
        sites=selectors.charging_sites(),
        **_map("chargers"),
    )
    return render(request, "renewables/charging.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_files(request: HttpRequest) -> HttpResponse:
    """Upload a PV installation or charging site file (.csv or .xlsx): all rows or none."""

    def run(kind: str, filename: str, content: bytes) -> tuple[list[str], str]:
        outcome = services.renewables_file_import(kind=kind, filename=filename, content=content)
        done = _("%(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "file": filename,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
        }
        return [str(e) for e in outcome.errors], done

    return upload_page(
        request,
        permissions=IMPORT_PERMISSIONS,
        template="renewables/import.html",
        choose_kind=_("Choose what the file holds: PV installations or charging sites."),
        run=run,
        done_url="renewables:import",
    )
