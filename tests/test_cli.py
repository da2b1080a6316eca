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
    assert "OK: 5 tables, 0 errors" in out
    assert "factors/electricity.csv: 20 rows, version 2026-11-25" in out


def test_data_validate_fails_on_a_broken_table_naming_file_row_and_field(capsys, data_copy):
    edit_csv(data_copy / "factors/electricity.csv", "0.5568,kgCO2/kWh", "0.5568,kgCO2/tonne oil")
    assert main(["data", "validate", "--data-dir", str(data_copy)]) == 1
    captured = capsys.readouterr()
    expected = "error: factors/electricity.csv, row 4, field unit: 'kgCO2/tonne oil' is not a known unit"
    assert expected in captured.err
    assert "FAILED: 5 tables, 1 errors" in captured.out


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
    first = run("demo", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "reference data: 5 table versions loaded, 0 already present" in first.stdout
    password = (tmp_path / "demo-login.txt").read_text().strip()
    assert f"demo login: user demo  password {password}" in first.stdout
    second = run("demo", data_dir=tmp_path)
    assert "0 table versions loaded, 5 already present" in second.stdout
    assert password in second.stdout
    with sqlite3.connect(tmp_path / "carbonpeak.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM reference_referencerow").fetchone()[0] == 51


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
