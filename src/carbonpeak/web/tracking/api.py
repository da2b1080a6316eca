"""Tracking API: targets with statuses (published values only), and reported values with unit tokens.

Reads follow the caller's session roles (anonymous callers see published data only). Units submit
values with ``Authorization: Bearer <unit token>``; a token is scoped to one unit. The office approves
or returns values with its session (CSRF checked). Every write is recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from carbonpeak.web.tracking import selectors, services
from carbonpeak.web.tracking.models import ReportedValue, UnitToken
from carbonpeak.web.tracking.roles import roles_for

router = Router(tags=["tracking"])


class UnitTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` of an active unit token (tokens are stored hashed)."""

    def authenticate(self, request: HttpRequest, token: str) -> UnitToken | None:
        return UnitToken.objects.filter(token_sha256=services.token_hash(token), active=True).first()


class TargetFilterQuery(Schema):
    action: str = ""
    unit: str = ""
    status: str = ""


class TargetStatusOut(Schema):
    code: str
    status: str
    latest_value: float | None
    period: str | None
    target_value: float | None
    deadline: int
    forecast: float | None
    lead_unit: str | None
    action: str | None
    indicator: str
    unit: str
    kind: str
    source: str
    synthetic: bool
    reason: str


class ValueOut(Schema):
    target: str
    year: int
    version: int
    state: str
    value: float
    unit: str
    note: str
    reason: str
    evidence: str
    unit_code: str
    created_at: str
    created_by: str


class ErrorOut(Schema):
    detail: str
    field: str = ""


class ReviewIn(Schema):
    approve: bool
    reason: str = ""


def _value_out(row: ReportedValue) -> dict[str, Any]:
    return {
        "target": row.target_code,
        "year": row.year,
        "version": row.version,
        "state": row.state,
        "value": row.value,
        "unit": row.unit,
        "note": row.note,
        "reason": row.reason,
        "evidence": row.evidence_name,
        "unit_code": row.unit_code,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by.get_username() if row.created_by else row.created_via,
    }


@router.get("/targets", response=list[TargetStatusOut], summary="Every target with its status today")
def targets(request: HttpRequest, query: Query[TargetFilterQuery]) -> list[dict[str, Any]]:
    filters = selectors.TargetFilters(action=query.action, unit=query.unit, status=query.status)
    return [row.as_dict() for row in selectors.target_rows(filters=filters)]


@router.get(
    "/targets/{code}/values",
    response=list[ValueOut],
    summary="Versions of a target's reported values the caller may read (published only for the public)",
)
def target_values(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    found = selectors.current_plan()
    target = selectors.target_get(plan=found[1], code=code) if found else None
    if found is None or target is None:
        raise Http404(f"no target {code}")
    rows = selectors.visible_history(plan_code=found[1].plan.id, target=target, roles=roles_for(request.user))
    return [_value_out(r) for r in rows]


def _error(exc: Exception) -> Status[Any]:
    if isinstance(exc, services.NotAllowedError):
        return Status(403, {"detail": str(exc), "field": ""})
    field = getattr(exc, "field", "")
    return Status(400, {"detail": str(exc), "field": field})


@router.post(
    "/values",
    auth=UnitTokenAuth(),
    response={201: ValueOut, 400: ErrorOut, 403: ErrorOut},
    summary="Report a value with evidence (a unit token, for its own unit's targets only)",
)
def post_value(
    request: HttpRequest,
    target: Form[str],
    year: Form[int],
    value: Form[float],
    note: Form[str] = "",
    submit: Form[bool] = True,
    evidence: File[UploadedFile | None] = None,
) -> Status[Any]:
    token: UnitToken = request.auth  # type: ignore[attr-defined]
    actor = services.Actor.for_token(token)
    try:
        upload = services.Evidence.from_upload(evidence) if evidence else None
        row = services.reported_value_save(
            actor=actor, target_code=target, year=year, value=value, note=note, evidence=upload, submit=submit
        )
    except (services.TrackingInputError, services.NotAllowedError) as exc:
        return _error(exc)
    return Status(201, _value_out(row))


@router.post(
    "/values/{target}/{year}/review",
    auth=django_auth,
    response={200: ValueOut, 400: ErrorOut, 403: ErrorOut},
    summary="Approve or return a submitted value (the office, signed in)",
)
def review_value(request: HttpRequest, target: str, year: int, payload: ReviewIn) -> Status[Any]:
    actor = services.Actor.for_user(request.user)  # type: ignore[arg-type]
    try:
        row = services.reported_value_review(
            actor=actor, target_code=target, year=year, approve=payload.approve, reason=payload.reason
        )
    except (services.TrackingInputError, services.NotAllowedError) as exc:
        return _error(exc)
    return Status(200, _value_out(row))
