"""``carbonpeak dr baseline`` and ``carbonpeak microgrid dispatch``: the issue's options and JSON shapes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from carbonpeak.cli import main
from tests.core.flex.test_baselines import hand_worked_load


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("timestamp,value\n" + "".join(f"{t},{v}\n" for t, v in rows), encoding="utf-8")
    return path


def _meter(tmp_path: Path) -> Path:
    load = hand_worked_load()
    return _write(tmp_path / "meter.csv", [(t.isoformat(), repr(float(v))) for t, v in load.items()])


def test_dr_baseline_json_hand_worked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meter = _meter(tmp_path)
    base = ["dr", "baseline", "--meter-data", str(meter), "--event-start", "2025-07-16T14:00"]
    args = [
        *base,
        "--event-end",
        "2025-07-16T16:00",
        "--method",
        "x_of_y",
        "--days",
        "10",
        "--format",
        "json",
    ]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == [
        "method",
        "eligible_days",
        "baseline_kw",
        "actual_kw",
        "reduction_kwh",
        "adjustment_ratio",
    ]
    assert out["reduction_kwh"] == pytest.approx(12.6, abs=0.005)
    assert len(out["eligible_days"]) == 10
    assert out["adjustment_ratio"] is None
    assert main([*args, "--adjustment", "multiplicative", "--adjustment-window", "10:00-12:00"]) == 0
    adjusted = json.loads(capsys.readouterr().out)
    assert adjusted["reduction_kwh"] == pytest.approx(30.0)
    assert adjusted["adjustment_ratio"] == pytest.approx(1.10 / 0.99, abs=1e-6)


def test_dr_baseline_errors_name_file_row_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path / "bad.csv", [("2025-07-16T00:00", "1"), ("2025-07-16T01:00", "abc")])
    args = ["dr", "baseline", "--meter-data", str(bad), "--event-start", "2025-07-16T14:00"]
    assert main([*args, "--event-end", "2025-07-16T16:00", "--method", "x_of_y", "--format", "json"]) == 1
    assert "bad.csv, row 3, field value: 'abc' is not a number" in capsys.readouterr().err


def test_dr_baseline_missing_actual_is_null_and_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load = hand_worked_load()
    rows = [
        (t.isoformat(), "" if t == datetime(2025, 7, 16, 15) else repr(float(v))) for t, v in load.items()
    ]
    meter = _write(tmp_path / "gap.csv", rows)
    args = ["dr", "baseline", "--meter-data", str(meter), "--event-start", "2025-07-16T14:00"]
    assert main([*args, "--event-end", "2025-07-16T16:00", "--method", "x_of_y", "--format", "json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["actual_kw"][1] is None
    assert out["reduction_kwh"] is None
    assert "no reading" in captured.err


def test_microgrid_dispatch_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stamps = [(datetime(2025, 1, 1) + timedelta(hours=h)).isoformat() for h in range(24)]
    price = ["0.3" if h < 8 or h >= 22 else "1.0" for h in range(24)]
    load = _write(tmp_path / "load.csv", [(t, "10") for t in stamps])
    pv = _write(tmp_path / "pv.csv", [(t, "0") for t in stamps])
    prices = _write(tmp_path / "prices.csv", list(zip(stamps, price, strict=True)))
    args = ["microgrid", "dispatch", "--load", str(load), "--pv", str(pv), "--prices", str(prices)]
    args += ["--battery-kwh", "20", "--battery-kw", "5", "--efficiency", "0.81"]
    args += ["--soc-min", "0", "--soc-max", "1", "--soc-start", "0", "--format", "json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == [
        "cost_without_storage",
        "cost_with_storage",
        "grid_kwh",
        "self_consumption",
        "charge_kw",
        "discharge_kw",
        "soc_kwh",
    ]
    assert out["cost_without_storage"] == pytest.approx(170.0)
    assert out["cost_with_storage"] == pytest.approx(170 - 18 + 20 / 0.9 * 0.3, abs=1e-3)
    assert out["self_consumption"] is None  # no PV
    assert len(out["soc_kwh"]) == 24


def test_microgrid_dispatch_misaligned_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stamps = [(datetime(2025, 1, 1) + timedelta(hours=h)).isoformat() for h in range(3)]
    load = _write(tmp_path / "load.csv", [(t, "10") for t in stamps])
    pv = _write(tmp_path / "pv.csv", [(t, "0") for t in [stamps[0], stamps[2], "2025-01-01T05:00:00"]])
    args = ["microgrid", "dispatch", "--load", str(load), "--pv", str(pv), "--prices", str(load)]
    args += ["--battery-kwh", "20", "--battery-kw", "5", "--efficiency", "0.9"]
    args += ["--soc-min", "0.1", "--soc-max", "0.9", "--soc-start", "0.5", "--format", "json"]
    assert main(args) == 1
    assert "pv.csv, row 3, field timestamp" in capsys.readouterr().err
    neg = _write(tmp_path / "neg.csv", [(t, "-1") for t in stamps])
    args[3] = str(neg)
    assert main(args) == 1
    assert "neg.csv, row 2, field value: -1.0 is negative" in capsys.readouterr().err
