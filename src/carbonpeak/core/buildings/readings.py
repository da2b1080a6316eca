"""Validate meter readings and turn cumulative registers into interval consumption.

Every reading ends up either accepted (possibly with a correction flag) or quarantined with a reason; none
is dropped. Rules:

* a non-numeric value or an unknown meter is rejected (done by the reader and the ingest service);
* a negative interval value is rejected;
* a timestamp more than ``future_tolerance`` ahead of *now* is rejected;
* on a cumulative register, a fall is a **rollover** when the previous value was within 10 % of the register's
  maximum (consumption = max - previous + current), and otherwise a **counter reset** (consumption = current,
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

import numpy as np
import pandas as pd

ROLLOVER_BAND = 0.10
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
    values: Sequence[float], *, factor: float = 10.0, window: float = 96
) -> list[bool]:
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

    References
    ----------
    .. [1] Hampel, F. R. (1974). The influence curve and its role in robust estimation. JASA 69(346),
       doi:10.1080/01621459.1974.10482962 (median-based outlier screening).
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return []
    scale = pd.Series(np.where(data > 0, data, np.nan))  # zeros carry no scale
    medians = scale.rolling(int(window), min_periods=4).median().shift(1).to_numpy()
    flags = ~np.isnan(medians) & (data > factor * medians)
    return [bool(f) for f in flags]


def spikes_absolute_max(values: Sequence[float], *, limit: float = float("inf")) -> list[bool]:
    """Flag values above a fixed physical limit (e.g. the meter's rated capacity x interval) [meter unit]."""
    return [value > limit for value in values]


SPIKE_RULES: dict[str, Callable[..., list[bool]]] = {
    "median_multiple": spikes_median_multiple,
    "absolute_max": spikes_absolute_max,
}


def detect_spikes(values: Sequence[float], *, rule: str = "median_multiple", **params: float) -> list[bool]:
    """Flag spikes with a named rule (``median_multiple`` or ``absolute_max``); unknown names are refused."""
    try:
        method = SPIKE_RULES[rule]
    except KeyError:
        raise ValueError(f"unknown spike rule '{rule}'; choose one of: {', '.join(SPIKE_RULES)}") from None
    return method(values, **params)


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
    """Validate one meter's readings (time order) and compute interval consumption.

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
    out: list[Checked] = []
    last = previous
    for reading in ordered:
        if reading.timestamp > now + future_tolerance:
            out.append(Checked(reading.timestamp, reading.value, None, reason="timestamp is in the future"))
            continue
        if not cumulative:
            if reading.value < 0:
                out.append(Checked(reading.timestamp, reading.value, None, reason="negative interval value"))
            else:
                out.append(Checked(reading.timestamp, reading.value, reading.value * multiplier))
            continue
        if last is None:
            out.append(
                Checked(reading.timestamp, reading.value, 0.0, flag="first register reading: baseline")
            )
        elif reading.value >= last.value:
            out.append(Checked(reading.timestamp, reading.value, (reading.value - last.value) * multiplier))
        elif register_max is not None and last.value >= (1 - ROLLOVER_BAND) * register_max:
            delta = register_max - last.value + reading.value
            out.append(
                Checked(
                    reading.timestamp,
                    reading.value,
                    delta * multiplier,
                    flag=f"register rollover at {reading.timestamp:%H:%M}, corrected",
                )
            )
        else:
            out.append(
                Checked(
                    reading.timestamp,
                    reading.value,
                    reading.value * multiplier,
                    flag=f"counter reset at {reading.timestamp:%H:%M}, corrected",
                )
            )
        last = reading
    if spike_rule:
        accepted = [c for c in out if c.accepted and c.consumption is not None]
        values = [c.consumption for c in accepted if c.consumption is not None]
        marks = detect_spikes([*history, *values], rule=spike_rule, **(spike_params or {}))[len(history) :]
        spiky = {c.timestamp for c, mark in zip(accepted, marks, strict=True) if mark}
        out = [
            Checked(c.timestamp, c.raw, None, reason=f"spike ({spike_rule})") if c.timestamp in spiky else c
            for c in out
        ]
    return out
