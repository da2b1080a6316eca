"""New-building pages: the district's ratings against the targets, the registry, a project's life-cycle
carbon (stacked stages, material Pareto), the comparison of two variants, and the uploads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from carbonpeak.core.lca import STAGES, LcaResult
from carbonpeak.web.newbuildings import selectors, services
from carbonpeak.web.portal.uploads import UploadRejectedError, upload_page


def _target_label(code: str, fallback: str) -> str:
    labels = {
        "green_building_compliance_new_civil": _("New civil buildings meeting the green-building standard"),
        "three_star_new_large_public_riverside_xinjiangwan": _(
            "Three-star new large public buildings in the riverside south and Xinjiangwan"
        ),
        "two_star_new_pi_offices": _("Two-star or better new public-institution offices"),
        "ultra_low_energy_new_residential_15th": _(
            "Ultra-low-energy new residential buildings in the 15th Five-Year Plan"
        ),
        "ultra_low_energy_new_civil_2030": _("Ultra-low-energy new civil buildings by 2030"),
        "renewable_types_new_buildings": _("Renewable source types used by each new building"),
    }
    return labels.get(code, fallback)


def _energy_label(carrier: str) -> str:
    labels = {
        "electricity": _("electricity"),
        "diesel": _("diesel"),
        "gasoline": _("gasoline"),
        "natural_gas": _("natural gas"),
    }
    return labels.get(carrier, carrier)


def _chart(result: LcaResult) -> dict[str, Any]:
    """Stage totals [tCO2e] and the material Pareto (descending totals, cumulative %)."""
    lines = sorted(result.by_material, key=lambda m: -m.total_kgco2e)
    total = sum(m.total_kgco2e for m in lines) or 1.0
    cumulative, running = [], 0.0
    for m in lines:
        running += m.total_kgco2e
        cumulative.append(round(100 * running / total, 1))
    return {
        "stages": {s: round(result.stages.get(s) / 1000, 1) for s in STAGES},
        "materials": [m.name_zh if m.name_zh != m.material else _energy_label(m.material) for m in lines],
        "material_t": [round(m.total_kgco2e / 1000, 1) for m in lines],
        "cumulative_pct": cumulative,
    }


@login_required
@require_GET
def district(request: HttpRequest) -> HttpResponse:
    """Ratings by completion year against the plan's targets, and the projects failing each target."""
    summary = selectors.district_summary()
    rows = []
    for t in summary.targets:
        rows.append(
            {
                "t": t,
                "label": _target_label(t.target.code, t.target.scope),
                "failing": summary.failing.get(t.target.code, []),
            }
        )
    chart = {
        "years": summary.years,
        "series": [{"name": r["label"], "counts": r["counts"]} for r in summary.ratings],
    }
    return render(
        request,
        "newbuildings/district.html",
        {"summary": summary, "rows": rows, "chart": chart, "synthetic": summary.synthetic},
    )


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The project registry."""
    items = selectors.projects()
    return render(
        request,
        "newbuildings/list.html",
        {"projects": items, "synthetic": any(p.synthetic for p in items)},
    )


def _project(code: str) -> Any:
    project = selectors.project_get(code)
    if project is None:
        raise Http404(code)
    return project


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A project: its record, its life-cycle variants (stacked stages, material Pareto) and a BOM upload."""
    project = _project(code)
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm("newbuildings.add_lcavariant"):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose a file.")]
        else:
            region, year = selectors.energy_factor_setting()
            try:
                services.lca_variant_compute(
                    project=project,
                    name=request.POST.get("name", ""),
                    filename=upload.name or "bom.csv",
                    content=upload.read(),
                    region=region,
                    year=year,
                )
            except UploadRejectedError as exc:
                errors = [str(exc)]
            except services.LcaComputeError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Life-cycle carbon computed."))
                return redirect("newbuildings:detail", code=project.code)
    found = selectors.variants(project)
    stage_labels = selectors.stage_labels()
    line_stages = {
        "materials": _("Materials production"),
        "construction": _("Construction"),
        "demolition": _("Demolition"),
    }
    first_lines = [
        {
            "material": m.material,
            "name_zh": m.name_zh if m.name_zh != m.material else _energy_label(m.material),
            "stage_label": line_stages.get(m.stage, m.stage),
            "quantity": m.quantity,
            "unit": m.unit,
            "factor": m.factor_kgco2e,
            "evidence": m.factor_evidence,
            "total_t": m.total_kgco2e / 1000,
        }
        for m in (found[0][1].by_material if found else ())
    ]
    chart = {
        "variants": [v.name for v, _r in found],
        "stage_labels": stage_labels,
        "per_variant": [_chart(r) for _v, r in found],
    }
    return render(
        request,
        "newbuildings/detail.html",
        {
            "project": project,
            "variants": found,
            "first_lines": first_lines,
            "variant_rows": [
                {
                    "v": v,
                    "r": r,
                    "stages_t": [r.stages.get(s) / 1000 for s in STAGES],
                    "total_t": r.total_kgco2e / 1000,
                }
                for v, r in found
            ],
            "chart": chart,
            "stage_labels": stage_labels,
            "errors": errors,
            "synthetic": project.synthetic,
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def compare(request: HttpRequest, code: str) -> HttpResponse:
    """Two variants of a project side by side, with the difference ``b − a`` by stage and material."""
    project = _project(code)
    names = [v.name for v, _r in selectors.variants(project)]
    a = request.GET.get("a") or (names[0] if names else "")
    b = request.GET.get("b") or (names[1] if len(names) > 1 else "")
    comparison = selectors.variant_comparison(project, a, b) if a and b else None
    stage_labels = selectors.stage_labels()
    rows = []
    chart: dict[str, Any] = {}
    if comparison is not None:
        diff = comparison.stage_difference
        rows = [
            {
                "label": stage_labels[s],
                "a": comparison.a.stages.get(s),
                "b": comparison.b.stages.get(s),
                "diff": diff.get(s),
            }
            for s in STAGES
        ]
        chart = {
            "stages": [stage_labels[s] for s in STAGES],
            "a": [round(comparison.a.stages.get(s) / 1000, 1) for s in STAGES],
            "b": [round(comparison.b.stages.get(s) / 1000, 1) for s in STAGES],
            "names": [a, b],
        }
    return render(
        request,
        "newbuildings/compare.html",
        {
            "project": project,
            "names": names,
            "a": a,
            "b": b,
            "comparison": comparison,
            "material_rows": [
                {"d": d, "label": d.name_zh if d.name_zh != d.material else _energy_label(d.material)}
                for d in (comparison.by_material if comparison else ())
            ],
            "rows": rows,
            "chart": chart,
            "synthetic": project.synthetic,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_projects(request: HttpRequest) -> HttpResponse:
    """Upload a project registry file (.csv or .xlsx): all rows or none."""

    def run(kind: str, filename: str, content: bytes) -> tuple[list[str], str]:
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
        permissions={"projects": "newbuildings.add_newbuildingproject"},
        template="newbuildings/import.html",
        choose_kind=_("Choose what the file holds."),
        run=run,
        done_url="newbuildings:list",
    )
