"""Reading the PV installation and charging site registries: typed rows, or errors naming file/row/field."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from carbonpeak.io.renewables import read_charging_file, read_pv_file

PV_CSV = (
    "id,building_id,capacity_kwp,kind,commissioned,storage_kwh,owner,quality\n"
    "PV-1,YP0001,120.5,rooftop,2023-06-01,50,区机管局,synthetic\n"
    "PV-2,,30,Carport,2024-01-15,,,\n"
)


def test_pv_file_reads_typed_rows() -> None:
    parsed = read_pv_file(Path("pv.csv"), PV_CSV.encode())
    assert parsed.ok
    first, second = parsed.rows
    assert first["capacity_kwp"] == 120.5
    assert first["commissioned"] == date(2023, 6, 1)
    assert first["synthetic"] is True
    assert first["storage_kwh"] == 50.0
    assert second["kind"] == "carport"
    assert second["building_id"] == ""
    assert second["synthetic"] is False


def test_pv_file_names_file_row_and_field_and_keeps_no_rows() -> None:
    text = (
        "id,capacity_kwp,kind,commissioned\n"
        "PV-1,100,rooftop,2023-01-01\n"
        "PV-2,-5,roof,2023-13-01\n"
        "PV-1,10,bipv,2022-01-01\n"
    )
    parsed = read_pv_file(Path("pv.csv"), text.encode())
    assert parsed.rows == []
    messages = [str(e) for e in parsed.errors]
    assert messages[0].startswith("pv.csv, row 3: field capacity_kwp: -5 must be")
    assert "field kind: 'roof' must be one of: rooftop, bipv, facade, carport" in messages[0]
    assert "field commissioned: '2023-13-01' is not a date" in messages[0]
    assert messages[1] == "pv.csv, row 4: field id: duplicates row 2"


def test_pv_file_header_and_type_problems() -> None:
    parsed = read_pv_file(Path("pv.csv"), b"id,kind,commissioned,colour\nPV-1,rooftop,2023-01-01,red\n")
    assert str(parsed.errors[0]) == (
        "pv.csv, row 1: field capacity_kwp: required column is missing; field colour: unknown column"
    )
    assert "not supported" in str(read_pv_file(Path("pv.txt"), b"x").errors[0])


def test_charging_file_from_excel() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "id",
            "name",
            "site_kind",
            "access",
            "commissioned",
            "parking_spaces",
            "fast_count",
            "slow_count",
            "fast_kw",
            "slow_kw",
        ]
    )
    sheet.append(["CS-1", "办公楼充电站", "office", "dedicated", date(2022, 5, 1), 100, 6, 14, 60, 7])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_charging_file(Path("sites.xlsx"), buffer.getvalue())
    assert parsed.errors == []
    row = parsed.rows[0]
    assert (row["parking_spaces"], row["fast_count"], row["slow_count"]) == (100, 6, 14)
    assert row["commissioned"] == date(2022, 5, 1)
    assert row["fast_kw"] == 60.0


def test_charging_file_rejects_bad_rows() -> None:
    text = (
        "id,name,site_kind,access,commissioned,parking_spaces,fast_count,slow_count,fast_kw,slow_kw\n"
        "L-1,停车场,parking_lot,public,2023-01-01,10.5,2,0,,\n"
        "T-1,出租车站,taxi,private,2023-01-01,,,,,\n"
    )
    parsed = read_charging_file(Path("sites.csv"), text.encode())
    assert parsed.rows == []
    first, second = (str(e) for e in parsed.errors)
    assert first == (
        "sites.csv, row 2: field parking_spaces: 10.5 must be a whole number; "
        "field parking_lot: a parking-lot site needs building_id or parking_lot; "
        "field fast_kw: is missing (the power of each fast charger, kW)"
    )
    assert "field site_kind: 'taxi' must be one of" in second
    assert "field access: 'private' must be one of: public, dedicated" in second


def test_ready_spaces_are_optional_and_checked_row_by_row() -> None:
    header = "id,name,site_kind,access,commissioned,parking_spaces,slow_count,slow_kw,ready_spaces\n"
    good = header + (
        "R-1,新小区一,residential,dedicated,2023-01-01,200,20,7,180\n"  # 20 chargers + 180 ready = 200
        "R-2,新小区二,residential,dedicated,2023-01-01,100,0,,\n"  # ready spaces not recorded
    )
    parsed = read_charging_file(Path("homes.csv"), good.encode())
    assert parsed.errors == []
    assert [r["ready_spaces"] for r in parsed.rows] == [180, None]
    bad = header + (
        "R-3,新小区三,residential,dedicated,2023-01-01,100,10,7,95\n"  # 95 + 10 > 100
        "R-4,新小区四,residential,dedicated,2023-01-01,,,,40\n"  # no parking spaces
        "R-5,新小区五,residential,dedicated,2023-01-01,100,,,4.5\n"
        "R-6,新小区六,residential,dedicated,2023-01-01,100,,,-3\n"
    )
    rejected = read_charging_file(Path("homes.csv"), bad.encode())
    assert rejected.rows == []
    assert [str(e) for e in rejected.errors] == [
        "homes.csv, row 2: field ready_spaces: 95 ready spaces and 10 chargers exceed the 100 parking spaces",
        "homes.csv, row 3: field parking_spaces: is missing (needed with ready_spaces)",
        "homes.csv, row 4: field ready_spaces: 4.5 must be a whole number",
        "homes.csv, row 5: field ready_spaces: -3 must be a finite number, zero or more",
    ]
