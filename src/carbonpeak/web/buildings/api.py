"""Building API: gateways post readings with their token; anyone reads published metrics."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from carbonpeak.io.readings import RawReading, parse_timestamp
from carbonpeak.web.buildings import selectors, services
from carbonpeak.web.buildings.models import Gateway, Meter

router = Router(tags=["buildings"])


class GatewayToken(HttpBearer):
    """``Authorization: Bearer <token>`` of an active gateway (tokens are stored hashed)."""

    def authenticate(self, request: HttpRequest, token: str) -> Gateway | None:
        return Gateway.objects.filter(token_sha256=services.token_hash(token), active=True).first()


class ReadingIn(Schema):
    meter: str
    timestamp: str
    value: float | str


class ReadingsIn(Schema):
    readings: list[ReadingIn]


class IngestOut(Schema):
    received: int
    accepted: int
    duplicates: int
    conflicts: int
    quarantined: int
    corrected: int


class ErrorOut(Schema):
    detail: str


def to_raw(meter: str, stamp: Any, value: Any, row: int) -> RawReading:
    """One posted reading as a raw reading (problems are kept for the quarantine, not raised)."""
    try:
        moment: datetime | None = parse_timestamp(stamp)
    except (ValueError, TypeError):
        return RawReading(meter, None, None, str(value), row, f"'{stamp}' is not a timestamp")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return RawReading(meter, moment, None, str(value), row, f"'{value}' is not a number")
    if not math.isfinite(number):
        return RawReading(meter, moment, None, str(value), row, f"'{value}' is not a finite number")
    return RawReading(meter, moment, number, str(value), row)


@router.post(
    "/readings",
    auth=GatewayToken(),
    response={200: IngestOut, 403: ErrorOut, 413: ErrorOut},
    summary="Post meter readings (a gateway, for its own buildings only)",
)
def post_readings(request: HttpRequest, payload: ReadingsIn) -> Status[Any]:
    gateway: Gateway = request.auth  # type: ignore[attr-defined]
    if len(payload.readings) > 50_000:
        return Status(413, {"detail": "at most 50,000 readings per request"})
    allowed = set(gateway.buildings.values_list("id", flat=True))
    codes = {r.meter for r in payload.readings}
    outside = sorted(
        Meter.objects.filter(code__in=codes).exclude(building_id__in=allowed).values_list("code", flat=True)
    )
    if outside:
        return Status(
            403, {"detail": f"gateway {gateway.name} may not post readings for meters {', '.join(outside)}"}
        )
    raws = [to_raw(r.meter, r.timestamp, r.value, i) for i, r in enumerate(payload.readings, start=1)]
    result = services.readings_ingest(readings=raws, source="http", allowed_buildings=allowed)
    return Status(200, result.__dict__)


@router.get("/buildings/metrics", response=list[dict[str, Any]], summary="Metrics of publishable buildings")
def published_metrics(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    if year is not None and not 1990 <= year <= 2100:
        raise Http404("year must be between 1990 and 2100")
    chosen = year or selectors.latest_year_with_data()
    if chosen is None:
        return []
    from carbonpeak.web.buildings.models import Building

    buildings = list(Building.objects.filter(publishable=True).prefetch_related("meters"))
    return [m.values | {"year": chosen} for m in selectors.metrics_for_year(year=chosen, buildings=buildings)]
