"""OpenADR 2.0b VTN adapter (openleadr, optional extra ``carbonpeak[openadr]``).

The platform is the VTN; each aggregator that uses OpenADR runs a VEN whose name is the aggregator's
``ven_name``. :class:`FlexVtn` wraps :class:`openleadr.OpenADRServer`:

* registration (``oadrCreatePartyRegistration``) is accepted only from a VEN name that belongs to an
  aggregator; its ``ven_id`` is ``ven-<aggregator code>``;
* :meth:`FlexVtn.publish` queues a notified event for every OpenADR aggregator in it: one ``simple`` level
  signal over the event window (level 1 = 削峰 peak shaving, 2 = 填谷 valley filling) with the aggregator's
  requested kW in the event's description (``event_id`` = the event code);
* the VEN's ``optIn`` / ``optOut`` (``oadrCreatedEvent``) is recorded through
  :func:`carbonpeak.web.flex.services.event_answer` with ``via="openadr"``, with its audit entry;
* reports over OpenADR (``oadrRegisterReport`` / ``oadrUpdateReport``) are **not handled yet**: aggregators
  send readings through the REST report endpoint (:mod:`carbonpeak.web.flex.api`) or a meter gateway.

Messages are not signed in this adapter (no certificates are configured); a production VTN must give
openleadr its certificate and key, and the VENs' fingerprints.

References
----------
.. [1] OpenADR Alliance (2015), *OpenADR 2.0b Profile Specification*, revision 1.1.
.. [2] openleadr (LF Energy), https://openleadr.org/docs/ (version pinned in requirements/constraints.txt).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from asgiref.sync import sync_to_async

from carbonpeak.web.flex import services
from carbonpeak.web.flex.models import Aggregator, DrEvent
from carbonpeak.web.tracking.roles import Roles
from carbonpeak.web.tracking.services import Actor

SIGNAL_LEVEL = {"peak_shaving": 1.0, "valley_filling": 2.0}
"""Simple-signal level per event type (the OpenADR simple signal's levels 0-3; 0 = normal)."""


def _actor(aggregator: Aggregator) -> Actor:
    return Actor(None, Roles(authenticated=True), f"openadr:{aggregator.ven_name}", "openadr")


def ven_id_of(aggregator: Aggregator) -> str:
    """The VEN id the VTN gives an aggregator's VEN."""
    return f"ven-{aggregator.code}"


def _register(ven_name: str) -> tuple[str, str] | bool:
    agg = Aggregator.objects.filter(ven_name=ven_name).exclude(ven_name="").first()
    if agg is None:
        return False
    return ven_id_of(agg), f"reg-{agg.code}"


def _answer(event_code: str, ven_id: str, opt_type: str) -> int:
    agg = next((a for a in Aggregator.objects.exclude(ven_name="") if ven_id_of(a) == ven_id), None)
    event = DrEvent.objects.filter(code=event_code).first()
    if agg is None or event is None:
        return 0
    return services.event_answer(
        actor=_actor(agg), event=event, aggregator=agg, opt_in=opt_type == "optIn", via="openadr"
    )


def _targets(event_code: str) -> list[tuple[str, float]]:
    event = DrEvent.objects.get(code=event_code)
    out: dict[str, float] = {}
    parts = event.participations.select_related("resource__aggregator").exclude(
        resource__aggregator__ven_name=""
    )
    for p in parts:
        agg = p.resource.aggregator
        kw = p.requested_kw if p.requested_kw is not None else p.resource.controllable_kw
        out[ven_id_of(agg)] = out.get(ven_id_of(agg), 0.0) + kw
    return sorted(out.items())


class FlexVtn:
    """The platform's OpenADR VTN (see the module docstring). Run it in an asyncio loop with :meth:`run`."""

    def __init__(self, *, vtn_id: str = "carbonpeak-vtn", host: str = "127.0.0.1", port: int = 8080) -> None:
        from datetime import timedelta

        from openleadr import OpenADRServer

        self.server = OpenADRServer(
            vtn_id=vtn_id,
            http_host=host,
            http_port=port,
            requested_poll_freq=timedelta(seconds=1),
            verify_message_signatures=False,
            show_fingerprint=False,
        )
        self.server.add_handler("on_create_party_registration", self._on_registration)
        self.published: list[tuple[str, str]] = []

    async def _on_registration(self, registration_info: dict[str, Any]) -> tuple[str, str] | bool:
        return await sync_to_async(_register)(str(registration_info.get("ven_name", "")))

    async def publish(self, event: DrEvent) -> list[str]:
        """Queue a notified event for every OpenADR aggregator in it; return the VEN ids it went to."""
        if event.state != DrEvent.NOTIFIED:
            raise services.FlexStateError(
                f"event {event.code} is {event.state}: only notified events are published"
            )
        targets = await sync_to_async(_targets)(event.code)
        sent = []
        for ven_id, kw in targets:
            self.server.add_event(
                ven_id=ven_id,
                signal_name="simple",
                signal_type="level",
                intervals=[
                    {
                        "dtstart": event.start,
                        "duration": event.end - event.start,
                        "signal_payload": SIGNAL_LEVEL[event.event_type],
                    }
                ],
                callback=partial(self._on_opt, event.code),
                event_id=event.code,
                market_context=f"oadr://carbonpeak/{event.event_type}/{kw:g}kW",
            )
            self.published.append((event.code, ven_id))
            sent.append(ven_id)
        return sent

    async def _on_opt(self, event_code: str, ven_id: str, event_id: str, opt_type: str) -> None:
        await sync_to_async(_answer)(event_code, ven_id, opt_type)

    async def run(self) -> None:
        """Start serving in the running loop."""
        await self.server.run()

    async def stop(self) -> None:
        """Stop serving."""
        await self.server.stop()
