"""Building, meter and reading files: the virtual-meter formula and numeric meter ids."""

import pytest

from carbonpeak.io.buildings import parse_virtual


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
