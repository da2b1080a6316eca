"""Fitted model parameters of each published method, as frozen dataclasses with ``to_dict``/``from_dict``.

Units: consumption in the meter's unit (kWh in the CLI) per day for daily models, per hour for hourly
models; temperatures and balance points in °C; degree-day coefficients per K·d.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DailyModel:
    """CalTRACK 2.0 daily model UPD = μ + β_H·HDD(T_bh) + β_C·CDD(T_bc).

    ``model_type`` is ``intercept_only``, ``hdd_only``, ``cdd_only`` or ``hdd_cdd``; unused terms are
    ``None``.
    """

    model_type: str
    intercept_kwh_per_day: float
    beta_hdd_kwh_per_kd: float | None
    beta_cdd_kwh_per_kd: float | None
    heating_balance_c: float | None
    cooling_balance_c: float | None
    adj_r_squared: float
    candidates_qualified: int
    degree_days: str
    kind: str = "caltrack_daily"

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DailyModel:
        """Inverse of :meth:`to_dict`."""
        return cls(**data)


@dataclass(frozen=True, slots=True)
class ChangePointModel:
    """ASHRAE Guideline 14 change-point model of consumption per day against mean temperature.

    ``shape`` is ``3p_heating`` (y = β₀ + β_H·(T_h − T)⁺), ``3p_cooling`` (y = β₀ + β_C·(T − T_c)⁺),
    ``4p`` (y = β₀ + β_H·(T_h − T)⁺ + β_C·(T − T_h)⁺, one change point) or ``5p``
    (y = β₀ + β_H·(T_h − T)⁺ + β_C·(T − T_c)⁺, T_h ≤ T_c). For a ``4p`` model ``cooling_change_c`` equals
    ``heating_change_c``.
    """

    shape: str
    resolution: str
    """``daily`` or ``monthly`` (monthly: mean usage per day and mean temperature of each month)."""
    intercept_kwh_per_day: float
    heating_slope_kwh_per_day_k: float | None
    cooling_slope_kwh_per_day_k: float | None
    heating_change_c: float | None
    cooling_change_c: float | None
    adj_r_squared: float
    kind: str = "change_point"

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangePointModel:
        """Inverse of :meth:`to_dict`."""
        return cls(**data)


@dataclass(frozen=True, slots=True)
class MonthModel:
    """One calendar month's TOWT regression (CalTRACK 2.0 hourly)."""

    month: int
    occupied: tuple[bool, ...]
    """168 flags, hour of week 0 = Monday 00:00."""
    bin_edges_c: tuple[float, ...]
    """Inner temperature-bin edges after merging sparse bins [°C]."""
    tow_kwh: tuple[float, ...]
    """168 time-of-week coefficients [kWh/h]."""
    occupied_slopes: tuple[float, ...]
    """One slope per temperature bin for occupied hours [kWh/(h·K)]."""
    unoccupied_slopes: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON)."""
        return {
            "month": self.month,
            "occupied": list(self.occupied),
            "bin_edges_c": list(self.bin_edges_c),
            "tow_kwh": list(self.tow_kwh),
            "occupied_slopes": list(self.occupied_slopes),
            "unoccupied_slopes": list(self.unoccupied_slopes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MonthModel:
        """Inverse of :meth:`to_dict`."""
        return cls(
            data["month"],
            tuple(data["occupied"]),
            tuple(data["bin_edges_c"]),
            tuple(data["tow_kwh"]),
            tuple(data["occupied_slopes"]),
            tuple(data["unoccupied_slopes"]),
        )


@dataclass(frozen=True, slots=True)
class HourlyModel:
    """CalTRACK 2.0 hourly TOWT: one :class:`MonthModel` per calendar month present in the baseline."""

    months: tuple[MonthModel, ...]
    neighbour_weight: float
    kind: str = "caltrack_hourly"

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON)."""
        return {
            "months": [m.to_dict() for m in self.months],
            "neighbour_weight": self.neighbour_weight,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HourlyModel:
        """Inverse of :meth:`to_dict`."""
        return cls(tuple(MonthModel.from_dict(m) for m in data["months"]), data["neighbour_weight"])


Model = DailyModel | ChangePointModel | HourlyModel


def model_from_dict(data: dict[str, Any]) -> Model:
    """A model from its dictionary, by its ``kind``."""
    kinds: dict[str, type[DailyModel] | type[ChangePointModel] | type[HourlyModel]] = {
        "caltrack_daily": DailyModel,
        "change_point": ChangePointModel,
        "caltrack_hourly": HourlyModel,
    }
    return kinds[data["kind"]].from_dict(data)
