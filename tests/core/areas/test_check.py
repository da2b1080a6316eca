"""Sub-area codes, the parent tree and the sum check (pure)."""

import math

import pytest

from carbonpeak.core.areas import (
    SumExcess,
    area_code_problem,
    descendants,
    ordered_codes,
    parent_cycle,
    sub_area_excesses,
)
from carbonpeak.core.inventory.model import DISTRICT_AREA


def test_codes_are_slugs_and_the_district_code_is_reserved():
    assert area_code_problem("changyang_valley") is None
    assert area_code_problem("binjiang-south2") is None
    assert "not a code" in area_code_problem("长阳创谷")
    assert "not a code" in area_code_problem("Changyang")
    assert "names the whole district" in area_code_problem(DISTRICT_AREA)
    assert area_code_problem("") == "is missing"


def test_parent_cycles_are_found_and_trees_are_walked():
    tree = {"binjiang": None, "binjiang_south": "binjiang", "pier": "binjiang_south", "kic": None}
    assert parent_cycle(tree) is None
    assert descendants("binjiang", tree) == ["binjiang_south", "pier"]
    assert descendants("kic", tree) == []
    assert ordered_codes(list(tree), tree) == ["binjiang", "binjiang_south", "pier", "kic"]
    assert parent_cycle({"a": "b", "b": "a"}) == ["a", "b", "a"]
    assert parent_cycle({"a": "a"}) == ["a", "a"]


def test_parts_above_the_whole_are_reported_per_year():
    # 2023: 126 + 300 = 426 tCO2 > 420 (the district): an excess of 6 t, 1.428... %
    found = sub_area_excesses(
        area=DISTRICT_AREA,
        quantity="co2_t",
        whole={2022: 400.0, 2023: 420.0, 2024: None},
        parts={"changyang_valley": {2022: 126.0, 2023: 126.0, 2024: 50.0}, "kic": {2023: 300.0}},
    )
    assert found == (
        SumExcess(
            DISTRICT_AREA, "co2_t", "tCO2", 2023, 420.0, 426.0, ("changyang_valley", "kic"), 6.0, 6 / 4.2
        ),
    )
    assert SumExcess.from_dict(found[0].to_dict()) == found[0]


def test_equal_sums_and_rounding_are_not_an_excess_and_floor_area_has_no_year():
    assert (
        sub_area_excesses(
            area="d", quantity="energy_tce", whole={2023: 0.3}, parts={"a": {2023: 0.1}, "b": {2023: 0.2}}
        )
        == ()
    )  # 0.1 + 0.2 = 0.30000000000000004
    floor = sub_area_excesses(
        area="binjiang", quantity="floor_area_m2", whole={None: 1000.0}, parts={"pier": {None: 1500.0}}
    )
    assert [(f.year, f.unit, f.excess, f.excess_pct) for f in floor] == [(None, "m2", 500.0, 50.0)]
    zero = sub_area_excesses(area="x", quantity="co2_t", whole={2023: 0.0}, parts={"a": {2023: 1.0}})
    assert zero[0].excess_pct is None


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="unknown quantity 'water'"):
        sub_area_excesses(area="d", quantity="water", whole={}, parts={})
    with pytest.raises(ValueError, match="not a finite number"):
        sub_area_excesses(area="d", quantity="co2_t", whole={2023: 1.0}, parts={"a": {2023: math.inf}})
