"""Validate meter readings and turn cumulative registers into interval consumption.

Every reading ends up either accepted (possibly with a correction flag) or quarantined with a reason; none
is dropped. Rules:

* a non-numeric value or an unknown meter is rejected (done by the reader and the ingest service);
* a negative interval value is rejected;
* a timestamp more than ``future_tolerance`` ahead of *now* is rejected;
* on a cumulative register, a fall is a **rollover** when the previous value was within 10 % of the register's
  maximum (the register shows ``max`` then 0, so consumption = max + 1 - previous + current), and
  otherwise a **counter reset** (consumption = current,
  counting from zero); both are accepted and flagged as corrected;
* a spike is flagged by a named rule (see :func:`detect_spikes`) and quarantined.

References
----------
.. [1] ASHRAE Guideline 14-2014, annex on data quality; CalTRACK 2.0 data sufficiency (gaps, outliers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROLLOVER_BAND = 0.10
MAX_SPIKE_PASSES = 50
"""Spikes are removed one per pass; after this many passes the remaining flagged readings go together."""
"""A fall counts as a rollover when the previous value was within this share of the register maximum."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A raw reading: time (timezone-aware, start of interval) and value in the meter's unit."""

    timestamp: datetime
    value: float


@dataclass(frozen=True, slots=True)
class Checked:
    """A reading after validation: its interval consumption, or why it was quarantined."""

    timestamp: datetime
    raw: float
    consumption: float | None
    """Consumption in the interval [meter unit x multiplier]; ``None`` when quarantined."""
    flag: str = ""
    """Correction note on accepted readings, e.g. ``counter reset at 03:15, corrected``."""
    reason: str = ""
    """Why the reading was quarantined; empty when accepted."""

    @property
    def accepted(self) -> bool:
        return not self.reason


def spikes_median_multiple(
    values: Sequence[float] | np.ndarray, *, factor: float = 10.0, window: float = 96
) -> np.ndarray:
    """Flag values above ``factor`` times the median of the preceding ``window`` positive values.

    The trailing median (pandas' rolling median) ignores zeros, since an idle meter has no scale, and
    needs at least 4 positive values before it can flag anything.

    Parameters
    ----------
    values : sequence of float
        Interval consumptions in time order [meter unit].
    factor : float
        Multiple of the rolling median that counts as a spike [-].
    window : float
        Number of preceding intervals in the median (96 = one day of 15-minute data).

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the value is a spike.

    References
    ----------
    .. [1] Hampel, F. R. (1974). The influence curve and its role in robust estimation. JASA 69(346),
       doi:10.1080/01621459.1974.10482962 (median-based outlier screening).
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return np.zeros(0, dtype=bool)
    size = int(window)
    if size < 1:
        raise ValueError(f"the spike window must hold at least one interval, not {window}")
    positive = np.where(data > 0, data, np.nan)  # zeros carry no scale
    if data.size <= 4096:  # streaming batches: one vectorised sort beats pandas' set-up cost
        medians = _trailing_medians(positive, size)
    else:
        medians = pd.Series(positive).rolling(size, min_periods=4).median().shift(1).to_numpy()
    return np.asarray(~np.isnan(medians) & (data > factor * medians), dtype=bool)


def _trailing_medians(positive: np.ndarray, size: int) -> np.ndarray:
    """Median of the up to ``size`` non-NaN values before each position; NaN where fewer than 4.

    The same numbers as pandas' ``rolling(size, min_periods=4).median().shift(1)``, from one sort of the
    sliding windows (NaN sorts last, as +inf).
    """
    n = positive.size
    padded = np.concatenate([np.full(size, np.nan), positive])
    windows = np.lib.stride_tricks.sliding_window_view(padded, size)[:n]
    counts = np.count_nonzero(~np.isnan(windows), axis=1)
    ordered = np.sort(np.where(np.isnan(windows), np.inf, windows), axis=1)
    rows = np.arange(n)
    low = ordered[rows, np.maximum(counts - 1, 0) // 2]  # for an odd count, low and high are one value
    high = ordered[rows, np.minimum(counts // 2, size - 1)]
    medians = (low + high) / 2
    return np.where(counts >= 4, medians, np.nan)


def spikes_absolute_max(values: Sequence[float] | np.ndarray, *, limit: float = float("inf")) -> np.ndarray:
    """Flag values above a fixed physical limit (e.g. the meter's rated capacity x interval) [meter unit]."""
    return np.asarray(np.asarray(values, dtype=float) > limit, dtype=bool)


SPIKE_RULES: dict[str, Callable[..., np.ndarray]] = {
    "median_multiple": spikes_median_multiple,
    "absolute_max": spikes_absolute_max,
}


def detect_spikes(
    values: Sequence[float] | np.ndarray, *, rule: str = "median_multiple", **params: float
) -> np.ndarray:
    """Flag spikes with a named rule (``median_multiple`` or ``absolute_max``); unknown names are refused."""
    try:
        method = SPIKE_RULES[rule]
    except KeyError:
        raise ValueError(f"unknown spike rule '{rule}'; choose one of: {', '.join(SPIKE_RULES)}") from None
    return method(values, **params)


@dataclass(frozen=True)
class CheckedSeries:
    """Vectorised result of :func:`check_series`: one entry per input reading, in input order."""

    consumption: np.ndarray
    """Interval consumption [meter unit x multiplier]; NaN where the reading is quarantined."""
    reasons: dict[int, str]
    """Why each quarantined reading was quarantined, by position (accepted readings have no entry)."""
    flags: dict[int, str]
    """Correction notes on accepted readings (counter reset, rollover, first register reading), by position;
    most readings have none, so a year of data costs no per-reading Python object."""


def _hhmm(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=SHANGHAI).strftime("%H:%M")


def check_series(
    timestamps_ns: np.ndarray,
    values: np.ndarray,
    *,
    cumulative: bool,
    multiplier: float = 1.0,
    previous: tuple[int, float] | None = None,
    register_max: float | None = None,
    now_ns: int,
    future_tolerance_ns: int = 30 * 60 * 10**9,
    spike_rule: str | None = "median_multiple",
    spike_params: dict[str, float] | None = None,
    history: Sequence[float] | np.ndarray = (),
) -> CheckedSeries:
    """Validate one meter's readings, vectorised (the rules are in the module docstring).

    Parameters
    ----------
    timestamps_ns : numpy.ndarray of int64
        Reading times as nanoseconds since the epoch, ascending.
    values : numpy.ndarray of float
        Raw values [meter unit].
    cumulative : bool
        ``True`` for a cumulative register, ``False`` for an interval meter.
    multiplier : float
        CT ratio or pulse weight [-].
    previous : tuple of (int, float), optional
        The last stored reading before these (time in ns, raw value), for a register's first difference.
    register_max : float, optional
        The register's maximum before it rolls over [meter unit].
    now_ns : int
        Current time [ns since the epoch]; later readings beyond the tolerance are rejected.
    spike_rule, spike_params, history
        As for :func:`detect_spikes`; ``history`` holds recent stored consumptions, oldest first.
    """
    n = len(values)
    reasons: dict[int, str] = {}
    excluded = np.zeros(n, dtype=bool)
    for k in np.flatnonzero(~np.isfinite(values)).tolist():
        reasons[k] = "value is not a finite number"
        excluded[k] = True
    for k in np.flatnonzero((timestamps_ns > now_ns + future_tolerance_ns) & ~excluded).tolist():
        reasons[k] = "timestamp is in the future"
        excluded[k] = True
    if not cumulative:
        for k in np.flatnonzero((values < 0) & ~excluded).tolist():
            reasons[k] = "negative interval value"
            excluded[k] = True
    # A spike leaves the chain and the next register difference is taken from the last accepted reading. Only
    # the earliest spike is removed per pass, since a reading after a spike may only look wrong because of it.
    passes = 0
    while True:
        consumption, chain_flags = _consumption(
            timestamps_ns,
            values,
            excluded,
            cumulative=cumulative,
            multiplier=multiplier,
            previous=previous,
            register_max=register_max,
        )
        if not spike_rule:
            break
        accepted = np.flatnonzero(~excluded)
        past = np.asarray(history, dtype=float)
        marks = detect_spikes(
            np.concatenate([past, consumption[accepted]]), rule=spike_rule, **(spike_params or {})
        )[past.size :]
        spikes = accepted[marks].tolist()
        if not spikes:
            break
        passes += 1
        # Interval readings are independent, so all their spikes go at once; a register's go one by one.
        for spike in spikes if not cumulative or passes >= MAX_SPIKE_PASSES else spikes[:1]:
            reasons[spike] = f"spike ({spike_rule})"
            excluded[spike] = True
        if passes >= MAX_SPIKE_PASSES:
            consumption[excluded] = np.nan
            break
    consumption[excluded] = np.nan
    flags = {k: f for k, f in chain_flags.items() if not excluded[k]}
    return CheckedSeries(consumption, reasons, flags)


def _consumption(
    timestamps_ns: np.ndarray,
    values: np.ndarray,
    excluded: np.ndarray,
    *,
    cumulative: bool,
    multiplier: float,
    previous: tuple[int, float] | None,
    register_max: float | None,
) -> tuple[np.ndarray, dict[int, str]]:
    """Interval consumption of the readings not excluded, with correction flags by position."""
    n = len(values)
    consumption = np.full(n, np.nan)
    flags: dict[int, str] = {}
    live = np.flatnonzero(~excluded)
    if not cumulative:
        consumption[live] = values[live] * multiplier
        return consumption, flags
    if live.size == 0:
        return consumption, flags
    chain = values[live]
    before = np.empty_like(chain)
    before[1:] = chain[:-1]
    before[0] = previous[1] if previous is not None else np.nan
    delta = chain - before
    used = np.where(delta >= 0, delta, np.nan)
    for j in np.flatnonzero(delta < 0).tolist():
        k = int(live[j])
        if register_max is not None and before[j] >= (1 - ROLLOVER_BAND) * register_max:
            used[j] = register_max + 1 - before[j] + chain[j]  # the register counts max, then 0
            flags[k] = f"register rollover at {_hhmm(int(timestamps_ns[k]))}, corrected"
        else:
            used[j] = chain[j]
            flags[k] = f"counter reset at {_hhmm(int(timestamps_ns[k]))}, corrected"
    if previous is None:
        used[0] = 0.0
        flags[int(live[0])] = "first register reading: baseline"
    consumption[live] = used * multiplier
    return consumption, flags


def check_readings(
    readings: Sequence[Reading],
    *,
    cumulative: bool,
    multiplier: float = 1.0,
    previous: Reading | None = None,
    register_max: float | None = None,
    now: datetime,
    future_tolerance: timedelta = timedelta(minutes=30),
    spike_rule: str | None = "median_multiple",
    spike_params: dict[str, float] | None = None,
    history: Sequence[float] = (),
) -> list[Checked]:
    """Validate one meter's readings and compute interval consumption (objects over :func:`check_series`).

    Parameters
    ----------
    readings : sequence of Reading
        New readings of one meter, any order (they are sorted).
    cumulative : bool
        ``True`` for a cumulative register (counter), ``False`` for an interval meter.
    multiplier : float
        CT ratio or pulse weight: consumption = value x multiplier [-].
    previous : Reading, optional
        The last stored reading before these, for the first difference of a cumulative register.
    register_max : float, optional
        The register's maximum before it rolls over [meter unit].
    now : datetime
        Current time; readings beyond ``now + future_tolerance`` are rejected.
    spike_rule : str or None
        Name of the spike rule, or ``None`` to skip spike screening.
    history : sequence of float
        Recent stored consumptions of the meter (oldest first), so a small batch is screened against them.
    """
    ordered = sorted(readings, key=lambda r: r.timestamp)
    stamps = np.array([_ns(r.timestamp) for r in ordered], dtype=np.int64)
    result = check_series(
        stamps,
        np.array([r.value for r in ordered], dtype=float),
        cumulative=cumulative,
        multiplier=multiplier,
        previous=(_ns(previous.timestamp), previous.value) if previous is not None else None,
        register_max=register_max,
        now_ns=_ns(now),
        future_tolerance_ns=int(future_tolerance.total_seconds() * 1e9),
        spike_rule=spike_rule,
        spike_params=spike_params,
        history=history,
    )
    return [
        Checked(
            r.timestamp,
            r.value,
            None if np.isnan(c) else float(c),
            result.flags.get(k, ""),
            result.reasons.get(k, ""),
        )
        for k, (r, c) in enumerate(zip(ordered, result.consumption.tolist(), strict=True))
    ]


def _ns(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000) * 1000
