"""Waste API: the rates of a year (district and streets) and the computed indicators. Every read needs a
signed-in session; a street office's members see their own streets only (the district figures and the
ranks cover every street). Files are imported through ``/waste/import/`` or the command line."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from carbonpeak.web.tracking.registry import computed_values
from carbonpeak.web.tracking.roles import roles_for
from carbonpeak.web.waste import selectors

router = Router(tags=["waste"])


class RatesQuery(Schema):
    year: int


class FlagOut(Schema):
    code: str
    street: str
    period: str
    detail: str


class StreetOut(Schema):
    street: str
    unit: str | None
    unit_matched: bool
    recovery_rate: float | None
    separated_share: float | None
    sorting_compliance_rate: float | None
    sorting_compliance_rate_residential: float | None
    sorting_compliance_rate_unit: float | None
    generation_t: float
    utilised_recovered_t: float
    generation_kg_per_capita_a: float | None
    recovery_rank: int | None
    compliance_rank: int | None
    flags: list[FlagOut]


class DistrictOut(Schema):
    recovery_rate: float | None
    sorting_compliance_rate: float | None
    sorting_compliance_rate_residential: float | None
    sorting_compliance_rate_unit: float | None
    separated_share: float | None
    generation_t: float
    generation_kg_per_capita_a: float | None
    emissions: dict[str, Any]
    flags: list[FlagOut]


class RatesOut(Schema):
    year: int
    synthetic: bool
    targets: dict[str, dict[str, Any] | None]
    district: DistrictOut
    streets: list[StreetOut]


class ComputedOut(Schema):
    year: int
    value: float
    unit: str
    source: str
    synthetic: bool
    target: str | None


@router.get(
    "/rates",
    response=RatesOut,
    auth=django_auth,
    summary="Recovery and compliance rates of a year: the district roll-up and the streets you may see",
)
def rates(request: HttpRequest, query: Query[RatesQuery]) -> dict[str, Any]:
    if query.year not in selectors.waste_years():
        raise HttpError(404, f"no waste statistics for {query.year}")
    data = selectors.waste_data()
    access = selectors.street_access(roles_for(request.user), data.streets)
    return selectors.rates_document(year=query.year, streets=access.streets)


@router.get(
    "/indicators",
    response=dict[str, list[ComputedOut]],
    auth=django_auth,
    summary="Computed values of the plan's waste indicators (district roll-up per year)",
)
def indicator_values(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    values = computed_values(list(selectors.INDICATORS))
    return {code: [v.as_dict() for v in rows] for code, rows in values.items()}
