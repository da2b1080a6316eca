"""Reading ingest, one service for every path (files, the upload page, HTTP gateways, MQTT, the demo).

Duplicate policy: a reading for a (meter, time) already stored with the **same** raw value is a harmless
re-send and changes nothing (a re-sent bad reading is not quarantined twice). With a **different** value it
is a conflict: the first value stays, and the new one is quarantined with both values in the reason, for the
operator to resolve. Late readings are accepted and update the rollups they touch (and, on a cumulative
register, the chain of readings they fall among).

The work is columnar: a batch is numpy arrays sorted by meter and time; duplicates are adjacent pairs; each
meter's series is checked by one vectorised call; rows go to the database in bulk (:mod:`.storage`) while
the next meter is checked; rollups are linear sums (:mod:`carbonpeak.core.buildings.rollups`). Only rejected
readings become Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carbonpeak.core.buildings.readings import check_series
from carbonpeak.core.buildings.rollups import DAY_NS, PERIODS, bucket_sums, is_sorted
from carbonpeak.io.readings import (
    EARLIEST_NS,
    LATEST_NS,
    UNKNOWN_TIME,
    RawReading,
    ReadingColumns,
    ReadingsFileError,
    open_readings_file,
    to_ns,
)
from carbonpeak.web.buildings import storage
from carbonpeak.web.buildings.models import Meter, MeterRollup, QuarantinedReading, Reading
from carbonpeak.web.buildings.storage import utc

HISTORY = 96
"""Stored consumptions a batch's spike screening looks back on (one day of 15-minute data)."""


@dataclass
class IngestResult:
    """What an ingest did with each reading it received."""

    received: int = 0
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    quarantined: int = 0
    corrected: int = 0

    def add(self, other: IngestResult) -> None:
        """Add another batch's counts to these."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class _Batch:
    """One ingest call: where the readings came from, the counts, and the readings set aside so far."""

    source: str
    now: datetime
    result: IngestResult
    parked: list[QuarantinedReading] = field(default_factory=list)

    def park(self, meter: Meter | None, code: str, ts_ns: int | None, raw: str, reason: str) -> None:
        """Set a reading aside for the quarantine, with its reason."""
        self.parked.append(
            QuarantinedReading(
                meter=meter,
                meter_code=code,
                ts=None if ts_ns is None else utc(ts_ns),
                raw=raw[:100],
                reason=reason[:300],
                source=self.source,
                received_at=self.now,
            )
        )


@dataclass
class _Series:
    """One meter's accepted readings (ascending time) and the corrections they caused to stored readings."""

    meter: Meter
    ts_ns: np.ndarray
    raw: np.ndarray
    consumption: np.ndarray
    flags: dict[int, str]
    corrections_ts_ns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    corrections: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Change of consumption of stored readings at ``corrections_ts_ns`` (a late register reading)."""


def _text(value: float) -> str:
    return f"{value:g}"


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
    Atomic: the readings, their rollups and the quarantine are written in one transaction.
    """
    cols = readings if isinstance(readings, ReadingColumns) else ReadingColumns.from_raw(readings)
    batch = _Batch(source, now or timezone.now(), IngestResult(received=len(cols)))
    if not len(cols):
        return batch.result
    meters = {m.code: m for m in Meter.objects.filter(code__in=set(cols.meters))}
    by_pk = {m.pk: m for m in meters.values()}
    pk_of_name = np.full(len(cols.meters), -1, dtype=np.int64)
    refusal: dict[int, str] = {}
    for j, code in enumerate(cols.meters):
        meter = meters.get(code)
        if meter is None:
            refusal[j] = f"unknown meter '{code}'"
        elif meter.virtual:
            refusal[j] = "virtual meter: its values are computed, not metered"
        elif allowed_buildings is not None and meter.building_id not in allowed_buildings:
            refusal[j] = "meter is outside the sender's buildings"
        else:
            pk_of_name[j] = meter.pk
    row_pk = pk_of_name[cols.meter_index]
    unusable = row_pk < 0
    if cols.problems:
        unusable[list(cols.problems)] = True
    for k in np.flatnonzero(unusable).tolist():
        code = cols.meter_of(k)
        raw, problem = cols.problems.get(k, (_text(float(cols.value[k])), ""))
        reason = problem or refusal[int(cols.meter_index[k])]
        moment = None if cols.ts_ns[k] == UNKNOWN_TIME else int(cols.ts_ns[k])
        batch.park(meters.get(code), code, moment, raw, reason)
    keep = ~unusable
    ids, stamps, values = row_pk[keep], cols.ts_ns[keep], cols.value[keep]
    if not is_sorted(ids, stamps):
        order = np.lexsort((stamps, ids))  # stable: the first of equal (meter, time) keys stays first
        ids, stamps, values = ids[order], stamps[order], values[order]
    ids, stamps, values = _drop_batch_duplicates(ids, stamps, values, by_pk, batch)
    with transaction.atomic():
        if len(ids):
            _store(ids, stamps, values, by_pk, batch)
        QuarantinedReading.objects.bulk_create(_not_yet_quarantined(batch.parked), batch_size=2000)
    batch.result.quarantined = len(batch.parked)
    return batch.result


def _segments(ids: np.ndarray) -> list[tuple[int, int]]:
    """``(start, stop)`` of each meter's run in meter-sorted ids."""
    if not len(ids):
        return []
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    return list(zip(starts.tolist(), np.r_[starts[1:], len(ids)].tolist(), strict=True))


def _drop_batch_duplicates(
    ids: np.ndarray, stamps: np.ndarray, values: np.ndarray, by_pk: dict[int, Meter], batch: _Batch
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the first reading of each (meter, time) in the (sorted) batch; count repeats, park conflicts."""
    if len(ids) < 2:
        return ids, stamps, values
    repeat = np.r_[False, (ids[1:] == ids[:-1]) & (stamps[1:] == stamps[:-1])]
    if not repeat.any():
        return ids, stamps, values
    first = np.maximum.accumulate(np.where(repeat, 0, np.arange(len(ids))))
    same = repeat & (values == values[first])
    batch.result.duplicates += int(same.sum())
    for k in np.flatnonzero(repeat & ~same).tolist():
        meter = by_pk[int(ids[k])]
        batch.result.conflicts += 1
        batch.park(
            meter,
            meter.code,
            int(stamps[k]),
            _text(float(values[k])),
            f"conflict: the same batch has {values[first[k]]:g} for this time (first value kept)",
        )
    return ids[~repeat], stamps[~repeat], values[~repeat]


def _drop_stored(
    ids: np.ndarray, stamps: np.ndarray, values: np.ndarray, by_pk: dict[int, Meter], batch: _Batch
) -> np.ndarray:
    """Which readings are new: a stored one with the same value is a re-send, another value a conflict."""
    spans = {int(ids[a]): (int(stamps[a]), int(stamps[b - 1])) for a, b in _segments(ids)}
    stored = storage.stored_readings(spans)
    fresh = np.ones(len(ids), dtype=bool)
    if not len(stored):
        return fresh
    for a, b in _segments(ids):
        rows = stored.of(int(ids[a]))
        known_ts = stored.ts_ns[rows]
        if not known_ts.size:
            continue
        at = np.minimum(np.searchsorted(known_ts, stamps[a:b]), known_ts.size - 1)
        hit = known_ts[at] == stamps[a:b]
        if not hit.any():
            continue
        previous = stored.raw[rows][at]
        same = hit & (values[a:b] == previous)
        batch.result.duplicates += int(same.sum())
        meter = by_pk[int(ids[a])]
        for j in np.flatnonzero(hit & ~same).tolist():
            batch.result.conflicts += 1
            batch.park(
                meter,
                meter.code,
                int(stamps[a + j]),
                _text(float(values[a + j])),
                f"conflict: stored {previous[j]:g}, received {values[a + j]:g} (first value kept)",
            )
        fresh[a:b] = ~hit
    return fresh


def _store(
    ids: np.ndarray, stamps: np.ndarray, values: np.ndarray, by_pk: dict[int, Meter], batch: _Batch
) -> None:
    """Check and store sorted, de-duplicated readings, and add them to their rollups (in a transaction)."""
    # Lock the meters (in a fixed order): concurrent ingests of the same meter wait instead of colliding.
    meter_ids = sorted(set(ids.tolist()))
    list(Meter.objects.select_for_update().filter(pk__in=meter_ids).order_by("pk").values_list("pk"))
    fresh = _drop_stored(ids, stamps, values, by_pk, batch)
    if not fresh.all():
        ids, stamps, values = ids[fresh], stamps[fresh], values[fresh]
    segments = _segments(ids)
    if not segments:
        return
    firsts = {int(ids[a]): int(stamps[a]) for a, _ in segments}
    recent = storage.stored_readings({m: (first - DAY_NS, first) for m, first in firsts.items()}, upper="<")
    cumulative = {m: first for m, first in firsts.items() if by_pk[m].kind == "cumulative"}
    last_before, late = storage.register_context(cumulative)
    accepted: list[_Series] = []
    for a, b in segments:
        meter = by_pk[int(ids[a])]
        if meter.pk in late:
            chain = _late_register_chain(meter, stamps[a:b], values[a:b], last_before.get(meter.pk), batch)
            if chain is not None:
                accepted.append(chain)
    with storage.BulkWriter() as writer:
        for series in accepted:
            writer.readings(series.meter.pk, series.ts_ns, series.raw, series.consumption, series.flags)
        for a, b in segments:
            meter = by_pk[int(ids[a])]
            if meter.pk in late:
                continue
            history = recent.consumption[recent.of(meter.pk)][-HISTORY:]
            fresh_series = _checked(
                meter, stamps[a:b], values[a:b], last_before.get(meter.pk), history, batch
            )
            if fresh_series is not None:
                writer.readings(
                    meter.pk,
                    fresh_series.ts_ns,
                    fresh_series.raw,
                    fresh_series.consumption,
                    fresh_series.flags,
                )
                accepted.append(fresh_series)
        writer.rollups(_rollup_deltas(accepted))
    batch.result.accepted += sum(len(s.ts_ns) for s in accepted)


def _checked(
    meter: Meter,
    ts_ns: np.ndarray,
    values: np.ndarray,
    previous: tuple[int, float] | None,
    history: np.ndarray,
    batch: _Batch,
) -> _Series | None:
    """Screen one meter's new readings (ascending ``ts_ns``); park the rejected ones."""
    checked = check_series(
        ts_ns,
        values,
        cumulative=meter.kind == "cumulative",
        multiplier=meter.multiplier,
        previous=previous,
        register_max=meter.register_max,
        now_ns=to_ns(batch.now),
        spike_rule=settings.BUILDINGS_SPIKE_RULE,
        spike_params=settings.BUILDINGS_SPIKE_PARAMS,
        history=history,
    )
    for k, reason in checked.reasons.items():
        batch.park(meter, meter.code, int(ts_ns[k]), _text(float(values[k])), reason)
    batch.result.corrected += sum(1 for f in checked.flags.values() if not f.startswith("first register"))
    if not checked.reasons:
        return _Series(meter, ts_ns, values, checked.consumption, checked.flags)
    keep = np.flatnonzero(~np.isnan(checked.consumption))
    if not keep.size:
        return None
    position = {int(k): j for j, k in enumerate(keep.tolist())} if checked.flags else {}
    flags = {position[k]: f for k, f in checked.flags.items()}
    return _Series(meter, ts_ns[keep], values[keep], checked.consumption[keep], flags)


def _late_register_chain(
    meter: Meter,
    ts_ns: np.ndarray,
    values: np.ndarray,
    previous: tuple[int, float] | None,
    batch: _Batch,
) -> _Series | None:
    """Late readings on a register: recompute the chain of stored and new readings they fall among.

    Each stored reading between the new ones, and the first one after them, gets its consumption recomputed
    from its new predecessor; the differences are returned so the rollups can be corrected. Spike screening is
    not applied to a late chain (its stored readings were screened when they arrived).
    """
    following = Reading.objects.filter(meter=meter, ts__gt=utc(int(ts_ns[-1]))).order_by("ts").first()
    end = to_ns(following.ts) if following is not None else int(ts_ns[-1])
    stored = storage.stored_readings({meter.pk: (int(ts_ns[0]) + 1000, end)})
    new = np.r_[np.ones(len(ts_ns), dtype=bool), np.zeros(len(stored), dtype=bool)]
    chain_ts = np.r_[ts_ns, stored.ts_ns]
    chain_raw = np.r_[values, stored.raw]
    old_use = np.r_[np.full(len(ts_ns), np.nan), stored.consumption]
    order = np.argsort(chain_ts, kind="stable")
    new, chain_ts, chain_raw, old_use = new[order], chain_ts[order], chain_raw[order], old_use[order]
    checked = check_series(
        chain_ts,
        chain_raw,
        cumulative=True,
        multiplier=meter.multiplier,
        previous=previous,
        register_max=meter.register_max,
        now_ns=to_ns(batch.now),
        spike_rule=None,
    )
    use = checked.consumption
    changed = ~new & ~np.isnan(use) & (use != old_use)
    for k in np.flatnonzero(changed).tolist():
        Reading.objects.filter(meter=meter, ts=utc(int(chain_ts[k]))).update(
            consumption=float(use[k]), flag=checked.flags.get(k, "")[: storage.FLAG_CHARS] or None
        )
    for k in np.flatnonzero(new & np.isnan(use)).tolist():
        batch.park(
            meter, meter.code, int(chain_ts[k]), _text(float(chain_raw[k])), checked.reasons.get(k, "")
        )
    keep = np.flatnonzero(new & ~np.isnan(use))
    position = {int(k): j for j, k in enumerate(keep.tolist())}
    flags = {position[k]: f for k, f in checked.flags.items() if k in position}
    batch.result.corrected += sum(1 for f in flags.values() if not f.startswith("first register"))
    if not keep.size and not changed.any():
        return None
    return _Series(
        meter,
        chain_ts[keep],
        chain_raw[keep],
        use[keep],
        flags,
        chain_ts[changed],
        use[changed] - old_use[changed],
    )


def _rollup_deltas(accepted: list[_Series]) -> list[storage.RollupDelta]:
    """What accepted readings (and corrections of stored ones) add to their hourly, daily and monthly rollups.

    Stored readings are never overwritten, so new readings only add to their buckets; a late register reading
    also changes the next reading's consumption, which is added as a correction with no reading count.
    """
    if not accepted:
        return []
    ordered = sorted(accepted, key=lambda s: s.meter.pk)
    meter_ids = np.concatenate(
        [np.full(len(s.ts_ns) + len(s.corrections), s.meter.pk, dtype=np.int64) for s in ordered]
    )
    stamps = np.concatenate([np.r_[s.ts_ns, s.corrections_ts_ns] for s in ordered])
    consumption = np.concatenate([np.r_[s.consumption, s.corrections] for s in ordered])
    counts = np.concatenate(
        [np.r_[np.ones(len(s.ts_ns), np.int64), np.zeros(len(s.corrections), np.int64)] for s in ordered]
    )
    deltas = []
    for period in PERIODS:
        sums = bucket_sums(meter_ids, stamps, consumption, counts, period)
        deltas.append(
            storage.RollupDelta(period, sums.meter_ids, sums.starts_ns, sums.consumption, sums.readings)
        )
    return deltas


def _not_yet_quarantined(parked: list[QuarantinedReading]) -> list[QuarantinedReading]:
    """The parked readings not already in quarantine with the same meter, time, value and reason.

    A gateway that re-sends a bad reading must not grow the quarantine: the reading is already there.
    """
    if not parked:
        return []
    seen: set[tuple[str, datetime | None, str, str]] = set()
    codes = {q.meter_code for q in parked}
    reasons = {q.reason for q in parked}
    seen.update(
        QuarantinedReading.objects.filter(meter_code__in=codes, reason__in=reasons).values_list(
            "meter_code", "ts", "raw", "reason"
        )
    )
    fresh = []
    for q in parked:
        key = (q.meter_code, q.ts, q.raw, q.reason)
        if key not in seen:
            seen.add(key)
            fresh.append(q)
    return fresh


T = TypeVar("T")


def _read_ahead(items: Iterator[T]) -> Iterator[T]:
    """Yield ``items`` while the next one is produced in a background thread (file blocks: pyarrow parses
    without the GIL, so reading the next block overlaps storing this one)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="readings-file") as pool:
        ahead = pool.submit(next, items, None)
        while True:
            item = ahead.result()
            if item is None:
                return
            ahead = pool.submit(next, items, None)
            yield item


def readings_file_import(
    *, path: Path, content: bytes | None = None, source: str = "file", now: datetime | None = None
) -> tuple[IngestResult, list[str]]:
    """Import a readings file (long or wide, CSV or Excel), block by block, in one transaction.

    Returns the counts, or the errors that stopped the file (then nothing was stored). Readings that cannot be
    used are quarantined with their reason; that is not an error.
    """
    opened, problem = open_readings_file(path, content)
    if opened is None:
        return IngestResult(), [str(problem)]
    total = IngestResult()
    try:
        with transaction.atomic():
            for chunk in _read_ahead(opened.chunks):
                total.add(readings_ingest(readings=chunk, source=source, now=now))
    except ReadingsFileError as exc:
        return IngestResult(), [str(exc)]
    if not total.received:
        return total, [f"{opened.label}: has no data rows"]
    return total, []


def meter_recompute(*, meter: Meter) -> int:
    """Recompute a meter's stored consumption from its raw readings, then rebuild its rollups.

    Run when a meter's kind (interval or register), multiplier or register maximum changes: consumption is
    derived from the raw values with those settings, so it must follow them. Raw values are never changed.
    Spike screening is not repeated (the readings were screened when they arrived). Returns the number of
    readings recomputed.
    """
    stored = storage.stored_readings({meter.pk: (EARLIEST_NS, LATEST_NS)})
    if not len(stored):
        return 0
    checked = check_series(
        stored.ts_ns,
        stored.raw,
        cumulative=meter.kind == "cumulative",
        multiplier=meter.multiplier,
        register_max=meter.register_max,
        now_ns=LATEST_NS,  # stored readings were screened for the future on arrival
        spike_rule=None,
    )
    consumption = np.where(np.isnan(checked.consumption), 0.0, checked.consumption)
    flags = dict(checked.flags)
    for k, reason in checked.reasons.items():
        flags[k] = f"not recomputable: {reason}"
    with transaction.atomic():
        Reading.objects.filter(meter=meter).delete()
        MeterRollup.objects.filter(meter=meter).delete()
        series = _Series(meter, stored.ts_ns, stored.raw, consumption, flags)
        with storage.BulkWriter() as writer:
            writer.readings(meter.pk, series.ts_ns, series.raw, series.consumption, series.flags)
            writer.rollups(_rollup_deltas([series]))
    return len(stored)
