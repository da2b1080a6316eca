from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import Workbook

from carbonpeak.io.credits import parse_claimed, read_activity_file

HEADER = "activity_id,account,methodology,quantity,unit,occurred_at,claimed_elsewhere\n"


def test_csv_with_offsets_and_flags(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text(
        HEADER
        + "a1,c-1,metro_trip_pkm,3.5,pkm,2026-11-03T08:00:00+08:00,ccer\n"
        + "a2,c-2,bus_trip_pkm,1,pkm,2026-11-04,\n",
        encoding="utf-8-sig",
    )
    parsed = read_activity_file(path, "p")
    assert parsed.ok
    first, second = parsed.claims
    assert first.occurred_at == datetime(2026, 11, 3, 8, tzinfo=timezone(timedelta(hours=8)))
    assert first.claimed_elsewhere == "CCER"
    assert second.claimed_elsewhere == ""
    assert second.occurred_at == datetime(2026, 11, 4)


def test_xlsx_rows_are_numbered_like_the_sheet(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["a1", "c1", "metro_trip_pkm", 2, "pkm", datetime(2026, 11, 3, 9, 0), None])
    sheet.append(["a2", "c1", "metro_trip_pkm", "x", "pkm", "2026-11-03", None])
    path = tmp_path / "a.xlsx"
    book.save(path)
    parsed = read_activity_file(path, "p")
    assert [str(e) for e in parsed.errors] == ["a.xlsx, row 3: field quantity: 'x' is not a number"]
    assert parsed.claims == []


def test_implausible_quantity_and_empty_file(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "a1,c1,metro_trip_pkm,1000001,pkm,2026-11-03,\n", encoding="utf-8")
    assert "implausible" in str(read_activity_file(path, "p").errors[0])
    path.write_text(HEADER, encoding="utf-8")
    assert str(read_activity_file(path, "p").errors[0]) == "a.csv: has no activity rows"


@pytest.mark.parametrize(
    ("raw", "expected"), [("", ""), ("no", ""), ("ETS", "ETS"), ("ccer", "CCER"), ("VCS", None)]
)
def test_claimed_values(raw, expected):
    assert parse_claimed(raw) == expected
