"""``carbonpeak lca compute`` and ``compare``: no database; the issue's JSON shape and hand-worked numbers."""

import json
from pathlib import Path

import pytest

from carbonpeak.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "lca"
HAND_WORKED = (
    "material,quantity,unit,transport_km,transport_mode,density_t_per_m3\n"
    "C30混凝土,3000,m3,40,heavy-diesel-truck-30t,2.4\n"
    "热轧带肋钢筋,300,t,,heavy-diesel-truck-30t,\n"
)


def test_compute_json_has_the_issues_shape(tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_text(HAND_WORKED, encoding="utf-8")
    assert main(["lca", "compute", "--bom", str(path), "--floor-area-m2", "10000", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["stages", "total_kgco2e", "per_m2_kgco2e", "by_material", "coverage_by_mass"]
    assert list(out["stages"]) == [
        "materials_kgco2e",
        "transport_kgco2e",
        "construction_kgco2e",
        "operation_kgco2e",
        "demolition_kgco2e",
    ]
    assert out["stages"]["materials_kgco2e"] == pytest.approx(1_587_000)
    assert out["stages"]["transport_kgco2e"] == pytest.approx(34_164)
    assert round(out["per_m2_kgco2e"], 1) == 162.1
    assert [m["material"] for m in out["by_material"]] == ["concrete-c30", "rebar-hot-rolled"]
    assert out["by_material"][0]["factor_evidence"] == "S"
    assert out["coverage_by_mass"]["meets_95_pct"] is True
    assert "lca_materials 2026-12-03" in out["coverage_by_mass"]["factor_tables"]


def test_compare_prefab_against_cast_in_place_by_stage(capsys):
    args = ["lca", "compare", "--a", str(FIXTURES / "cast_in_place.csv"), "--b", str(FIXTURES / "prefab.csv")]
    args += ["--floor-area-m2", "10000", "--region", "CN-SH", "--year", "2025", "--format", "json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    diff = out["difference"]["stages"]
    # materials: (2,800·295 + 310·2,340 + 20·2,350) − (3,000·295 + 300·2,340) = 1,598,400 − 1,587,000
    assert diff["materials_kgco2e"] == pytest.approx(11_400)
    # transport: (6,720 t·80 + 330 t·500 − 7,200 t·40 − 300 t·500)·0.078
    assert diff["transport_kgco2e"] == pytest.approx((537_600 + 165_000 - 288_000 - 150_000) * 0.078)
    # construction: (12 − 20) t diesel × the shipped diesel factor (fuels.csv, about 3,096 kgCO2/t)
    assert diff["construction_kgco2e"] == pytest.approx(-8 * 3095.9096, rel=1e-6)
    by = {d["material"]: d["difference_kgco2e"] for d in out["difference"]["by_material"]}
    assert by["section-steel-h"] == pytest.approx(20 * 2350 + 20 * 500 * 0.078)
    assert list(out["a"]) == ["stages", "total_kgco2e", "per_m2_kgco2e", "by_material", "coverage_by_mass"]


def test_energy_lines_need_region_and_year(capsys):
    args = ["lca", "compute", "--bom", str(FIXTURES / "prefab.csv"), "--floor-area-m2", "10000"]
    assert main(args) == 1
    assert "--region and --year" in capsys.readouterr().err


def test_unknown_material_is_one_line_naming_the_row(tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_text("material,quantity,unit\nC35混凝土,1,m3\n", encoding="utf-8")
    assert main(["lca", "compute", "--bom", str(path), "--floor-area-m2", "100"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("carbonpeak: error: bom.csv, row 2: field material: 'C35混凝土'")
    assert "closest known names" in err
    assert len(err.strip().splitlines()) == 1


def test_insufficient_data_is_refused_unless_told(tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_text("material,quantity,unit,transport_km\nC30混凝土,10,m3,40\n", encoding="utf-8")
    args = ["lca", "compute", "--bom", str(path), "--floor-area-m2", "100", "--transport-mode", "rail"]
    assert main(args) == 1
    assert "density" in capsys.readouterr().err
    assert main([*args, "--allow-incomplete", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "transport_mass_unknown" in {f["code"] for f in out["coverage_by_mass"]["flags"]}


def test_operation_from_an_energy_file(tmp_path, capsys):
    bom = tmp_path / "bom.csv"
    bom.write_text("material,quantity,unit,transport_km\n热轧带肋钢筋,1,t,0\n", encoding="utf-8")
    energy = tmp_path / "energy.csv"
    energy.write_text("carrier,quantity,unit\nelectricity,100000,kWh\n", encoding="utf-8")
    args = ["lca", "compute", "--bom", str(bom), "--floor-area-m2", "1000", "--energy", str(energy)]
    args += [
        "--region",
        "CN-SH",
        "--year",
        "2025",
        "--renewables-kgco2e-per-year",
        "2000",
        "--format",
        "json",
    ]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    # (100,000 kWh × 0.42 kgCO2/kWh (沪环气〔2022〕34号) − 2,000)·50 a
    assert out["stages"]["operation_kgco2e"] == pytest.approx(2_000_000)


def test_bad_floor_area_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["lca", "compute", "--bom", "x.csv", "--floor-area-m2", "nan"])
    assert exc.value.code == 2
