"""PV building files: every bad row is named with its file, row and field."""

import pytest

from carbonpeak.io.pv import read_pv_buildings

HEADER = "id,roof_area_m2,primary_use,lat,lon,tilt_deg,azimuth_deg,roof_type\n"


def write(tmp_path, body, header=HEADER):
    path = tmp_path / "roofs.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_good_rows(tmp_path):
    parsed = read_pv_buildings(
        write(
            tmp_path,
            "B1,1000,school_university,31.28,121.52,,,\nB2,500,residential,31.28,121.52,30,90,pitched\n",
        )
    )
    assert not parsed.errors
    first, second = parsed.rows
    assert (first.id, first.roof_area_m2, first.roof_type, first.tilt_deg, first.azimuth_deg) == (
        "B1",
        1000.0,
        "flat",
        None,
        None,
    )
    assert (second.row, second.tilt_deg, second.azimuth_deg, second.roof_type) == (3, 30.0, 90.0, "pitched")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("B1,-5,hotel,31.2,121.5,,,", "roofs.csv, row 2: field roof_area_m2: -5 must be between 0 and inf"),
        ("B1,abc,hotel,31.2,121.5,,,", "field roof_area_m2: 'abc' is not a number"),
        ("B1,10,castle,31.2,121.5,,,", "field primary_use: 'castle' is not a primary use"),
        ("B1,10,hotel,95,121.5,,,", "field lat: 95 must be between -90 and 90"),
        ("B1,10,hotel,31.2,121.5,91,,", "field tilt_deg: 91 must be between 0 and 90"),
        ("B1,10,hotel,31.2,121.5,,360,", "field azimuth_deg: 360 must be between 0 and 360 (exclusive)"),
        ("B1,10,hotel,31.2,121.5,,,dome", "field roof_type: 'dome' is not a roof type"),
        (",10,hotel,,121.5,,,", "field id: is missing; field lat: is missing"),
    ],
)
def test_bad_rows_are_named(tmp_path, row, message):
    parsed = read_pv_buildings(write(tmp_path, row + "\n"))
    assert not parsed.rows
    assert message in str(parsed.errors[0])


def test_header_duplicates_and_empty(tmp_path):
    parsed = read_pv_buildings(
        write(tmp_path, "B1,10,hotel\n", header="id,roof_area_m2,primary_use,colour\n")
    )
    text = str(parsed.errors[0])
    assert "field lat: required column is missing" in text
    assert "field colour: unknown column" in text
    parsed = read_pv_buildings(write(tmp_path, "B1,10,hotel,31.2,121.5,,,\nB1,20,hotel,31.2,121.5,,,\n"))
    assert "row 3: field id: 'B1' repeats row 2" in str(parsed.errors[0])
    assert "has no buildings" in str(read_pv_buildings(write(tmp_path, "")).errors[0])
    assert "file not found" in str(read_pv_buildings(tmp_path / "none.csv").errors[0])
