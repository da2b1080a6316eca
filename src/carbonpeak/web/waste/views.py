"""Waste pages: the streets' rates against the plan's targets, the district roll-up, and the upload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from carbonpeak.core.waste import waste_emissions
from carbonpeak.core.waste.model import FlagCode, WasteFlag
from carbonpeak.web.portal.uploads import UploadRejectedError
from carbonpeak.web.tracking.roles import roles_for
from carbonpeak.web.waste import selectors, services

IMPORT_PERMISSION = "waste.add_wastedataset"

FLAG_LABELS = {
    FlagCode.UTILISED_EXCEEDS_COLLECTED: gettext_lazy("utilised tonnes above collected"),
    FlagCode.DISPOSAL_EXCEEDS_COLLECTED: gettext_lazy("utilised, incinerated and landfilled above collected"),
    FlagCode.STREAM_MISSING: gettext_lazy("a stream is missing"),
    FlagCode.PARTIAL_YEAR: gettext_lazy("periods do not cover the year"),
    FlagCode.PERIOD_OVERLAP: gettext_lazy("overlapping periods (finer ones ignored)"),
    FlagCode.NO_DATA: gettext_lazy("no records for the year"),
    FlagCode.NO_INSPECTIONS: gettext_lazy("no inspections"),
    FlagCode.POPULATION_MISSING: gettext_lazy("no population figure"),
    FlagCode.PARAMETER_UNKNOWN: gettext_lazy("emission parameters not found (evidence X)"),
    FlagCode.INCOMPLETE_STREAMS: gettext_lazy("computed without every stream"),
}
"""Labels of the data-quality flags (no raw codes on pages)."""

STREAM_LABELS = {
    "recyclable": gettext_lazy("recyclables"),
    "wet": gettext_lazy("wet waste"),
    "dry": gettext_lazy("dry waste"),
    "hazardous": gettext_lazy("hazardous waste"),
}


def _flag(f: WasteFlag) -> dict[str, str]:
    """A flag for a page: its label, period and the stream it concerns (the English detail of the core
    flag is for the CLI and API)."""
    stream = f.detail.split(":")[0]
    detail = str(STREAM_LABELS[stream]) if stream in STREAM_LABELS else ""
    return {"label": str(FLAG_LABELS[f.code]), "street": f.street, "period": f.period, "detail": detail}


def _year(request: HttpRequest, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


def _can_import(request: HttpRequest) -> tuple[bool, list[str] | None]:
    """Whether the user may upload, and the street units it is limited to (``None``: any street)."""
    if request.user.has_perm(IMPORT_PERMISSION):
        return True, None
    roles = roles_for(request.user)
    units = [u for u in roles.reporter_units if u in _street_unit_codes()]
    return bool(units), units


def _street_unit_codes() -> set[str]:
    from carbonpeak.web.plan.selectors import current_plan

    plan = current_plan()
    return {u.id for u in plan.units if u.kind == "street_office"} if plan is not None else set()


@login_required
@require_GET
def streets(request: HttpRequest) -> HttpResponse:
    """The streets' recovery and compliance rates of a year, each against the plan's targets, with its
    rank among the streets, and the district roll-up. A street office sees its own streets only."""
    years = selectors.waste_years()
    year = _year(request, years)
    context: dict[str, Any] = {"years": years, "year": year, "synthetic": selectors.waste_synthetic()}
    recovery_target = selectors.waste_target(selectors.RECOVERY_INDICATOR)
    compliance_target = selectors.waste_target(selectors.COMPLIANCE_INDICATOR)
    context.update(recovery_target=recovery_target, compliance_target=compliance_target)
    context["can_import"] = _can_import(request)[0]
    if year is None:
        return render(request, "waste/streets.html", context)
    data = selectors.waste_data()
    rollup = selectors.rollup(year=year)
    access = selectors.street_access(roles_for(request.user), data.streets)
    mapping = selectors.street_unit_map(data.streets)
    rows = []
    for s in rollup.streets:
        if s.street not in access.streets:
            continue
        unit = mapping.get(s.street)
        rows.append(
            {
                "figures": s,
                "unit": unit,
                "recovery_meets": selectors.meets(recovery_target, s.recovery.rate_pct),
                "compliance_meets": selectors.meets(compliance_target, s.compliance.rate_pct),
                "flags": [_flag(f) for f in s.flags],
            }
        )
    district = rollup.district
    emissions = waste_emissions(data, selectors.waste_parameters(), year=year)
    context.update(
        rows=rows,
        everything=access.everything,
        street_count=len(rollup.streets),
        district=district,
        district_recovery_meets=selectors.meets(recovery_target, district.recovery.rate_pct),
        district_compliance_meets=selectors.meets(compliance_target, district.compliance.rate_pct),
        district_flags=[_flag(f) for f in district.flags],
        by_stream=[{"label": STREAM_LABELS[str(t.stream)], "t": t} for t in district.by_stream],
        emissions=emissions,
        parameter_version=selectors.parameter_table_version(),
    )
    return render(request, "waste/streets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload a waste statistics file (.csv or .xlsx; quantities, inspections or population, recognised by
    the header): all rows or none. A street office's reporter may upload its own streets' rows only."""
    allowed, units = _can_import(request)
    if not allowed:
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose a file.")]
        else:
            try:
                result = services.waste_dataset_import(
                    filename=upload.name or "upload",
                    content=upload.read(),
                    imported_by=request.user,  # type: ignore[arg-type]
                    allowed_units=units,
                )
            except UploadRejectedError as exc:
                errors = [str(exc)]
            else:
                errors = [str(e) for e in result.errors]
                if not errors and result.dataset is not None:
                    if result.created:
                        done = _("%(file)s: %(rows)s rows imported") % {
                            "file": result.dataset.source_file,
                            "rows": result.dataset.row_count,
                        }
                    else:
                        done = _("%(file)s: already imported, nothing changed") % {"file": upload.name}
                    messages.success(request, done)
                    return redirect("waste:streets")
    context = {"errors": errors, "datasets": selectors.waste_datasets()[:20], "limited": units is not None}
    return render(request, "waste/import.html", context, status=400 if errors else 200)
