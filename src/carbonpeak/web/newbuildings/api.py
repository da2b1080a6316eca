"""New-buildings API: the project registry, each project's life-cycle variants and the computed targets.
Reads need a signed-in session; there are no writes here (files are imported through the pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from carbonpeak.web.newbuildings import selectors
from carbonpeak.web.newbuildings.models import NewBuildingProject

router = Router(tags=["newbuildings"])


class ProjectOut(Schema):
    id: str
    name: str
    sub_area: str
    sub_area_name: str
    use: str
    floor_area_m2: float
    large_public: bool
    building: str | None
    land_grant_date: date | None
    permit_date: date | None
    completion_date: date | None
    green_rating: str
    certificate_kind: str
    certificate_date: date | None
    energy_standard: str
    prefab_rate_pct: float | None
    prefab_method: str
    fully_fitted: bool
    renewables: list[str]
    bim_file: str
    synthetic: bool


class VariantOut(Schema):
    name: str
    source_file: str
    synthetic: bool
    result: dict[str, Any]


class TargetOut(Schema):
    target: str
    indicator: str
    year: int | None
    value: float | None
    failing: list[str]


def _project_out(p: NewBuildingProject) -> dict[str, Any]:
    fields = [f for f in ProjectOut.model_fields if f not in ("id", "building")]
    out = {f: getattr(p, f) for f in fields}
    out.update(id=p.code, building=p.building.code if p.building else None)
    return out


@router.get("/projects", response=list[ProjectOut], auth=django_auth)
def project_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every new-building project."""
    return [_project_out(p) for p in selectors.projects()]


@router.get("/projects/{code}", response=ProjectOut, auth=django_auth)
def project_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One project."""
    return _project_out(get_object_or_404(NewBuildingProject, code=code))


@router.get("/projects/{code}/variants", response=list[VariantOut], auth=django_auth)
def project_variants(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """A project's life-cycle variants with their GB/T 51366 results (LcaResult.to_dict)."""
    project = get_object_or_404(NewBuildingProject, code=code)
    return [
        {"name": v.name, "source_file": v.source_file, "synthetic": v.synthetic, "result": v.result}
        for v in project.lca_variants.order_by("name")
    ]


@router.get("/targets", response=list[TargetOut], auth=django_auth)
def targets(request: HttpRequest) -> list[dict[str, Any]]:
    """The plan's new-building targets: latest computed value and the projects failing it."""
    out = []
    for t in selectors.target_values():
        latest = t.latest
        out.append(
            {
                "target": t.target.code,
                "indicator": t.indicator,
                "year": latest.year if latest else None,
                "value": latest.value if latest else None,
                "failing": list(latest.failing) if latest else [],
            }
        )
    return out
