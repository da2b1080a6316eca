"""Building, meter and reading files: the virtual-meter formula and numeric meter ids."""

import pytest

from carbonpeak.io.buildings import parse_virtual, read_buildings_file


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("YP0001-MAIN - YP0001-IT", [(1, "YP0001-MAIN"), (-1, "YP0001-IT")]),
        ("+M1 +M2 -M3", [(1, "M1"), (1, "M2"), (-1, "M3")]),
        ("M1 + M2", [(1, "M1"), (1, "M2")]),
        ("", []),
    ],
)
def test_virtual_formula(text, terms):
    parsed, problem = parse_virtual(text)
    assert problem == ""
    assert [(t["sign"], t["meter"]) for t in parsed] == terms


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("M1 M2", "needs an operator between meters"),
        ("M1 -", "ends with an operator"),
        ("M1 + - M2", "two operators"),
    ],
)
def test_bad_virtual_formula(text, problem):
    assert problem in parse_virtual(text)[1]


def test_operating_hours_must_be_annual(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "id,name,primary_use,floor_area_m2,operating_hours\nB1,a,hotel,100,10\nB2,b,hotel,100,2600\n",
        encoding="utf-8",
    )
    parsed = read_buildings_file(path)
    assert [str(e) for e in parsed.errors] == [
        "b.csv, row 2: field operating_hours: 10 is not annual operating hours: give hours per year (h/a), "
        "e.g. 2500, between 25 and 8784"
    ]


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        ({"type": "Point", "coordinates": [121.5, 31.2]}, "must be a GeoJSON Polygon or MultiPolygon"),
        (
            {"type": "Polygon", "coordinates": [[[121.5, 31.2], [121.6, 31.2], [121.5, 31.2]]]},
            "at least four",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[121.5, 31.2], [121.6, 31.2], [121.6, 31.3], [121.5, 31.3]]],
            },
            "must be closed",
        ),
        (
            {"type": "Polygon", "coordinates": [[[31.2, 221.5], [1, 1], [2, 2], [31.2, 221.5]]]},
            "outside WGS84",
        ),
        (
            {"type": "MultiPolygon", "coordinates": [[[["a", 1], [1, 1], [2, 2], ["a", 1]]]]},
            "[longitude, latitude]",
        ),
    ],
)
def test_footprints_must_be_closed_wgs84_polygons(geometry, problem):
    from carbonpeak.io.buildings import footprint_problem

    assert problem in footprint_problem(geometry)


def test_a_valid_footprint_has_no_problem():
    from carbonpeak.io.buildings import footprint_problem

    ring = [[121.5, 31.2], [121.6, 31.2], [121.6, 31.3], [121.5, 31.3], [121.5, 31.2]]
    assert footprint_problem({"type": "Polygon", "coordinates": [ring]}) is None
    assert footprint_problem({"type": "MultiPolygon", "coordinates": [[ring], [ring]]}) is None


def test_degree_day_rows_name_their_problems(tmp_path):
    from carbonpeak.io.buildings import read_degree_days_file

    path = tmp_path / "dd.csv"
    path.write_text(
        "station,period,heating_kd,cooling_kd\nS1,2025-13,1,0\nS1,normal-01,-3,0\nS1,2025-02,1,0\nS1,2025-02,1,0\n",
        encoding="utf-8",
    )
    assert [str(e) for e in read_degree_days_file(path).errors] == [
        "dd.csv, row 2: field period: '2025-13' must be YYYY-MM (a month) or normal-MM "
        "(the normal year's month)",
        "dd.csv, row 3: field heating_kd: -3 must be a finite number, zero or more",
        "dd.csv, row 5: field period: duplicates row 4",
    ]


def test_the_demo_weather_has_a_year_and_a_normal_year():
    from carbonpeak.demo.buildings import reference_degree_days

    rows = reference_degree_days()
    assert [r["period"] for r in rows] == [f"2025-{m:02d}" for m in range(1, 13)] + [
        f"normal-{m:02d}" for m in range(1, 13)
    ]
    assert all(r["quality"] == "synthetic" for r in rows)
    assert all("SYNTHETIC" in r["source"] for r in rows)
    january, july = rows[0], rows[6]
    assert january["heating_kd"] > 300  # a cold month on the 18 °C base
    assert january["cooling_kd"] == 0
    assert july["cooling_kd"] > 0
    assert july["heating_kd"] == 0


def test_a_generation_meter_must_meter_electricity(tmp_path):
    from carbonpeak.io.buildings import read_meters_file

    path = tmp_path / "m.csv"
    path.write_text(
        "id,building_id,energy_class,unit,category\nPV1,B1,electricity,kWh,generation.pv\nPV2,B1,gas,m3,generation.pv\n",
        encoding="utf-8",
    )
    parsed = read_meters_file(path)
    assert [str(e) for e in parsed.errors] == [
        "m.csv, row 3: field category: a generation meter ('generation.pv') must meter electricity, not gas"
    ]
