"""Renewables API: the PV installation and charging site registries, and the plan indicators computed from
them. Every read needs a signed-in session (the registries are not public data); there are no writes here
(files are imported through ``/renewables/import/`` or the command line)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import django_auth

from carbonpeak.web.renewables import indicators, selectors
from carbonpeak.web.renewables.models import ChargingSite, PvInstallation
from carbonpeak.web.tracking.registry import computed_values

router = Router(tags=["renewables"])

MAX_LIMIT = 1000


class PageQuery(Schema):
    limit: int = 200
    offset: int = 0


class PvQuery(PageQuery):
    building: str = ""
    kind: Literal["", "rooftop", "bipv", "facade", "carport"] = ""
    commissioned_year: int | None = None


class SiteQuery(PageQuery):
    building: str = ""
    site_kind: Literal[
        "", "office", "public_facility", "parking_lot", "residential", "taxi_station", "other"
    ] = ""
    access: Literal["", "public", "dedicated"] = ""
    commissioned_year: int | None = None


class PvOut(Schema):
    id: str
    building: str | None
    kind: str
    capacity_kwp: float
    storage_kwh: float
    commissioned: date
    owner: str
    synthetic: bool


class SiteOut(Schema):
    id: str
    name: str
    building: str | None
    parking_lot: str
    site_kind: str
    access: str
    parking_spaces: int
    ready_spaces: int | None
    fast_count: int
    slow_count: int
    fast_kw: float | None
    slow_kw: float | None
    commissioned: date
    synthetic: bool


class ComputedOut(Schema):
    year: int
    value: float
    unit: str
    source: str
    synthetic: bool
    target: str | None


class SubstitutionRowOut(Schema):
    building: str
    energy_kwh: float | None
    renewable_kwh: float
    yield_basis: str
    rate_pct: float | None
    included: bool
    flags: list[str]


class SubstitutionOut(Schema):
    year: int
    rate_pct: float | None
    energy_kwh: float
    renewable_kwh: float
    buildings: list[SubstitutionRowOut]
    unknown_year_built: list[str]


def _page(qs: Any, query: PageQuery) -> Any:
    limit = max(0, min(query.limit, MAX_LIMIT))
    offset = max(0, query.offset)
    return qs[offset : offset + limit]


def _pv_out(p: PvInstallation) -> dict[str, Any]:
    return {
        "id": p.code,
        "building": p.building.code if p.building else None,
        "kind": p.kind,
        "capacity_kwp": p.capacity_kwp,
        "storage_kwh": p.storage_kwh,
        "commissioned": p.commissioned,
        "owner": p.owner,
        "synthetic": p.synthetic,
    }


def _site_out(s: ChargingSite) -> dict[str, Any]:
    fields = ("name", "parking_lot", "site_kind", "access", "parking_spaces", "ready_spaces")
    return {
        "id": s.code,
        "building": s.building.code if s.building else None,
        **{f: getattr(s, f) for f in fields},
        **{f: getattr(s, f) for f in ("fast_count", "slow_count", "fast_kw", "slow_kw")},
        "commissioned": s.commissioned,
        "synthetic": s.synthetic,
    }


@router.get(
    "/pv-installations",
    response=list[PvOut],
    auth=django_auth,
    summary="PV installations (filters: building, kind, commissioned_year; limit ≤ 1000, offset)",
)
def pv_installations(request: HttpRequest, query: Query[PvQuery]) -> list[dict[str, Any]]:
    qs = selectors.pv_installations(
        building=query.building, kind=query.kind, commissioned_year=query.commissioned_year
    )
    return [_pv_out(p) for p in _page(qs, query)]


@router.get(
    "/charging-sites",
    response=list[SiteOut],
    auth=django_auth,
    summary="EV charging sites (filters: building, site_kind, access, commissioned_year; limit, offset)",
)
def charging_sites(request: HttpRequest, query: Query[SiteQuery]) -> list[dict[str, Any]]:
    qs = selectors.charging_sites(
        building=query.building,
        site_kind=query.site_kind,
        access=query.access,
        commissioned_year=query.commissioned_year,
    )
    return [_site_out(s) for s in _page(qs, query)]


@router.get(
    "/indicators",
    response=dict[str, list[ComputedOut]],
    auth=django_auth,
    summary="Computed values of the plan's PV and charging indicators (a target code: that target only)",
)
def indicator_values(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    values = computed_values(list(indicators.INDICATORS))
    return {code: [v.as_dict() for v in rows] for code, rows in values.items()}


@router.get(
    "/substitution",
    response=list[SubstitutionOut],
    auth=django_auth,
    summary="Renewable substitution rate of new buildings per complete year, each building with its flags",
)
def substitution(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "year": result.year,
            "rate_pct": result.rate_pct,
            "energy_kwh": result.energy_kwh,
            "renewable_kwh": result.renewable_kwh,
            "buildings": [
                {
                    "building": r.code,
                    "energy_kwh": r.energy_kwh,
                    "renewable_kwh": r.renewable_kwh,
                    "yield_basis": r.yield_basis,
                    "rate_pct": r.rate_pct,
                    "included": r.included,
                    "flags": list(r.flags),
                }
                for r in result.rows
            ],
            "unknown_year_built": list(result.unknown_year_built),
        }
        for result in selectors.substitution_years()
    ]
