"""Benchmark: streaming ingest over HTTP and over MQTT, sustained readings per second and loss.

A scratch data directory gets one building with ``--meters`` meters and a gateway token. Then:

* HTTP: ``carbonpeak serve`` runs on a free loopback port; one client posts batches (one reading per meter per
  15-minute step, ``--batch`` readings per request) for ``--seconds``.
* MQTT: ``carbonpeak mqtt subscribe`` ingests from Mosquitto (127.0.0.1:1883) while a publisher sends
  messages (QoS 1) for ``--seconds``: one reading per message, and then ``--per-message`` readings per
  message (a gateway sending an hour of 15-minute readings at once). One Python publisher tops out near
  4,000 messages/s on this machine, so the first figure is bounded by the publisher, not the subscriber.

Both print readings per second (stored readings over the time from the first send to the last store) and
the number lost (sent but not stored). The issue's target is at least 5,000 readings/s, with zero loss.
Traffic goes only to 127.0.0.1, and every loop is bounded in count and time.

Usage: python benchmarks/streaming.py [--meters 100] [--seconds 10] [--batch 1000] [--per-message 1 4]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BIN = Path(sys.executable).parent / "carbonpeak"
T0 = datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


def sh(env: dict[str, str], *args: str) -> str:
    return subprocess.run([str(BIN), *args], env=env, check=True, capture_output=True, text=True).stdout


def setup(meters: int) -> tuple[dict[str, str], str, Path]:
    data = Path(tempfile.mkdtemp(prefix="carbonpeak-stream-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"CARBONPEAK_DATA_DIR": str(data)}
    sh(env, "migrate")
    (data / "b.csv").write_text("id,name,primary_use,floor_area_m2\nS1,stream,other,1000\n", encoding="utf-8")
    (data / "m.csv").write_text(
        "id,building_id,energy_class,unit\n"
        + "".join(f"S1-{i:04d},S1,electricity,kWh\n" for i in range(meters)),
        encoding="utf-8",
    )
    sh(env, "buildings", "import", str(data / "b.csv"))
    sh(env, "meters", "import", str(data / "m.csv"))
    token = sh(env, "gateway", "create", "bench", "--buildings", "S1").split("token ")[1].split()[0]
    return env, token, data / "carbonpeak.sqlite3"


def stored(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM buildings_reading").fetchone()[0])


def bench_http(meters: int, seconds: float, batch: int) -> None:
    env, token, db = setup(meters)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port), "--threads", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        sent, step, started = 0, 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            readings = []
            while len(readings) < batch:
                stamp = (T0 + timedelta(minutes=15 * step)).isoformat()
                readings += [
                    {"meter": f"S1-{i:04d}", "timestamp": stamp, "value": 1.0 + i % 7} for i in range(meters)
                ]
                step += 1
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/readings",
                data=json.dumps({"readings": readings}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200
            sent += len(readings)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    count = stored(db)
    print(
        f"http  {sent:>9,} sent  {count:>9,} stored  {count / elapsed:>9,.0f} readings/s  lost {sent - count}"
    )


def bench_mqtt(meters: int, seconds: float, per_message: int) -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    env, _, db = setup(meters)
    subscriber = subprocess.Popen(
        [str(BIN), "mqtt", "subscribe", "--topic", "carbonpeak/S1/#", "--seconds", str(seconds + 60)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert subscriber.stdout is not None
    subscriber.stdout.readline()  # "subscribed to ..."
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-{os.getpid()}")
    publisher.max_inflight_messages_set(1000)
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    sent, step, started = 0, 0, time.perf_counter()
    last = None
    while time.perf_counter() - started < seconds:
        stamps = [(T0 + timedelta(minutes=15 * (step + k))).isoformat() for k in range(per_message)]
        for i in range(meters):
            body = (
                {"timestamp": stamps[0], "value": 1.0}
                if per_message == 1
                else {"readings": [{"timestamp": t, "value": 1.0} for t in stamps]}
            )
            last = publisher.publish(f"carbonpeak/S1/S1-{i:04d}", json.dumps(body), qos=1)
        sent += meters * per_message
        step += per_message
        if last is not None and (step // per_message) % 50 == 0:
            last.wait_for_publish(timeout=60)  # MQTT message ids are 16-bit: never run 65,535 ahead
    if last is not None:
        last.wait_for_publish(timeout=60)
    deadline = time.perf_counter() + 60
    while stored(db) < sent and time.perf_counter() < deadline:
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    publisher.loop_stop()
    publisher.disconnect()
    subscriber.terminate()
    subscriber.wait(timeout=10)
    count = stored(db)
    print(
        f"mqtt ({per_message}/msg) {sent:>9,} sent  {count:>9,} stored  {count / elapsed:>9,.0f} readings/s  "
        f"lost {sent - count}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument(
        "--per-message", type=int, nargs="+", default=[1, 4], help="readings per MQTT message (1 = one each)"
    )
    args = parser.parse_args()
    bench_http(args.meters, args.seconds, args.batch)
    for per_message in args.per_message:
        bench_mqtt(args.meters, args.seconds, per_message)


if __name__ == "__main__":
    main()
