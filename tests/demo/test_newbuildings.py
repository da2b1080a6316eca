"""The SYNTHETIC new-building demo: deterministic, labelled, valid for the importer and the LCA."""

from pathlib import Path

from carbonpeak.core.lca import compare_variants, gbt51366
from carbonpeak.data import packaged_library
from carbonpeak.demo.newbuildings import CAST_IN_PLACE_BOM, PREFAB_BOM, demo_projects
from carbonpeak.io.lca import energy_factors, packaged_lca_tables, read_bom


def test_projects_are_deterministic_and_synthetic():
    first = demo_projects(seed=3)
    assert first == demo_projects(seed=3)
    assert first != demo_projects(seed=4)
    assert all(row["synthetic"] and row["name"].startswith("SYNTHETIC") for row in first)


def test_the_two_boms_compute_and_compare(tmp_path):
    tables = packaged_lca_tables()
    factors = energy_factors(packaged_library(), region="CN-SH", year=2025)
    results = []
    for name, text in (("cast.csv", CAST_IN_PLACE_BOM), ("prefab.csv", PREFAB_BOM)):
        bom = read_bom(Path(name), text.encode("utf-8"), tables)
        assert bom.ok, bom.errors
        results.append(gbt51366(bom.items, tables, floor_area_m2=10_000, energy_factors=factors))
    difference = compare_variants(*results).stage_difference
    assert difference.construction_kgco2e < 0  # less site diesel for prefab
