"""Meter readings as columns: from files (CSV streamed through pyarrow, or Excel), HTTP and MQTT.

A reading that cannot be used (bad timestamp, non-numeric value, short row) is never dropped: it stays in the
batch with its problem, and the ingest service quarantines it with the reason.

Files come in two layouts, both with Asia/Shanghai times when a time carries no offset:

* long: columns ``meter_id, timestamp, value`` (in any order);
* wide: ``timestamp`` first, then one column per meter id; an empty cell is no reading (not a zero).

CSV files are read in blocks (:data:`BLOCK_BYTES`) by pyarrow's streaming reader, so a year of 15-minute data
for a thousand meters (35 million rows) never has to fit in memory as Python objects. Times in the common
``YYYY-MM-DD HH:MM:SS`` form are parsed in one vectorised pass; any other form falls back to
:func:`parse_timestamp`, once per distinct text.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from carbonpeak.core.buildings.rollups import FIXED_OFFSET_FROM_NS, UTC8_NS
from carbonpeak.io.tabular import RowError, cell_text, read_tables

SHANGHAI = ZoneInfo("Asia/Shanghai")
UNKNOWN_TIME = np.iinfo(np.int64).min
"""``ts_ns`` of a reading whose time could not be read."""
BLOCK_BYTES = 64 << 20
"""Bytes of CSV per block (about two million long-format rows)."""
LONG_COLUMNS = ("meter_id", "timestamp", "value")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
EARLIEST_NS = -2_208_988_800 * 10**9
"""1900-01-01T00:00Z [ns]: earlier times are refused as not a meter reading's time."""
LATEST_NS = 7_258_118_400 * 10**9
"""2200-01-01T00:00Z [ns]: later times are refused as not a meter reading's time (the int64 nanosecond clock
itself ends in 2262)."""


def to_ns(moment: datetime) -> int:
    """Nanoseconds since the epoch of an aware time (exact, microsecond resolution)."""
    return int((moment - _EPOCH) // _MICROSECOND * 1000)


def epoch_ns(moment: datetime) -> int | None:
    """:func:`to_ns`, or ``None`` outside 1900-2199 (:data:`EARLIEST_NS`, :data:`LATEST_NS`)."""
    ns = to_ns(moment)
    return ns if EARLIEST_NS <= ns < LATEST_NS else None


@dataclass(frozen=True, slots=True)
class RawReading:
    """A reading as received: parsed where possible, with the problem that stops it otherwise."""

    meter: str
    timestamp: datetime | None
    value: float | None
    raw: str
    row: int
    problem: str = ""


@dataclass
class ReadingColumns:
    """Readings as columns, for bulk ingest: one entry per reading, in the order received.

    Meter ids are dictionary-encoded: reading ``k`` belongs to meter ``meters[meter_index[k]]``. ``ts_ns``
    holds
    UTC nanoseconds since the epoch and ``value`` the parsed number. A reading that could not be parsed has an
    entry in ``problems`` (index to ``(raw text, reason)``); its ``ts_ns`` and ``value`` are then ignored, and
    ``ts_ns`` is :data:`UNKNOWN_TIME` when the time itself is unknown.
    """

    meters: list[str]
    meter_index: np.ndarray
    ts_ns: np.ndarray
    value: np.ndarray
    problems: dict[int, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not len(self.meter_index) == len(self.ts_ns) == len(self.value):
            raise ValueError("meter_index, ts_ns and value must have the same length")

    def __len__(self) -> int:
        return len(self.meter_index)

    def meter_of(self, k: int) -> str:
        """The meter id of reading ``k``."""
        return self.meters[int(self.meter_index[k])]

    @classmethod
    def from_meter_ids(
        cls,
        meter_ids: Sequence[str] | np.ndarray,
        ts_ns: np.ndarray,
        value: np.ndarray,
        problems: dict[int, tuple[str, str]] | None = None,
    ) -> ReadingColumns:
        """Columns from one meter id per reading (encoded here)."""
        codes, uniques = pd.factorize(np.asarray(meter_ids, dtype=object), sort=False)
        return cls(
            [str(u) for u in uniques],
            codes.astype(np.int32),
            np.asarray(ts_ns, dtype=np.int64),
            np.asarray(value, dtype=float),
            problems or {},
        )

    @classmethod
    def from_raw(cls, readings: Iterable[RawReading]) -> ReadingColumns:
        """Columns from parsed single readings (the HTTP and MQTT paths, and Excel files)."""
        items = list(readings)
        stamps = [UNKNOWN_TIME if r.timestamp is None else epoch_ns(r.timestamp) for r in items]
        values = [math.nan if r.value is None else r.value for r in items]
        problems = {k: (r.raw, r.problem) for k, r in enumerate(items) if r.problem}
        for k, stamp in enumerate(stamps):
            if stamp is None:
                problems.setdefault(k, (items[k].raw, f"'{items[k].timestamp}' is not a time of 1900-2199"))
                stamps[k] = UNKNOWN_TIME
        return cls.from_meter_ids(
            [r.meter for r in items],
            np.array(stamps, dtype=np.int64),
            np.array(values, dtype=float),
            problems,
        )

    @classmethod
    def concat(cls, parts: Sequence[ReadingColumns]) -> ReadingColumns:
        """One batch from several, in order (meter dictionaries are merged)."""
        names: dict[str, int] = {}
        indexes, problems, offset = [], {}, 0
        for part in parts:
            remap = np.array([names.setdefault(m, len(names)) for m in part.meters], dtype=np.int32)
            indexes.append(remap[part.meter_index] if len(part) else part.meter_index.astype(np.int32))
            problems.update({offset + k: v for k, v in part.problems.items()})
            offset += len(part)
        if not parts:
            return cls([], np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0))
        return cls(
            list(names),
            np.concatenate(indexes),
            np.concatenate([p.ts_ns for p in parts]),
            np.concatenate([p.value for p in parts]),
            problems,
        )


def parse_timestamp(raw: Any) -> datetime:
    """A timestamp from text or an Excel cell; naive times are Asia/Shanghai."""
    if isinstance(raw, datetime):
        moment = raw
    else:
        text = str(raw).strip().replace("/", "-")
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def raw_reading(meter: str, stamp: Any, value: Any, row: int) -> RawReading:
    """One reading from its cells; a bad time or value becomes the reading's problem."""
    raw = "" if value is None else str(value).strip()
    try:
        moment = parse_timestamp(stamp)
    except (ValueError, TypeError):
        return RawReading(meter, None, None, raw, row, f"'{stamp}' is not a timestamp")
    try:
        number = float(raw.replace(",", "")) if isinstance(value, str) or value is None else float(value)
        if not math.isfinite(number):
            raise ValueError
    except ValueError:
        return RawReading(meter, moment, None, raw, row, f"'{raw}' is not a number")
    return RawReading(meter, moment, number, raw, row)


@dataclass
class ReadingsFile:
    """A readings file opened for reading block by block."""

    label: str
    layout: str
    """``long`` or ``wide``."""
    chunks: Iterator[ReadingColumns]


_LAYOUT_ERROR = (
    "columns must be meter_id, timestamp, value (long format) or "
    "timestamp followed by meter ids (wide format)"
)


def _layout(header: list[str]) -> str | None:
    if set(header) == set(LONG_COLUMNS) and len(header) == len(LONG_COLUMNS):
        return "long"
    if header and header[0] == "timestamp" and len(header) > 1 and all(header[1:]):
        return "wide"
    return None


def open_readings_file(
    path: Path, content: bytes | None = None, *, block_bytes: int | None = None
) -> tuple[ReadingsFile | None, RowError | None]:
    """Open a long- or wide-format readings file; its readings come in blocks from ``chunks``.

    Returns the file, or the error that makes it unreadable (not CSV/XLSX, not UTF-8, no data, unknown
    columns). Problems of single readings are not errors: they travel with the readings. ``block_bytes``
    (default :data:`BLOCK_BYTES`) sets how much CSV each block reads.
    """
    label = path.name
    if path.suffix.lower() != ".csv":
        return _excel_file(path, content)
    head = content[: 1 << 20] if content is not None else _head_bytes(path)
    first_line = head.split(b"\n", 1)[0]
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, RowError(
            label,
            None,
            (("", f"is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as CSV UTF-8"),),
        )
    header = [cell_text(c) for c in next(csv.reader([text.rstrip("\r")]), [])]
    if not any(header):
        return None, RowError(label, None, (("", "has no data rows"),))
    layout = _layout(header)
    if layout is None:
        return None, RowError(label, 1, (("", _LAYOUT_ERROR),))
    source: Any = io.BytesIO(content) if content is not None else str(path)
    chunks = _csv_chunks(label, source, header, layout, block_bytes or BLOCK_BYTES)
    return ReadingsFile(label, layout, chunks), None


def read_readings_file(path: Path, content: bytes | None = None) -> tuple[ReadingColumns, RowError | None]:
    """Every reading of a file in one batch (for small files and tests; imports stream the blocks)."""
    opened, problem = open_readings_file(path, content)
    if opened is None:
        return ReadingColumns.concat([]), problem
    batch = ReadingColumns.concat(list(opened.chunks))
    if not len(batch):
        return batch, RowError(path.name, None, (("", "has no data rows"),))
    return batch, None


def _head_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(1 << 20)


def _csv_chunks(
    label: str, source: Any, header: list[str], layout: str, block_bytes: int
) -> Iterator[ReadingColumns]:
    """Blocks of a CSV file as columns; rows with too few or too many cells become problem readings."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{k}" for k in range(len(header))]  # the header's own names may repeat or be empty
    short_rows: list[tuple[int | None, str]] = []

    def on_invalid_row(row: Any) -> str:
        short_rows.append((row.number, row.text))
        return "skip"

    types: dict[str, Any] = {name: pa.string() for name in names}
    if layout == "long":
        types[names[header.index("meter_id")]] = pa.dictionary(pa.int32(), pa.string())
    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(block_size=block_bytes, skip_rows=1, column_names=names),
        parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid_row),
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False),
    )
    try:
        for batch in reader:
            if batch.num_rows:
                yield _long_batch(batch, header) if layout == "long" else _wide_batch(batch, header)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "utf8" in str(exc).lower():
            raise ReadingsFileError(f"{label}: is not UTF-8 text; save it as CSV UTF-8") from None
        raise ReadingsFileError(f"{label}: cannot be read as CSV: {exc}") from None
    if short_rows:
        yield _short_rows(label, _numbered(source, short_rows), header, layout)


def _numbered(source: Any, rows: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """Give rows their line numbers when the parser could not (it parses blocks in parallel): one pass over
    the file, only when such rows exist. Identical rows are numbered in file order."""
    if all(number is not None for number, _ in rows):
        return rows
    wanted: dict[bytes, list[int]] = {}
    for k, (_, text) in enumerate(rows):
        wanted.setdefault(text.encode("utf-8"), []).append(k)
    found: dict[int, int] = {}
    if isinstance(source, io.BytesIO):
        source.seek(0)
        lines: Any = source
    else:
        lines = open(source, "rb")  # noqa: SIM115 (closed below)
    try:
        for number, line in enumerate(lines, start=1):
            waiting = wanted.get(line.rstrip(b"\r\n"))
            if waiting:
                found[waiting.pop(0)] = number
    finally:
        if lines is not source:
            lines.close()
    return [(found.get(k, number), text) for k, (number, text) in enumerate(rows)]


class ReadingsFileError(ValueError):
    """A readings file that turned out unreadable part-way through (the message names the file)."""


def _short_rows(
    label: str, rows: list[tuple[int | None, str]], header: list[str], layout: str
) -> ReadingColumns:
    """Rows whose cell count differs from the header's, as problem readings (nothing is dropped)."""
    meters, problems = [], {}
    for k, (number, text) in enumerate(rows):
        cells = next(csv.reader([text]), [])
        meter = cells[header.index("meter_id")].strip() if layout == "long" and len(cells) > 1 else ""
        where = f"row {number}" if number is not None else "a row"
        problems[k] = (text[:100], f"{label} {where} has {len(cells)} cells, the header {len(header)}")
        meters.append(meter)
    count = len(rows)
    return ReadingColumns.from_meter_ids(
        meters, np.full(count, UNKNOWN_TIME, dtype=np.int64), np.full(count, math.nan), problems
    )


def _long_batch(batch: Any, header: list[str]) -> ReadingColumns:
    meter = batch.column(header.index("meter_id"))
    meters = [cell_text(m) for m in meter.dictionary.to_pylist()]
    index = meter.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    if len(set(meters)) != len(meters):  # ids that differ only by surrounding spaces are one meter
        codes, uniques = pd.factorize(np.asarray(meters, dtype=object))
        index, meters = codes.astype(np.int32)[index], [str(u) for u in uniques]
    stamps = batch.column(header.index("timestamp"))
    values = batch.column(header.index("value"))
    ts_ns, bad_time = timestamps_ns(stamps)
    number, bad_value = numbers(values)
    problems = _problems(stamps, values, bad_time, bad_value)
    return ReadingColumns(meters, index, ts_ns, number, problems)


def _wide_batch(batch: Any, header: list[str]) -> ReadingColumns:
    """Stack the meter columns: readings come out grouped by meter, each in file order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    stamps = batch.column(0)
    ts_ns, bad_time = timestamps_ns(stamps)
    parts = []
    for k, meter in enumerate(header[1:], start=1):
        column = batch.column(k)
        present = np.asarray(pc.not_equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False))
        rows = np.flatnonzero(present)
        if not rows.size:
            continue
        cells = column.take(pa.array(rows))
        number, bad_value = numbers(cells)
        problems = _problems(stamps.take(pa.array(rows)), cells, bad_time[rows], bad_value)
        parts.append(ReadingColumns([meter], np.zeros(rows.size, np.int32), ts_ns[rows], number, problems))
    return ReadingColumns.concat(parts)


def _problems(
    stamps: Any, values: Any, bad_time: np.ndarray, bad_value: np.ndarray
) -> dict[int, tuple[str, str]]:
    """The problem of each unusable reading (the time's problem first), keyed by position."""
    out: dict[int, tuple[str, str]] = {}
    for k in np.flatnonzero(bad_time | bad_value).tolist():
        raw = str(values[k].as_py()).strip()
        if bad_time[k]:
            out[k] = (raw, f"'{str(stamps[k].as_py()).strip()}' is not a timestamp")
        else:
            out[k] = (raw, f"'{raw}' is not a number")
    return out


def timestamps_ns(texts: Any) -> tuple[np.ndarray, np.ndarray]:
    """UTC nanoseconds of each time text, and where a text is not a time (its value then meaningless).

    ``YYYY-MM-DD HH:MM:SS`` texts of 1992 or later are parsed in one vectorised pass as Asia/Shanghai times
    (a fixed UTC+8 since 1992); every other distinct text goes through :func:`parse_timestamp` once. A time
    outside 1900-2199 is not taken as a reading's time.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    local = pc.strptime(texts, format="%Y-%m-%d %H:%M:%S", unit="us", error_is_null=True)
    local_us = np.asarray(local.fill_null(0).cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
    slow = np.asarray(local.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    slow |= (local_us < FIXED_OFFSET_FROM_NS // 1000) | (local_us >= LATEST_NS // 1000)
    out = np.where(slow, 0, local_us) * 1000 - UTC8_NS
    bad = np.zeros(len(out), dtype=bool)
    if slow.any():
        rows = np.flatnonzero(slow)
        subset = texts.take(pa.array(rows))
        distinct = pc.unique(subset)
        parsed = np.empty(len(distinct), dtype=np.int64)
        for j, text in enumerate(distinct.to_pylist()):
            try:
                ns = epoch_ns(parse_timestamp(text))
            except (ValueError, TypeError, OverflowError):
                ns = None
            parsed[j] = UNKNOWN_TIME if ns is None else ns
        position = np.asarray(pc.index_in(subset, value_set=distinct).to_numpy(zero_copy_only=False))
        out[rows] = parsed[position]
        bad[rows] = parsed[position] == UNKNOWN_TIME
    return out, bad


def numbers(texts: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each text as a float, and where it is not a finite number (thousands separators are allowed)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = np.asarray(pc.cast(texts, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except pa.ArrowInvalid:  # spaces, thousands separators or words: the slower, forgiving path
        cleaned = (
            pd.Series(texts.to_numpy(zero_copy_only=False), dtype=object).str.strip().str.replace(",", "")
        )
        values = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
    return values, ~np.isfinite(values)


def _excel_file(path: Path, content: bytes | None) -> tuple[ReadingsFile | None, RowError | None]:
    """An .xlsx readings file (at most 1,048,576 rows a sheet), read whole with openpyxl."""
    tables, problem = read_tables(path, content)
    if problem is not None:
        return None, problem
    table = next(iter(tables.values()), [])
    if not table:
        return None, RowError(path.name, None, (("", "has no data rows"),))
    header = [cell_text(h) for h in table[0]]
    layout = _layout(header)
    if layout is None:
        return None, RowError(path.name, 1, (("", _LAYOUT_ERROR),))
    readings: list[RawReading] = []
    at = {name: header.index(name) for name in LONG_COLUMNS if name in header}
    for number, cells in enumerate(table[1:], start=2):
        cells = list(cells) + [None] * (len(header) - len(cells))
        if not any(c not in (None, "") for c in cells):
            continue
        if layout == "long":
            meter = cell_text(cells[at["meter_id"]])
            readings.append(raw_reading(meter, cells[at["timestamp"]], cells[at["value"]], number))
            continue
        for meter, value in zip(header[1:], cells[1:], strict=False):
            if value not in (None, ""):  # an empty cell in wide format is no reading, not a zero
                readings.append(raw_reading(meter, cells[0], value, number))
    return ReadingsFile(
        path.name, layout, iter([ReadingColumns.from_raw(readings)] if readings else [])
    ), None
