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
