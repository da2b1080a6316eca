"""MQTT subscriber for meter gateways (paho-mqtt).

Topic ``carbonpeak/<building_id>/<meter_id>``, one per building and meter. The payload is JSON: one reading,
``{"timestamp": "2024-05-01T10:15:00+08:00", "value": 12.5}``, or several, ``{"readings": [...]}``. The
broker authenticates gateways (per-gateway users and topic ACLs in Mosquitto). The subscriber also checks
that the meter belongs to the building named in the topic, and quarantines any reading that does not.

paho's network thread only queues messages. The thread that calls :meth:`MqttIngestor.drain` writes them
through the same ingest service as files and HTTP, so database access stays in one thread.

No loss: the subscriber uses MQTT v5 with a persistent session and acknowledges each message (PUBACK) only
after the transaction that stored its readings has committed. A subscriber that stops before then leaves the
messages unacknowledged, and the broker delivers them again on reconnection; ingest is idempotent, so a
redelivered reading counts once. The client's Receive Maximum (65,535) lets the broker keep that many
messages in flight, so acknowledging a batch at a time does not throttle the stream, and the broker's queue
limit (``max_queued_messages``) only matters while no subscriber is connected.
"""

from __future__ import annotations

import json
import queue
import time
from dataclasses import dataclass
from typing import Any

from carbonpeak.io.readings import RawReading
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


RECEIVE_MAXIMUM = 65_535
"""MQTT v5 Receive Maximum: unacknowledged QoS 1 messages in flight to this client (the protocol's most)."""
SESSION_EXPIRY_S = 7 * 24 * 3600
"""How long the broker keeps the subscriber's session and unacknowledged messages while it is away [s]."""


class MqttIngestor:
    """Queues messages from paho's thread; :meth:`drain` ingests them in the caller's thread, then acks them.

    ``acknowledge`` is called with each message's (mid, qos) once its readings are committed; :func:`connect`
    sets it to the client's ``ack``.
    """

    def __init__(self) -> None:
        self.messages: queue.Queue[tuple[Message, int, int]] = queue.Queue()
        self.totals = services.IngestResult()
        self.acknowledge: Any = None

    def on_message(self, client: Any, userdata: Any, message: Any) -> None:
        try:
            parsed = parse_message(message.topic, message.payload)
        except Exception as exc:  # a malformed message must never stop paho's network thread
            parsed = Message(
                "", [RawReading(str(message.topic), None, None, "", 0, f"unreadable message: {exc}")]
            )
        self.messages.put((parsed, int(getattr(message, "mid", 0)), int(getattr(message, "qos", 0))))

    def drain(self, *, wait: float = 0.5, max_readings: int = 20_000) -> services.IngestResult:
        """Ingest what has arrived (waiting up to ``wait`` seconds for the first message)."""
        batch: list[Message] = []
        receipts: list[tuple[int, int]] = []
        count = 0
        deadline = time.monotonic() + wait
        while count < max_readings:
            try:
                message, mid, qos = self.messages.get(
                    timeout=max(0.0, deadline - time.monotonic()) if not batch else 0.0
                )
            except queue.Empty:
                break
            batch.append(message)
            receipts.append((mid, qos))
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
        result = services.readings_ingest(readings=readings, source="mqtt")  # commits before returning
        if self.acknowledge is not None:
            for mid, qos in receipts:
                if qos > 0:
                    self.acknowledge(mid, qos)
        for key, value in result.__dict__.items():
            setattr(self.totals, key, getattr(self.totals, key) + value)
        return result


def connect(
    ingestor: MqttIngestor, *, host: str, port: int, topic: str, client_id: str = "carbonpeak"
) -> Any:
    """Connect (MQTT v5, persistent session, manual acks), subscribe with QoS 1 and start paho's thread.

    Returns the client. Messages are acknowledged by :meth:`MqttIngestor.drain` after their readings commit.
    """
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    subscribed = queue.Queue[bool]()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.manual_ack_set(True)
    client.on_message = ingestor.on_message
    ingestor.acknowledge = client.ack

    def on_connect(c: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        c.subscribe(topic, qos=1)

    client.on_connect = on_connect
    client.on_subscribe = lambda *args: subscribed.put(True)
    properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    properties.ReceiveMaximum = RECEIVE_MAXIMUM
    properties.SessionExpiryInterval = SESSION_EXPIRY_S
    client.connect(host, port, keepalive=30, clean_start=False, properties=properties)
    client.loop_start()
    subscribed.get(timeout=10)
    return client
