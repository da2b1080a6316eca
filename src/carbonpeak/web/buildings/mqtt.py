"""MQTT subscriber for meter gateways (paho-mqtt).

Topic ``carbonpeak/<building_id>/<meter_id>``, one per building and meter. The payload is JSON: one reading,
``{"timestamp": "2024-05-01T10:15:00+08:00", "value": 12.5}``, or several, ``{"readings": [...]}``. The
broker authenticates gateways (per-gateway users and topic ACLs in Mosquitto). The subscriber also checks
that the meter belongs to the building named in the topic, and quarantines any reading that does not.

paho's network thread only queues messages. The thread that calls :meth:`MqttIngestor.drain` writes them
through the same ingest service as files and HTTP, so database access stays in one thread.
"""

from __future__ import annotations

import json
import queue
import time
from dataclasses import dataclass
from typing import Any

from carbonpeak.io.buildings import RawReading
from carbonpeak.web.buildings import services
from carbonpeak.web.buildings.api import to_raw
from carbonpeak.web.buildings.models import Meter

TOPIC_PREFIX = "carbonpeak"


@dataclass
class Message:
    """A received message: the building and meter from its topic and its readings."""

    building: str
    readings: list[RawReading]


def parse_message(topic: str, payload: bytes) -> Message:
    """Turn one MQTT message into raw readings; anything unusable becomes a reading with its problem."""
    parts = topic.split("/")
    if len(parts) != 3 or parts[0] != TOPIC_PREFIX:
        return Message(
            "",
            [
                RawReading(
                    topic,
                    None,
                    None,
                    payload[:100].decode("utf-8", "replace"),
                    0,
                    f"topic '{topic}' is not {TOPIC_PREFIX}/<building>/<meter>",
                )
            ],
        )
    _, building, meter = parts
    try:
        body = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Message(
            building,
            [
                RawReading(
                    meter, None, None, payload[:100].decode("utf-8", "replace"), 0, "payload is not JSON"
                )
            ],
        )
    items = (
        body.get("readings", [body]) if isinstance(body, dict) else body if isinstance(body, list) else [body]
    )
    if not isinstance(items, list):
        return Message(
            building, [RawReading(meter, None, None, str(items)[:100], 0, "'readings' is not a list")]
        )
    readings = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            readings.append(
                RawReading(meter, None, None, str(item)[:100], number, "reading is not an object")
            )
        else:
            readings.append(to_raw(meter, item.get("timestamp"), item.get("value"), number))
    return Message(building, readings)


class MqttIngestor:
    """Queues messages from paho's thread; :meth:`drain` ingests them in the caller's thread."""

    def __init__(self) -> None:
        self.messages: queue.Queue[Message] = queue.Queue()
        self.totals = services.IngestResult()

    def on_message(self, client: Any, userdata: Any, message: Any) -> None:
        try:
            parsed = parse_message(message.topic, message.payload)
        except Exception as exc:  # a malformed message must never stop paho's network thread
            parsed = Message(
                "", [RawReading(str(message.topic), None, None, "", 0, f"unreadable message: {exc}")]
            )
        self.messages.put(parsed)

    def drain(self, *, wait: float = 0.5, max_readings: int = 20_000) -> services.IngestResult:
        """Ingest what has arrived (waiting up to ``wait`` seconds for the first message)."""
        batch: list[Message] = []
        count = 0
        deadline = time.monotonic() + wait
        while count < max_readings:
            try:
                message = self.messages.get(
                    timeout=max(0.0, deadline - time.monotonic()) if not batch else 0.0
                )
            except queue.Empty:
                break
            batch.append(message)
            count += len(message.readings)
        if not batch:
            return services.IngestResult()
        codes = {r.meter for m in batch for r in m.readings}
        building_of = dict(Meter.objects.filter(code__in=codes).values_list("code", "building__code"))
        readings = []
        for message in batch:
            for r in message.readings:
                owner = building_of.get(r.meter)
                if not r.problem and owner is not None and owner != message.building:
                    r = RawReading(
                        r.meter,
                        r.timestamp,
                        r.value,
                        r.raw,
                        r.row,
                        f"topic names building '{message.building}' but meter {r.meter} is in {owner}",
                    )
                readings.append(r)
        result = services.readings_ingest(readings=readings, source="mqtt")
        for key, value in result.__dict__.items():
            setattr(self.totals, key, getattr(self.totals, key) + value)
        return result


def connect(
    ingestor: MqttIngestor, *, host: str, port: int, topic: str, client_id: str = "carbonpeak"
) -> Any:
    """Connect, subscribe with QoS 1 and start paho's network thread; returns the client."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    subscribed = queue.Queue[bool]()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
    client.on_message = ingestor.on_message

    def on_connect(c: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        c.subscribe(topic, qos=1)

    client.on_connect = on_connect
    client.on_subscribe = lambda *args: subscribed.put(True)
    client.connect(host, port, keepalive=30)
    client.loop_start()
    subscribed.get(timeout=10)
    return client
