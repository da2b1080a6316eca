"""Activity files: CSV and Excel, one error per bad row, nothing from a bad file, the template."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from carbonpeak.io.inventory import read_activity_file, write_activity_workbook, write_template

HEADER = "year,area,sector,carrier,quantity,unit,subsector,source,quality,note\n"


def csv_file(tmp_path: Path, body: str, name: str = "activity.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_csv(tmp_path):
    path = csv_file(
        tmp_path,
        '2023,yangpu,commercial,electricity,"1,000",万kWh,offices,统计年鉴,measured,\n'
        "2023,yangpu,waste,co2e,NE,tCO2e,,,,\n",
    )
    read = read_activity_file(path)
    assert read.ok
    first, second = read.records
    assert (first.quantity, first.unit, first.row, first.subsector) == (1000.0, "万kWh", 2, "offices")
    assert (second.quantity, second.notation) == (None, "NE")


def test_a_bad_upload_reports_one_error_per_bad_row_and_keeps_nothing(tmp_path):
    path = csv_file(
        tmp_path,
        (
            "2023,yangpu,commercial,electricity,10,万kWh,,,,\n"  # row 2: good
            "2023,yangpu,commercial,electricity,10,tonne oil,,,,\n"  # row 3: unknown unit
            ",yangpu,commerce,steam,-5,GJ,,,,\n"  # row 4: four problems, one error
            "2023,yangpu,residential,natural_gas,5,t,,,,\n"  # row 5: wrong dimension
            "2023,yangpu,process,diesel,5,t,,,,\n"  # row 6: carrier not allowed in sector
            "2023,yangpu,commercial,heat,abc,GJ,,,best,\n"  # row 7: not a number, bad quality tag
        ),
    )
    read = read_activity_file(path)
    assert read.records == []
    assert read.statistics == []
    assert [e.row for e in read.errors] == [3, 4, 5, 6, 7]
    messages = [str(e) for e in read.errors]
    assert messages[0] == "activity.csv, row 3: field unit: 'tonne oil' is not a known unit"
    assert messages[1].startswith(
        "activity.csv, row 4: field year: is missing; field sector: 'commerce' is not a sector"
    )
    assert "field carrier: 'steam' is not a carrier" in messages[1]
    assert "field quantity: -5 is negative" in messages[1]
    assert messages[2] == "activity.csv, row 5: field unit: 't' measures mass, but natural_gas needs volume"
    assert messages[3] == "activity.csv, row 6: field carrier: sector process takes carrier co2e, not diesel"
    assert "field quantity: 'abc' is not a number" in messages[4]
    assert "field quality: 'best'" in messages[4]


def test_duplicates_are_rejected(tmp_path):
    read = read_activity_file(
        csv_file(
            tmp_path, "2023,a,commercial,electricity,1,kWh,,,,\n2023,a,commercial,electricity,2,kWh,,,,\n"
        )
    )
    assert [str(e) for e in read.errors] == [
        "activity.csv, row 3: duplicates row 2 (same year, area, sector, subsector, carrier and source)"
    ]


def test_header_problems(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "year,area,sector,fuel,quantity,unit\n2023,a,commercial,electricity,1,kWh\n", encoding="utf-8"
    )
    (error,) = read_activity_file(path).errors
    assert str(error) == "a.csv, row 1: field carrier: required column is missing; field fuel: unknown column"


def test_file_type_and_encoding(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "2023,杨浦,commercial,electricity,1,kWh,,,,\n").encode("gbk"))
    assert "is not UTF-8 text" in str(read_activity_file(gbk).errors[0])
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip file")
    assert str(read_activity_file(fake).errors[0]) == "fake.xlsx: is not an Excel .xlsx workbook"
    other = tmp_path / "data.json"
    other.write_text("{}", encoding="utf-8")
    assert "'.json' files are not supported" in str(read_activity_file(other).errors[0])


def test_excel_with_both_sheets(tmp_path):
    buffer = io.BytesIO()
    write_activity_workbook(
        [
            {
                "year": 2020,
                "area": "d",
                "sector": "industry",
                "carrier": "diesel",
                "quantity": 3.5,
                "unit": "t",
            }
        ],
        [
            {"year": 2020, "area": "d", "indicator": "gdp_current", "value": 2106.63, "unit": "亿元"},
            {"year": 2020, "area": "d", "indicator": "gdp_deflator", "value": 100, "unit": "dimensionless"},
        ],
        buffer,
    )
    read = read_activity_file(Path("upload.xlsx"), buffer.getvalue())
    assert read.ok, read.errors
    assert read.records[0].quantity == 3.5
    assert [(s.indicator, s.value) for s in read.statistics] == [
        ("gdp_current", 2106.63),
        ("gdp_deflator", 100.0),
    ]


def test_excel_errors_name_the_sheet(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "activity"
    sheet.append(["year", "area", "sector", "carrier", "quantity", "unit"])
    sheet.append([2023, "d", "industry", "diesel", 1, "t"])
    sheet.append([2023, "d", "industry", "diesel2", 1, "t"])
    stats = book.create_sheet("statistics")
    stats.append(["year", "area", "indicator", "value", "unit"])
    stats.append([2023, "d", "gdp_current", 5, "kWh"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    read = read_activity_file(path)
    assert [str(e) for e in read.errors] == [
        "bad.xlsx [activity], row 3: field carrier: 'diesel2' is not a carrier "
        "(electricity, heat, natural_gas, "
        "gasoline, diesel, fuel_oil, lpg, lng, kerosene, raw_coal, crude_oil, solar_pv, co2e)",
        "bad.xlsx [statistics], row 2: field unit: 'kWh' measures energy, but gdp_current needs money",
    ]
    assert read.records == []


def test_template_has_the_sheets_codes_and_reads_back(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = load_workbook(path)
    assert book.sheetnames == ["说明 README", "activity", "statistics", "codes"]
    codes = [row[0] for row in book["codes"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == [
        "industry",
        "construction",
        "transport",
        "commercial",
        "residential",
        "process",
        "waste",
        "sinks",
    ]
    read = read_activity_file(path)
    assert read.ok  # its example row is itself valid


def test_electricity_coal_rate_imports_from_a_file(tmp_path):
    # The equal-value basis needs this statistic: it is a ratio of energies (kgce or gce per kWh).
    path = tmp_path / "stats.csv"
    path.write_text(
        "year,area,indicator,value,unit\n2023,d,electricity_coal_rate,302,gce/kWh\n"
        "2024,d,electricity_coal_rate,0.301,kgce/kWh\n",
        encoding="utf-8",
    )
    read = read_activity_file(path)
    assert read.ok, read.errors
    from carbonpeak.core.inventory.intensity import coal_rates

    assert coal_rates(read.statistics) == {2023: pytest.approx(0.302), 2024: pytest.approx(0.301)}


def test_huge_years_are_row_errors_not_crashes(tmp_path):
    read = read_activity_file(csv_file(tmp_path, "1e400,a,commercial,electricity,1,kWh,,,,\n"))
    assert "field year:" in str(read.errors[0])
