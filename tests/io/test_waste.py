"""Reading waste statistics: layouts by header, every bad row named, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from carbonpeak.core.waste import InspectionKind, Stream
from carbonpeak.io.waste import read_waste_file

QUANTITIES = (
    "street,period,stream,collected_t,utilised_t,incinerated_t,landfilled_t\n"
    "五角场街道,2024Q3,recyclable,100,90,10,0\n"
    "五角场街道,2024Q3,wet,200,150,50,0\n"
)


def _read(text: str, name: str = "w.csv"):  # type: ignore[no-untyped-def]
    return read_waste_file(Path(name), text.encode("utf-8"))


def test_quantities_layout() -> None:
    read = _read(QUANTITIES)
    assert read.ok
    assert read.layout == "quantities"
    assert [r.stream for r in read.streams] == [Stream.RECYCLABLE, Stream.WET]
    assert read.streams[1].utilised_t == 150.0
    assert read.rows == [2, 3]


def test_inspections_layout_and_synthetic_tag() -> None:
    read = _read("street,period,kind,assessed,compliant,quality\nA,2024-07,unit,10,9,synthetic\n")
    assert read.layout == "inspections"
    assert read.inspections[0].kind is InspectionKind.UNIT
    assert read.synthetic


def test_population_layout() -> None:
    read = _read('street,year,population\nA,2024,"52,000"\n,2024,1200000\n')
    assert read.layout == "population"
    assert [(p.street, p.population_persons) for p in read.population] == [("A", 52000.0), ("", 1200000.0)]


def test_every_bad_row_is_named_and_nothing_is_kept() -> None:
    text = QUANTITIES + (
        "五角场街道,2024Q5,wet,1,1,0,0\n"
        "五角场街道,2024Q3,glass,1,1,0,0\n"
        "五角场街道,2024Q3,dry,-1,0,nan,0\n"
        ",2024,dry,1,0,1,0\n"
        "五角场街道,2024Q3,wet,1,1,0,0\n"
    )
    read = _read(text, "streets.csv")
    assert not read.ok
    assert read.streams == []
    messages = [str(e) for e in read.errors]
    assert messages[0].startswith("streets.csv, row 4: field period: '2024Q5' is not a period")
    assert "row 5: field stream: 'glass' must be one of: recyclable, wet, dry, hazardous" in messages[1]
    assert "field collected_t: -1 must be a finite number, zero or more" in messages[2]
    assert "field incinerated_t: nan must be a finite number" in messages[2]
    assert "row 7: field street: is missing" in messages[3]
    assert messages[4] == "streets.csv, row 8: field stream: duplicates row 3"


def test_inspection_counts_checked() -> None:
    read = _read("street,period,kind,assessed,compliant\nA,2024,unit,10,11\nA,2024,shop,1.5,1\n")
    assert [str(e) for e in read.errors] == [
        "w.csv, row 2: field compliant: 11 compliant exceed the 10 assessed",
        "w.csv, row 3: field kind: 'shop' must be one of: residential, unit; field assessed: 1.5 must be a "
        "whole number",
    ]


def test_unknown_header_names_the_layouts() -> None:
    read = _read("street,month,tonnes\nA,1,2\n")
    assert "fits no waste layout" in str(read.errors[0])
    assert "street, period, kind, assessed, compliant" in str(read.errors[0])
    extra = _read("street,period,kind,assessed,compliant,colour\nA,2024,unit,1,1,red\n")
    assert str(extra.errors[0]) == "w.csv, row 1: field colour: unknown column"


def test_excel_and_empty() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in QUANTITIES.strip().splitlines():
        sheet.append([float(c) if c.replace(".", "").isdigit() else c for c in row.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_waste_file(Path("w.xlsx"), buffer.getvalue())
    assert read.ok
    assert read.streams[0].collected_t == 100.0
    empty = _read("street,period,kind,assessed,compliant\n")
    assert str(empty.errors[0]) == "w.csv: has no data rows"
