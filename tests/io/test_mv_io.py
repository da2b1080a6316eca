"""M&V file readers and ``carbonpeak mv savings`` on files (no database)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from carbonpeak.cli import main
from carbonpeak.io.mv import MvFileError, read_meter_data, read_retrofit_projects, read_temperature
from tests.core.mv.synthetic import daily_usage, temperatures

BASELINE = "2023-01-01T00:00+08:00/2024-01-01T00:00+08:00"
REPORTING = "2024-01-01T00:00+08:00/2025-01-01T00:00+08:00"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("mv")
    temps = temperatures()
    usage = daily_usage(temps, savings_from="2024-01-01", savings_fraction=0.15)
    meter, weather = folder / "meter.csv", folder / "temperature.csv"
    meter.write_text(
        "timestamp,value\n" + "".join(f"{t.isoformat()},{v:.3f}\n" for t, v in usage.items()),
        encoding="utf-8",
    )
    weather.write_text(
        "timestamp,temperature_c\n" + "".join(f"{t.isoformat()},{v:.2f}\n" for t, v in temps.items()),
        encoding="utf-8",
    )
    return meter, weather


def test_readers_keep_the_offset(files: tuple[Path, Path]) -> None:
    usage = read_meter_data(files[0])
    temps = read_temperature(files[1])
    assert str(usage.index[0]) == "2023-01-01 00:00:00+08:00"
    assert len(temps) == 732 * 24


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "timestamp,value\n2023-01-01T00:00,5\n",
            "meter.csv, row 2: field timestamp: '2023-01-01T00:00' has no UTC",
        ),
        ("timestamp,value\n2023-01-01T00:00+08:00,abc\n", "row 2: field value: 'abc' is not a finite number"),
        ("timestamp,value\n2023-01-01T00:00+08:00,nan\n", "row 2: field value: 'nan' is not a finite number"),
        ("timestamp,value\n2023-01-01T00:00+08:00,-3\n", "row 2: field value: -3 is negative"),
        (
            "timestamp,value\n2023-01-01T00:00+08:00,1\n2023-01-01T00:00+08:00,2\n",
            "row 3: field timestamp: 2023-01-01T00:00+08:00 repeats row 2",
        ),
        ("time,value\n", "meter.csv, row 1: field timestamp: required column is missing"),
    ],
)
def test_meter_file_errors_name_file_row_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "meter.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MvFileError, match=re.escape(message)):
        read_meter_data(path)


def test_implausible_temperature_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("timestamp,temperature_c\n2023-01-01T00:00+08:00,99.9\n", encoding="utf-8")
    with pytest.raises(
        MvFileError, match=r"row 2: field temperature_c: 99\.9 is outside the plausible range"
    ):
        read_temperature(path)


def test_project_registry_rows(tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    path.write_text(
        "id,building,measures,retrofitted_area_m2,baseline_start,baseline_end,reporting_start,reporting_end,"
        "contract_type\n"
        "P1,B1,chiller;lighting,12000,2023-01-01,2024-01-01,2024-03-01,2025-03-01,epc\n"
        "P2,B2,magic,-5,2023-01-01,2022-01-01,2024-03-01,2025-03-01,loan\n",
        encoding="utf-8",
    )
    parsed = read_retrofit_projects(path)
    assert not parsed.ok
    assert len(parsed.errors) == 1
    text = str(parsed.errors[0])
    assert text.startswith("projects.csv, row 3:")
    for part in (
        "field measures: unknown measure(s) magic",
        "field retrofitted_area_m2",
        "field contract_type",
    ):
        assert part in text


def test_cli_savings_json_shape(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["mv", "savings", "--meter-data", str(files[0]), "--temperature", str(files[1]),
         "--baseline", BASELINE, "--reporting", REPORTING, "--format", "json"]
    )  # fmt: skip
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document) == ["method", "model", "baseline", "reporting"]
    assert list(document["baseline"]) == ["n", "cvrmse", "nmbe", "r_squared", "sufficiency"]
    assert list(document["reporting"]) == [
        "observed", "predicted", "savings", "savings_fraction", "fsu", "confidence",
    ]  # fmt: skip
    assert document["method"] == "caltrack_daily"
    assert document["reporting"]["savings_fraction"] == pytest.approx(0.15, abs=0.01)
    assert document["reporting"]["confidence"] == 0.9
    assert document["baseline"]["sufficiency"]["sufficient"] is True


def test_cli_refuses_insufficient_baseline(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    short = "2023-06-01T00:00+08:00/2024-01-01T00:00+08:00"
    argv = ["mv", "savings", "--meter-data", str(files[0]), "--temperature", str(files[1]),
            "--baseline", short, "--reporting", REPORTING, "--method", "change_point"]  # fmt: skip
    assert main(argv) == 1
    assert "baseline_length" in capsys.readouterr().err
    assert main([*argv, "--allow-insufficient", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["baseline"]["sufficiency"]["failed"] == ["baseline_length"]


def test_cli_unknown_method_is_a_usage_error(files: tuple[Path, Path]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["mv", "savings", "--meter-data", str(files[0]), "--temperature", str(files[1]),
              "--baseline", BASELINE, "--reporting", REPORTING, "--method", "magic"])  # fmt: skip
    assert caught.value.code == 2
