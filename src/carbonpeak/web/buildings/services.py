"""Write services: registry and meter imports (all or nothing), idempotent reading ingest, rollups, gateways.

Duplicate policy: a reading for a (meter, time) already stored with the **same** raw value is a harmless
re-send and changes nothing (a re-sent bad reading is not quarantined twice). With a **different** value it
is a conflict: the first value stays, and the new one is quarantined with both values in the reason, for the
operator to resolve. Late readings are accepted and update the rollups they touch (and, on a cumulative
register, the chain of readings they fall among).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from carbonpeak.core.buildings.readings import check_series
from carbonpeak.io.buildings import (
    RawReading,
    ReadingColumns,
    read_buildings_file,
    read_meters_file,
    read_readings_file,
)
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.models import (
    Building,
    DegreeDays,
    Gateway,
    Meter,
    MeterRollup,
    QuarantinedReading,
    Reading,
)
from carbonpeak.web.portal.uploads import UploadRejectedError, tabular_upload_check

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class ImportOutcome:
    """Rows created and updated, or the errors that rejected the file (then nothing changed)."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    recomputed: list[str] = field(default_factory=list)
    """Meters whose stored consumption and rollups were recomputed because their kind or scaling changed."""


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
        before = {
            m.code: (m.kind, m.multiplier, m.register_max)
            for m in Meter.objects.filter(code__in=[r["id"] for r in rows])
        }
        for row in rows:
            values = {f: row[f] for f in fields}
            meter, created = Meter.objects.update_or_create(
                code=row["id"], defaults={**values, "building": buildings[row["building_id"]]}
            )
            outcome.created += created
            outcome.updated += not created
            changed = not created and before[meter.code] != (meter.kind, meter.multiplier, meter.register_max)
            if changed and meter_recompute(meter=meter):
                outcome.recomputed.append(meter.code)
    return outcome


def meter_recompute(*, meter: Meter) -> int:
    """Recompute a meter's stored consumption from its raw readings, then rebuild its rollups.

    Run when a meter's kind (interval or register), multiplier or register maximum changes: consumption is
    derived from the raw values with those settings, so it must follow them. Raw values are never changed.
    Spike screening is not repeated (the readings were screened when they arrived). Returns the number of
    readings recomputed.
    """
    rows = list(Reading.objects.filter(meter=meter).order_by("ts").values_list("id", "ts", "raw"))
    if not rows:
        return 0
    ids, stamps, raws = zip(*rows, strict=True)
    ts_ns = pd.DatetimeIndex(stamps).as_unit("ns").asi8
    values = np.array(raws, dtype=float)
    checked = check_series(
        ts_ns,
        values,
        cumulative=meter.kind == "cumulative",
        multiplier=meter.multiplier,
        register_max=meter.register_max,
        now_ns=_ns(timezone.now()) + 10**18,  # stored readings were screened for the future on arrival
        spike_rule=None,
    )
    consumption = np.where(np.isnan(checked.consumption), 0.0, checked.consumption)
    flags = [
        f[:120] or (f"not recomputable: {r}"[:120] if r else "")
        for f, r in zip(checked.flags, checked.reasons, strict=True)
    ]
    with transaction.atomic():
        Reading.objects.bulk_update(
            [
                Reading(id=pk, consumption=float(c), flag=f)
                for pk, c, f in zip(ids, consumption.tolist(), flags, strict=True)
            ],
            ["consumption", "flag"],
            batch_size=2000,
        )
        MeterRollup.objects.filter(meter=meter).delete()
        _increment_rollups([_Accepted(meter, ts_ns, values, consumption, flags)])
    return len(rows)


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
    readings: Iterable[RawReading] | ReadingColumns,
    source: str,
    now: datetime | None = None,
    allowed_buildings: set[int] | None = None,
) -> IngestResult:
    """Validate and store readings; quarantine every one that cannot be used, with its reason.

    Idempotent on (meter, timestamp): re-sent data never counts twice. ``allowed_buildings``, when given,
    limits the meters a caller (a gateway) may write; the API refuses the whole request before calling this.
    The work is columnar (numpy and pandas over the whole batch); only rejected readings become objects.
    """
    now = now or timezone.now()
    cols = readings if isinstance(readings, ReadingColumns) else ReadingColumns.from_raw(readings)
    result = IngestResult(received=len(cols))
    if not len(cols):
        return result
    codes = pd.Series(cols.meter, dtype=object)
    meters = {m.code: m for m in Meter.objects.filter(code__in=set(codes.unique().tolist()))}
    refusal: dict[str, str] = {}
    for code in codes.unique().tolist():
        meter = meters.get(code)
        if meter is None:
            refusal[code] = f"unknown meter '{code}'"
        elif meter.virtual:
            refusal[code] = "virtual meter: its values are computed, not metered"
        elif allowed_buildings is not None and meter.building_id not in allowed_buildings:
            refusal[code] = "meter is outside the sender's buildings"
    parked: list[QuarantinedReading] = []
    refused = codes.map(lambda c: refusal.get(c, "")).to_numpy(dtype=object)
    problem_rows = np.zeros(len(cols), dtype=bool)
    problem_rows[list(cols.problems)] = True
    for k in np.flatnonzero(problem_rows | (refused != "")).tolist():
        code = cols.meter[k]
        raw, problem = cols.problems.get(k, (_text(cols.value[k]), ""))
        moment = None if cols.ts_ns[k] == _UNKNOWN_TIME else _datetime(int(cols.ts_ns[k]))
        parked.append(_quarantine(meters.get(code), code, moment, raw, problem or refused[k], source, now))
    good = ~problem_rows & (refused == "")
    pk_of = {code: m.pk for code, m in meters.items()}
    frame = pd.DataFrame(
        {
            "meter": codes[good].map(pk_of).to_numpy(dtype=np.int64),
            "ts": cols.ts_ns[good],
            "value": cols.value[good],
        }
    ).sort_values(["meter", "ts"], kind="stable", ignore_index=True)
    frame = _drop_batch_duplicates(frame, meters, source, now, parked, result)
    pending: list[_Accepted] = []
    with transaction.atomic():
        # Lock the meters (in a fixed order): concurrent ingests of the same meter wait instead of colliding.
        meter_ids = sorted(set(frame["meter"].unique().tolist()))
        list(Meter.objects.select_for_update().filter(pk__in=meter_ids).order_by("pk").values_list("pk"))
        spans = frame.groupby("meter")["ts"].agg(["min", "max"])
        ranges = {
            int(m): (_datetime(int(lo)), _datetime(int(hi)))
            for m, lo, hi in zip(
                spans.index.tolist(), spans["min"].tolist(), spans["max"].tolist(), strict=True
            )
        }
        frame = _drop_stored(frame, ranges, meters, source, now, parked, result)
        context = _context_before({m: lo for m, (lo, _) in ranges.items()})
        by_pk = {m.pk: m for m in meters.values()}
        values = frame["value"].to_numpy()
        stamps = frame["ts"].to_numpy()
        ids = frame["meter"].to_numpy()
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, dtype=int)
        ends = np.r_[starts[1:], len(ids)] if len(ids) else starts
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            meter = by_pk[int(ids[a])]
            accepted = _check(
                meter,
                stamps[a:b],
                values[a:b],
                now,
                source,
                parked,
                result,
                context.get(meter.pk, _Context()),
            )
            if accepted is not None:
                pending.append(accepted)
        _bulk_insert(pending)
        _increment_rollups(pending)
        QuarantinedReading.objects.bulk_create(_not_yet_quarantined(parked), batch_size=2000)
    result.accepted = sum(len(a.ts_ns) for a in pending)
    result.quarantined = len(parked)
    return result


_UNKNOWN_TIME = np.iinfo(np.int64).min


def _datetime(ns: int) -> datetime:
    """A UTC datetime from nanoseconds since the epoch (microsecond resolution, as the database keeps)."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=ns // 1000)


def _text(value: float) -> str:
    return f"{value:g}"


def _drop_batch_duplicates(
    frame: pd.DataFrame,
    meters: dict[str, Meter],
    source: str,
    now: datetime,
    parked: list[QuarantinedReading],
    result: IngestResult,
) -> pd.DataFrame:
    """Keep the first reading of each (meter, time) in the batch; count repeats, quarantine conflicts."""
    repeat = frame.duplicated(["meter", "ts"], keep="first").to_numpy()
    if not repeat.any():
        return frame
    first = frame.groupby(["meter", "ts"])["value"].transform("first").to_numpy()
    values = frame["value"].to_numpy()
    same = repeat & (values == first)
    result.duplicates += int(same.sum())
    by_pk = {m.pk: m for m in meters.values()}
    for k in np.flatnonzero(repeat & ~same).tolist():
        meter = by_pk[int(frame["meter"].to_numpy()[k])]
        result.conflicts += 1
        parked.append(
            _quarantine(
                meter,
                meter.code,
                _datetime(int(frame["ts"].to_numpy()[k])),
                _text(values[k]),
                f"conflict: the same batch has {first[k]:g} for this time (first value kept)",
                source,
                now,
            )
        )
    return frame[~repeat].reset_index(drop=True)


def _drop_stored(
    frame: pd.DataFrame,
    ranges: dict[int, tuple[datetime, datetime]],
    meters: dict[str, Meter],
    source: str,
    now: datetime,
    parked: list[QuarantinedReading],
    result: IngestResult,
) -> pd.DataFrame:
    """Drop readings already stored: the same value is a re-send, another value a quarantined conflict."""
    stored = _stored_in_range(ranges)
    if stored.empty:
        return frame
    merged = frame.merge(stored, on=["meter", "ts"], how="left", sort=False)
    known = merged["stored"].notna().to_numpy()
    if not known.any():
        return frame
    values = merged["value"].to_numpy()
    previous = merged["stored"].to_numpy()
    same = known & (values == previous)
    result.duplicates += int(same.sum())
    by_pk = {m.pk: m for m in meters.values()}
    for k in np.flatnonzero(known & ~same).tolist():
        meter = by_pk[int(merged["meter"].to_numpy()[k])]
        result.conflicts += 1
        parked.append(
            _quarantine(
                meter,
                meter.code,
                _datetime(int(merged["ts"].to_numpy()[k])),
                _text(values[k]),
                f"conflict: stored {previous[k]:g}, received {values[k]:g} (first value kept)",
                source,
                now,
            )
        )
    return frame[~known].reset_index(drop=True)


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


def _span_conditions(field: str, spans: dict[int, tuple[datetime, datetime]], *, upper: str) -> list[Q]:
    """Query conditions for each meter's own time span, meters with the same span sharing one ``IN``.

    A streaming batch gives every meter the same span, so it becomes one condition instead of one per meter.
    """
    groups: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for meter_id, span in spans.items():
        groups[span].append(meter_id)
    terms = [
        Q(meter_id__in=ids[k : k + 1000], **{f"{field}__gte": lo, f"{field}__{upper}": hi})
        for (lo, hi), ids in groups.items()
        for k in range(0, len(ids), 1000)
    ]
    conditions = []
    for k in range(0, len(terms), CHUNK):
        condition = Q()
        for term in terms[k : k + CHUNK]:
            condition |= term
        conditions.append(condition)
    return conditions


def _stored_in_range(ranges: dict[int, tuple[datetime, datetime]]) -> pd.DataFrame:
    """Stored raw values within each meter's (first, last) batch time: columns meter, ts [ns], stored."""
    parts: list[pd.DataFrame] = []
    for condition in _span_conditions("ts", ranges, upper="lte"):
        rows = list(Reading.objects.filter(condition).values_list("meter_id", "ts", "raw"))
        if rows:
            meter_ids, stamps, raws = zip(*rows, strict=True)
            parts.append(
                pd.DataFrame(
                    {
                        "meter": np.array(meter_ids, dtype=np.int64),
                        "ts": pd.DatetimeIndex(stamps).as_unit("ns").asi8,
                        "stored": np.array(raws, dtype=float),
                    }
                )
            )
    if not parts:
        return pd.DataFrame({"meter": [], "ts": [], "stored": []})
    return pd.concat(parts, ignore_index=True)


@dataclass
class _Context:
    """A meter's stored readings just before a batch: the last one, and recent consumption for spike rules."""

    last: tuple[datetime, float] | None = None
    """(time, raw value) of the last stored reading before the batch."""
    history: list[float] = field(default_factory=list)
    """Consumption of the stored readings in the day before the batch, oldest first."""


def _context_before(firsts: dict[int, datetime]) -> dict[int, _Context]:
    """Each meter's stored readings in the day before its first new reading.

    Only the last reading's time is converted: a streaming batch reads ~96 rows per meter, and converting
    every timestamp cost more than the rest of the ingest.
    """
    out: dict[int, _Context] = defaultdict(_Context)
    last: dict[int, tuple[int, float]] = {}
    spans = {meter_id: (first - CONTEXT, first) for meter_id, first in firsts.items()}
    for condition in _span_conditions("ts", spans, upper="lt"):
        rows = Reading.objects.filter(condition).order_by("meter_id", "ts")
        for meter_id, pk, raw, consumption in rows.values_list("meter_id", "id", "raw", "consumption"):
            out[meter_id].history.append(consumption)
            last[meter_id] = (pk, raw)
    if last:
        times = dict(Reading.objects.filter(pk__in=[pk for pk, _ in last.values()]).values_list("id", "ts"))
        for meter_id, (pk, raw) in last.items():
            out[meter_id].last = (times[pk], raw)
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
    ts_ns: np.ndarray,
    values: np.ndarray,
    now: datetime,
    source: str,
    parked: list[QuarantinedReading],
    result: IngestResult,
    context: _Context,
) -> _Accepted | None:
    """Screen one meter's new readings (ascending ``ts_ns``), or hand a late register chain on."""
    cumulative = meter.kind == "cumulative"
    first = _datetime(int(ts_ns[0]))
    previous = context.last
    if previous is None and cumulative:
        previous = (
            Reading.objects.filter(meter=meter, ts__lt=first).order_by("-ts").values_list("ts", "raw").first()
        )
    if cumulative and Reading.objects.filter(meter=meter, ts__gt=first).exists():
        fresh = [_datetime(int(t)) for t in ts_ns.tolist()]
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
        history=context.history[-96:],
    )
    ok = ~np.isnan(checked.consumption)
    for k in np.flatnonzero(~ok).tolist():
        parked.append(
            _quarantine(
                meter,
                meter.code,
                _datetime(int(ts_ns[k])),
                _text(values[k]),
                checked.reasons[k],
                source,
                now,
            )
        )
    if ok.all():
        flags = checked.flags
        result.corrected += sum(1 for f in flags if f and not f.startswith("first register"))
        return _Accepted(meter, ts_ns, values, checked.consumption, flags)
    keep = np.flatnonzero(ok)
    if keep.size == 0:
        return None
    flags = [checked.flags[k] for k in keep.tolist()]
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
    counts = np.ones(len(values), dtype=np.int64)
    fixes = [(a.meter.pk, moment, change) for a in pending for moment, change in a.corrections]
    if fixes:
        meter_ids = np.r_[meter_ids, np.array([f[0] for f in fixes], dtype=np.int64)]
        stamps = pd.DatetimeIndex(
            stamps.append(pd.DatetimeIndex([f[1] for f in fixes]).tz_convert("UTC").as_unit(stamps.unit))
        )
        values = np.r_[values, np.array([f[2] for f in fixes], dtype=float)]
        counts = np.r_[counts, np.zeros(len(fixes), dtype=np.int64)]
    for period in (MeterRollup.HOUR, MeterRollup.DAY, MeterRollup.MONTH):
        frame = pd.DataFrame(
            {
                "meter": meter_ids,
                "start": _bucket_keys(stamps, period).as_unit("ns").asi8,
                "value": values,
                "count": counts,
            }
        )
        delta = frame.groupby(["meter", "start"], sort=False, as_index=False)[["value", "count"]].sum()
        existing = _existing_rollups(period, delta)
        if not existing.empty:
            delta = delta.merge(existing, on=["meter", "start"], how="left", sort=False)
            known = delta["id"].notna().to_numpy()
        else:
            known = np.zeros(len(delta), dtype=bool)
        _insert_rollups(period, delta[~known])
        if known.any():
            updates = delta[known]
            _update_rollups(
                list(
                    zip(
                        updates["value"].tolist(),
                        updates["count"].tolist(),
                        updates["id"].astype(np.int64).tolist(),
                        strict=True,
                    )
                )
            )


def _update_rollups(rows: list[tuple[float, int, int]]) -> None:
    """Add (consumption, readings) to stored rollups by id (additive: it never overwrites another update)."""
    table = MeterRollup._meta.db_table  # the model's own name, never user input
    if connection.vendor == "sqlite":  # the driver's own executemany; Django's wrapper rewrites each row
        connection.ensure_connection()
        connection.connection.executemany(
            f"UPDATE {table} SET consumption = consumption + ?, readings = readings + ? WHERE id = ?",  # noqa: S608
            rows,
        )
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET consumption = consumption + %s, readings = readings + %s WHERE id = %s",  # noqa: S608
            rows,
        )


def _existing_rollups(period: str, delta: pd.DataFrame) -> pd.DataFrame:
    """Stored rollups at the touched (meter, bucket) keys: columns meter, start [ns], id."""
    spans = delta.groupby("meter")["start"].agg(["min", "max"])
    ranges = {
        int(m): (_datetime(int(lo)), _datetime(int(hi)))
        for m, lo, hi in zip(spans.index.tolist(), spans["min"].tolist(), spans["max"].tolist(), strict=True)
    }
    rows: list[tuple[int, int, datetime]] = []
    for condition in _span_conditions("start", ranges, upper="lte"):
        rows += MeterRollup.objects.filter(condition, period=period).values_list("id", "meter_id", "start")
    if not rows:
        return pd.DataFrame()
    pks, meters, starts = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "meter": np.array(meters, dtype=np.int64),
            "start": pd.DatetimeIndex(starts).as_unit("ns").asi8,
            "id": np.array(pks, dtype=np.int64),
        }
    )


def _bulk_insert(pending: list[_Accepted]) -> None:
    """Insert readings fast through the driver: COPY on PostgreSQL, executemany on SQLite.

    Duplicates were removed before, so a plain insert is safe; it runs inside the caller's transaction.
    """
    if not pending:
        return
    table = Reading._meta.db_table
    meter_ids = np.concatenate([np.full(len(a.ts_ns), a.meter.pk, dtype=np.int64) for a in pending])
    ts_ns = np.concatenate([a.ts_ns for a in pending])
    raw = np.concatenate([a.raw for a in pending])
    consumption = np.concatenate([a.consumption for a in pending])
    flags = [f[:120] for a in pending for f in a.flags]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        _copy_binary(
            table,
            ["meter_id", "ts", "raw", "consumption", "flag"],
            [(">i8", meter_ids), (">i8", _pg_time(ts_ns)), (">f8", raw), (">f8", consumption)],
            flags,
        )
        return
    rows = zip(
        meter_ids.tolist(), _sqlite_times(ts_ns), raw.tolist(), consumption.tolist(), flags, strict=True
    )
    insert = f"INSERT INTO {table} (meter_id, ts, raw, consumption, flag) VALUES (?, ?, ?, ?, ?)"  # noqa: S608
    connection.connection.executemany(insert, rows)  # the table name is the model's own, never user input


_PG_EPOCH_US = 946_684_800_000_000
"""2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970."""
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
_COPY_CHUNK = 200_000
"""Rows per write: the server parses one chunk while the next is built."""


def _pg_time(ts_ns: np.ndarray) -> np.ndarray:
    """PostgreSQL's binary timestamptz: microseconds since 2000-01-01 UTC."""
    return ts_ns.astype(np.int64) // 1000 - _PG_EPOCH_US


def _copy_binary(
    table: str, columns: Sequence[str], numbers: Sequence[tuple[str, np.ndarray]], text: Sequence[str]
) -> None:
    """COPY rows into PostgreSQL in its binary format, built with numpy rather than row by row.

    ``columns`` names the numeric columns, then one text column last; ``numbers`` gives each numeric column's
    big-endian numpy type (``>i8``, ``>i4``, ``>f8``) and values; ``text`` the last column's values. Rows
    sharing a text value are packed together into one fixed-width record array (order does not matter).
    """
    labels = pd.Series(list(text), dtype=object)
    codes, uniques = pd.factorize(labels, sort=False)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.write(_COPY_HEADER)
        for code, label in enumerate(uniques.tolist()):
            rows = np.flatnonzero(codes == code)
            encoded = str(label).encode("utf-8")
            layout: list[tuple[str, str]] = [("fields", ">i2")]
            for k, (kind, _) in enumerate(numbers):
                layout += [(f"n{k}", ">i4"), (f"v{k}", kind)]
            layout.append(("tn", ">i4"))
            if encoded:
                layout.append(("tv", f"S{len(encoded)}"))
            for start in range(0, len(rows), _COPY_CHUNK):
                part = rows[start : start + _COPY_CHUNK]
                records = np.empty(len(part), dtype=np.dtype(layout))
                records["fields"] = len(numbers) + 1
                for k, (kind, values) in enumerate(numbers):
                    records[f"n{k}"] = np.dtype(kind).itemsize
                    records[f"v{k}"] = values[part]
                records["tn"] = len(encoded)
                if encoded:
                    records["tv"] = encoded
                copy.write(records.tobytes())
        copy.write(_COPY_TRAILER)


def _sqlite_times(ts_ns: np.ndarray) -> list[str]:
    """UTC times as Django's SQLite backend stores them: ``YYYY-MM-DD HH:MM:SS[.ffffff]``.

    Built with numpy: ISO text with its ``T`` overwritten by a space, and the fraction only where non-zero.
    """
    us = ts_ns.astype(np.int64).view("datetime64[ns]").astype("datetime64[us]")
    whole = np.datetime_as_string(us.astype("datetime64[s]"), unit="s")
    whole.view("<U1").reshape(len(whole), -1)[:, 10] = " "
    fraction = ts_ns.astype(np.int64) // 1000 % 1_000_000
    if not fraction.any():
        return cast(list[str], whole.tolist())
    return [f"{w}.{f:06d}" if f else w for w, f in zip(whole.tolist(), fraction.tolist(), strict=True)]


def _insert_rollups(period: str, rows: pd.DataFrame) -> None:
    """Insert new rollups (columns meter, start [ns], value, count)."""
    if rows.empty:
        return
    table = MeterRollup._meta.db_table
    starts = rows["start"].to_numpy()
    if connection.vendor == "postgresql":
        _copy_binary(
            table,
            ["meter_id", "start", "consumption", "readings", "period"],
            [
                (">i8", rows["meter"].to_numpy()),
                (">i8", _pg_time(starts)),
                (">f8", rows["value"].to_numpy()),
                (">i4", rows["count"].to_numpy()),
            ],
            [period] * len(rows),
        )
        return
    connection.connection.executemany(  # the driver's own; the table name is the model's, never user input
        f"INSERT INTO {table} (meter_id, period, start, consumption, readings) "  # noqa: S608
        "VALUES (?, ?, ?, ?, ?)",
        zip(
            rows["meter"].tolist(),
            [period] * len(rows),
            _sqlite_times(starts),
            rows["value"].tolist(),
            rows["count"].tolist(),
            strict=True,
        ),
    )


def degree_days_import(
    *, rows: Sequence[dict[str, Any]], label: str, synthetic: bool = False
) -> ImportOutcome:
    """Store monthly degree-days, all rows or none. Re-sending a stored month with the same figures changes
    nothing; different figures for a stored month reject the file (history is never overwritten silently)."""
    outcome = ImportOutcome()
    stored = {
        (d.station, d.period): d for d in DegreeDays.objects.filter(station__in={r["station"] for r in rows})
    }
    fresh = []
    for row in rows:
        old = stored.get((row["station"], row["period"]))
        if old is None:
            fresh.append(row)
        elif (old.heating_kd, old.cooling_kd) != (row["heating_kd"], row["cooling_kd"]):
            outcome.errors.append(
                RowError(
                    label,
                    row["row"],
                    (
                        (
                            "period",
                            f"{row['period']} at {row['station']} is stored as {old.heating_kd:g}/"
                            f"{old.cooling_kd:g} K·d; stored months are corrected by the office",
                        ),
                    ),
                )
            )
    if outcome.errors:
        return outcome
    with transaction.atomic():
        DegreeDays.objects.bulk_create(
            [
                DegreeDays(
                    station=r["station"],
                    period=r["period"],
                    heating_kd=r["heating_kd"],
                    cooling_kd=r["cooling_kd"],
                    source=r["source"],
                    synthetic=synthetic or r["quality"] == "synthetic",
                )
                for r in fresh
            ]
        )
    outcome.created = len(fresh)
    return outcome


FILE_KINDS = ("buildings", "meters", "readings")


@dataclass
class FileImport:
    """What an uploaded registry, meter or readings file did: counts, or every error that rejected it."""

    kind: str
    filename: str
    outcome: ImportOutcome | None = None
    ingest: IngestResult | None = None
    errors: list[str] = field(default_factory=list)


def buildings_file_import(*, kind: str, filename: str, content: bytes) -> FileImport:
    """Import an uploaded file of buildings or meters (all rows or none), or of readings (idempotent).

    Raises
    ------
    UploadRejectedError
        If the kind is unknown, the file is not .csv/.xlsx, is over ``CARBONPEAK_MAX_UPLOAD_MB``, or an
        .xlsx file is not a zip container (the first bytes are checked, not only the name).
    """
    if kind not in FILE_KINDS:
        raise UploadRejectedError(f"unknown file kind '{kind}'; choose one of: {', '.join(FILE_KINDS)}")
    tabular_upload_check(filename=filename, content=content)
    result = FileImport(kind, filename)
    path = Path(filename)
    if kind == "readings":
        readings, problem = read_readings_file(path, content)
        if problem is not None:
            result.errors = [str(problem)]
            return result
        result.ingest = readings_ingest(readings=readings, source="file")
        return result
    parsed = (read_buildings_file if kind == "buildings" else read_meters_file)(path, content)
    if parsed.errors:
        result.errors = [str(e) for e in parsed.errors]
        return result
    outcome = (
        buildings_import(rows=parsed.rows, columns=parsed.columns)
        if kind == "buildings"
        else meters_import(rows=parsed.rows, label=filename)
    )
    result.outcome = outcome
    result.errors = [str(e) for e in outcome.errors]
    return result


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
