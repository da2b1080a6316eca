"""Spatial app: layer and vehicle imports, the seven computed indicators (hand-worked), pages and API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import LineString, MultiPoint, Point, box, mapping

from carbonpeak.cli import main
from carbonpeak.core.spatial.crs import Projector
from carbonpeak.web.spatial import services
from carbonpeak.web.spatial.models import MapFeature, PopulationStat, Vehicle
from carbonpeak.web.tracking import registry

REFERENCE_PLAN = (
    Path(__file__).resolve().parents[2] / "src" / "carbonpeak" / "data" / "plans" / "yangpu-2022.yaml"
)
X0, Y0 = 644_000.0, 3_465_000.0
PROJ = Projector("EPSG:4549")


def _geojson(path: Path, features: list[tuple[str, object, dict[str, object]]]) -> str:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": mapping(PROJ.to_lonlat(g)), "properties": {"id": fid, **props}}
            for fid, g, props in features
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def layers(db, tmp_path, capsys):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    files = {
        "parks": [
            (
                "p1",
                box(X0 + 450, Y0 + 450, X0 + 550, Y0 + 550),
                {"opened": "2022-06-01", "name": "示例公园", "vegetation": "urban_arbor"},
            )
        ],
        "residential": [("r1", box(X0, Y0, X0 + 1000, Y0 + 1000), {"population": 10_000})],
        "subarea_boundary": [
            (
                "b",
                box(X0, Y0 - 100, X0 + 500, Y0 + 1100),
                {"code": "yangpu_riverside_south", "name": "滨江南段"},
            )
        ],
        "greenways": [
            ("g1", LineString([(X0 - 500, Y0 + 200), (X0 + 1500, Y0 + 200)]), {"opened": "2022-10-01"})
        ],
        "vertical_greening": [("v1", Point(X0 + 100, Y0 + 100), {"area_m2": 5000, "opened": "2023-03-01"})],
        "rail_stations": [
            ("s_old", Point(X0 + 100, Y0 + 900), {"opened": "2010-01-01"}),
            ("s_new", MultiPoint([(X0 + 300, Y0 + 300), (X0 + 320, Y0 + 300)]), {"opened": "2023-12-30"}),
            ("s_far", Point(X0 + 800, Y0 + 800), {"opened": "2024-12-30", "name": "远站"}),
        ],
        "bus_stops": [
            ("b1", Point(X0 + 369, Y0 + 300), {"name": "近站"}),
            ("b2", Point(X0 + 851, Y0 + 800), {}),
        ],
    }
    for layer, features in files.items():
        path = _geojson(tmp_path / f"{layer}.geojson", features)
        assert main(["spatial", "import", layer, path]) == 0
    fleet = tmp_path / "fleet.csv"
    fleet.write_text(
        "id,operator,category,fuel,in_service\n"
        "v1,巴士,bus,BEV,2022-03-01\nv2,巴士,bus,ICE,2022-05-01\nv3,出租,cruising_taxi,BEV,2022-07-01\n"
        "v4,机关,public_sector,BEV,2023-02-01\nv5,物流,logistics,ICE,2023-02-01\n",
        encoding="utf-8",
    )
    assert main(["spatial", "vehicles", str(fleet)]) == 0
    assert main(["spatial", "population", "--year", "2022", "--population", "2500", "--source", "test"]) == 0
    capsys.readouterr()


def test_the_seven_indicators_match_hand_calculations(layers):
    values = registry.computed_values()
    # park at the block's centre opened 2022: 0 % in 2021, 91.67 % from 2022 (500 m, park >= 5,000 m2)
    coverage = values["park_service_radius_coverage"]
    assert [v.year for v in coverage] == [2021, 2022]
    assert coverage[0].value == 0
    assert coverage[1].value == pytest.approx(91.67, abs=0.015)
    # 10,000 m2 / 2,500 residents
    assert [(v.year, v.value) for v in values["park_green_space_per_capita"]] == [(2022, 4.0)]
    green = {v.year: v.value for v in values["green_space_added"]}
    assert green[2021] == 0
    assert green[2022] == pytest.approx(0.5, abs=1e-3)
    assert {v.target for v in values["green_space_added"]} == {"riverside_south_green_space_2025"}
    assert {v.year: v.value for v in values["greenway_length_added"]}[2022] == pytest.approx(0.5, abs=1e-3)
    assert {v.year: v.value for v in values["vertical_greening_added"]}[2023] == pytest.approx(0.5)
    # s_new (2023) has b1 49 m from an entrance; s_far (2024) has b2 51 m away
    assert [(v.year, v.value) for v in values["bus_coverage_new_rail_stations"]] == [
        (2023, 100.0),
        (2024, 50.0),
    ]
    assert {(v.target, v.year, v.value) for v in values["nev_share_new_vehicles"]} == {
        ("nev_new_buses_taxis", 2022, 66.67),
        ("nev_new_public_sector_vehicles", 2023, 100.0),
    }
    assert not any(v.synthetic for vs in values.values() for v in vs)


def test_indicators_status_shows_the_computed_targets(layers, capsys):
    assert main(["indicators", "status", "--format", "json", "--as-of", "2026-06-30"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    expected = {
        "park_500m_coverage_2025": 91.66,
        "park_500m_coverage_2035": 91.66,
        "park_green_space_per_capita_2025": 4.0,
        "bus_coverage_new_rail_stations": 50.0,
        "nev_new_buses_taxis": 66.67,
        "nev_new_public_sector_vehicles": 100.0,
    }
    for code, value in expected.items():
        assert rows[code]["latest_value"] == pytest.approx(value, abs=0.015), code
    for code in (
        "riverside_south_green_space_2025",
        "riverside_south_greenways_2025",
        "riverside_south_vertical_greening_2025",
    ):
        assert rows[code]["latest_value"] is not None, code


def test_the_sink_feeds_the_inventory_sink_row(layers, tmp_path, capsys):
    activity = tmp_path / "sink.csv"
    assert main(["green", "sink", "--year", "2024", "--activity-csv", str(activity), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # 1 ha of urban arbor green space x 8.99 tCO2/(ha a) (FACTS.md section 5)
    assert doc["removal_tco2_a"] == pytest.approx(8.99, rel=1e-4)
    assert doc["projection_lever"]["sink_t_per_ha"] == pytest.approx(8.99)
    assert main(["inventory", "compute", "--activity", str(activity), "--format", "json"]) == 0
    assert "-8.99" in capsys.readouterr().out


def test_a_bad_feature_rejects_the_whole_layer(layers, tmp_path, capsys):
    before = MapFeature.objects.filter(layer="parks").count()
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[121.5, 31.3], [121.51, 31.31], [121.51, 31.3], [121.5, 31.31], [121.5, 31.3]]],
    }
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": bowtie, "properties": {"id": "x"}}],
    }
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(doc))
    assert main(["spatial", "import", "parks", str(path)]) == 1
    assert "bad.geojson, feature 1 (id x): field geometry: invalid geometry" in capsys.readouterr().err
    assert MapFeature.objects.filter(layer="parks").count() == before


def test_pages_need_login_and_the_map_shows_cards_and_stations(client, office_admin, unit_user, layers):
    assert client.get("/spatial/").status_code == 302
    client.force_login(unit_user)
    assert client.get("/spatial/import/").status_code == 403
    client.force_login(office_admin)
    html = client.get("/spatial/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-target="park_500m_coverage_2025"' in html
    assert "91.66" in html
    assert "公园绿地500米服务半径覆盖率" in html
    data = json.loads(
        html.split('<script id="spatial-data" type="application/json">')[1].split("</script>")[0]
    )
    stations = {s["id"]: s for s in data["stations"]}
    assert stations["s_far"]["served"] is False
    assert stations["s_far"]["nearest"][0]["id"] == "b2"
    assert stations["s_far"]["nearest"][0]["distance_m"] == pytest.approx(51, abs=0.01)
    assert data["holes"]["features"]  # the four corners outside the 500 m radius
    api = client.get("/api/spatial/coverage").json()
    assert api["coverage"] == pytest.approx(0.9167, abs=1e-4)
    assert client.get("/api/spatial/layers/parks").json()["features"][0]["id"] == "p1"
    assert client.get("/api/spatial/layers/trees").status_code == 404


def test_upload_page_lists_every_bad_row(client, office_admin, layers):
    client.force_login(office_admin)
    content = (
        b"id,operator,category,fuel,in_service\nx1,op,tram,BEV,2022-01-01\nx2,op,bus,diesel,2022-01-01\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/spatial/import/", {"kind": "vehicles", "file": SimpleUploadedFile("fleet.csv", content, "text/csv")}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "fleet.csv, row 2: field category" in text
    assert "fleet.csv, row 3: field fuel" in text
    assert Vehicle.objects.count() == 5
    geo = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": mapping(Point(121.5, 31.3)), "properties": {"id": "n1"}}
            ],
        }
    )
    response = client.post(
        "/spatial/import/",
        {
            "kind": "bus_stops",
            "file": SimpleUploadedFile("stops.geojson", geo.encode(), "application/geo+json"),
        },
    )
    assert response.status_code == 302
    assert list(MapFeature.objects.filter(layer="bus_stops").values_list("feature_id", flat=True)) == ["n1"]


def test_demo_is_synthetic_and_reloading_changes_nothing(db, capsys):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    message = services.demo_spatial_load(seed=7)
    assert message.startswith("SYNTHETIC")
    counts = (MapFeature.objects.count(), Vehicle.objects.count())
    services.demo_spatial_load(seed=7)
    assert (MapFeature.objects.count(), Vehicle.objects.count()) == counts
    assert not MapFeature.objects.filter(synthetic=False).exists()
    values = registry.computed_values()
    for code in (
        "park_service_radius_coverage",
        "park_green_space_per_capita",
        "green_space_added",
        "greenway_length_added",
        "vertical_greening_added",
        "bus_coverage_new_rail_stations",
        "nev_share_new_vehicles",
    ):
        assert values[code], code
        assert all(v.synthetic for v in values[code]), code
    assert PopulationStat.objects.get(year=2020).population == 1_242_548
