"""MQTT ingest against a real Mosquitto broker on 127.0.0.1:1883 (skipped if absent, unless CI=true)."""

import json
import os
import socket
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from carbonpeak.web.buildings.models import QuarantinedReading, Reading
from carbonpeak.web.buildings.mqtt import MqttIngestor, connect, parse_message

pytestmark = pytest.mark.django_db
BROKER = ("127.0.0.1", 1883)
T0 = datetime(2023, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


def _broker_up() -> bool:
    try:
        with socket.create_connection(BROKER, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def broker():
    if not _broker_up():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true and no MQTT broker on 127.0.0.1:1883")
        pytest.skip("no MQTT broker on 127.0.0.1:1883 (apt-get install mosquitto)")
    return BROKER


def test_parse_message():
    message = parse_message("carbonpeak/B1/E1", b'{"timestamp": "2023-01-01T00:00:00+08:00", "value": 2}')
    assert (message.building, message.readings[0].value) == ("B1", 2.0)
    assert parse_message("carbonpeak/B1/E1", b"not json").readings[0].problem == "payload is not JSON"
    assert "is not carbonpeak/<building>/<meter>" in parse_message("other/topic", b"{}").readings[0].problem
    for body in (b'{"readings": null}', b'{"readings": 5}'):
        assert parse_message("carbonpeak/B1/E1", body).readings[0].problem == "'readings' is not a list"


def test_readings_published_to_mosquitto_are_ingested_without_loss(site, broker):
    import paho.mqtt.client as mqtt

    prefix = f"carbonpeak-test-{uuid.uuid4().hex[:8]}"
    ingestor = MqttIngestor()
    subscriber = connect(ingestor, host=broker[0], port=broker[1], topic="carbonpeak/#", client_id=prefix)
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{prefix}-pub")
    publisher.connect(*broker)
    publisher.loop_start()
    try:
        sent = 200
        for i in range(sent):
            stamp = (T0 + timedelta(minutes=15 * i)).isoformat()
            info = publisher.publish(
                "carbonpeak/B1/E1", json.dumps({"timestamp": stamp, "value": 1 + i % 3}), qos=1
            )
            info.wait_for_publish(timeout=5)
        publisher.publish(
            "carbonpeak/B1/E2", json.dumps({"timestamp": "2023-01-01T00:00:00+08:00", "value": 1}), qos=1
        ).wait_for_publish(timeout=5)
        deadline = time.monotonic() + 20
        while ingestor.totals.received < sent + 1 and time.monotonic() < deadline:
            ingestor.drain(wait=0.5)
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        subscriber.loop_stop()
        subscriber.disconnect()
    assert ingestor.totals.received == sent + 1
    assert Reading.objects.filter(meter__code="E1").count() == sent
    assert QuarantinedReading.objects.get(meter_code="E2").reason == (
        "topic names building 'B1' but meter E2 is in B2"
    )


def _end_session(broker, client_id: str) -> None:
    """Remove a test's persistent session from the broker (a clean start with no expiry)."""
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect(*broker, clean_start=True)
    client.loop_start()
    time.sleep(0.2)
    client.loop_stop()
    client.disconnect()


def test_messages_are_acknowledged_only_after_their_readings_commit(site, broker):
    """A subscriber that stops before ingesting gets the messages again on reconnection: nothing is lost."""
    import paho.mqtt.client as mqtt

    client_id = f"carbonpeak-test-{uuid.uuid4().hex[:8]}"
    first = MqttIngestor()
    subscriber = connect(first, host=broker[0], port=broker[1], topic="carbonpeak/B1/#", client_id=client_id)
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{client_id}-pub")
    publisher.connect(*broker)
    publisher.loop_start()
    try:
        for i in range(30):
            stamp = (T0 + timedelta(minutes=15 * i)).isoformat()
            publisher.publish(
                "carbonpeak/B1/E1", json.dumps({"timestamp": stamp, "value": 2}), qos=1
            ).wait_for_publish(timeout=5)
        deadline = time.monotonic() + 10
        while first.messages.qsize() < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.messages.qsize() == 30  # received, but the subscriber "crashes" before ingesting
        subscriber.loop_stop()
        subscriber.disconnect()
        assert Reading.objects.filter(meter__code="E1").count() == 0

        second = MqttIngestor()
        subscriber = connect(
            second, host=broker[0], port=broker[1], topic="carbonpeak/B1/#", client_id=client_id
        )
        deadline = time.monotonic() + 20
        while second.totals.received < 30 and time.monotonic() < deadline:
            second.drain(wait=0.5)
        assert second.totals.received == 30
        assert Reading.objects.filter(meter__code="E1").count() == 30
        second.drain(wait=1.0)  # acknowledged: nothing comes a third time
        assert second.totals.received == 30
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        subscriber.loop_stop()
        subscriber.disconnect()
        _end_session(broker, client_id)
