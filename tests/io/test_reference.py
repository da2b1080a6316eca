"""Reading and validating the reference tables: every problem names file, row and field."""

from pathlib import Path

import pytest

from carbonpeak.core.errors import ReferenceDataError
from carbonpeak.io.reference import load_factor_library, read_reference_data
from tests.conftest import edit_csv

ELEC = "factors/electricity.csv"


def issues_of(data_dir: Path) -> list[tuple[str, int | None, str | None, str]]:
    report = read_reference_data(data_dir)
    assert not report.ok
    assert report.library is None
    return [(i.file, i.row, i.field, i.message) for i in report.issues]


def test_packaged_copy_is_valid(data_copy):
    report = read_reference_data(data_copy)
    assert report.ok, report.issues
    assert [t.entry.name for t in report.tables] == [
        "regions",
        "electricity_emission_factors",
        "heat_emission_factors",
        "fuel_properties",
        "standard_coal_coefficients",
        "building_quotas",
        "waste_parameters",
        "credit_methodologies",
        "park_service_radii",
        "sink_rates",
        "dr_baseline_rules",
        "dr_settlement_rules",
        "tou_tariffs",
        "lca_materials",
        "lca_densities",
        "lca_transport",
        "lca_machinery",
    ]
    assert all(len(t.sha256) == 64 for t in report.tables)


def test_unknown_unit_names_file_row_and_field(data_copy):
    edit_csv(data_copy / ELEC, "0.5568,kgCO2/kWh", "0.5568,kgCO2/tonne oil")
    [(file, row, field, message)] = issues_of(data_copy)
    assert (file, row, field) == (ELEC, 4, "unit")
    assert "'kgCO2/tonne oil' is not a known unit" in message


def test_unit_of_the_wrong_dimension_is_rejected(data_copy):
    edit_csv(data_copy / "factors/heat.csv", "0.06,tCO2/GJ", "0.06,t/GJ")
    [(file, row, field, message)] = issues_of(data_copy)
    assert (file, row, field) == ("factors/heat.csv", 2, "unit")
    assert "must be CO2 mass per unit of carrier" in message


def test_value_with_evidence_x_is_refused(data_copy):
    edit_csv(data_copy / ELEC, "2021,2021,,kgCO2/kWh", "2021,2021,0.6,kgCO2/kWh")
    [(file, row, field, message)] = issues_of(data_copy)
    assert (file, row, field) == (ELEC, 7, "value")
    assert "never invent a number" in message


def test_empty_value_needs_evidence_x(data_copy):
    edit_csv(data_copy / ELEC, "2022,2022,0.5366,", "2022,2022,,")
    [(file, row, field, message)] = issues_of(data_copy)
    assert (file, row, field) == (ELEC, 9, "value")
    assert "must be tagged evidence X" in message


def test_row_without_source_is_refused(data_copy):
    path = data_copy / "factors/fuels.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    source_at = lines[0].split(",").index("source")
    cells[source_at] = ""
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = issues_of(data_copy)
    assert ("factors/fuels.csv", 3, "source", "String should have at least 1 character") in found


def test_duplicate_key_is_refused(data_copy):
    edit_csv(data_copy / "factors/heat.csv", "sh-heat-pre2022,", "sh-heat-2022,")
    found = issues_of(data_copy)
    assert ("factors/heat.csv", 3, "factor_id", "duplicate key 'sh-heat-2022' (first at row 2)") in found


def test_bad_evidence_tag_and_bad_year(data_copy):
    edit_csv(
        data_copy / ELEC,
        "2024,V,National average\nmee-avg-east-2021",
        "2024,Q,National average\nmee-avg-east-2021",
    )
    edit_csv(
        data_copy / ELEC,
        "mee-avg-cn-2022,electricity,mee_nbs_average,CN,2022,2022",
        "mee-avg-cn-2022,electricity,mee_nbs_average,CN,2022,1922",
    )
    found = issues_of(data_copy)
    assert any(f[:3] == (ELEC, 4, "evidence") for f in found)
    assert any(f[:3] == (ELEC, 9, "year_to") for f in found)


def test_missing_and_unknown_columns(data_copy):
    path = data_copy / "factors/heat.csv"
    text = path.read_text(encoding="utf-8").replace("superseded_by,source", "replaced_by,source", 1)
    path.write_text(text, encoding="utf-8")
    found = issues_of(data_copy)
    assert ("factors/heat.csv", 1, "replaced_by", "unknown column") in found


def test_missing_required_column(data_copy):
    path = data_copy / "regions.csv"
    rows = [line.split(",", 1)[1] for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert ("regions.csv", 1, "code", "required column is missing") in issues_of(data_copy)


def test_overlapping_rows_are_located(data_copy):
    edit_csv(
        data_copy / ELEC,
        "mee-avg-cn-2022,electricity,mee_nbs_average,CN,2022,2022",
        "mee-avg-cn-2022,electricity,mee_nbs_average,CN,2021,2022",
    )
    [(file, row, field, message)] = issues_of(data_copy)
    assert (file, row, field) == (ELEC, 9, "year_from")  # the later of the two rows, the one edited
    assert "mee-avg-cn-2021" in message
    assert "mee-avg-cn-2022" in message
    assert "ambiguous" in message


def test_published_fuel_factor_must_match_the_computed_one(data_copy):
    edit_csv(data_copy / "factors/fuels.csv", "0.98,3.096,tCO2/t", "0.98,3.196,tCO2/t")
    [(file, row, field, message)] = issues_of(data_copy)
    assert (file, row, field) == ("factors/fuels.csv", 3, "published_ef")
    assert "3.0959" in message
    assert "3.1960" in message


def test_stray_table_not_in_manifest(data_copy):
    (data_copy / "factors/extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert issues_of(data_copy) == [
        ("factors/extra.csv", None, None, "is not listed in the manifest, so nothing validates or loads it")
    ]


def test_manifest_problems(data_copy):
    manifest = data_copy / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("file: factors/heat.csv", "file: factors/missing.csv")
    )
    assert issues_of(data_copy) == [
        ("factors/missing.csv", None, None, "is listed in the manifest but does not exist"),
        ("factors/heat.csv", None, None, "is not listed in the manifest, so nothing validates or loads it"),
    ]
    manifest.write_text("tables: [", encoding="utf-8")
    [(file, _, _, message)] = issues_of(data_copy)
    assert file == "manifest.yaml"
    assert message.startswith("is not valid YAML")


def test_not_utf8(data_copy):
    (data_copy / "regions.csv").write_bytes("code,name_zh\nCN,中国\n".encode("gbk"))
    [(file, row, field, message)] = issues_of(data_copy)
    assert (file, row, field) == ("regions.csv", None, None)
    assert message.startswith("is not UTF-8 text")


def test_load_factor_library_raises_with_every_issue(data_copy):
    edit_csv(data_copy / ELEC, "0.5568,kgCO2/kWh", "0.5568,kWh")
    edit_csv(data_copy / "factors/heat.csv", "0.06,tCO2/GJ", "0.06,GJ")
    with pytest.raises(ReferenceDataError, match=r"factors/electricity.csv, row 4, field unit") as info:
        load_factor_library(data_copy)
    assert len(info.value.issues) == 2
