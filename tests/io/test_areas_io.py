"""Sub-area files: a table (CSV/Excel) or a GeoJSON FeatureCollection, validated row by row."""

import io
import json
from pathlib import Path

from openpyxl import Workbook

from carbonpeak.io.areas import read_areas_file

SQUARE = {"type": "Polygon", "coordinates": [[[121.5, 31.3], [121.51, 31.3], [121.51, 31.31], [121.5, 31.3]]]}

CSV = (
    "code,name_zh,name_en,parent,boundary_geojson\n"
    "binjiang,杨浦滨江,Yangpu Riverside,,\n"
    f'binjiang_south,滨江南段,Riverside South,binjiang,"{json.dumps(SQUARE).replace(chr(34), chr(34) * 2)}"\n'
    "changyang_valley,长阳创谷,Changyang Valley,,\n"
)


def test_a_csv_registry_with_a_parent_and_a_boundary():
    parsed = read_areas_file(Path("areas.csv"), CSV.encode())
    assert parsed.errors == []
    assert [(r["code"], r["parent"]) for r in parsed.rows] == [
        ("binjiang", None),
        ("binjiang_south", "binjiang"),
        ("changyang_valley", None),
    ]
    assert parsed.rows[1]["boundary"] == SQUARE
    assert parsed.rows[0]["synthetic"] is False


def test_an_excel_registry():
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name_zh", "name_en", "parent", "quality"])
    sheet.append(["kic", "创智天地", "KIC", None, "synthetic"])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_areas_file(Path("areas.xlsx"), buffer.getvalue())
    assert parsed.errors == []
    assert parsed.rows[0]["synthetic"] is True


def test_bad_rows_name_file_row_and_field_and_reject_the_file():
    text = (
        "code,name_zh,name_en,parent,boundary_geojson\n"
        "Changyang,长阳创谷,,,\n"
        "district,全区,District,,\n"
        "kic,创智天地,KIC,kic,\n"
        'pier,码头,Pier,,"{""type"": ""Point"", ""coordinates"": [121.5, 31.3]}"\n'
        "kic_north,创智天地北,KIC North,,\n"
        "kic_north,创智天地北,KIC North,,\n"
    )
    parsed = read_areas_file(Path("bad.csv"), text.encode())
    assert parsed.rows == []
    messages = [str(e) for e in parsed.errors]
    assert messages[0].startswith("bad.csv, row 2: field code: 'Changyang' is not a code")
    assert "field name_en: is missing" in messages[0]
    assert messages[1].startswith("bad.csv, row 3: field code: 'district' names the whole district")
    assert messages[2] == "bad.csv, row 4: field parent: 'kic' cannot be its own parent"
    assert messages[3] == "bad.csv, row 5: field boundary_geojson: must be a GeoJSON Polygon or MultiPolygon"
    assert messages[4] == "bad.csv, row 7: field code: duplicates row 6"


def _collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


def _feature(code, geometry=SQUARE, **properties):
    return {
        "type": "Feature",
        "properties": {"code": code, "name_zh": "长阳创谷", "name_en": "Changyang Valley", **properties},
        "geometry": geometry,
    }


def test_a_geojson_feature_collection():
    parsed = read_areas_file(
        Path("areas.geojson"),
        _collection(_feature("changyang_valley"), _feature("cy_north", None, parent="changyang_valley")),
    )
    assert parsed.errors == []
    assert parsed.rows[0]["boundary"] == SQUARE
    assert parsed.rows[1]["boundary"] is None
    assert parsed.rows[1]["parent"] == "changyang_valley"


def test_geojson_errors_name_the_feature():
    outside = {"type": "Polygon", "coordinates": [[[200, 31], [121, 31], [121, 32], [200, 31]]]}
    open_ring = {"type": "Polygon", "coordinates": [[[121, 31], [121.1, 31], [121.1, 31.1], [121, 31.1]]]}
    parsed = read_areas_file(
        Path("a.geojson"),
        _collection(
            _feature("a", outside),
            _feature("b", open_ring),
            _feature("c", colour="red"),
            {"type": "Point"},
        ),
    )
    assert [str(e) for e in parsed.errors] == [
        "a.geojson, row 1: field geometry: position [200, 31] is outside WGS84 longitude/latitude",
        "a.geojson, row 2: field geometry: a ring must be closed (last position equal to the first)",
        "a.geojson, row 3: field colour: unknown property",
        "a.geojson, row 4: field type: must be a GeoJSON Feature",
    ]
    assert parsed.rows == []
    crs = read_areas_file(Path("a.geojson"), _collection(_feature("a"), crs={"type": "name"}))
    assert "RFC 7946 GeoJSON has no crs member" in str(crs.errors[0])
    assert "must be a GeoJSON FeatureCollection" in str(read_areas_file(Path("a.json"), b"{}").errors[0])
    assert "is not GeoJSON" in str(read_areas_file(Path("a.json"), b"{").errors[0])
    assert "has no features" in str(read_areas_file(Path("a.json"), _collection()).errors[0])
