"""Result types: a fitted baseline, non-routine-event exclusions and the savings of a reporting period."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from carbonpeak.core.mv import MvInputError
from carbonpeak.core.mv.data import Period
from carbonpeak.core.mv.metrics import Gate
from carbonpeak.core.mv.models import Model, model_from_dict
from carbonpeak.core.mv.sufficiency import Sufficiency


def _num(value: float) -> float | None:
    """A float for JSON: ``None`` for NaN and infinities."""
    return value if math.isfinite(value) else None


def _float(value: float | None) -> float:
    return float("nan") if value is None else float(value)


@dataclass(frozen=True, slots=True)
class SeriesPoints:
    """Observed and model values per period (day, or month for monthly models) for charts."""

    starts: tuple[str, ...]
    """ISO 8601 date (local calendar day) on which each period starts."""
    observed_kwh: tuple[float | None, ...]
    predicted_kwh: tuple[float | None, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON)."""
        return {
            "starts": list(self.starts),
            "observed_kwh": list(self.observed_kwh),
            "predicted_kwh": list(self.predicted_kwh),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SeriesPoints:
        """Inverse of :meth:`to_dict`."""
        return cls(tuple(data["starts"]), tuple(data["observed_kwh"]), tuple(data["predicted_kwh"]))


@dataclass(frozen=True, slots=True)
class BaselineFit:
    """A baseline model fitted by one method, with its fit statistics, sufficiency and gates."""

    method: str
    resolution: str
    """``daily``, ``hourly`` or ``monthly``: the observations the model was fitted on."""
    model: Model
    period: Period
    n: int
    """Observations used in the fit."""
    n_parameters: int
    cvrmse: float
    nmbe: float
    r_squared: float
    autocorrelation: float
    """Lag-1 autocorrelation of the residuals ρ [-]."""
    sufficiency: Sufficiency
    gates: tuple[Gate, ...]
    flags: tuple[str, ...]
    degree_days: str
    series: SeriesPoints
    """Observed and fitted consumption per day (month for monthly models) in the baseline."""

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON; NaN as ``null``)."""
        return {
            "method": self.method,
            "resolution": self.resolution,
            "model": self.model.to_dict(),
            "period": self.period.to_dict(),
            "n": self.n,
            "n_parameters": self.n_parameters,
            "cvrmse": _num(self.cvrmse),
            "nmbe": _num(self.nmbe),
            "r_squared": _num(self.r_squared),
            "autocorrelation": _num(self.autocorrelation),
            "sufficiency": self.sufficiency.to_dict(),
            "gates": [g.to_dict() for g in self.gates],
            "flags": list(self.flags),
            "degree_days": self.degree_days,
            "series": self.series.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BaselineFit:
        """Inverse of :meth:`to_dict`."""
        return cls(
            data["method"],
            data["resolution"],
            model_from_dict(data["model"]),
            Period.from_dict(data["period"]),
            data["n"],
            data["n_parameters"],
            _float(data["cvrmse"]),
            _float(data["nmbe"]),
            _float(data["r_squared"]),
            _float(data["autocorrelation"]),
            Sufficiency.from_dict(data["sufficiency"]),
            tuple(Gate.from_dict(g) for g in data["gates"]),
            tuple(data["flags"]),
            data["degree_days"],
            SeriesPoints.from_dict(data["series"]),
        )

    @property
    def gates_passed(self) -> bool:
        """Whether every Guideline 14 gate evaluated on the baseline passes."""
        return bool(self.gates) and all(g.passed for g in self.gates)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A non-routine event: a window of the reporting period left out of the savings, with its reason."""

    start: datetime
    end: datetime
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise MvInputError("an excluded non-routine event needs a reason")
        Period(self.start, self.end)

    def to_dict(self) -> dict[str, str]:
        """Plain dictionary (JSON)."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Exclusion:
        """Inverse of :meth:`to_dict`."""
        return cls(datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]), data["reason"])


@dataclass(frozen=True, slots=True)
class SavingsResult:
    """Avoided energy use over a reporting period: adjusted baseline − observed, with its uncertainty."""

    fit: BaselineFit
    period: Period
    m: int
    """Reporting observations counted (periods with observed data and a prediction, not excluded)."""
    reporting_months: float
    observed_kwh: float
    predicted_kwh: float
    """Adjusted baseline over the counted observations."""
    savings_kwh: float
    savings_fraction: float
    """Savings over the adjusted baseline [-]."""
    fsu: float
    """Fractional savings uncertainty, ASHRAE Guideline 14 (K = 1.26) [-]."""
    fsu_caltrack: float
    """Fractional savings uncertainty with the CalTRACK polynomial in place of 1.26 [-]."""
    confidence: float
    exclusions: tuple[Exclusion, ...]
    excluded_observations: int
    missing_observations: int
    """Reporting periods without observed data or temperature (not counted)."""
    flags: tuple[str, ...]
    series: SeriesPoints
    """Observed and adjusted-baseline consumption per day (month for monthly models)."""

    @property
    def savings_uncertainty_kwh(self) -> float:
        """ΔU = FSU · U [kWh] at :attr:`confidence`."""
        return abs(self.fsu * self.savings_kwh)

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON; NaN and infinities as ``null``)."""
        return {
            "fit": self.fit.to_dict(),
            "period": self.period.to_dict(),
            "m": self.m,
            "reporting_months": self.reporting_months,
            "observed_kwh": self.observed_kwh,
            "predicted_kwh": self.predicted_kwh,
            "savings_kwh": self.savings_kwh,
            "savings_fraction": _num(self.savings_fraction),
            "fsu": _num(self.fsu),
            "fsu_caltrack": _num(self.fsu_caltrack),
            "confidence": self.confidence,
            "exclusions": [e.to_dict() for e in self.exclusions],
            "excluded_observations": self.excluded_observations,
            "missing_observations": self.missing_observations,
            "flags": list(self.flags),
            "series": self.series.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavingsResult:
        """Inverse of :meth:`to_dict`."""
        return cls(
            BaselineFit.from_dict(data["fit"]),
            Period.from_dict(data["period"]),
            data["m"],
            data["reporting_months"],
            data["observed_kwh"],
            data["predicted_kwh"],
            data["savings_kwh"],
            _float(data["savings_fraction"]),
            _float(data["fsu"]),
            _float(data["fsu_caltrack"]),
            data["confidence"],
            tuple(Exclusion.from_dict(e) for e in data["exclusions"]),
            data["excluded_observations"],
            data["missing_observations"],
            tuple(data["flags"]),
            SeriesPoints.from_dict(data["series"]),
        )
