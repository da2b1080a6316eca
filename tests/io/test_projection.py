"""Driver files: every bad row is named with file, row and field; good files give the model's series."""

import io
from pathlib import Path

from openpyxl import Workbook

from carbonpeak.demo.projection import reference_drivers
from carbonpeak.io.projection import read_drivers_file, write_drivers_csv


def test_written_demo_drivers_read_back_as_series(tmp_path):
    path = tmp_path / "drivers.csv"
    path.write_bytes(write_drivers_csv(reference_drivers()))
    read = read_drivers_file(path)
    assert read.ok
    series = read.series()
    assert set(series["waste_t"]) == set(range(2015, 2025))
    assert read.rows[0].row == 2
    assert read.rows[0].evidence == "synthetic"


def test_aliases_are_stored_in_the_canonical_unit():
    content = "driver,year,value,unit,source,evidence,note\ngdp_secondary_10k_yuan,2020,5,万元,yearbook,S,x\n"
    read = read_drivers_file(Path("g.csv"), content.encode())
    assert read.rows[0].unit == "10^4 yuan"
    assert read.rows[0].value == 5.0
    assert read.rows[0].note == "x"


def test_xlsx_rows_are_named_by_their_spreadsheet_row(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["driver", "year", "value", "unit", "source", "evidence"])
    sheet.append(["population", 2020, 1_000_000, "persons", "census", "V"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["population", 2021, "many", "persons", "census", "V"])
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_drivers_file(tmp_path / "drivers.xlsx", buffer.getvalue())
    assert not read.ok
    assert read.rows == []
    assert [str(e) for e in read.errors] == ["drivers.xlsx, row 4: field value: 'many' is not a number"]


def test_unknown_columns_empty_files_and_non_utf8_are_refused(tmp_path):
    path = tmp_path / "d.csv"
    extra = read_drivers_file(path, b"driver,year,value,unit,source,evidence,colour\n")
    assert str(extra.errors[0]) == "d.csv, row 1: field colour: unknown column"
    empty = read_drivers_file(path, b"driver,year,value,unit,source,evidence\n")
    assert str(empty.errors[0]) == "d.csv: the file has no data rows"
    latin = read_drivers_file(path, "driver,year\n\xe9".encode("latin-1"))
    assert "is not UTF-8 text" in str(latin.errors[0])
