"""``carbonpeak green coverage`` and ``carbonpeak transit coverage`` on files (no database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, box, mapping

from carbonpeak.cli import main
from carbonpeak.core.spatial.crs import Projector

CRS = "EPSG:4549"
X0, Y0 = 644_000.0, 3_465_000.0


def _write(path: Path, features: list[tuple[str, object, dict[str, object]]]) -> str:
    proj = Projector(CRS)
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": mapping(proj.to_lonlat(g)), "properties": {"id": fid, **props}}
            for fid, g, props in features
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def _blocks(tmp_path: Path) -> tuple[str, str]:
    parks = _write(tmp_path / "parks.geojson", [("p", box(X0 + 150, Y0 + 150, X0 + 250, Y0 + 250), {})])
    homes = _write(
        tmp_path / "homes.geojson",
        [
            ("a", box(X0, Y0, X0 + 400, Y0 + 400), {"population": 8000}),
            ("b", box(X0 + 2000, Y0, X0 + 2400, Y0 + 400), {"population": 2000}),
        ],
    )
    return parks, homes


def test_green_coverage_json_by_area_and_population(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parks, homes = _blocks(tmp_path)
    args = ["green", "coverage", "--parks", parks, "--residential", homes, "--crs", CRS, "--format", "json"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc)[:4] == ["coverage", "covered_area_m2", "residential_area_m2", "uncovered"]
    # reprojection round trip: the blocks are 400 m x 400 m to within a few cm2
    assert doc["coverage"] == pytest.approx(0.5, abs=1e-4)
    assert doc["residential_area_m2"] == pytest.approx(320_000, rel=1e-5)
    assert [u["id"] for u in doc["uncovered"]] == ["b"]
    assert main([*args, "--weight", "population"]) == 0
    assert json.loads(capsys.readouterr().out)["coverage"] == pytest.approx(0.8, abs=1e-4)


def test_green_coverage_refuses_unknown_crs_and_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parks, homes = _blocks(tmp_path)
    assert main(["green", "coverage", "--parks", parks, "--residential", homes, "--crs", "EPSG:4326"]) == 1
    assert "not projected" in capsys.readouterr().err
    bad = tmp_path / "bad.geojson"
    feature = {"type": "Feature", "geometry": None, "properties": {"id": "x"}}
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert main(["green", "coverage", "--parks", str(bad), "--residential", homes, "--crs", CRS]) == 1
    assert "bad.geojson, feature 1 (id x): field geometry: is missing" in capsys.readouterr().err


def test_green_coverage_network_needs_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parks, homes = _blocks(tmp_path)
    args = [
        "green",
        "coverage",
        "--parks",
        parks,
        "--residential",
        homes,
        "--crs",
        CRS,
        "--method",
        "network",
    ]
    assert main(args) == 1
    assert "--paths" in capsys.readouterr().err


def test_transit_coverage_49_and_51_m(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stations = _write(
        tmp_path / "stations.geojson",
        [("near", Point(X0, Y0), {"opened": "2023-12-30"}), ("far", Point(X0 + 1000, Y0), {})],
    )
    stops = _write(
        tmp_path / "stops.geojson", [("s1", Point(X0 + 49, Y0), {}), ("s2", Point(X0 + 1051, Y0), {})]
    )
    assert (
        main(
            [
                "transit",
                "coverage",
                "--stations",
                stations,
                "--stops",
                stops,
                "--crs",
                CRS,
                "--format",
                "json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["coverage"] == 0.5
    assert [(s["id"], s["served"], s["nearest_stop"]) for s in doc["stations"]] == [
        ("near", True, "s1"),
        ("far", False, "s2"),
    ]
    assert doc["stations"][0]["distance_m"] == pytest.approx(49, abs=0.01)
    assert doc["stations"][1]["distance_m"] == pytest.approx(51, abs=0.01)
    assert main(["transit", "coverage", "--stations", stations, "--stops", stops, "--crs", CRS]) == 0
    assert "NOT served" in capsys.readouterr().out


def test_green_life_circle_over_a_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from shapely.geometry import LineString

    stations = _write(tmp_path / "st.geojson", [("st", Point(X0, Y0), {})])
    homes = _write(
        tmp_path / "h.geojson",
        [
            ("h1", box(X0 + 100, Y0 - 5, X0 + 300, Y0 + 5), {}),
            ("h2", box(X0 + 1500, Y0 - 5, X0 + 1700, Y0 + 5), {}),
        ],
    )
    paths = _write(tmp_path / "p.geojson", [("p", LineString([(X0, Y0), (X0 + 2000, Y0)]), {})])
    args = ["green", "life-circle", "--stations", stations, "--residential", homes, "--paths", paths]
    args += [
        "--minutes",
        "15",
        "--walk-speed-m-per-min",
        "60",
        "--access-m",
        "5",
        "--crs",
        CRS,
        "--format",
        "json",
    ]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    # 900 m on foot reaches h1 (100-300 m) and not h2 (1,500-1,700 m)
    assert doc["coverage"] == pytest.approx(0.5, abs=1e-3)
    assert doc["walk_m"] == 900
    assert [u["id"] for u in doc["uncovered"]] == ["h2"]
