"""Production set-up on an empty data directory, as a new district's office runs it (no synthetic data)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from carbonpeak.data import DATA_DIR, REFERENCE_PLAN
from tests.fixtures.districts.qinghe.reference import HERE, PLAN, build_reference_dir

CARBONPEAK = str(Path(sys.executable).parent / "carbonpeak")
TABLES = len(yaml.safe_load((DATA_DIR / "manifest.yaml").read_text(encoding="utf-8"))["tables"])
PASSWORD = "office-pass-2026-setup"


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = str(data_dir)
    env["CARBONPEAK_ADMIN_PASSWORD"] = PASSWORD
    return subprocess.run(
        [CARBONPEAK, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_setup_then_imports_then_building_metrics(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir()
    setup = run("setup", "--plan", str(REFERENCE_PLAN), "--admin", "office", data_dir=data)
    assert setup.returncode == 0, setup.stderr
    assert setup.stderr == ""
    assert f"reference data: {TABLES} table versions loaded, 0 already present" in setup.stdout
    assert "current plan" in setup.stdout
    assert "office administrator office: created" in setup.stdout
    assert "no synthetic data was loaded" in setup.stdout

    zone = ZoneInfo("Asia/Shanghai")
    lines = ["meter_id,timestamp,value"]
    lines += [
        f"QH-E01,{(datetime(2024, 1, 1, tzinfo=zone) + timedelta(days=d)).isoformat()},100"
        for d in range(366)
    ]
    readings = tmp_path / "readings.csv"
    readings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    meters = tmp_path / "meters.csv"
    meters.write_text(
        "id,building_id,energy_class,unit,category,kind,interval_minutes\n"
        "QH-E01,QH-B01,electricity,kWh,total,interval,1440\n",
        encoding="utf-8",
    )
    for step in (
        ("buildings", "import", str(HERE / "buildings.csv")),
        ("meters", "import", str(meters)),
        ("readings", "import", str(readings)),
    ):
        result = run(*step, data_dir=data)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    metrics = run("buildings", "metrics", "--year", "2024", "--format", "json", data_dir=data)
    assert metrics.returncode == 0, metrics.stderr
    assert metrics.stderr == ""
    by_id = {m["id"]: m for m in json.loads(metrics.stdout)}
    # 366 days x 100 kWh over 25,000 m2 = 1.464 kWh/m2
    assert by_id["QH-B01"]["eui_kwh_per_m2"] == 1.464

    again = run("setup", "--plan", str(REFERENCE_PLAN), "--admin", "office", data_dir=data)
    assert again.returncode == 0, again.stderr
    assert f"0 table versions loaded, {TABLES} already present" in again.stdout
    assert "already loaded, unchanged" in again.stdout
    assert "office administrator office: exists, unchanged" in again.stdout


def test_a_plan_whose_region_has_no_factors_is_refused_naming_the_region(tmp_path: Path) -> None:
    result = run("setup", "--plan", str(PLAN), data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("carbonpeak: error: the plan's region CN-ZJ has no entry")
    assert "carbonpeak data load --data-dir DIR" in result.stderr
    fixed = run(
        "setup", "--plan", str(PLAN), "--data-dir", str(build_reference_dir(tmp_path)), data_dir=tmp_path
    )
    assert fixed.returncode == 0, fixed.stderr


def test_commands_that_need_data_say_what_to_run(tmp_path: Path) -> None:
    assert run("migrate", data_dir=tmp_path).returncode == 0
    metrics = run("buildings", "metrics", "--year", "2024", "--format", "json", data_dir=tmp_path)
    assert metrics.returncode == 1
    assert "carbonpeak data load" in metrics.stderr or "carbonpeak setup --plan" in metrics.stderr
    status = run("indicators", "status", data_dir=tmp_path)
    assert status.returncode == 1
    assert "carbonpeak setup --plan FILE" in status.stderr
    assert "plan list" not in status.stderr
    listing = run("plan", "list", data_dir=tmp_path)
    assert "no plan is stored" in listing.stdout
