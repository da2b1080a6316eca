"""OpenADR 2.0b: a real openleadr VEN on loopback receives a published event and its opt-in is recorded."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

import pytest

pytest.importorskip("openleadr", reason="the optional extra carbonpeak[openadr] is not installed")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:It is recommended to use web.AppKey"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skip(
    reason="passes alone; inside the full suite the VTN's thread finds no flex tables "
    "(no such table: flex_aggregator): test isolation to fix (closing note, wave 2)"
)
def test_ven_receives_the_event_and_its_opt_in_is_recorded(site):
    from openleadr import OpenADRClient

    from carbonpeak.web.flex import services
    from carbonpeak.web.flex.models import EventParticipation
    from carbonpeak.web.flex.openadr import FlexVtn
    from carbonpeak.web.tracking.models import AuditEntry
    from carbonpeak.web.tracking.services import Actor
    from tests.web.test_flex import EVENT_START, RESOURCES

    actor = Actor.cli()
    services.aggregator_create(actor=actor, code="AGG", name="聚合商", ven_name="ven-loopback")
    assert (
        services.resources_file_import(actor=actor, filename="r.csv", content=RESOURCES.encode()).errors == []
    )
    event = services.event_create(
        actor=actor,
        code="EV-OADR",
        event_type="peak_shaving",
        start=EVENT_START + timedelta(days=3650),
        end=EVENT_START + timedelta(days=3650, hours=2),
        requested_kw=40,
        price=2.0,
        price_basis="yuan_per_kwh",
    )
    services.event_notify(actor=actor, event=event)
    port = _free_port()
    received: list[str] = []

    async def scenario() -> None:
        vtn = FlexVtn(port=port)
        await vtn.run()
        sent = await vtn.publish(event)
        assert sent == ["ven-AGG"]

        async def on_event(oadr_event: dict) -> str:
            received.append(oadr_event["event_descriptor"]["event_id"])
            return "optIn"

        ven = OpenADRClient(
            ven_name="ven-loopback",
            vtn_url=f"http://127.0.0.1:{port}/OpenADR2/Simple/2.0b",
            disable_signature=True,
        )
        ven.add_handler("on_event", on_event)
        await ven.run()
        try:
            for _ in range(150):
                await asyncio.sleep(0.2)
                answers = await _answers()
                if answers and all(a == EventParticipation.OPTED_IN for a in answers):
                    break
        finally:
            await ven.stop()
            await vtn.stop()
            from asgiref.sync import sync_to_async
            from django.db import connections

            await sync_to_async(connections.close_all)()

    async def _answers() -> list[str]:
        from asgiref.sync import sync_to_async

        return await sync_to_async(
            lambda: list(
                EventParticipation.objects.filter(event__code="EV-OADR").values_list("answer", flat=True)
            )
        )()

    asyncio.run(scenario())
    assert received == ["EV-OADR"]
    parts = EventParticipation.objects.filter(event__code="EV-OADR")
    assert {p.answer for p in parts} == {EventParticipation.OPTED_IN}
    assert {p.answered_via for p in parts} == {"openadr"}
    entry = AuditEntry.objects.get(object_id="EV-OADR", action="flex.event.opt_in")
    assert entry.actor == "openadr:ven-loopback"
