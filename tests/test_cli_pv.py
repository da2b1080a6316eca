"""``carbonpeak pv potential``: no database, default synthetic weather or a weather file."""

import json

import pytest

from carbonpeak.cli import main

ROOFS = (
    "id,roof_area_m2,primary_use,lat,lon,tilt_deg,azimuth_deg,roof_type\n"
    "B1,1000,school_university,31.28,121.52,,,\n"
    "B2,500,residential,31.28,121.52,25,0,pitched\n"
)


def test_pv_potential_json(tmp_path, capsys):
    path = tmp_path / "roofs.csv"
    path.write_text(ROOFS, encoding="utf-8")
    assert main(["pv", "potential", "--buildings", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["B1", "B2"]
    assert list(rows[0]) == [
        "id",
        "roof_area_m2",
        "usable_area_m2",
        "capacity_kwp",
        "annual_kwh",
        "specific_yield_kwh_per_kwp",
    ]
    # B1: 1,000 m2 × 0.60 = 600 m2; × 0.5 × 0.20 kWp/m2 = 60 kWp (flat roof, 20° south by default)
    assert (rows[0]["usable_area_m2"], rows[0]["capacity_kwp"]) == (600.0, 60.0)
    assert 900 <= rows[0]["specific_yield_kwh_per_kwp"] <= 1250
    assert rows[0]["annual_kwh"] == pytest.approx(60 * rows[0]["specific_yield_kwh_per_kwp"], rel=1e-3)
    # B2: 500 m2 × 0.40 = 200 m2; × 1.0 × 0.20 = 40 kWp, facing north
    assert rows[1]["capacity_kwp"] == 40.0
    assert rows[1]["specific_yield_kwh_per_kwp"] < rows[0]["specific_yield_kwh_per_kwp"]


def test_pv_potential_table_says_synthetic(tmp_path, capsys):
    path = tmp_path / "roofs.csv"
    path.write_text(ROOFS, encoding="utf-8")
    assert main(["pv", "potential", "--buildings", str(path)]) == 0
    out = capsys.readouterr().out
    assert "synthetic Shanghai typical year" in out
    assert "B2" in out


def test_pv_potential_errors(tmp_path, capsys):
    path = tmp_path / "roofs.csv"
    path.write_text(ROOFS.replace("B2,500", "B2,-500"), encoding="utf-8")
    assert main(["pv", "potential", "--buildings", str(path)]) == 1
    assert "roofs.csv, row 3: field roof_area_m2" in capsys.readouterr().err
    path.write_text(ROOFS, encoding="utf-8")
    assert main(["pv", "potential", "--buildings", str(path), "--weather", str(tmp_path / "x.epw")]) == 1
    assert "x.epw: file not found" in capsys.readouterr().err
    path.write_text(ROOFS.replace("31.28,121.52,25", "40.0,116.4,25"), encoding="utf-8")
    assert main(["pv", "potential", "--buildings", str(path)]) == 1
    assert "row 3: field lat/lon" in capsys.readouterr().err
