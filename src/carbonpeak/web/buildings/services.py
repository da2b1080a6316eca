"""Write services: registry and meter imports (all or nothing), idempotent reading ingest, rollups, gateways.

Duplicate policy: a reading for a (meter, time) already stored with the **same** raw value is a harmless
re-send and changes nothing; with a **different** value it is a conflict: the first value stays and the new
one is quarantined with both values in the reason, for the operator to resolve. Late readings are accepted and
recompute the rollups they touch (and, on a cumulative register, the following interval).
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
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


def buildings_import(*, rows: Sequence[dict[str, Any]], synthetic: bool = False) -> ImportOutcome:
    """Create or update buildings from validated rows, in one transaction."""
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
    with transaction.atomic():
        for row in rows:
            values = {f: row.get(f) for f in fields}
            for text in ("address", "street", "owner", "operator"):
                values[text] = values[text] or ""
            values["secondary_uses"] = values["secondary_uses"] or []
            values["public_institution"] = bool(values["public_institution"])
            values["publishable"] = bool(values["publishable"])
            values["synthetic"] = synthetic or row.get("quality") == "synthetic"
            _, created = Building.objects.update_or_create(code=row["id"], defaults=values)
            outcome.created += created
            outcome.updated += not created
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
        for meter_pk, batch in by_meter.items():
            meter = meter_of[meter_pk]
            stamps = sorted(batch)
            existing = dict(
                Reading.objects.filter(meter=meter, ts__gte=stamps[0], ts__lte=stamps[-1]).values_list(
                    "ts", "raw"
                )
            )
            fresh: list[datetime] = []
            for ts in stamps:
                item = batch[ts]
                stored = existing.get(ts)
                if stored is None:
                    fresh.append(ts)
                elif stored == item.value:
                    result.duplicates += 1
                else:
                    result.conflicts += 1
                    parked.append(
                        _quarantine(
                            meter,
                            meter.code,
                            ts,
                            item.raw,
                            f"conflict: stored {stored:g}, received {item.value:g} (first value kept)",
                            source,
                            now,
                        )
                    )
            if fresh:
                accepted = _check(meter, fresh, batch, now, source, parked, result)
                if accepted is not None:
                    pending.append(accepted)
        _store(pending)
        QuarantinedReading.objects.bulk_create(parked, batch_size=2000)
    result.accepted = sum(len(a.ts_ns) for a in pending)
    result.quarantined = len(parked)
    return result


@dataclass
class _Accepted:
    """One meter's accepted readings, as arrays, and what its rollups need."""

    meter: Meter
    ts_ns: np.ndarray
    raw: np.ndarray
    consumption: np.ndarray
    flags: list[str]
    months_were_empty: bool
    rederived_until: datetime | None = None


def _check(
    meter: Meter,
    fresh: list[datetime],
    batch: dict[datetime, RawReading],
    now: datetime,
    source: str,
    parked: list[QuarantinedReading],
    result: IngestResult,
) -> _Accepted | None:
    ts_ns = pd.DatetimeIndex(fresh).as_unit("ns").asi8
    values = np.array([batch[ts].value for ts in fresh], dtype=float)
    earlier = Reading.objects.filter(meter=meter, ts__lt=fresh[0]).order_by("-ts")
    previous = earlier.values_list("ts", "raw").first()
    history = list(earlier.values_list("consumption", flat=True)[:96])[::-1]
    checked = check_series(
        ts_ns,
        values,
        cumulative=meter.kind == "cumulative",
        multiplier=meter.multiplier,
        previous=(_ns(previous[0]), previous[1]) if previous else None,
        register_max=meter.register_max,
        now_ns=_ns(now),
        spike_rule=settings.BUILDINGS_SPIKE_RULE,
        spike_params=settings.BUILDINGS_SPIKE_PARAMS,
        history=history,
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
    first, last = fresh[int(keep[0])], fresh[int(keep[-1])]
    months = Reading.objects.filter(
        meter=meter,
        ts__gte=_bucket(first, MeterRollup.MONTH),
        ts__lt=_next_bucket(_bucket(last, MeterRollup.MONTH), MeterRollup.MONTH),
    )
    accepted = _Accepted(
        meter,
        ts_ns[keep],
        values[keep],
        checked.consumption[keep],
        flags,
        months_were_empty=not months.exists(),
    )
    if meter.kind == "cumulative":
        accepted.rederived_until = _rederive_next(meter, last, float(values[keep[-1]]))
    return accepted


def _ns(moment: datetime | pd.Timestamp) -> int:
    """Nanoseconds since the epoch (pandas 3 keeps microsecond resolution unless asked)."""
    return int(pd.Timestamp(moment).as_unit("ns").value)


def _store(pending: list[_Accepted]) -> None:
    """Insert the accepted readings and bring the rollups of the touched buckets up to date."""
    _bulk_insert(pending)
    for accepted in pending:
        stamps = pd.to_datetime(accepted.ts_ns, unit="ns", utc=True)
        first, last = stamps[0].to_pydatetime(), stamps[-1].to_pydatetime()
        if accepted.rederived_until is not None:
            last = max(last, accepted.rederived_until)
        if accepted.months_were_empty and accepted.rederived_until is None:
            series = pd.Series(accepted.consumption, index=stamps.tz_convert(SHANGHAI))
            _replace_rollups(accepted.meter.pk, series, first, last)  # no stored readings to merge with
        else:
            rollups_refresh(ranges={accepted.meter.pk: [first, last]})


def _rederive_next(meter: Meter, last_new: datetime, last_raw: float) -> datetime | None:
    """On a register, late readings change the consumption of the next stored reading: recompute it."""
    nxt = Reading.objects.filter(meter=meter, ts__gt=last_new).order_by("ts").first()
    if nxt is None:
        return None
    checked = check_series(
        np.array([_ns(nxt.ts)], dtype=np.int64),
        np.array([nxt.raw]),
        cumulative=True,
        multiplier=meter.multiplier,
        previous=(_ns(last_new), last_raw),
        register_max=meter.register_max,
        now_ns=_ns(pd.Timestamp.max),
        spike_rule=None,
    )
    Reading.objects.filter(pk=nxt.pk).update(
        consumption=float(checked.consumption[0]), flag=checked.flags[0][:120]
    )
    return nxt.ts


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


def _bucket(ts: datetime, period: str) -> datetime:
    local = ts.astimezone(SHANGHAI)
    if period == MeterRollup.HOUR:
        local = local.replace(minute=0, second=0, microsecond=0)
    elif period == MeterRollup.DAY:
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        local = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return local


def _next_bucket(start: datetime, period: str) -> datetime:
    if period == MeterRollup.HOUR:
        return start + timedelta(hours=1)
    if period == MeterRollup.DAY:
        return (start + timedelta(days=1)).replace(hour=0)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def rollups_refresh(*, ranges: dict[int, list[datetime]]) -> None:
    """Recompute the hourly, daily and monthly rollups of each meter over the buckets its new data touched.

    The readings of the touched months are read once and bucketed in Asia/Shanghai time with pandas.
    """
    for meter_id, (first, last) in ranges.items():
        start = _bucket(first, MeterRollup.MONTH)
        end = _next_bucket(_bucket(last, MeterRollup.MONTH), MeterRollup.MONTH)
        pairs = list(
            Reading.objects.filter(meter_id=meter_id, ts__gte=start, ts__lt=end).values_list(
                "ts", "consumption"
            )
        )
        index = pd.DatetimeIndex([ts for ts, _ in pairs]).tz_convert(SHANGHAI)
        _replace_rollups(meter_id, pd.Series([c for _, c in pairs], index=index, dtype=float), first, last)


def _replace_rollups(meter_id: int, series: pd.Series, first: datetime, last: datetime) -> None:
    """Replace the meter's rollups over the buckets from ``first`` to ``last`` with sums of ``series``."""
    for period in (MeterRollup.HOUR, MeterRollup.DAY, MeterRollup.MONTH):
        low, high = _bucket(first, period), _next_bucket(_bucket(last, period), period)
        part = series[(series.index >= low) & (series.index < high)]
        stamps = pd.DatetimeIndex(part.index)
        days = stamps.floor("D")
        if period == MeterRollup.HOUR:
            keys = stamps.floor("h")
        elif period == MeterRollup.DAY:
            keys = days
        else:
            keys = days - pd.to_timedelta(np.asarray(days.day) - 1, unit="D")
        grouped = part.groupby(keys).agg(["sum", "count"])
        MeterRollup.objects.filter(meter_id=meter_id, period=period, start__gte=low, start__lt=high).delete()
        n = len(grouped)
        _insert_rollups(
            list(
                zip(
                    [meter_id] * n,
                    [period] * n,
                    pd.DatetimeIndex(grouped.index).to_pydatetime(),
                    grouped["sum"].tolist(),
                    grouped["count"].tolist(),
                    strict=True,
                )
            )
        )


def _insert_rollups(rows: list[tuple[int, str, datetime, float, int]]) -> None:
    if not rows:
        return
    table = MeterRollup._meta.db_table
    to_db = _db_time_converter()
    with connection.cursor() as cursor:
        cursor.executemany(  # the table name is the model's own, never user input
            f"INSERT INTO {table} (meter_id, period, start, consumption, readings) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [(m, p, to_db(ts), c, n) for m, p, ts, c, n in rows],
        )


def _db_time_converter() -> Any:
    """Timestamps as the database stores them (UTC; SQLite keeps naive ISO text, exactly as Django does)."""
    if connection.vendor == "sqlite":
        return lambda ts: ts.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return lambda ts: ts


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
