"""Reading files as columns: long and wide CSV read by pyarrow in blocks, Excel, and bad cells."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from openpyxl import Workbook

from carbonpeak.io.readings import (
    UNKNOWN_TIME,
    RawReading,
    ReadingColumns,
    ReadingsFileError,
    open_readings_file,
    read_readings_file,
    timestamps_ns,
)

SH = ZoneInfo("Asia/Shanghai")


def ns(moment: datetime) -> int:
    return int(moment.timestamp()) * 10**9 + moment.microsecond * 1000


def rows(cols: ReadingColumns) -> list[tuple[str, int, float | None, tuple[str, str] | None]]:
    """(meter, ts_ns, value, problem) of each reading, in order."""
    return [
        (
            cols.meter_of(k),
            int(cols.ts_ns[k]),
            None if k in cols.problems else float(cols.value[k]),
            cols.problems.get(k),
        )
        for k in range(len(cols))
    ]


def test_long_csv_reads_meters_times_and_values(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "\ufeffmeter_id,timestamp,value\n"
        "E1,2024-05-01 10:15:00,12.5\n"
        " E1 ,2024-05-01 10:30:00,13\n"
        "G1,2024-05-01 10:15:00,0.25\n",
        encoding="utf-8",
    )
    cols, problem = read_readings_file(path)
    assert problem is None
    first = ns(datetime(2024, 5, 1, 10, 15, tzinfo=SH))
    assert rows(cols) == [
        ("E1", first, 12.5, None),
        ("E1", first + 15 * 60 * 10**9, 13.0, None),
        ("G1", first, 0.25, None),
    ]
    assert cols.meters == ["E1", "G1"]  # ' E1 ' is the same meter


def test_any_column_order_and_other_time_forms(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "value,meter_id,timestamp\n"
        "1,E1,2024-05-01T10:15:00+08:00\n"
        "2,E1,2024-05-01 02:30:00Z\n"
        "3,E1,2024/05/01 10:45\n"
        "4,E1, 2024-05-01 11:00:00 \n",
        encoding="utf-8",
    )
    cols, _ = read_readings_file(path)
    base = ns(datetime(2024, 5, 1, 10, 15, tzinfo=SH))
    assert [r[1] for r in rows(cols)] == [base + k * 15 * 60 * 10**9 for k in range(4)]
    assert [r[2] for r in rows(cols)] == [1.0, 2.0, 3.0, 4.0]


def test_times_before_1992_use_shanghai_daylight_saving(tmp_path):
    # Shanghai kept daylight saving time (UTC+9) in the summers of 1986-1991.
    got, bad = timestamps_ns(_strings(["1990-07-01 12:00:00", "1990-01-01 12:00:00", "2020-07-01 12:00:00"]))
    assert not bad.any()
    assert got.tolist() == [
        ns(datetime(1990, 7, 1, 3, 0, tzinfo=UTC)),
        ns(datetime(1990, 1, 1, 4, 0, tzinfo=UTC)),
        ns(datetime(2020, 7, 1, 4, 0, tzinfo=UTC)),
    ]


def _strings(values):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def test_bad_cells_become_problem_readings_not_dropped(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "meter_id,timestamp,value\n"
        "E1,2024-05-01 10:15:00,abc\n"
        "E1,yesterday,1\n"
        'E1,2024-05-01 10:30:00,"1,234.5"\n'
        "E1,2024-05-01 10:45:00,\n"
        "E1,2024-05-01 11:00:00,inf\n"
        "E1,2024-05-01 11:15:00\n"
        "E1,2024-05-01 11:30:00,2,extra\n"
        "E1,2024-05-01 11:45:00,3\n",
        encoding="utf-8",
    )
    cols, problem = read_readings_file(path)
    assert problem is None
    got = rows(cols)
    assert len(got) == 8  # every row is a reading, used or not
    assert got[0][3] == ("abc", "'abc' is not a number")
    assert got[1][1] == UNKNOWN_TIME
    assert got[1][3] == ("1", "'yesterday' is not a timestamp")
    assert got[2][2] == 1234.5
    assert got[3][3] == ("", "'' is not a number")
    assert got[4][3] == ("inf", "'inf' is not a number")
    assert got[5][2] == 3.0  # the good rows of the block come first
    short = [r[3] for r in got[6:]]
    assert short == [
        ("E1,2024-05-01 11:15:00", "r.csv row 7 has 2 cells, the header 3"),
        ("E1,2024-05-01 11:30:00,2,extra", "r.csv row 8 has 4 cells, the header 3"),
    ]
    assert [r[0] for r in got[6:]] == ["E1", "E1"]


def test_wide_csv_skips_empty_cells(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(
        "timestamp,E1,E2\n2024-05-01 10:15:00,1,\n2024-05-01 10:30:00, ,x\n2024-05-01 10:45:00,3,4\n",
        encoding="utf-8",
    )
    cols, problem = read_readings_file(path)
    assert problem is None
    t0 = ns(datetime(2024, 5, 1, 10, 15, tzinfo=SH))
    step = 15 * 60 * 10**9
    assert rows(cols) == [
        ("E1", t0, 1.0, None),
        ("E1", t0 + 2 * step, 3.0, None),
        ("E2", t0 + step, None, ("x", "'x' is not a number")),
        ("E2", t0 + 2 * step, 4.0, None),
    ]


def test_small_blocks_give_the_same_readings_as_one_block(tmp_path):
    lines = [f"M{k % 7},2024-05-01 {k // 60 % 24:02d}:{k % 60:02d}:00,{k * 0.5}" for k in range(5000)]
    path = tmp_path / "r.csv"
    path.write_text("meter_id,timestamp,value\n" + "\n".join(lines) + "\n", encoding="utf-8")
    opened, _ = open_readings_file(path, block_bytes=4096)
    blocks = list(opened.chunks)
    assert len(blocks) > 10
    whole, _ = read_readings_file(path)
    assert rows(ReadingColumns.concat(blocks)) == rows(whole)
    assert len(whole) == 5000


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n1,2\n", "columns must be meter_id, timestamp, value"),
        (b"", "has no data rows"),
        (b"meter_id,timestamp,value\n", "has no data rows"),
        (b"meter_id,timest\xe4mp,value\n", "is not UTF-8 text"),
    ],
)
def test_unreadable_files_are_errors_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    _, problem = read_readings_file(path)
    assert problem is not None
    assert str(problem).startswith("bad.csv")
    assert message in str(problem)


def test_bad_utf8_after_the_header_stops_the_file(tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(b"meter_id,timestamp,value\n" + b"E1,2024-05-01 10:15:00,1\n" * 2000 + b"E\xff,2024,1\n")
    opened, problem = open_readings_file(path, block_bytes=4096)
    assert problem is None
    with pytest.raises(ReadingsFileError, match=r"late\.csv: is not UTF-8"):
        list(opened.chunks)


def test_excel_long_and_wide(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["meter_id", "timestamp", "value"])
    sheet.append(["E1", datetime(2024, 5, 1, 10, 15), 12.5])
    sheet.append(["E1", "bad", 1])
    book.save(tmp_path / "long.xlsx")
    cols, problem = read_readings_file(tmp_path / "long.xlsx")
    assert problem is None
    assert rows(cols)[0] == ("E1", ns(datetime(2024, 5, 1, 10, 15, tzinfo=SH)), 12.5, None)
    assert rows(cols)[1][3] == ("1", "'bad' is not a timestamp")
    book = Workbook()
    sheet = book.active
    sheet.append(["timestamp", "E1", "E2"])
    sheet.append([datetime(2024, 5, 1, 10, 15), 1, None])
    book.save(tmp_path / "wide.xlsx")
    cols, _ = read_readings_file(tmp_path / "wide.xlsx")
    assert [(r[0], r[2]) for r in rows(cols)] == [("E1", 1.0)]


def test_columns_from_raw_readings_and_concat():
    t = datetime(2024, 5, 1, 10, 15, tzinfo=SH)
    a = ReadingColumns.from_raw(
        [RawReading("E1", t, 1.0, "1", 2), RawReading("E2", None, None, "x", 3, "'x' is not a timestamp")]
    )
    b = ReadingColumns.from_meter_ids(["E2", "E3"], np.array([ns(t), ns(t)]), np.array([2.0, 3.0]))
    both = ReadingColumns.concat([a, b])
    assert both.meters == ["E1", "E2", "E3"]
    assert [r[0] for r in rows(both)] == ["E1", "E2", "E2", "E3"]
    assert both.problems == {1: ("x", "'x' is not a timestamp")}


def test_times_outside_1900_to_2199_are_problems_not_crashes():
    got, bad = timestamps_ns(_strings(["9999-01-01 00:00:00", "2500-01-01T00:00", "2024-01-01 00:00:00"]))
    assert bad.tolist() == [True, True, False]
    assert got[2] == ns(datetime(2024, 1, 1, tzinfo=SH))
    far = datetime(9999, 1, 1, tzinfo=SH)
    cols = ReadingColumns.from_raw([RawReading("E1", far, 1.0, "1", 2)])
    assert cols.problems == {0: ("1", "'9999-01-01 00:00:00+08:00' is not a time of 1900-2199")}
    assert cols.ts_ns.tolist() == [UNKNOWN_TIME]
