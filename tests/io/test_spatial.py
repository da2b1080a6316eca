"""Reading map layers (GeoJSON, CSV points, GeoPackage/Shapefile via pyogrio) and the vehicle registry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, box, mapping

from carbonpeak.core.spatial.crs import Projector
from carbonpeak.core.spatial.features import LayerKind, Park, Station
from carbonpeak.io.spatial import (
    feature_collection,
    layer_features,
    parse_geojson,
    read_layer,
    read_radius_table,
    read_sink_rates,
    read_vehicles,
    vehicles_from_rows,
)

DATA = Path(__file__).resolve().parents[2] / "src" / "carbonpeak" / "data"


def _fc(*features: dict[str, object]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _park(fid: str, geometry: object, **props: object) -> dict[str, object]:
    return {"type": "Feature", "geometry": geometry, "properties": {"id": fid, **props}}


def test_geojson_parks_are_read_and_projected() -> None:
    text = _fc(
        _park("p1", mapping(box(121.51, 31.30, 121.512, 31.302)), opened="2023-05-01", park_type="综合公园")
    )
    layer = parse_geojson(text, "parks", "parks.geojson")
    assert layer.ok, layer.errors
    parks = layer_features(LayerKind.PARKS, layer.features, Projector("EPSG:4549"))
    assert isinstance(parks[0], Park)
    assert parks[0].opened == date(2023, 5, 1)
    # about 190 m x 222 m in metres, never degrees
    assert 30_000 < parks[0].area_m2 < 50_000
    again = parse_geojson(json.dumps(feature_collection(layer.features)), "parks", "again.geojson")
    assert again.features[0].properties["opened"] == date(2023, 5, 1)


def test_each_bad_feature_is_named_and_the_file_rejected() -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[121.5, 31.3], [121.51, 31.31], [121.51, 31.3], [121.5, 31.31], [121.5, 31.3]]],
    }
    text = _fc(
        _park("good", mapping(box(121.51, 31.30, 121.512, 31.302))),
        _park("bad", bowtie),
        _park("metres", mapping(box(644000, 3465000, 644100, 3465100))),
        _park("late", mapping(box(121.51, 31.30, 121.512, 31.302)), opened="soon"),
        _park("good", mapping(box(121.51, 31.30, 121.512, 31.302))),
    )
    layer = parse_geojson(text, "parks", "parks.geojson")
    assert not layer.ok
    assert layer.features == []
    messages = [str(e) for e in layer.errors]
    assert (
        "parks.geojson, feature 2 (id bad): field geometry: invalid geometry (Self-intersection"
        in messages[0]
    )
    assert "feature 3 (id metres): field geometry: coordinates are not WGS 84 lon/lat" in messages[1]
    assert "feature 4 (id late): field opened: 'soon' is not a date" in messages[2]
    assert "feature 5 (id good): field id: duplicates feature 1" in messages[3]


def test_wrong_geometry_type_and_missing_fields() -> None:
    text = _fc(_park("s", mapping(box(121.51, 31.30, 121.512, 31.302))))
    layer = parse_geojson(text, "bus_stops", "stops.geojson")
    assert "Polygon is not allowed in bus_stops" in str(layer.errors[0])
    text = _fc({"type": "Feature", "geometry": mapping(Point(121.5, 31.3)), "properties": {"id": "v"}})
    layer = parse_geojson(text, "vertical_greening", "v.geojson")
    assert "field area_m2: is missing" in str(layer.errors[0])


def test_station_entrances_from_a_property() -> None:
    text = _fc(
        {
            "type": "Feature",
            "geometry": mapping(Point(121.514, 31.300)),
            "properties": {
                "id": "wjc",
                "opened": "2023-12-30",
                "entrances": [[121.5141, 31.3001], [121.5139, 31.2999]],
            },
        }
    )
    layer = parse_geojson(text, "rail_stations", "st.geojson")
    assert layer.ok, layer.errors
    station = layer_features("rail_stations", layer.features, Projector("EPSG:4549"))[0]
    assert isinstance(station, Station)
    assert station.geometry.geom_type == "MultiPoint"


def test_csv_points(tmp_path: Path) -> None:
    path = tmp_path / "stops.csv"
    path.write_text("id,name,lon,lat\ns1,五角场,121.514,31.300\ns2,x,200,31.3\n", encoding="utf-8")
    layer = read_layer(path, "bus_stops")
    assert "feature 2 (id s2): field lon: 200 is not a WGS 84 lon in degrees" in str(layer.errors[0])
    path.write_text("id,name,lon,lat\ns1,五角场,121.514,31.300\n", encoding="utf-8")
    assert read_layer(path, "bus_stops").ok
    assert "can only hold points" in str(read_layer(path, "parks").errors[0])


def test_geopackage_in_its_own_crs_is_reprojected_to_wgs84(tmp_path: Path) -> None:
    path = tmp_path / "parks.gpkg"
    geometry = np.array([shapely.to_wkb(box(644100, 3465200, 644200, 3465300))], dtype=object)
    pyogrio.raw.write(
        path,
        geometry,
        [np.array(["p1"], dtype=object), np.array([10000.0])],
        ["id", "green_area_m2"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4549",
    )
    layer = read_layer(path, "parks")
    assert layer.ok, layer.errors
    lon, lat = layer.features[0].geometry.centroid.coords[0]
    assert lon == pytest.approx(121.514, abs=0.002)
    assert lat == pytest.approx(31.300, abs=0.002)
    back = layer_features("parks", layer.features, Projector("EPSG:4549"))[0]
    assert back.geometry.area == pytest.approx(10_000, rel=1e-6)


def test_unknown_layer_and_suffix(tmp_path: Path) -> None:
    path = tmp_path / "x.kml"
    path.write_text("x")
    assert "not supported" in str(read_layer(path, "parks").errors[0])
    assert "unknown layer 'trees'" in str(read_layer(path, "trees").errors[0])


def test_reference_tables() -> None:
    table = read_radius_table(DATA)
    assert table.radius_for(5_000) == 500
    assert table.radius_for(2_500) == 300
    assert table.radius_for(1_000) is None
    assert all(b.evidence == "R" for b in table.bands)
    _version, rates = read_sink_rates(DATA)
    by = {r.vegetation: r for r in rates}
    assert by["urban_arbor"].rate_tco2_per_ha_a == 8.99
    assert by["shrub"].rate_tco2_per_ha_a is None
    assert by["shrub"].evidence == "X"


def test_vehicle_registry(tmp_path: Path) -> None:
    path = tmp_path / "fleet.csv"
    path.write_text(
        "id,operator,category,fuel,in_service,out_of_service\n"
        "b1,巴士一公司,bus,bev,2022-03-01,\n"
        "b2,巴士一公司,tram,ICE,2022-03-01,\n"
        "b3,巴士一公司,bus,ICE,2022-03-01,2021-01-01\n",
        encoding="utf-8",
    )
    parsed = read_vehicles(path)
    assert not parsed.ok
    assert "row 3: field category: 'tram' is not one of" in str(parsed.errors[0])
    assert "row 4: field out_of_service: 2021-01-01 is before in_service" in str(parsed.errors[1])
    path.write_text(
        "id,operator,category,fuel,in_service\nb1,巴士一公司,bus,bev,2022-03-01\n", encoding="utf-8"
    )
    parsed = read_vehicles(path)
    assert parsed.ok
    assert vehicles_from_rows(parsed.rows)[0].nev
