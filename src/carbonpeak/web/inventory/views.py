"""Inventory pages: charts, drill-down, upload, template and exports."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.inventory.intensity import target_trajectory
from carbonpeak.core.inventory.model import SECTORS
from carbonpeak.core.inventory.report import compare_documents
from carbonpeak.data import packaged_library
from carbonpeak.io.inventory import write_inventory_workbook, write_template
from carbonpeak.web.inventory import selectors, services
from carbonpeak.web.inventory.forms import ActivityUploadForm
from carbonpeak.web.inventory.models import InventoryRun


def _run(request: HttpRequest, run_id: int | None = None) -> InventoryRun:
    raw = request.GET.get("run", "")
    if run_id is None and raw:
        if not raw.isdigit():
            raise Http404("run must be a number")
        run_id = int(raw)
    run = selectors.run_get(run_id=run_id)
    if run is None:
        raise Http404("no inventory run")
    return run


def _charts(run: InventoryRun) -> dict[str, Any]:
    years = [y for y in run.document["years"]]
    labels = sorted({y["year"] for y in years})
    sectors = [
        code
        for code in SECTORS
        if any(s["sector"] == code and s["co2_t"] for y in years for s in y["by_sector"])
    ]
    by = {(y["year"], s["sector"]): s for y in years for s in y["by_sector"]}
    stacked = [
        {
            "sector": code,
            "name": SECTORS[code].name_zh,
            "name_en": SECTORS[code].name_en,
            "co2_t": [by.get((year, code), {}).get("co2_t") for year in labels],
            "energy_tce": [by.get((year, code), {}).get("energy_tce") for year in labels],
        }
        for code in sectors
    ]
    intensity = {y["year"]: y.get("energy_intensity_tce_per_10k_yuan") for y in years}
    trajectory: dict[int, float] = {}
    goal = (run.document.get("intensity_goal") or {}).get("target")  # the plan's goal, frozen with the run
    if goal and intensity.get(goal["baseline_year"]):
        trajectory = target_trajectory(
            intensity[goal["baseline_year"]],
            baseline_year=goal["baseline_year"],
            target_year=goal["target_year"],
            reduction_pct=goal["reduction_pct"],
        )
    return {
        "years": labels,
        "stacked": stacked,
        "intensity": [intensity.get(y) for y in labels],
        "trajectory_years": sorted(trajectory),
        "trajectory": [trajectory[y] for y in sorted(trajectory)],
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Stacked bars by sector and year, intensity against the target path, and the drill-down table."""
    run = (
        selectors.run_get(run_id=int(request.GET["run"]))
        if request.GET.get("run", "").isdigit()
        else selectors.run_get()
    )
    if run is None:
        return render(request, "inventory/empty.html")
    return render(
        request,
        "inventory/index.html",
        {
            "run": run,
            "runs": selectors.runs_list(),
            "charts": _charts(run),
            "sectors": SECTORS,
            "series_options": packaged_library().series_for("emission", "electricity"),
        },
    )


@require_GET
def cell(request: HttpRequest, run_id: int) -> HttpResponse:
    """The activity rows and factors behind one number (htmx partial)."""
    run = _run(request, run_id)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        raise Http404("year") from None
    sector = request.GET.get("sector", "")
    if sector not in SECTORS:
        raise Http404("sector")
    detail = selectors.cell_detail(run=run, area=request.GET.get("area", ""), year=year, sector=sector)
    return render(request, "inventory/_cell.html", {"run": run, "detail": detail, "sector": SECTORS[sector]})


@require_GET
def compare(request: HttpRequest, run_id: int) -> HttpResponse:
    """The frozen run beside the same data recomputed with current factors (or another series)."""
    run = _run(request, run_id)
    series = request.GET.get("series") or None
    if series and series not in packaged_library().series_for("emission", "electricity"):
        raise Http404("series")
    reproduced = services.inventory_run_reproduce(run=run)
    current = services.inventory_run_recompute(run=run, electricity_series=series)
    return render(
        request,
        "inventory/compare.html",
        {
            "run": run,
            "series": series or run.electricity_series,
            "reproduced_ok": compare_documents(run.document, reproduced) == [],
            "series_options": packaged_library().series_for("emission", "electricity"),
            "changes": compare_documents(run.document, current),
        },
    )


@require_GET
def template(request: HttpRequest) -> FileResponse:
    """Download the Excel import template."""
    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="carbonpeak-activity-template.xlsx")


@require_GET
def export(request: HttpRequest, run_id: int) -> FileResponse:
    """Download a run as Excel: totals, sectors, the GPC table with notation keys, factors and rows."""
    run = _run(request, run_id)
    gpc = {(g["area"], g["year"]): g["rows"] for g in run.document.get("gpc", [])}
    buffer = io.BytesIO()
    write_inventory_workbook(run.document, gpc, run.row_results, buffer, synthetic=run.dataset.synthetic)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"carbonpeak-inventory-run-{run.pk}.xlsx")


@require_http_methods(["GET", "POST"])
@permission_required("inventory.add_activitydataset", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    """Import an activity file (all or nothing) and compute its inventory."""
    form = ActivityUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        user = request.user if isinstance(request.user, User) else None
        series = form.cleaned_data["electricity_series"] or None
        if series and series not in packaged_library().series_for("emission", "electricity"):
            errors = [_("Unknown electricity series: %(s)s") % {"s": series}]
        else:
            try:
                with transaction.atomic():  # the import and its first run land together or not at all
                    result = services.activity_dataset_import(
                        name=form.cleaned_data["name"],
                        filename=upload.name,
                        content=upload.read(),
                        imported_by=user,
                    )
                    if result.dataset is None:
                        errors = [str(e) for e in result.errors]
                    else:
                        run = services.inventory_run_create(
                            dataset=result.dataset, electricity_series=series, created_by=user
                        )
            except CarbonpeakError as exc:
                errors = [str(exc)]
            if not errors:
                messages.success(
                    request,
                    _("Imported %(n)s and computed run %(r)s.") % {"n": run.dataset.name, "r": run.pk},
                )
                return redirect(f"/inventory/?run={run.pk}")
    return render(
        request,
        "inventory/upload.html",
        {
            "form": form,
            "errors": errors,
            "series_options": packaged_library().series_for("emission", "electricity"),
        },
        status=400 if errors else 200,
    )
