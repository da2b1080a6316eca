"""Write services: registry and meter imports (all or nothing), idempotent reading ingest, rollups, gateways.

Duplicate policy: a reading for a (meter, time) already stored with the **same** raw value is a harmless
re-send and changes nothing (a re-sent bad reading is not quarantined twice). With a **different** value it
is a conflict: the first value stays, and the new one is quarantined with both values in the reason, for the
operator to resolve. Late readings are accepted and update the rollups they touch (and, on a cumulative
register, the chain of readings they fall among).
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from carbonpeak.core.buildings.readings import check_series
from carbonpeak.io.buildings import RawReading
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.models import Building, Gateway, Meter, MeterRollup, QuarantinedReading, Reading

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class ImportOutcome:
    """Rows created and updated, or the errors that rejected the file (then nothing changed)."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


COLUMN_OF_FIELD = {"footprint": "footprint_geojson", "lat": "lat", "lon": "lon"}
"""Registry fields whose file column has another name."""


def buildings_import(
    *, rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, synthetic: bool = False
) -> ImportOutcome:
    """Create or update buildings from validated rows, in one transaction.

    With ``columns`` (the file's header), an existing building is updated only in the fields the file
    carries, so a file without ``publishable`` leaves the office's choice in the admin alone.
    """
    outcome = ImportOutcome()
    fields = [
        "name",
        "address",
        "street",
        "lat",
        "lon",
        "footprint",
        "primary_use",
        "secondary_uses",
        "floor_area_m2",
        "conditioned_area_m2",
        "roof_area_m2",
        "year_built",
        "owner",
        "operator",
        "public_institution",
        "occupants",
        "operating_hours",
        "last_audit_date",
        "audit_interval_years",
        "publishable",
    ]
    present = set(columns) if columns is not None else None
    with transaction.atomic():
        for row in rows:
            values = {f: row.get(f) for f in fields}
            for text in ("address", "street", "owner", "operator"):
                values[text] = values[text] or ""
            values["secondary_uses"] = values["secondary_uses"] or []
            values["public_institution"] = bool(values["public_institution"])
            values["publishable"] = bool(values["publishable"])
            values["synthetic"] = synthetic or row.get("quality") == "synthetic"
            building = Building.objects.filter(code=row["id"]).first()
            if building is None:
                Building.objects.create(code=row["id"], **values)
                outcome.created += 1
                continue
            for name, value in values.items():
                if present is None or COLUMN_OF_FIELD.get(name, name) in present or name == "synthetic":
                    setattr(building, name, value)
            building.save()
            outcome.updated += 1
    return outcome


def meters_import(*, rows: Sequence[dict[str, Any]], label: str = "meters") -> ImportOutcome:
    """Create or update meters; one of an unknown building (or virtual over unknown meters) rejects all."""
    codes = {r["building_id"] for r in rows}
    buildings = {b.code: b for b in Building.objects.filter(code__in=codes)}
    known_meters = set(Meter.objects.values_list("code", flat=True)) | {r["id"] for r in rows}
    outcome = ImportOutcome()
    for row in rows:
        problems = []
        if row["building_id"] not in buildings:
            problems.append(("building_id", f"unknown building '{row['building_id']}'"))
        for term in row.get("virtual", []):
            if term["meter"] not in known_meters:
                problems.append(("virtual", f"unknown meter '{term['meter']}'"))
        if problems:
            outcome.errors.append(RowError(label, row["row"], tuple(problems)))
    if outcome.errors:
        return outcome
    fields = [
        "energy_class",
        "category",
        "kind",
        "unit",
        "multiplier",
        "interval_minutes",
        "register_max",
        "it_load",
        "virtual",
    ]
    with transaction.atomic():
        for row in rows:
            values = {f: row[f] for f in fields}
            _, created = Meter.objects.update_or_create(
                code=row["id"], defaults={**values, "building": buildings[row["building_id"]]}
            )
            outcome.created += created
            outcome.updated += not created
    return outcome


@dataclass
class IngestResult:
    """What an ingest did with each reading it received."""

    received: int = 0
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    quarantined: int = 0
    corrected: int = 0


def _quarantine(
    meter: Meter | None, code: str, ts: datetime | None, raw: str, reason: str, source: str, now: datetime
) -> QuarantinedReading:
    return QuarantinedReading(
        meter=meter,
        meter_code=code,
        ts=ts,
        raw=raw[:100],
        reason=reason[:300],
        source=source,
        received_at=now,
    )


def readings_ingest(
    *,
    readings: Iterable[RawReading],
    source: str,
    now: datetime | None = None,
    allowed_buildings: set[int] | None = None,
) -> IngestResult:
    """Validate and store readings; quarantine every one that cannot be used, with its reason.

    Idempotent on (meter, timestamp): re-sent data never counts twice. ``allowed_buildings``, when given,
    limits the meters a caller (a gateway) may write; the API refuses the whole request before calling this.
    """
    now = now or timezone.now()
    items = list(readings)
    result = IngestResult(received=len(items))
    meters = {m.code: m for m in Meter.objects.filter(code__in={r.meter for r in items})}
    parked: list[QuarantinedReading] = []
    by_meter: dict[int, dict[datetime, RawReading]] = defaultdict(dict)
    meter_of: dict[int, Meter] = {}
    for item in items:
        meter = meters.get(item.meter)
        if item.problem:
            parked.append(_quarantine(meter, item.meter, item.timestamp, item.raw, item.problem, source, now))
        elif meter is None:
            parked.append(
                _quarantine(
                    None, item.meter, item.timestamp, item.raw, f"unknown meter '{item.meter}'", source, now
                )
            )
        elif meter.virtual:
            parked.append(
                _quarantine(
                    meter,
                    item.meter,
                    item.timestamp,
                    item.raw,
                    "virtual meter: its values are computed, not metered",
                    source,
                    now,
                )
            )
        elif allowed_buildings is not None and meter.building_id not in allowed_buildings:
            parked.append(
                _quarantine(
                    meter,
                    item.meter,
                    item.timestamp,
                    item.raw,
                    "meter is outside the sender's buildings",
                    source,
                    now,
                )
            )
        else:
            if item.timestamp is None or item.value is None:  # pragma: no cover - parsed readings have both
                raise AssertionError("a reading without a problem has a time and a value")
            batch = by_meter[meter.pk]
            meter_of[meter.pk] = meter
            seen = batch.get(item.timestamp)
            if seen is None:
                batch[item.timestamp] = item
            elif seen.value != item.value:
                result.conflicts += 1
                parked.append(
                    _quarantine(
                        meter,
                        item.meter,
                        item.timestamp,
                        item.raw,
                        f"conflict: the same batch has {seen.value:g} for this time (first value kept)",
                        source,
                        now,
                    )
                )
            else:
                result.duplicates += 1
    pending: list[_Accepted] = []
    with transaction.atomic():
        # Lock the meters (in a fixed order): concurrent ingests of the same meter wait instead of colliding.
        list(
            Meter.objects.select_for_update().filter(pk__in=sorted(by_meter)).order_by("pk").values_list("pk")
        )
        stored = _stored_in_range(by_meter)
        context = _context_before(by_meter)
        for meter_pk, batch in by_meter.items():
            meter = meter_of[meter_pk]
            known = stored.get(meter_pk, {})
            fresh: list[datetime] = []
            for ts in sorted(batch):
                item = batch[ts]
                previous_value = known.get(ts)
                if previous_value is None:
                    fresh.append(ts)
                elif previous_value == item.value:
                    result.duplicates += 1
                else:
                    result.conflicts += 1
                    parked.append(
                        _quarantine(
                            meter,
                            meter.code,
                            ts,
                            item.raw,
                            f"conflict: stored {previous_value:g}, received {item.value:g} "
                            "(first value kept)",
                            source,
                            now,
                        )
                    )
            if fresh:
                accepted = _check(meter, fresh, batch, now, source, parked, result, context.get(meter_pk, []))
                if accepted is not None:
                    pending.append(accepted)
        _bulk_insert(pending)
        _increment_rollups(pending)
        QuarantinedReading.objects.bulk_create(_not_yet_quarantined(parked), batch_size=2000)
    result.accepted = sum(len(a.ts_ns) for a in pending)
    result.quarantined = len(parked)
    return result


def _not_yet_quarantined(parked: list[QuarantinedReading]) -> list[QuarantinedReading]:
    """The parked readings not already in quarantine with the same meter, time, value and reason.

    A gateway that re-sends a bad reading must not grow the quarantine: the reading is already there.
    """

    def key(q: QuarantinedReading) -> tuple[str, Any, str, str]:
        return (q.meter_code, q.ts, q.raw, q.reason)

    seen: set[tuple[str, Any, str, str]] = set()
    codes = {q.meter_code for q in parked}
    reasons = {q.reason for q in parked}
    for row in QuarantinedReading.objects.filter(meter_code__in=codes, reason__in=reasons).values_list(
        "meter_code", "ts", "raw", "reason"
    ):
        seen.add(row)
    fresh = []
    for q in parked:
        if key(q) not in seen:
            seen.add(key(q))
            fresh.append(q)
    return fresh


CONTEXT = timedelta(days=1)
"""How far back stored readings are read as spike history (96 readings of 15 minutes)."""
CHUNK = 200
"""Meters per query when reading each meter's own time window."""


def _stored_in_range(by_meter: dict[int, dict[datetime, RawReading]]) -> dict[int, dict[datetime, float]]:
    """Stored raw values at the batch's times, per meter (chunked queries over each meter's own range)."""
    out: dict[int, dict[datetime, float]] = defaultdict(dict)
    ids = list(by_meter)
    for k in range(0, len(ids), CHUNK):
        condition = Q()
        for meter_id in ids[k : k + CHUNK]:
            stamps = by_meter[meter_id]
            condition |= Q(meter_id=meter_id, ts__gte=min(stamps), ts__lte=max(stamps))
        for meter_id, ts, raw in Reading.objects.filter(condition).values_list("meter_id", "ts", "raw"):
            out[meter_id][ts] = raw
    return out


def _context_before(
    by_meter: dict[int, dict[datetime, RawReading]],
) -> dict[int, list[tuple[datetime, float, float]]]:
    """Stored (time, raw, consumption) in the day before each meter's first new reading, oldest first."""
    out: dict[int, list[tuple[datetime, float, float]]] = defaultdict(list)
    ids = list(by_meter)
    for k in range(0, len(ids), CHUNK):
        condition = Q()
        for meter_id in ids[k : k + CHUNK]:
            first = min(by_meter[meter_id])
            condition |= Q(meter_id=meter_id, ts__gte=first - CONTEXT, ts__lt=first)
        rows = Reading.objects.filter(condition).order_by("meter_id", "ts")
        for meter_id, ts, raw, consumption in rows.values_list("meter_id", "ts", "raw", "consumption"):
            out[meter_id].append((ts, raw, consumption))
    return out


@dataclass
class _Accepted:
    """One meter's accepted readings, as arrays, and the correction a late register reading caused."""

    meter: Meter
    ts_ns: np.ndarray
    raw: np.ndarray
    consumption: np.ndarray
    flags: list[str]
    corrections: list[tuple[datetime, float]] = field(default_factory=list)
    """(time, change of consumption) of stored readings recomputed after late register data."""


def _check(
    meter: Meter,
    fresh: list[datetime],
    batch: dict[datetime, RawReading],
    now: datetime,
    source: str,
    parked: list[QuarantinedReading],
    result: IngestResult,
    context: list[tuple[datetime, float, float]],
) -> _Accepted | None:
    ts_ns = pd.DatetimeIndex(fresh).as_unit("ns").asi8
    values = np.array([batch[ts].value for ts in fresh], dtype=float)
    cumulative = meter.kind == "cumulative"
    previous: tuple[datetime, float] | None = (context[-1][0], context[-1][1]) if context else None
    if previous is None and cumulative:
        previous = (
            Reading.objects.filter(meter=meter, ts__lt=fresh[0])
            .order_by("-ts")
            .values_list("ts", "raw")
            .first()
        )
    if cumulative and Reading.objects.filter(meter=meter, ts__gt=fresh[0]).exists():
        return _check_late_register(meter, fresh, values, previous, now, source, parked, result)
    checked = check_series(
        ts_ns,
        values,
        cumulative=cumulative,
        multiplier=meter.multiplier,
        previous=(_ns(previous[0]), previous[1]) if previous else None,
        register_max=meter.register_max,
        now_ns=_ns(now),
        spike_rule=settings.BUILDINGS_SPIKE_RULE,
        spike_params=settings.BUILDINGS_SPIKE_PARAMS,
        history=[c for _, _, c in context[-96:]],
    )
    ok = ~np.isnan(checked.consumption)
    for k in np.flatnonzero(~ok):
        parked.append(
            _quarantine(meter, meter.code, fresh[k], f"{values[k]:g}", checked.reasons[k], source, now)
        )
    keep = np.flatnonzero(ok)
    if keep.size == 0:
        return None
    flags = [checked.flags[k] for k in keep]
    result.corrected += sum(1 for f in flags if f and not f.startswith("first register"))
    return _Accepted(meter, ts_ns[keep], values[keep], checked.consumption[keep], flags)


def _check_late_register(
    meter: Meter,
    fresh: list[datetime],
    values: np.ndarray,
    previous: tuple[datetime, float] | None,
    now: datetime,
    source: str,
    parked: list[QuarantinedReading],
    result: IngestResult,
) -> _Accepted | None:
    """Late readings on a register: recompute the chain of stored and new readings they fall among.

    Each stored reading between the new ones, and the first one after them, gets its consumption recomputed
    from its new predecessor; the differences are returned so the rollups can be corrected. Spike screening is
    not applied to a late chain (its stored readings were screened when they arrived).
    """
    following = Reading.objects.filter(meter=meter, ts__gt=fresh[-1]).order_by("ts").first()
    end = following.ts if following is not None else fresh[-1]
    stored = list(
        Reading.objects.filter(meter=meter, ts__gt=fresh[0], ts__lte=end)
        .order_by("ts")
        .values_list("pk", "ts", "raw", "consumption")
    )
    chain = sorted(
        [(ts, float(v), None, None) for ts, v in zip(fresh, values.tolist(), strict=True)]
        + [(ts, raw, pk, consumption) for pk, ts, raw, consumption in stored],
        key=lambda c: c[0],
    )
    checked = check_series(
        np.array([_ns(c[0]) for c in chain], dtype=np.int64),
        np.array([c[1] for c in chain]),
        cumulative=True,
        multiplier=meter.multiplier,
        previous=(_ns(previous[0]), previous[1]) if previous else None,
        register_max=meter.register_max,
        now_ns=_ns(now),
        spike_rule=None,
    )
    keep_ts, keep_raw, keep_use, keep_flags = [], [], [], []
    corrections: list[tuple[datetime, float]] = []
    for (ts, raw, pk, old), use, flag, reason in zip(
        chain, checked.consumption, checked.flags, checked.reasons, strict=True
    ):
        if pk is not None:
            if old is not None and not np.isnan(use) and use != old:
                Reading.objects.filter(pk=pk).update(consumption=float(use), flag=flag[:120])
                corrections.append((ts, float(use) - old))
        elif np.isnan(use):
            parked.append(_quarantine(meter, meter.code, ts, f"{raw:g}", reason, source, now))
        else:
            keep_ts.append(ts)
            keep_raw.append(raw)
            keep_use.append(float(use))
            keep_flags.append(flag)
            result.corrected += bool(flag) and not flag.startswith("first register")
    if not keep_ts:
        return None
    return _Accepted(
        meter,
        pd.DatetimeIndex(keep_ts).as_unit("ns").asi8,
        np.array(keep_raw),
        np.array(keep_use),
        keep_flags,
        corrections,
    )


def _ns(moment: datetime | pd.Timestamp) -> int:
    """Nanoseconds since the epoch (pandas 3 keeps microsecond resolution unless asked)."""
    return int(pd.Timestamp(moment).as_unit("ns").value)


def _bucket_keys(stamps: pd.DatetimeIndex, period: str) -> pd.DatetimeIndex:
    """Start of each time's hour, day or month in Asia/Shanghai."""
    local = stamps.tz_convert(SHANGHAI)
    if period == MeterRollup.HOUR:
        return local.floor("h")
    days = local.floor("D")
    if period == MeterRollup.DAY:
        return days
    return days - pd.to_timedelta(np.asarray(days.day) - 1, unit="D")


def _increment_rollups(pending: list[_Accepted]) -> None:
    """Add the accepted readings to their hourly, daily and monthly rollups (creating the missing ones).

    Stored readings are never overwritten, so new readings only add to their buckets; a late register reading
    also changes the next reading's consumption, which is added as a correction with no reading count.
    """
    if not pending:
        return
    meter_ids = np.concatenate([np.full(len(a.ts_ns), a.meter.pk, dtype=np.int64) for a in pending])
    stamps = pd.to_datetime(np.concatenate([a.ts_ns for a in pending]), unit="ns", utc=True)
    values = np.concatenate([a.consumption for a in pending])
    for period in (MeterRollup.HOUR, MeterRollup.DAY, MeterRollup.MONTH):
        delta: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
        frame = pd.DataFrame(
            {"meter": meter_ids, "start": _bucket_keys(stamps, period).as_unit("ns").asi8, "value": values}
        )
        grouped = frame.groupby(["meter", "start"])["value"].agg(["sum", "count"])
        for (meter_id, start), total, count in zip(
            grouped.index.tolist(), grouped["sum"].tolist(), grouped["count"].tolist(), strict=True
        ):
            delta[(meter_id, start)] = [total, count]
        for a in pending:
            for moment, change in a.corrections:
                start = int(_bucket_keys(pd.DatetimeIndex([moment]), period).as_unit("ns").asi8[0])
                delta[(a.meter.pk, start)][0] += change
        if not delta:
            continue
        existing = _existing_rollups(period, delta)
        updates = []
        inserts = []
        for (meter_id, start), (total, count) in delta.items():
            row = existing.get((meter_id, start))
            if row is None:
                inserts.append(
                    (meter_id, period, pd.Timestamp(start, tz="UTC").to_pydatetime(), total, int(count))
                )
            else:
                updates.append((total, int(count), row[0]))
        _insert_rollups(inserts)
        if updates:
            table = MeterRollup._meta.db_table
            update = (  # additive, so an update never overwrites another's
                f"UPDATE {table} SET consumption = consumption + %s, readings = readings + %s WHERE id = %s"  # noqa: S608
            )
            with connection.cursor() as cursor:
                cursor.executemany(update, updates)  # the table name is the model's own, never user input


def _existing_rollups(
    period: str, delta: dict[tuple[int, int], list[float]]
) -> dict[tuple[int, int], tuple[int, float, int]]:
    """Stored rollups at the touched (meter, bucket) keys: (id, consumption, readings)."""
    by_meter: dict[int, list[int]] = defaultdict(list)
    for meter_id, start in delta:
        by_meter[meter_id].append(start)
    out: dict[tuple[int, int], tuple[int, float, int]] = {}
    ids = list(by_meter)
    for k in range(0, len(ids), CHUNK):
        condition = Q()
        for meter_id in ids[k : k + CHUNK]:
            starts = by_meter[meter_id]
            condition |= Q(
                meter_id=meter_id,
                start__gte=pd.Timestamp(min(starts), tz="UTC").to_pydatetime(),
                start__lte=pd.Timestamp(max(starts), tz="UTC").to_pydatetime(),
            )
        rows = MeterRollup.objects.filter(condition, period=period)
        for pk, meter_id, stored_start, consumption, readings in rows.values_list(
            "id", "meter_id", "start", "consumption", "readings"
        ):
            out[(meter_id, _ns(stored_start))] = (pk, consumption, readings)
    return out


def _bulk_insert(pending: list[_Accepted]) -> None:
    """Insert readings fast through the driver: COPY on PostgreSQL, executemany on SQLite.

    Duplicates were removed before, so a plain insert is safe; it runs inside the caller's transaction.
    """
    if not pending:
        return
    table = Reading._meta.db_table
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for a in pending:
            stamps = pd.to_datetime(a.ts_ns, unit="ns", utc=True).strftime("%Y-%m-%d %H:%M:%S.%f+00")
            buffer.writelines(
                f"{a.meter.pk}\t{ts}\t{raw!r}\t{c!r}\t{_copy_text(f[:120])}\n"
                for ts, raw, c, f in zip(stamps, a.raw.tolist(), a.consumption.tolist(), a.flags, strict=True)
            )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} (meter_id, ts, raw, consumption, flag) FROM STDIN") as copy,
        ):
            copy.write(buffer.getvalue())
        return
    rows: list[tuple[int, str, float, float, str]] = []
    for a in pending:
        rows += zip(
            [a.meter.pk] * len(a.ts_ns),
            _sqlite_times(a.ts_ns),
            a.raw.tolist(),
            a.consumption.tolist(),
            [f[:120] for f in a.flags],
            strict=True,
        )
    insert = f"INSERT INTO {table} (meter_id, ts, raw, consumption, flag) VALUES (?, ?, ?, ?, ?)"  # noqa: S608
    connection.connection.executemany(insert, rows)  # the table name is the model's own, never user input


def _sqlite_times(ts_ns: np.ndarray) -> list[str]:
    """UTC times as Django's SQLite backend stores them: ``YYYY-MM-DD HH:MM:SS[.ffffff]``."""
    stamps = pd.to_datetime(ts_ns, unit="ns", utc=True)
    base = stamps.strftime("%Y-%m-%d %H:%M:%S")
    micro = stamps.microsecond
    if not micro.any():
        return list(base)
    return [f"{b}.{m:06d}" if m else b for b, m in zip(base, micro, strict=True)]


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _insert_rollups(rows: list[tuple[int, str, datetime, float, int]]) -> None:
    if not rows:
        return
    table = MeterRollup._meta.db_table
    starts: list[Any] = [r[2] for r in rows]
    if connection.vendor == "sqlite":
        starts = _sqlite_times(pd.DatetimeIndex(starts).as_unit("ns").asi8)
    with connection.cursor() as cursor:
        cursor.executemany(  # the table name is the model's own, never user input
            f"INSERT INTO {table} (meter_id, period, start, consumption, readings) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [(m, p, start, c, n) for (m, p, _, c, n), start in zip(rows, starts, strict=True)],
        )


def token_hash(token: str) -> str:
    """The stored form of a gateway token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def gateway_create(*, name: str, building_codes: Sequence[str]) -> tuple[Gateway, str]:
    """Create a gateway for some buildings; return it with its token (shown once, stored only hashed)."""
    buildings = list(Building.objects.filter(code__in=building_codes))
    missing = set(building_codes) - {b.code for b in buildings}
    if missing:
        raise ValueError(f"unknown buildings: {', '.join(sorted(missing))}")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        gateway = Gateway.objects.create(name=name, token_sha256=token_hash(token), created_at=timezone.now())
        gateway.buildings.set(buildings)
    return gateway, token
