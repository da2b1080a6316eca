"""Plan API: the loaded plan, its canonical document and its targets."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from carbonpeak.web.plan import selectors
from carbonpeak.web.plan.models import PlanTarget, PlanTaskUnit

router = Router(tags=["plan"])


class VersionQuery(Schema):
    plan: str | None = None
    version: int | None = None


class TargetQuery(VersionQuery):
    unit: str = ""
    action: str = ""
    deadline: str = ""
    kind: str = ""


class PlanOut(Schema):
    plan: str
    version: int
    title_zh: str
    title_en: str
    document_no: str
    synthetic: bool
    counts: dict[str, int]
    versions: list[int]


class TargetOut(Schema):
    code: str
    clause: str
    indicator: str
    comparator: str
    value: float | None
    unit: str
    baseline_year: int | None
    baseline_value: float | None
    deadline: int | str
    scope: str
    quote: str
    lead_unit: str | None
    co_units: list[str]


def _get(query: VersionQuery) -> Any:
    found = selectors.plan_version_get(plan_code=query.plan, version=query.version)
    if found is None:
        raise Http404("no plan is loaded")
    return found


@router.get("", response=PlanOut, summary="The loaded plan (latest version unless one is named)")
def plan_summary(request: HttpRequest, query: Query[VersionQuery]) -> dict[str, Any]:
    version = _get(query)
    return {
        "plan": version.plan_code,
        "version": version.version,
        "title_zh": version.title_zh,
        "title_en": version.title_en,
        "document_no": version.document_no,
        "synthetic": version.synthetic,
        "counts": selectors.plan_counts(plan_version=version),
        "versions": [v.version for v in selectors.plan_versions(plan_code=version.plan_code)],
    }


@router.get("/document", response=dict[str, Any], summary="The canonical plan document (the export format)")
def plan_document(request: HttpRequest, query: Query[VersionQuery]) -> dict[str, Any]:
    return dict(_get(query).document)


@router.get("/targets", response=list[TargetOut], summary="Targets, filtered by unit, action, deadline, kind")
def plan_targets(request: HttpRequest, query: Query[TargetQuery]) -> list[dict[str, Any]]:
    version = _get(query)
    filters = selectors.PlanFilters(
        unit=query.unit, action=query.action, deadline=query.deadline, kind=query.kind
    )
    shown: list[PlanTarget] = [
        t for _, ts in selectors.plan_goals(plan_version=version, filters=filters) for t in ts
    ]
    for action in selectors.plan_browse(plan_version=version, filters=filters):
        for view in action.tasks:
            shown += view.targets
    roles: dict[int, list[str]] = {}
    for role in (
        PlanTaskUnit.objects.filter(task__action__plan_version=version)
        .select_related("unit")
        .order_by("position")
    ):
        roles.setdefault(role.task_id, []).append(role.unit.code)
    out = []
    for target in shown:
        units = roles.get(target.task_id or -1, [])
        out.append(
            {
                "code": target.code,
                "clause": target.clause,
                "indicator": target.indicator.code,
                "comparator": target.comparator,
                "value": target.value,
                "unit": target.unit,
                "baseline_year": target.baseline_year,
                "baseline_value": target.baseline_value,
                "deadline": int(target.deadline) if target.deadline.isdigit() else target.deadline,
                "scope": target.scope,
                "quote": target.quote,
                "lead_unit": units[0] if units else None,
                "co_units": units[1:],
            }
        )
    return out
