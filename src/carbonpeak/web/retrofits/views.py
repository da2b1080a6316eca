"""Retrofit pages: the district ranking with failures, a page per project, the upload page."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.mv import SavingsResult
from carbonpeak.core.mv.models import ChangePointModel, DailyModel
from carbonpeak.core.mv.savings import savings_gate
from carbonpeak.web.plan.selectors import current_targets
from carbonpeak.web.portal.uploads import upload_page
from carbonpeak.web.retrofits import indicators, selectors, services
from carbonpeak.web.retrofits.models import MEASURE_LABELS, ProjectEvidence, RetrofitProject
from carbonpeak.web.tracking.services import Evidence, TrackingInputError

IMPORT_PERMISSIONS = {
    "projects": "retrofits.add_retrofitproject",
    "temperatures": "retrofits.add_hourlytemperature",
}


MODEL_LABELS = {
    "intercept_only": gettext_lazy("intercept only"),
    "hdd_only": gettext_lazy("heating degree days"),
    "cdd_only": gettext_lazy("cooling degree days"),
    "hdd_cdd": gettext_lazy("heating and cooling degree days"),
    "3p_heating": gettext_lazy("3-parameter heating"),
    "3p_cooling": gettext_lazy("3-parameter cooling"),
    "4p": gettext_lazy("4-parameter"),
    "5p": gettext_lazy("5-parameter"),
    "towt": gettext_lazy("time of week and temperature"),
}


def _model_key(savings: SavingsResult) -> str:
    model = savings.fit.model
    if isinstance(model, DailyModel):
        return model.model_type
    if isinstance(model, ChangePointModel):
        return model.shape
    return "towt"


def _pct(value: float) -> float | None:
    return 100.0 * value if math.isfinite(value) else None


def _deep_checks() -> list[dict[str, Any]]:
    out = []
    for target in current_targets("deep_retrofit_area"):
        for check in indicators.deep_retrofit_checks(target):
            out.append({"target": target, "check": check})
    return out


@login_required
@require_GET
def district(request: HttpRequest) -> HttpResponse:
    """Every project ranked by measured savings, the deep-retrofit failures with their reasons, the
    refused or failed computations."""
    rows = selectors.project_rows()
    checks = _deep_checks()
    counted_area = sum(c["check"].project.retrofitted_area_m2 for c in checks if c["check"].counted)
    today = timezone.localdate()
    completed_area = sum(
        r.project.retrofitted_area_m2 for r in rows if selectors.reporting_complete(r.project, today)
    )
    return render(
        request,
        "retrofits/district.html",
        {
            "rows": rows,
            "failures": [c for c in checks if not c["check"].counted],
            "problems": [
                r for r in rows if r.result is not None and r.result.status in ("refused", "failed")
            ],
            "completed_area": completed_area,
            "deep_area": counted_area,
            "synthetic": any(r.project.synthetic for r in rows),
            "measure_labels": MEASURE_LABELS,
        },
    )


@login_required
@require_GET
def project(request: HttpRequest, code: str) -> HttpResponse:
    """One project: registry facts, evidence, events, the baseline fit, the gates, the savings chart."""
    item = get_object_or_404(RetrofitProject.objects.select_related("building"), code=code)
    result = selectors.latest_result(item)
    savings = SavingsResult.from_dict(result.document) if result is not None and result.document else None
    gate = None
    pct: dict[str, float | None] = {}
    gates: list[dict[str, Any]] = []
    model_label = ""
    if savings is not None:
        gate = savings_gate(savings)
        fit = savings.fit
        pct = {
            "savings": _pct(savings.savings_fraction),
            "fsu": _pct(savings.fsu),
            "cvrmse": _pct(fit.cvrmse),
            "nmbe": _pct(fit.nmbe),
        }
        gates = [
            {
                "resolution": g.resolution,
                "passed": g.passed,
                "cvrmse_pct": _pct(g.cvrmse),
                "nmbe_pct": _pct(g.nmbe),
                "cvrmse_limit_pct": _pct(g.cvrmse_limit),
                "nmbe_limit_pct": _pct(g.nmbe_limit),
            }
            for g in fit.gates
        ]
        model_label = str(MODEL_LABELS.get(_model_key(savings), ""))
    return render(
        request,
        "retrofits/project.html",
        {
            "project": item,
            "measures": [MEASURE_LABELS.get(m, m) for m in item.measures],
            "meters": selectors.project_meters(item),
            "result": result,
            "savings": savings,
            "gate": gate,
            "pct": pct,
            "gates": gates,
            "model_label": model_label,
            "chart": selectors.chart_data(savings) if savings is not None else None,
            "evidence_kinds": ProjectEvidence.KINDS,
            "synthetic": item.synthetic,
        },
    )


@login_required
@permission_required("retrofits.change_retrofitproject", raise_exception=True)
@require_POST
def compute(request: HttpRequest, code: str) -> HttpResponse:
    """Compute the project's savings now from stored readings."""
    item = get_object_or_404(RetrofitProject, code=code)
    outcome = services.project_compute(project=item)
    if outcome.status in ("computed", "incomplete"):
        messages.success(request, _("Savings computed."))
    else:
        messages.error(request, outcome.reason)
    return redirect("retrofits:project", code=code)


@login_required
@permission_required("retrofits.change_retrofitproject", raise_exception=True)
@require_POST
def evidence(request: HttpRequest, code: str) -> HttpResponse:
    """Attach an evidence file (PDF, XLSX, CSV, JPG or PNG)."""
    item = get_object_or_404(RetrofitProject, code=code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return redirect("retrofits:project", code=code)
    try:
        services.project_evidence_add(
            project=item,
            kind=request.POST.get("kind", ""),
            evidence=Evidence.from_upload(upload),
            user=request.user,
        )
    except (TrackingInputError, CarbonpeakError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Evidence file stored."))
    return redirect("retrofits:project", code=code)


@login_required
@permission_required("retrofits.change_retrofitproject", raise_exception=True)
@require_POST
def event(request: HttpRequest, code: str) -> HttpResponse:
    """Record a non-routine event (a window excluded from the savings, with its reason)."""
    item = get_object_or_404(RetrofitProject, code=code)
    try:
        start = datetime.fromisoformat(request.POST.get("start", ""))
        end = datetime.fromisoformat(request.POST.get("end", ""))
        if start.tzinfo is None:
            start = start.replace(tzinfo=selectors.SHANGHAI)
        if end.tzinfo is None:
            end = end.replace(tzinfo=selectors.SHANGHAI)
        services.project_event_add(project=item, start=start, end=end, reason=request.POST.get("reason", ""))
    except (ValueError, CarbonpeakError) as exc:
        messages.error(request, _("The event was not recorded: %(reason)s") % {"reason": exc})
    else:
        messages.success(request, _("Non-routine event recorded: compute the savings again."))
    return redirect("retrofits:project", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def import_files(request: HttpRequest) -> HttpResponse:
    """Upload a retrofit project registry (.csv/.xlsx) or a station's hourly temperatures (.csv)."""

    def run(kind: str, filename: str, content: bytes) -> tuple[list[str], str]:
        if kind == "temperatures":
            station = request.POST.get("station", "").strip()
            if not station:
                return [_("Name the weather station.")], ""
            added, errors = services.temperatures_file_import(
                station=station, filename=filename, content=content
            )
            return errors, _("%(file)s: %(n)s hours added") % {"file": filename, "n": added}
        outcome = services.projects_file_import(filename=filename, content=content)
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
        template="retrofits/import.html",
        choose_kind=_("Choose what the file holds: retrofit projects or hourly temperatures."),
        run=run,
        done_url="retrofits:import",
    )
