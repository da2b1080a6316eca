"""Activity-data files: read and validate CSV or Excel, write the Excel template and results.

Every bad row is reported once, with all its problems, as ``FILE, row N: field F: reason; field G: reason``.
A file with any bad row yields no records, so an import either succeeds whole or changes nothing.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carbonpeak.core.errors import UnitError
from carbonpeak.core.inventory.intensity import STATISTIC_INDICATORS, StatisticRecord
from carbonpeak.core.inventory.model import (
    CARRIERS,
    NOTATION_KEYS,
    QUALITY_TAGS,
    SECTORS,
    ActivityRecord,
    CarrierKind,
)
from carbonpeak.core.units import dimension_name
from carbonpeak.io.tabular import RowError, check_header, read_tables, table_rows

ACTIVITY_REQUIRED = ("year", "area", "sector", "carrier", "quantity", "unit")
ACTIVITY_OPTIONAL = ("subsector", "source", "quality", "note")
STATISTICS_REQUIRED = ("year", "area", "indicator", "value", "unit")
STATISTICS_OPTIONAL = ("source", "quality", "note")
ACTIVITY_SHEET = "activity"
TEMPLATE_README = [
    "碳达峰平台 活动水平数据导入模板 / carbonpeak activity-data import template",
    "",
    "activity 工作表: 每行一个活动水平。必填列 year, area, sector, carrier, quantity, unit; "
    "选填 subsector, source, quality, note。",
    "Sheet 'activity': one row per activity. Required: year, area, sector, carrier, quantity, unit; "
    "optional: subsector, source, quality, note.",
    "quantity 可填写数字, 或 GPC 记法: NO(不发生) NE(未估算) IE(已计入他处) C(保密)。"
    "不得为负; 碳汇按正数填写吸收量。",
    "quantity is a number, or a GPC notation key NO, NE, IE or C. Never negative: "
    "sinks are entered as positive removals.",
    "statistics 工作表(选填): gdp_current(现价GDP, 如 亿元), gdp_deflator(GDP平减指数), "
    "electricity_coal_rate(火电供电煤耗 kgce/kWh, 用于等价值)。",
    "Sheet 'statistics' (optional): gdp_current (e.g. 亿元), gdp_deflator (an index), "
    "electricity_coal_rate (kgce/kWh, the equal-value basis).",
    "代码表见 codes 工作表 / code lists are in the 'codes' sheet. "
    "单位示例 units: kWh, MWh, 万kWh, GJ, m3, 万Nm3, t, tCO2e, 亿元.",
    "一行有误则整个文件不导入, 并逐行列出原因 / "
    "any bad row rejects the whole file, and each bad row is listed with its reasons.",
]
"""Lines of the template's instruction sheet, in Chinese and English."""
STATISTICS_SHEET = "statistics"


@dataclass
class ActivityFile:
    """Activity rows and statistics read from a file, or the errors that reject it."""

    path: Path
    records: list[ActivityRecord] = field(default_factory=list)
    statistics: list[StatisticRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file has no error (and so may be imported)."""
        return not self.errors


def _year(raw: str, problems: list[tuple[str, str]]) -> int:
    if not raw:
        problems.append(("year", "is missing"))
        return 0
    try:
        number = float(raw)
        year = int(number)
    except (ValueError, OverflowError):
        problems.append(("year", f"'{raw}' is not a year"))
        return 0
    if not 1990 <= year <= 2100 or float(raw) != year:
        problems.append(("year", f"{raw} is not a year between 1990 and 2100"))
    return year


def _unit(raw: str, expected: str, problems: list[tuple[str, str]], what: str) -> None:
    if not raw:
        problems.append(("unit", "is missing"))
        return
    try:
        found = dimension_name(raw)
    except UnitError as exc:
        problems.append(("unit", str(exc)))
        return
    if found != expected:
        problems.append(("unit", f"'{raw}' measures {found}, but {what} needs {expected}"))


def parse_activity_row(row: dict[str, str], number: int, label: str) -> ActivityRecord | RowError:
    """Validate one activity row; return the record or the row's error."""
    problems: list[tuple[str, str]] = []
    year = _year(row.get("year", ""), problems)
    area = row.get("area", "")
    if not area:
        problems.append(("area", "is missing"))
    sector = SECTORS.get(row.get("sector", ""))
    if sector is None:
        problems.append(("sector", f"'{row.get('sector', '')}' is not a sector ({', '.join(SECTORS)})"))
    carrier = CARRIERS.get(row.get("carrier", ""))
    if carrier is None:
        problems.append(("carrier", f"'{row.get('carrier', '')}' is not a carrier ({', '.join(CARRIERS)})"))
    if sector is not None and carrier is not None and sector.energy == (carrier.kind is CarrierKind.DIRECT):
        need = "an energy carrier" if sector.energy else "carrier co2e"
        problems.append(("carrier", f"sector {sector.code} takes {need}, not {carrier.code}"))
    raw_quantity = row.get("quantity", "")
    quantity: float | None = None
    notation = ""
    if raw_quantity.upper() in NOTATION_KEYS:
        notation = raw_quantity.upper()
    elif not raw_quantity:
        problems.append(("quantity", "is missing (write a number, or NO, NE, IE or C)"))
    else:
        try:
            quantity = float(raw_quantity.replace(",", ""))
        except ValueError:
            problems.append(
                ("quantity", f"'{raw_quantity}' is not a number or a notation key (NO, NE, IE, C)")
            )
        else:
            if not math.isfinite(quantity):
                problems.append(("quantity", f"'{raw_quantity}' is not a finite number"))
            elif quantity < 0:
                problems.append(
                    ("quantity", f"{raw_quantity} is negative; sinks are entered as positive removals")
                )
    if carrier is not None:
        _unit(row.get("unit", ""), carrier.dimension, problems, carrier.code)
    quality = row.get("quality", "")
    if quality and quality not in QUALITY_TAGS:
        problems.append(("quality", f"'{quality}' is not a quality tag ({', '.join(sorted(QUALITY_TAGS))})"))
    if problems:
        return RowError(label, number, tuple(problems))
    if sector is None or carrier is None:  # pragma: no cover - both are reported as problems above
        raise AssertionError("unreachable")
    return ActivityRecord(
        year,
        area,
        sector.code,
        carrier.code,
        quantity,
        row["unit"],
        row.get("subsector", ""),
        row.get("source", ""),
        quality,
        row.get("note", ""),
        notation,
        number,
    )


def parse_statistic_row(row: dict[str, str], number: int, label: str) -> StatisticRecord | RowError:
    """Validate one statistics row (GDP, deflator, coal rate)."""
    problems: list[tuple[str, str]] = []
    year = _year(row.get("year", ""), problems)
    if not row.get("area"):
        problems.append(("area", "is missing"))
    indicator = row.get("indicator", "")
    expected = STATISTIC_INDICATORS.get(indicator)
    if expected is None:
        problems.append(
            ("indicator", f"'{indicator}' is not a statistic ({', '.join(STATISTIC_INDICATORS)})")
        )
    value = 0.0
    try:
        value = float(row.get("value", "").replace(",", ""))
        if not math.isfinite(value) or value <= 0:
            problems.append(("value", "must be a positive number"))
    except ValueError:
        problems.append(("value", f"'{row.get('value', '')}' is not a number"))
    if expected is not None:
        _unit(row.get("unit", ""), expected, problems, indicator)
    if problems:
        return RowError(label, number, tuple(problems))
    return StatisticRecord(
        year,
        row["area"],
        indicator,
        value,
        row["unit"],
        row.get("source", ""),
        row.get("quality", ""),
        row.get("note", ""),
        number,
    )


def _parse_table(table: list[list[Any]], label: str, result: ActivityFile, statistics: bool) -> None:
    required, optional = (
        (STATISTICS_REQUIRED, STATISTICS_OPTIONAL) if statistics else (ACTIVITY_REQUIRED, ACTIVITY_OPTIONAL)
    )
    header, rows = table_rows(table)
    header_error = check_header(header, required, optional, label)
    if header_error is not None:
        result.errors.append(header_error)
        return
    seen: dict[tuple[str, ...], int] = {}
    for number, row in rows:
        parsed = (parse_statistic_row if statistics else parse_activity_row)(row, number, label)
        if isinstance(parsed, RowError):
            result.errors.append(parsed)
            continue
        key = tuple(
            row.get(k, "")
            for k in (
                ("year", "area", "indicator")
                if statistics
                else ("year", "area", "sector", "subsector", "carrier", "source")
            )
        )
        if key in seen:
            result.errors.append(
                RowError(
                    label,
                    number,
                    (
                        (
                            "",
                            f"duplicates row {seen[key]} (same year, area, "
                            "sector, subsector, carrier and source)",
                        ),
                    ),
                )
            )
            continue
        seen[key] = number
        if isinstance(parsed, StatisticRecord):
            result.statistics.append(parsed)
        else:
            result.records.append(parsed)


def read_activity_file(path: Path, content: bytes | None = None) -> ActivityFile:
    """Read an activity file: CSV (activity or statistics columns) or Excel (``activity``, ``statistics``).

    Parameters
    ----------
    path : Path
        The file (its suffix selects the format; ``.csv`` or ``.xlsx``).
    content : bytes, optional
        The file's bytes, when they come from an upload rather than the disk.
    """
    result = ActivityFile(path)
    label = path.name
    tables, problem = read_tables(path, content, sheets=(ACTIVITY_SHEET, STATISTICS_SHEET))
    if problem is not None:
        result.errors.append(problem)
    elif "" in tables:
        table = tables[""]
        statistics = bool(table) and "indicator" in [str(h).strip() for h in table[0]]
        _parse_table(table, label, result, statistics)
    elif ACTIVITY_SHEET not in tables:
        result.errors.append(RowError(label, None, (("", f"has no sheet named '{ACTIVITY_SHEET}'"),)))
    else:
        for sheet, statistics in ((ACTIVITY_SHEET, False), (STATISTICS_SHEET, True)):
            table = tables.get(sheet, [])
            if statistics and len(table) <= 1:
                continue
            _parse_table(table, f"{label} [{sheet}]", result, statistics)
    if result.errors:
        result.records.clear()
        result.statistics.clear()
    elif not result.records and not result.statistics:
        result.errors.append(RowError(label, None, (("", "has no data rows"),)))
    return result


def write_template(path: Path | io.BytesIO) -> None:
    """Write the Excel import template: instructions, the two data sheets, and the code lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    readme = book.active
    readme.title = "说明 README"
    lines = TEMPLATE_README
    for line in lines:
        readme.append([line])
    readme["A1"].font = Font(bold=True)
    readme.column_dimensions["A"].width = 140

    activity = book.create_sheet(ACTIVITY_SHEET)
    activity.append(list(ACTIVITY_REQUIRED + ACTIVITY_OPTIONAL))
    activity.append(
        [
            2024,
            "district",
            "commercial",
            "electricity",
            1.0,
            "万kWh",
            "offices",
            "统计年鉴",
            "measured",
            "example row: delete",
        ]
    )
    statistics = book.create_sheet(STATISTICS_SHEET)
    statistics.append(list(STATISTICS_REQUIRED + STATISTICS_OPTIONAL))
    codes = book.create_sheet("codes")
    codes.append(
        [
            "sector",
            "sector_zh",
            "gpc",
            "carrier",
            "carrier_zh",
            "carrier_unit_dimension",
            "notation",
            "quality",
            "statistic",
        ]
    )
    columns: list[list[tuple[str, ...]]] = [
        [(s.code, s.name_zh, s.gpc_sector) for s in SECTORS.values()],
        [(c.code, c.name_zh, c.dimension) for c in CARRIERS.values()],
        [(k,) for k in NOTATION_KEYS],
        [(q,) for q in sorted(QUALITY_TAGS)],
        [(s,) for s in STATISTIC_INDICATORS],
    ]
    height = max(len(c) for c in columns)
    for i in range(height):
        cells: list[Any] = []
        for col, width in zip(columns, (3, 3, 1, 1, 1), strict=True):
            cells += list(col[i]) if i < len(col) else [None] * width
        codes.append(cells)
    for sheet in (activity, statistics, codes):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    sectors = DataValidation(type="list", formula1=f"=codes!$A$2:$A${len(SECTORS) + 1}", allow_blank=False)
    carriers = DataValidation(type="list", formula1=f"=codes!$D$2:$D${len(CARRIERS) + 1}", allow_blank=False)
    activity.add_data_validation(sectors)
    activity.add_data_validation(carriers)
    sectors.add("C2:C5000")
    carriers.add("D2:D5000")
    book.save(path)


def write_inventory_workbook(
    document: dict[str, Any],
    gpc: dict[tuple[str, int], list[dict[str, Any]]],
    rows: list[dict[str, Any]],
    target: Path | io.BytesIO,
    *,
    synthetic: bool = False,
) -> None:
    """Write an inventory to Excel: totals by year, by sector, the GPC table, factors used and row detail.

    Parameters
    ----------
    document : dict
        :func:`carbonpeak.core.inventory.report.inventory_document` output.
    gpc : dict
        GPC tables keyed by (area, year).
    rows : list of dict
        Per-row detail (activity columns plus computed values and factor ids).
    target : Path or BytesIO
        Where to write.
    synthetic : bool
        Whether the data are synthetic; every sheet then says so in its first row.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    banner = "合成数据 SYNTHETIC DATA — not official statistics" if synthetic else ""

    def sheet(title: str, header: list[str], body: list[list[Any]]) -> None:
        ws = book.create_sheet(title)
        if banner:
            ws.append([banner])
            ws["A1"].font = Font(bold=True, color="B26A00")
        ws.append(header)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for line in body:
            ws.append(line)

    book.remove(book.active)
    years = document["years"]
    sheet(
        "years",
        [
            "area",
            "year",
            "energy_tce",
            "energy_tce_equal_value",
            "co2_t",
            "non_fossil_share",
            "gdp_10k_yuan",
            "energy_intensity_tce_per_10k_yuan",
            "co2_intensity_t_per_10k_yuan",
            "energy_intensity_change_pct",
            "required_annual_rate_pct",
        ],
        [
            [
                y["area"],
                y["year"],
                y["energy_tce"],
                y["energy_tce_equal_value"],
                y["co2_t"],
                y["non_fossil_share"],
                y.get("gdp_10k_yuan"),
                y.get("energy_intensity_tce_per_10k_yuan"),
                y.get("co2_intensity_t_per_10k_yuan"),
                y.get("energy_intensity_change_pct"),
                y.get("required_annual_rate_pct"),
            ]
            for y in years
        ],
    )
    sheet(
        "by_sector",
        [
            "area",
            "year",
            "sector",
            "energy_tce",
            "energy_tce_equal_value",
            "co2_t",
            "scope1_t",
            "scope2_t",
            "notation",
        ],
        [
            [
                y["area"],
                y["year"],
                s["sector"],
                s["energy_tce"],
                s["energy_tce_equal_value"],
                s["co2_t"],
                s["scope1_t"],
                s["scope2_t"],
                s["notation"],
            ]
            for y in years
            for s in y["by_sector"]
        ],
    )
    sheet(
        "gpc",
        ["area", "year", "GPC", "sector", "部门", "scope 1 tCO2e", "scope 2 tCO2e", "total tCO2e"],
        [
            [area, year, r["gpc"], r["sector"], r["name_zh"], r["scope1_t"], r["scope2_t"], r["total_t"]]
            for (area, year), table in sorted(gpc.items())
            for r in table
        ],
    )
    factor_fields = [
        "factor_id",
        "table",
        "table_version",
        "kind",
        "carrier",
        "series",
        "region",
        "value",
        "unit",
        "evidence",
    ]
    sheet("factors", factor_fields, [[f[k] for k in factor_fields] for f in document["factors_used"]])
    if rows:
        header = list(rows[0])
        sheet(
            "rows",
            header,
            [
                ["; ".join(map(str, v)) if isinstance(v, list) else v for v in (r.get(k) for k in header)]
                for r in rows
            ],
        )
    book.save(target)


def write_activity_workbook(
    activity: list[dict[str, Any]], statistics: list[dict[str, Any]], target: Path | io.BytesIO
) -> None:
    """Write activity and statistics rows in the import template's layout (``activity``, ``statistics``)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = ACTIVITY_SHEET
    columns = list(ACTIVITY_REQUIRED + ACTIVITY_OPTIONAL)
    sheet.append(columns)
    for row in activity:
        sheet.append([row.get(c, "") for c in columns])
    stats = book.create_sheet(STATISTICS_SHEET)
    stat_columns = list(STATISTICS_REQUIRED + STATISTICS_OPTIONAL)
    stats.append(stat_columns)
    for row in statistics:
        stats.append([row.get(c, "") for c in stat_columns])
    book.save(target)
