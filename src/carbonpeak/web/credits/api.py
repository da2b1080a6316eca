"""Credits API: partners post activities with their own token; a citizen reads its balance with its own
token; anyone reads the district totals. Tokens are stored hashed (the buildings app's helper)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from carbonpeak.core.credits.methodology import ActivityClaim
from carbonpeak.io.credits import claim_from_values
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.services import token_hash
from carbonpeak.web.credits import selectors, services
from carbonpeak.web.credits.models import CitizenAccount, Partner

router = Router(tags=["credits"])

MAX_ACTIVITIES = 10_000
"""Activities accepted in one request (send more in several requests or as a file)."""


class PartnerToken(HttpBearer):
    """``Authorization: Bearer <token>`` of an active partner."""

    def authenticate(self, request: HttpRequest, token: str) -> Partner | None:
        return selectors.partner_by_token(token_hash(token))


class CitizenToken(HttpBearer):
    """``Authorization: Bearer <token>`` of one citizen account."""

    def authenticate(self, request: HttpRequest, token: str) -> CitizenAccount | None:
        return selectors.citizen_by_token(token_hash(token))


class ActivityIn(Schema):
    activity_id: str
    account: str
    methodology: str
    quantity: float | str
    unit: str
    occurred_at: str
    claimed_elsewhere: str = ""


class ActivitiesIn(Schema):
    activities: list[ActivityIn]


class RefusalOut(Schema):
    activity_id: str
    refusal: str
    reason: str


class ImportOut(Schema):
    received: int
    credited: int
    held: int
    refused: int
    duplicates: int
    conflicts: int
    credited_kgco2e: float
    refusals: list[RefusalOut]
    conflicting: list[str]
    errors: list[str]


class ErrorOut(Schema):
    detail: str


class TokenOut(Schema):
    account: str
    token: str


class EntryOut(Schema):
    booked_on: str
    operation: str
    amount_kgco2e: float
    vintage: str
    methodology: str
    activity_id: str


class BalanceOut(Schema):
    account: str
    balance_kgco2e: float
    entries: list[EntryOut]


class TotalsOut(Schema):
    issued_kgco2e: float
    redeemed_kgco2e: float
    expired_kgco2e: float
    outstanding_kgco2e: float
    issued_tco2e: float
    citizens: int
    activities_credited: int
    activities_refused: int
    activities_held: int
    synthetic: bool


@router.post(
    "/activities",
    response={200: ImportOut, 400: ImportOut, 413: ErrorOut},
    auth=PartnerToken(),
    summary="Post activities (partner token). Re-sent activities are recognised and never credited twice",
)
def post_activities(request: HttpRequest, payload: ActivitiesIn) -> Any:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    if len(payload.activities) > MAX_ACTIVITIES:
        return Status(413, {"detail": f"at most {MAX_ACTIVITIES} activities per request"})
    claims: list[ActivityClaim] = []
    errors: list[RowError] = []
    for number, item in enumerate(payload.activities, start=1):
        values = {k: str(v) for k, v in item.dict().items()}
        parsed = claim_from_values(values, number, "request", partner.code)
        if isinstance(parsed, RowError):
            errors.append(parsed)
        else:
            claims.append(parsed)
    if errors:
        outcome = services.ImportOutcome(received=len(payload.activities), errors=errors)
        return Status(400, outcome.to_dict())
    return services.activities_import(partner=partner, claims=claims, label="api").to_dict()


@router.post(
    "/citizens/{account}/token",
    response={200: TokenOut, 404: ErrorOut},
    auth=PartnerToken(),
    summary="Issue a citizen's read token (partner token; only for accounts it has sent activities for)",
)
def citizen_token(request: HttpRequest, account: str) -> Any:
    partner: Partner = request.auth  # type: ignore[attr-defined]
    try:
        token = services.citizen_token_issue(partner=partner, pseudonym=account)
    except services.CreditsError as exc:
        return Status(404, {"detail": str(exc)})
    return {"account": account, "token": token}


@router.get(
    "/balance",
    response=BalanceOut,
    auth=CitizenToken(),
    summary="The citizen's own balance and entries (citizen token)",
)
def balance(request: HttpRequest) -> dict[str, Any]:
    citizen: CitizenAccount = request.auth  # type: ignore[attr-defined]
    grams, entries = selectors.statement(citizen.pseudonym)
    return {
        "account": citizen.pseudonym,
        "balance_kgco2e": grams / 1000,
        "entries": [
            {
                "booked_on": e.booked_on.isoformat(),
                "operation": e.operation,
                "amount_kgco2e": e.amount_gco2e / 1000,
                "vintage": e.vintage.isoformat(),
                "methodology": e.methodology,
                "activity_id": e.activity,
            }
            for e in entries
        ],
    }


@router.get("/totals", response=TotalsOut, summary="District totals (public)")
def district_totals(request: HttpRequest) -> dict[str, Any]:
    t = selectors.totals()
    return {
        "issued_kgco2e": t.issued_gco2e / 1000,
        "redeemed_kgco2e": t.redeemed_gco2e / 1000,
        "expired_kgco2e": t.expired_gco2e / 1000,
        "outstanding_kgco2e": t.outstanding_gco2e / 1000,
        "issued_tco2e": t.issued_gco2e / 1_000_000,
        "citizens": t.citizens,
        "activities_credited": t.activities_credited,
        "activities_refused": t.activities_refused,
        "activities_held": t.activities_held,
        "synthetic": t.synthetic,
    }
