"""Reference data API: loaded tables, their rows, and the factor lookup."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from carbonpeak.core.errors import FactorLookupError
from carbonpeak.data import packaged_library
from carbonpeak.web.reference import selectors
from carbonpeak.web.reference.models import ReferenceTableVersion

router = Router(tags=["reference data"])


class TableOut(Schema):
    name: str
    kind: str
    version: str
    file: str
    title_zh: str
    title_en: str
    sha256: str
    row_count: int
    loaded_at: datetime


class TableDetailOut(TableOut):
    rows: list[dict[str, str]]


class FactorQuery(Schema):
    kind: str = "emission"
    carrier: str
    region: str | None = None
    """Region code; default: the loaded reference data's default region."""
    year: int
    series: str | None = None


class FactorOut(Schema):
    kind: str
    carrier: str
    value: float
    unit: str
    factor_id: str
    table: str
    table_version: str
    series: str
    region: str
    requested_region: str
    region_fallback: bool
    year_from: int | None
    year_to: int | None
    source: str
    document_no: str
    evidence: str
    note: str
    components: dict[str, float]


class ErrorOut(Schema):
    detail: str


@router.get("/tables", response=list[TableOut], summary="Latest loaded version of every reference table")
def list_tables(request: HttpRequest) -> list[ReferenceTableVersion]:
    return selectors.latest_versions()


@router.get("/tables/{name}", response=TableDetailOut, summary="One reference table with its rows")
def get_table(request: HttpRequest, name: str, version: str | None = None) -> dict[str, object]:
    versions = selectors.table_versions(name=name)
    if version is not None:
        chosen = get_object_or_404(ReferenceTableVersion, name=name, version=version)
    else:
        chosen = versions[0] if versions else get_object_or_404(ReferenceTableVersion, name=name)
    payload = TableOut.from_orm(chosen).dict()
    payload["rows"] = [row.data for row in selectors.table_rows(table_version=chosen)]
    return payload


@router.get(
    "/factor", response={200: FactorOut, 404: ErrorOut}, summary="Look up the factor valid for a year"
)
def get_factor(request: HttpRequest, query: Query[FactorQuery]) -> Status[object]:
    # the stored, versioned library; the packaged one only while nothing is loaded (a fresh install)
    library = selectors.factor_library() if selectors.latest_versions() else packaged_library()
    region = query.region or library.defaults.get("region")
    if not region:
        return Status(404, {"detail": "give a region: the reference data names no default region"})
    try:
        factor = library.get_factor(query.kind, query.carrier, region, query.year, series=query.series)
    except FactorLookupError as exc:
        return Status(404, {"detail": str(exc)})
    return Status(
        200,
        {
            "kind": factor.kind.value,
            "carrier": factor.carrier,
            "value": factor.value,
            "unit": factor.unit,
            "factor_id": factor.factor_id,
            "table": factor.table,
            "table_version": factor.table_version,
            "series": factor.series,
            "region": factor.region,
            "requested_region": factor.requested_region,
            "region_fallback": factor.region_fallback,
            "year_from": factor.validity.year_from,
            "year_to": factor.validity.year_to,
            "source": factor.provenance.source,
            "document_no": factor.provenance.document_no,
            "evidence": factor.provenance.evidence.value,
            "note": factor.provenance.note,
            "components": dict(factor.components),
        },
    )
