"""Retrofits API: the project registry with each project's latest measured savings; computing a project
needs a signed-in user with the change permission (CSRF-checked session)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from carbonpeak.web.retrofits import selectors, services
from carbonpeak.web.retrofits.models import RetrofitProject

router = Router(tags=["retrofits"])


class ProjectOut(Schema):
    id: str
    name: str
    building: str
    measures: list[str]
    retrofitted_area_m2: float
    baseline_start: date
    baseline_end: date
    reporting_start: date
    reporting_end: date
    contract_type: str
    contractor: str
    method: str
    green_mall_certificate: str
    green_mall_certified_on: date | None
    synthetic: bool
    status: str | None
    savings_fraction: float | None
    fsu: float | None
    gates_passed: bool | None


class ProjectDetailOut(ProjectOut):
    result: dict[str, Any] | None
    """The latest result: ``carbonpeak.core.mv.SavingsResult.to_dict()``."""
    reason: str


def _out(project: RetrofitProject) -> dict[str, Any]:
    result = selectors.latest_result(project)
    return {
        "id": project.code,
        "name": project.name,
        "building": project.building.code,
        "measures": project.measures,
        "retrofitted_area_m2": project.retrofitted_area_m2,
        "baseline_start": project.baseline_start,
        "baseline_end": project.baseline_end,
        "reporting_start": project.reporting_start,
        "reporting_end": project.reporting_end,
        "contract_type": project.contract_type,
        "contractor": project.contractor,
        "method": project.method,
        "green_mall_certificate": project.green_mall_certificate,
        "green_mall_certified_on": project.green_mall_certified_on,
        "synthetic": project.synthetic,
        "status": result.status if result else None,
        "savings_fraction": result.savings_fraction if result else None,
        "fsu": result.fsu if result else None,
        "gates_passed": result.gates_passed if result else None,
        "result": result.document if result else None,
        "reason": result.reason if result else "",
    }


@router.get("/projects", response=list[ProjectOut], auth=django_auth)
def projects(request: HttpRequest) -> list[dict[str, Any]]:
    """Every retrofit project with its latest result."""
    return [_out(p) for p in RetrofitProject.objects.select_related("building").order_by("code")]


@router.get("/projects/{code}", response=ProjectDetailOut, auth=django_auth)
def project(request: HttpRequest, code: str) -> dict[str, Any]:
    """One project with its latest result document."""
    return _out(get_object_or_404(RetrofitProject.objects.select_related("building"), code=code))


@router.post("/projects/{code}/compute", response=ProjectDetailOut, auth=django_auth)
def compute(request: HttpRequest, code: str) -> dict[str, Any]:
    """Compute the project's savings from stored readings now (needs the change permission)."""
    if not request.user.has_perm("retrofits.change_retrofitproject"):
        raise HttpError(403, "you may not compute retrofit projects")
    item = get_object_or_404(RetrofitProject.objects.select_related("building"), code=code)
    services.project_compute(project=item)
    return _out(item)
