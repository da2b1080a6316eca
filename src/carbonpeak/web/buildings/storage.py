"""Bulk reads and writes of readings and rollups, per database: the only code that speaks SQL to them.

Readings and rollups move as numpy columns, never as one Python object per row:

* PostgreSQL: rows go in by ``COPY ... FROM STDIN (FORMAT BINARY)`` built with numpy record arrays and sent
  by a writer thread (psycopg's ``QueuedLibpqWriter``), so the server parses one block while Python builds
  the next. Stored series come back as one ``bytea`` per meter (``string_agg`` of ``int8send``/``float8send``)
  read with ``numpy.frombuffer``.
* SQLite: the driver's own ``executemany`` (Django's cursor wrapper rewrites every row), with times as the
  text Django stores (``YYYY-MM-DD HH:MM:SS[.ffffff]`` UTC); stored series come back as integer microseconds.

Times are UTC nanoseconds since the epoch (``int64``) throughout. Table names are the models' own, never
user input, which is why the SQL strings are built with them.
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import numpy as np
from django.db import connection

from carbonpeak.web.buildings.models import MeterRollup, Reading

READINGS = Reading._meta.db_table
ROLLUPS = MeterRollup._meta.db_table
_PG_EPOCH_US = 946_684_800_000_000
"""2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970."""
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
_COPY_ROWS = 100_000
"""Rows per COPY message: small enough that the server starts on a block while the next is built."""
_SPAN_TERMS = 200
"""Meter-and-span conditions per query."""
FLAG_CHARS = 120
"""Length of ``Reading.flag``."""


def is_postgresql() -> bool:
    """Whether the default database is PostgreSQL (otherwise SQLite)."""
    return bool(connection.vendor == "postgresql")


def utc(ns: int) -> datetime:
    """A UTC datetime from nanoseconds since the epoch (microsecond resolution, as the database keeps)."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=ns // 1000)


def sqlite_times(ts_ns: np.ndarray) -> list[str]:
    """UTC times as Django's SQLite backend stores them: ``YYYY-MM-DD HH:MM:SS[.ffffff]``.

    Built with numpy: ISO text with its ``T`` overwritten by a space, and the fraction only where non-zero.
    """
    if not len(ts_ns):
        return []
    us = ts_ns.astype(np.int64).view("datetime64[ns]").astype("datetime64[us]")
    whole = np.datetime_as_string(us.astype("datetime64[s]"), unit="s")
    whole.view("<U1").reshape(len(whole), -1)[:, 10] = " "
    fraction = ts_ns.astype(np.int64) // 1000 % 1_000_000
    if not fraction.any():
        return cast(list[str], whole.tolist())
    return [f"{w}.{f:06d}" if f else w for w, f in zip(whole.tolist(), fraction.tolist(), strict=True)]


def _param(ns: int) -> Any:
    """A time as a query parameter of the current database."""
    return utc(ns) if is_postgresql() else sqlite_times(np.array([ns], dtype=np.int64))[0]


def _pg_time(ts_ns: np.ndarray) -> np.ndarray:
    """PostgreSQL's binary timestamptz: microseconds since 2000-01-01 UTC."""
    return ts_ns.astype(np.int64) // 1000 - _PG_EPOCH_US


# --- writing ------------------------------------------------------------------------------------------


class _BinaryCopy:
    """One binary ``COPY table (columns) FROM STDIN``: numeric columns, then one nullable text column.

    ``kinds`` gives each numeric column's big-endian numpy type (``>i8``, ``>i4``, ``>f8``).
    """

    def __init__(self, copy: Any, kinds: Sequence[str]) -> None:
        self.copy = copy
        self.kinds = list(kinds)

    def write(self, numbers: Sequence[np.ndarray], text: str | None, rows: np.ndarray | None = None) -> None:
        """Rows sharing one text value (``None``: NULL); ``rows`` selects positions of ``numbers``."""
        encoded = None if text is None else text.encode("utf-8")
        layout: list[tuple[str, str]] = [("fields", ">i2")]
        for k, kind in enumerate(self.kinds):
            layout += [(f"n{k}", ">i4"), (f"v{k}", kind)]
        layout.append(("tn", ">i4"))
        if encoded:
            layout.append(("tv", f"S{len(encoded)}"))
        count = len(numbers[0]) if rows is None else len(rows)
        for start in range(0, count, _COPY_ROWS):
            part = slice(start, min(start + _COPY_ROWS, count))
            records = np.empty(part.stop - part.start, dtype=np.dtype(layout))
            records["fields"] = len(self.kinds) + 1
            for k, (kind, values) in enumerate(zip(self.kinds, numbers, strict=True)):
                records[f"n{k}"] = np.dtype(kind).itemsize
                records[f"v{k}"] = values[part] if rows is None else values[rows[part]]
            records["tn"] = -1 if encoded is None else len(encoded)
            if encoded:
                records["tv"] = encoded
            self.copy.write(records.tobytes())


@contextmanager
def _pg_copy(table: str, columns: Sequence[str], kinds: Sequence[str]) -> Iterator[_BinaryCopy]:
    from psycopg.copy import QueuedLibpqWriter

    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
        with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            copy.write(_COPY_HEADER)
            yield _BinaryCopy(copy, kinds)
            copy.write(_COPY_TRAILER)


@dataclass
class RollupDelta:
    """Additions to the rollups of one period: per (meter, bucket start) consumption and reading count."""

    period: str
    meter_ids: np.ndarray
    starts_ns: np.ndarray
    consumption: np.ndarray
    readings: np.ndarray

    def __len__(self) -> int:
        return len(self.meter_ids)


_READINGS_INSERT = f"INSERT INTO {READINGS} (meter_id, ts, raw, consumption) VALUES (?, ?, ?, ?)"  # noqa: S608
_READINGS_INSERT_FLAGGED = (
    f"INSERT INTO {READINGS} (meter_id, ts, raw, consumption, flag) VALUES (?, ?, ?, ?, ?)"  # noqa: S608
)
_ROLLUPS_UPSERT = (
    f"INSERT INTO {ROLLUPS} (meter_id, period, start, consumption, readings) "  # noqa: S608
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (meter_id, period, start) DO UPDATE SET "
    "consumption = consumption + excluded.consumption, readings = readings + excluded.readings"
)


class _SqliteThread:
    """Runs ``executemany`` calls one after another in a thread, in the caller's transaction.

    SQLite releases the GIL while it inserts, so the caller checks the next meter meanwhile. Django opens
    SQLite connections with ``check_same_thread=False``; the caller does not touch the connection until
    :meth:`close` has returned.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._jobs: queue.Queue[tuple[str, Iterable[Sequence[Any]]] | None] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sqlite-bulk-insert", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is None:
                try:
                    self._raw.executemany(*job)
                except BaseException as exc:  # handed to the caller by submit() or close()
                    self._error = exc

    def submit(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put((sql, rows))

    def close(self, *, raise_error: bool = True) -> None:
        """Wait for the queued inserts; raise the first one's error (unless the caller is failing already)."""
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None and raise_error:
            raise self._error


class BulkWriter:
    """Writes new readings one meter at a time, then their rollups, inside the caller's transaction.

    The readings must not be stored yet (the caller checked). On PostgreSQL the readings stream through one
    binary COPY, which :meth:`rollups` ends; on SQLite a thread inserts while the caller works.
    """

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._copy: _BinaryCopy | None = None
        self._thread: _SqliteThread | None = None
        self._times: tuple[np.ndarray, list[str]] | None = None

    def __enter__(self) -> BulkWriter:
        connection.ensure_connection()
        if is_postgresql():
            self._copy = self._stack.enter_context(
                _pg_copy(
                    READINGS, ["meter_id", "ts", "raw", "consumption", "flag"], [">i8", ">i8", ">f8", ">f8"]
                )
            )
        else:
            self._thread = _SqliteThread(connection.connection)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        with connection.wrap_database_errors:  # driver errors surface as Django's, as through the ORM
            try:
                if self._thread is not None:
                    self._thread.close(raise_error=kind is None)
            finally:
                self._stack.__exit__(kind, error, trace)

    def readings(
        self,
        meter_id: int,
        ts_ns: np.ndarray,
        raw: np.ndarray,
        consumption: np.ndarray,
        flags: dict[int, str],
    ) -> None:
        """Store one meter's readings; ``flags`` holds the correction note of some positions."""
        if not len(ts_ns):
            return
        if self._copy is not None:
            meters = np.full(len(ts_ns), meter_id, dtype=np.int64)
            numbers = [meters, _pg_time(ts_ns), raw, consumption]
            if not flags:
                self._copy.write(numbers, None)
                return
            flagged = np.zeros(len(ts_ns), dtype=bool)
            flagged[list(flags)] = True
            self._copy.write(numbers, None, np.flatnonzero(~flagged))
            by_text: dict[str, list[int]] = defaultdict(list)
            for k, text in flags.items():
                by_text[text[:FLAG_CHARS]].append(k)
            for text, rows in by_text.items():
                self._copy.write(numbers, text, np.array(rows, dtype=np.int64))
            return
        assert self._thread is not None
        raws = raw.tolist()
        # Interval meters at multiplier 1 store the raw value as consumption: one list serves both.
        uses = raws if np.array_equal(raw, consumption) else consumption.tolist()
        columns = [[meter_id] * len(ts_ns), self._sqlite_times(ts_ns), raws, uses]
        if not flags:
            self._thread.submit(_READINGS_INSERT, zip(*columns, strict=True))
            return
        notes: list[str | None] = [None] * len(ts_ns)
        for k, text in flags.items():
            notes[k] = text[:FLAG_CHARS]
        self._thread.submit(_READINGS_INSERT_FLAGGED, zip(*columns, notes, strict=True))

    def _sqlite_times(self, ts_ns: np.ndarray) -> list[str]:
        """:func:`sqlite_times`, reused while meters share one time grid (the usual bulk file)."""
        if self._times is not None and np.array_equal(self._times[0], ts_ns):
            return self._times[1]
        self._times = (ts_ns, sqlite_times(ts_ns))
        return self._times[1]

    def rollups(self, deltas: Sequence[RollupDelta]) -> None:
        """Add ``deltas`` to the stored rollups, creating the buckets that do not exist yet (call once, last).

        Additive, so concurrent or late additions never overwrite each other. SQLite upserts in one pass;
        PostgreSQL looks up which buckets exist, COPYs the new ones and updates the others.
        """
        if self._thread is not None:
            for delta in deltas:
                if len(delta):
                    rows = zip(
                        delta.meter_ids.tolist(),
                        [delta.period] * len(delta),
                        sqlite_times(delta.starts_ns),
                        delta.consumption.tolist(),
                        delta.readings.tolist(),
                        strict=True,
                    )
                    self._thread.submit(_ROLLUPS_UPSERT, rows)
            return
        with connection.wrap_database_errors:
            self._stack.close()  # the readings' COPY ends here: the server reports its errors now
            for delta in deltas:
                if len(delta):
                    _pg_rollups_add(delta)


def _pg_rollups_add(delta: RollupDelta) -> None:
    known = _stored_rollup_starts(delta)
    if known.any():
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {ROLLUPS} SET consumption = consumption + %s, readings = readings + %s "  # noqa: S608
                "WHERE meter_id = %s AND period = %s AND start = %s",
                [
                    (c, n, m, delta.period, utc(s))
                    for c, n, m, s in zip(
                        delta.consumption[known].tolist(),
                        delta.readings[known].tolist(),
                        delta.meter_ids[known].tolist(),
                        delta.starts_ns[known].tolist(),
                        strict=True,
                    )
                ],
            )
    fresh = np.flatnonzero(~known)
    if fresh.size:
        columns = ["meter_id", "start", "consumption", "readings", "period"]
        with _pg_copy(ROLLUPS, columns, [">i8", ">i8", ">f8", ">i4"]) as c:
            numbers = [delta.meter_ids, _pg_time(delta.starts_ns), delta.consumption, delta.readings]
            c.write(numbers, delta.period, fresh)


def _stored_rollup_starts(delta: RollupDelta) -> np.ndarray:
    """Which of the delta's (meter, start) buckets are stored already (PostgreSQL)."""
    import pandas as pd

    spans = _spans(delta.meter_ids, delta.starts_ns)
    found: list[tuple[int, int]] = []
    for where, params in _span_conditions("start", spans, upper="<="):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT meter_id, (extract(epoch FROM start) * 1000000)::bigint FROM {ROLLUPS} "  # noqa: S608
                f"WHERE period = %s AND ({where})",
                [delta.period, *params],
            )
            found += cursor.fetchall()
    if not found:
        return np.zeros(len(delta), dtype=bool)
    meters, stamps = zip(*found, strict=True)
    stored = pd.MultiIndex.from_arrays(
        [np.array(meters, dtype=np.int64), np.array(stamps, dtype=np.int64) * 1000]
    )
    keys = pd.MultiIndex.from_arrays([delta.meter_ids.astype(np.int64), delta.starts_ns.astype(np.int64)])
    return np.asarray(keys.isin(stored), dtype=bool)


def _spans(meter_ids: np.ndarray, ts_ns: np.ndarray) -> dict[int, tuple[int, int]]:
    """Each meter's (first, last) time; ``meter_ids`` need not be sorted."""
    out: dict[int, tuple[int, int]] = {}
    order = np.lexsort((ts_ns, meter_ids))
    ids, stamps = meter_ids[order], ts_ns[order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], len(ids)]
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        out[int(ids[a])] = (int(stamps[a]), int(stamps[b - 1]))
    return out


# --- reading ------------------------------------------------------------------------------------------


def _span_conditions(
    column: str, spans: dict[int, tuple[int, int]], *, lower: str = ">=", upper: str
) -> Iterator[tuple[str, list[Any]]]:
    """SQL conditions (with parameters) for each meter's own time span, meters with one span sharing a term.

    A streaming batch gives every meter the same span, so it becomes one term instead of one per meter.
    """
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for meter_id, span in spans.items():
        groups[span].append(meter_id)
    terms: list[tuple[str, list[Any]]] = []
    for (lo, hi), ids in groups.items():
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            marks = ", ".join(["%s"] * len(chunk))
            terms.append(
                (
                    f"(meter_id IN ({marks}) AND {column} {lower} %s AND {column} {upper} %s)",
                    [*chunk, _param(lo), _param(hi)],
                )
            )
    for k in range(0, len(terms), _SPAN_TERMS):
        part = terms[k : k + _SPAN_TERMS]
        yield " OR ".join(t for t, _ in part), [p for _, params in part for p in params]


@dataclass
class StoredSeries:
    """Stored readings of some meters, sorted by meter then time; ``segments`` maps a meter to its slice."""

    meter_ids: np.ndarray
    ts_ns: np.ndarray
    raw: np.ndarray
    consumption: np.ndarray

    def of(self, meter_id: int) -> slice:
        """The rows of one meter (an empty slice when it has none)."""
        lo = int(np.searchsorted(self.meter_ids, meter_id, side="left"))
        hi = int(np.searchsorted(self.meter_ids, meter_id, side="right"))
        return slice(lo, hi)

    def __len__(self) -> int:
        return len(self.meter_ids)


_US_SQLITE = "CAST(strftime('%%s', ts) AS INTEGER) * 1000000 + CAST(substr(ts, 21) AS INTEGER)"
"""SQLite: a stored time as integer microseconds since the epoch (Django keeps UTC text,
``YYYY-MM-DD HH:MM:SS[.ffffff]``; the fraction starts at character 21)."""
_SERIES = np.dtype([("ts", ">i8"), ("raw", ">f8"), ("consumption", ">f8")])


def stored_readings(spans: dict[int, tuple[int, int]], *, upper: str = "<=") -> StoredSeries:
    """Stored readings with each meter's time in its span: from ``lo`` inclusive, to ``hi`` by ``upper``
    (``<=`` or ``<``)."""
    meter_parts, ts_parts, raw_parts, use_parts = [], [], [], []
    for where, params in _span_conditions("ts", spans, upper=upper):
        with connection.cursor() as cursor:
            if is_postgresql():
                cursor.execute(
                    "SELECT meter_id, string_agg(int8send((extract(epoch FROM ts) * 1000000)::bigint) "  # noqa: S608
                    "|| float8send(raw) || float8send(consumption), ''::bytea ORDER BY ts) "
                    f"FROM {READINGS} WHERE {where} GROUP BY meter_id",
                    params,
                )
                for meter_id, blob in cursor.fetchall():
                    rows = np.frombuffer(bytes(blob), dtype=_SERIES)
                    meter_parts.append(np.full(len(rows), int(meter_id), dtype=np.int64))
                    ts_parts.append(rows["ts"].astype(np.int64) * 1000)
                    raw_parts.append(rows["raw"].astype(float))
                    use_parts.append(rows["consumption"].astype(float))
                continue
            cursor.execute(
                f"SELECT meter_id, {_US_SQLITE}, raw, consumption "  # noqa: S608
                f"FROM {READINGS} WHERE {where} ORDER BY meter_id, ts",
                params,
            )
            found = cursor.fetchall()
            if found:
                meter_ids, times_us, raws, uses = zip(*found, strict=True)
                meter_parts.append(np.array(meter_ids, dtype=np.int64))
                ts_parts.append(np.array(times_us, dtype=np.int64) * 1000)
                raw_parts.append(np.array(raws, dtype=float))
                use_parts.append(np.array(uses, dtype=float))
    if not meter_parts:
        empty = np.zeros(0, dtype=np.int64)
        return StoredSeries(empty, empty.copy(), np.zeros(0), np.zeros(0))
    meters = np.concatenate(meter_parts)
    stamps = np.concatenate(ts_parts)
    order = np.lexsort((stamps, meters))
    return StoredSeries(
        meters[order], stamps[order], np.concatenate(raw_parts)[order], np.concatenate(use_parts)[order]
    )


def register_context(firsts: dict[int, int]) -> tuple[dict[int, tuple[int, float]], set[int]]:
    """For cumulative meters and the time of their first new reading: the last stored reading before it
    ``(ts_ns, raw)``, and which meters have stored readings after it (a late chain)."""
    last: dict[int, tuple[int, float]] = {}
    later: set[int] = set()
    if not firsts:
        return last, later
    with connection.cursor() as cursor:
        if is_postgresql():
            ids = list(firsts)
            stamps = [utc(firsts[m]) for m in ids]
            cursor.execute(
                "SELECT m.id, (extract(epoch FROM b.ts) * 1000000)::bigint, b.raw, EXISTS ("  # noqa: S608
                f"SELECT 1 FROM {READINGS} a WHERE a.meter_id = m.id AND a.ts > m.first) "
                "FROM unnest(%s::bigint[], %s::timestamptz[]) AS m(id, first) LEFT JOIN LATERAL ("
                f"SELECT ts, raw FROM {READINGS} r WHERE r.meter_id = m.id AND r.ts < m.first "
                "ORDER BY r.ts DESC LIMIT 1) b ON true",
                [ids, stamps],
            )
            rows = cursor.fetchall()
        else:
            rows = []
            for meter_id, first in firsts.items():
                moment = _param(first)
                cursor.execute(
                    f"SELECT {_US_SQLITE}, raw FROM {READINGS} "  # noqa: S608
                    "WHERE meter_id = %s AND ts < %s ORDER BY ts DESC LIMIT 1",
                    [meter_id, moment],
                )
                before = cursor.fetchone()
                cursor.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {READINGS} WHERE meter_id = %s AND ts > %s)",  # noqa: S608
                    [meter_id, moment],
                )
                exists = cursor.fetchone()
                rows.append(
                    (meter_id, *(before or (None, None)), bool(exists[0]) if exists is not None else False)
                )
    for meter_id, ts_us, raw, has_later in rows:
        if ts_us is not None:
            last[int(meter_id)] = (int(ts_us) * 1000, float(raw))
        if has_later:
            later.add(int(meter_id))
    return last, later
