"""Flex API: resources and events for signed-in users; the aggregators' REST interface (the same events and
answers as OpenADR, for aggregators without a VEN), authenticated by the aggregator's bearer token.

Aggregator endpoints (token from :func:`carbonpeak.web.flex.services.aggregator_create`, stored hashed):

* ``GET  /api/flex/aggregator/events`` — the events its resources are in (notified and later);
* ``POST /api/flex/aggregator/events/{code}/answer`` — opt in or out, for all or some of its resources;
* ``POST /api/flex/aggregator/events/{code}/report`` — hourly readings [kWh per hour] of its resources'
  meters, stored through the meter-readings ingest (idempotent, bad values quarantined).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.web.flex import services
from carbonpeak.web.flex.models import Aggregator, DrEvent, EventParticipation, FlexResource
from carbonpeak.web.tracking.roles import Roles
from carbonpeak.web.tracking.services import Actor

router = Router(tags=["flex"])


class AggregatorToken(HttpBearer):
    """Bearer token of an aggregator (compared by its SHA-256)."""

    def authenticate(self, request: HttpRequest, token: str) -> Aggregator | None:
        return Aggregator.objects.filter(token_sha256=services.token_hash(token)).first()


class ResourceOut(Schema):
    id: str
    name: str
    kind: str
    meter: str
    aggregator: str
    controllable_kw: float
    ramp_kw_per_min: float | None
    max_duration_h: float | None
    peak_shaving: bool
    valley_filling: bool
    synthetic: bool


class ParticipationOut(Schema):
    resource: str
    answer: str
    dispatched_kw: float | None
    delivered_kwh: float | None
    response_rate: float | None
    net_yuan: float | None


class EventOut(Schema):
    id: str
    event_type: str
    start: datetime
    end: datetime
    notice_at: datetime | None
    requested_kw: float
    price: float
    price_basis: str
    state: str
    synthetic: bool
    resources: list[ParticipationOut]


class AnswerIn(Schema):
    opt_in: bool
    resources: list[str] | None = None


class AnswerOut(Schema):
    answered: int


class ReportReading(Schema):
    resource: str
    timestamp: datetime
    kwh: float


class ReportIn(Schema):
    readings: list[ReportReading]


class ReportOut(Schema):
    stored: int
    quarantined: int


def _event_out(event: DrEvent, aggregator: Aggregator | None = None) -> EventOut:
    parts = event.participations.select_related("resource")
    if aggregator is not None:
        parts = parts.filter(resource__aggregator=aggregator)
    return EventOut(
        id=event.code,
        event_type=event.event_type,
        start=event.start,
        end=event.end,
        notice_at=event.notice_at,
        requested_kw=event.requested_kw,
        price=event.price,
        price_basis=event.price_basis,
        state=event.state,
        synthetic=event.synthetic,
        resources=[
            ParticipationOut(
                resource=p.resource.code,
                answer=p.answer,
                dispatched_kw=p.dispatched_kw,
                delivered_kwh=(p.settlement or {}).get("delivered_kwh"),
                response_rate=(p.settlement or {}).get("response_rate"),
                net_yuan=(p.settlement or {}).get("net_yuan"),
            )
            for p in parts.order_by("resource__code")
        ],
    )


@router.get("/resources", response=list[ResourceOut], auth=django_auth)
def list_resources(request: HttpRequest) -> list[ResourceOut]:
    """Every flexible resource."""
    return [
        ResourceOut(
            id=r.code,
            name=r.name,
            kind=r.kind,
            meter=r.meter.code,
            aggregator=r.aggregator.code,
            controllable_kw=r.controllable_kw,
            ramp_kw_per_min=r.ramp_kw_per_min,
            max_duration_h=r.max_duration_h,
            peak_shaving=r.peak_shaving,
            valley_filling=r.valley_filling,
            synthetic=r.synthetic,
        )
        for r in FlexResource.objects.select_related("meter", "aggregator").order_by("code")
    ]


@router.get("/events", response=list[EventOut], auth=django_auth)
def list_events(request: HttpRequest) -> list[EventOut]:
    """Every event with its resources' answers and results."""
    return [_event_out(e) for e in DrEvent.objects.order_by("-start")]


def _aggregator_actor(aggregator: Aggregator) -> Actor:
    return Actor(None, Roles(authenticated=True), f"aggregator:{aggregator.code}", f"api:{aggregator.code}")


@router.get("/aggregator/events", response=list[EventOut], auth=AggregatorToken())
def aggregator_events(request: HttpRequest) -> list[EventOut]:
    """The caller's events (not drafts), with only its own resources."""
    aggregator: Aggregator = request.auth  # type: ignore[attr-defined]
    events = (
        DrEvent.objects.filter(participations__resource__aggregator=aggregator)
        .exclude(state=DrEvent.DRAFT)
        .distinct()
        .order_by("-start")
    )
    return [_event_out(e, aggregator) for e in events]


@router.post("/aggregator/events/{code}/answer", response=AnswerOut, auth=AggregatorToken())
def aggregator_answer(request: HttpRequest, code: str, payload: AnswerIn) -> AnswerOut:
    """Opt the caller's resources in or out of a notified event."""
    aggregator: Aggregator = request.auth  # type: ignore[attr-defined]
    event = get_object_or_404(DrEvent, code=code)
    if not EventParticipation.objects.filter(event=event, resource__aggregator=aggregator).exists():
        raise HttpError(404, "Not Found")
    try:
        count = services.event_answer(
            actor=_aggregator_actor(aggregator),
            event=event,
            aggregator=aggregator,
            opt_in=payload.opt_in,
            resources=payload.resources,
            via="rest",
        )
    except CarbonpeakError as exc:
        raise HttpError(409, str(exc)) from None
    return AnswerOut(answered=count)


@router.post("/aggregator/events/{code}/report", response=ReportOut, auth=AggregatorToken())
def aggregator_report(request: HttpRequest, code: str, payload: ReportIn) -> ReportOut:
    """Store the caller's hourly readings for its resources in the event (through the readings ingest)."""
    from carbonpeak.io.readings import ReadingColumns
    from carbonpeak.web.buildings.services import readings_ingest

    aggregator: Aggregator = request.auth  # type: ignore[attr-defined]
    event = get_object_or_404(DrEvent, code=code)
    meters = dict(
        EventParticipation.objects.filter(event=event, resource__aggregator=aggregator).values_list(
            "resource__code", "resource__meter__code"
        )
    )
    for i, r in enumerate(payload.readings):
        if r.resource not in meters:
            raise HttpError(422, f"readings[{i}].resource: '{r.resource}' is not yours in event {code}")
        if r.timestamp.tzinfo is None:
            raise HttpError(422, f"readings[{i}].timestamp: needs a time zone")
    cols = ReadingColumns.from_meter_ids(
        [meters[r.resource] for r in payload.readings],
        np.array([int(r.timestamp.timestamp() * 1e9) for r in payload.readings], dtype=np.int64),
        np.array([r.kwh for r in payload.readings], dtype=np.float64),
    )
    result = readings_ingest(readings=cols, source=f"flex:{aggregator.code}")
    services.report_record(aggregator=aggregator, event=event, count=len(payload.readings))
    return ReportOut(stored=int(result.accepted), quarantined=int(result.quarantined))
