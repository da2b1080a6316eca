"""The ``carbonpeak`` command: one clear error line and a non-zero exit on bad input."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from carbonpeak import __version__
from carbonpeak.cli import main
from tests.conftest import edit_csv

CARBONPEAK = str(Path(sys.executable).parent / "carbonpeak")


def run(*args: str, data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [CARBONPEAK, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"carbonpeak {__version__}"


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("serve", "demo", "data"):
        assert command in out


def test_unknown_command_is_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["bogus"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("carbonpeak: error: argument COMMAND: invalid choice: 'bogus'")


def test_bad_port_is_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", "eighty"])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_data_validate_passes_on_the_shipped_data(capsys):
    assert main(["data", "validate"]) == 0
    out = capsys.readouterr().out
    assert "OK: 17 tables, 0 errors" in out
    assert "factors/electricity.csv: 20 rows, version 2026-11-25" in out


def test_data_validate_fails_on_a_broken_table_naming_file_row_and_field(capsys, data_copy):
    edit_csv(data_copy / "factors/electricity.csv", "0.5568,kgCO2/kWh", "0.5568,kgCO2/tonne oil")
    assert main(["data", "validate", "--data-dir", str(data_copy)]) == 1
    captured = capsys.readouterr()
    expected = "error: factors/electricity.csv, row 4, field unit: 'kgCO2/tonne oil' is not a known unit"
    assert expected in captured.err
    assert "FAILED: 17 tables, 1 errors" in captured.out


def test_data_validate_json(capsys, data_copy):
    edit_csv(data_copy / "factors/heat.csv", "0.06,tCO2/GJ", ",tCO2/GJ")
    assert main(["data", "validate", "--data-dir", str(data_copy), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["issues"] == [
        {
            "file": "factors/heat.csv",
            "row": 2,
            "field": "value",
            "message": "is empty; an unknown value must be tagged evidence X",
            "severity": "error",
        }
    ]


def test_data_validate_missing_directory_is_one_line(capsys, tmp_path):
    assert main(["data", "validate", "--data-dir", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "nowhere: no such directory" in err


def test_data_without_action_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["data"])
    assert info.value.code == 2
    assert "choose an action: carbonpeak data validate" in capsys.readouterr().err


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = run("serve", "--port", "8799", data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "the database is not migrated" in result.stderr
    assert "carbonpeak demo" in result.stderr


def test_demo_builds_the_reference_district_in_a_wal_sqlite_file(tmp_path):
    first = run("demo", "--buildings", "0", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "reference data: 17 table versions loaded, 0 already present" in first.stdout
    password = (tmp_path / "demo-login.txt").read_text().strip()
    assert f"demo login: user demo  password {password}" in first.stdout
    second = run("demo", "--buildings", "0", data_dir=tmp_path)
    assert "0 table versions loaded, 17 already present" in second.stdout
    assert password in second.stdout
    with sqlite3.connect(tmp_path / "carbonpeak.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM reference_referencerow").fetchone()[0] == 137


def test_bad_environment_is_one_line(tmp_path):
    env_debug = {"DEBUG": "perhaps"}
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env_debug
    env["CARBONPEAK_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([CARBONPEAK, "migrate"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 1
    assert (
        result.stderr == "carbonpeak: error: ImproperlyConfigured: DEBUG='perhaps' is not a boolean; "
        "use 1/0, true/false, yes/no or on/off\n"
    )


INVENTORY_CSV = (
    "year,area,sector,carrier,quantity,unit\n"
    "2020,d,commercial,electricity,1,万kWh\n2020,d,residential,natural_gas,1,万Nm3\n"
    "2023,d,commercial,electricity,1,万kWh\n2023,d,waste,co2e,NE,tCO2e\n"
)
STATISTICS_CSV = (
    "year,area,indicator,value,unit\n2020,d,gdp_current,100,万元\n2020,d,gdp_deflator,100,dimensionless\n"
    "2023,d,gdp_current,110,万元\n2023,d,gdp_deflator,110,dimensionless\n"
)


def test_inventory_compute_json(tmp_path, capsys):
    activity = tmp_path / "activity.csv"
    activity.write_text(INVENTORY_CSV, encoding="utf-8")
    statistics = tmp_path / "statistics.csv"
    statistics.write_text(STATISTICS_CSV, encoding="utf-8")
    assert (
        main(
            [
                "inventory",
                "compute",
                "--activity",
                str(activity),
                "--statistics",
                str(statistics),
                "--format",
                "json",
            ]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert set(document) >= {"years", "factors_used"}
    first, last = document["years"]
    assert {
        "year",
        "energy_tce",
        "energy_tce_equal_value",
        "co2_t",
        "by_sector",
        "gdp_10k_yuan",
        "energy_intensity_tce_per_10k_yuan",
        "co2_intensity_t_per_10k_yuan",
    } <= set(first)
    assert {"sector", "energy_tce", "co2_t", "scope1_t", "scope2_t"} <= set(first["by_sector"][0])
    assert first["co2_t"] == pytest.approx(4.2 + 21.621888, abs=1e-5)
    assert first["energy_intensity_tce_per_10k_yuan"] == pytest.approx((1.229 + 12.143) / 100)
    assert last["energy_intensity_tce_per_10k_yuan"] == pytest.approx(
        1.229 / 100
    )  # 110 current / 1.1 deflator
    assert {f["factor_id"] for f in document["factors_used"]} == {
        "coal-elec-ce",
        "sh-elec-2022",
        "coal-natural-gas",
        "fuel-natural-gas",
    }


def test_inventory_compute_other_series_and_table(tmp_path, capsys):
    activity = tmp_path / "activity.csv"
    activity.write_text(INVENTORY_CSV, encoding="utf-8")
    assert (
        main(
            [
                "inventory",
                "compute",
                "--activity",
                str(activity),
                "--year",
                "2023",
                "--format",
                "json",
                "--electricity-series",
                "mee_nbs_average",
            ]
        )
        == 0
    )
    (year,) = json.loads(capsys.readouterr().out)["years"]
    assert year["co2_t"] == pytest.approx(5.737)
    assert main(["inventory", "compute", "--activity", str(activity)]) == 0
    assert "electricity series: shanghai" in capsys.readouterr().out


def test_inventory_compute_bad_file_lists_each_bad_row(tmp_path, capsys):
    activity = tmp_path / "bad.csv"
    activity.write_text(
        INVENTORY_CSV + "2023,d,commercial,electricity,1,tonne oil\n2023,d,shops,heat,1,GJ\n",
        encoding="utf-8",
    )
    assert main(["inventory", "compute", "--activity", str(activity)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "carbonpeak: error: bad.csv, row 6: field unit: 'tonne oil' is not a known unit",
        "carbonpeak: error: bad.csv, row 7: field sector: 'shops' is not a sector "
        "(industry, construction, transport, "
        "commercial, residential, process, waste, sinks)",
    ]


def test_inventory_compute_unknown_series_is_one_line(tmp_path, capsys):
    activity = tmp_path / "activity.csv"
    activity.write_text(INVENTORY_CSV, encoding="utf-8")
    assert main(["inventory", "compute", "--activity", str(activity), "--electricity-series", "coal"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_inventory_template(tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert main(["inventory", "template", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"PK")
