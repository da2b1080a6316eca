"""Synthetic buildings for the M&V tests: known models plus noise, on Shanghai-like temperatures."""

from __future__ import annotations

import numpy as np
import pandas as pd

TZ = "Asia/Shanghai"


def temperatures(start: str = "2023-01-01", days: int = 732, seed: int = 1) -> pd.Series:
    """Hourly temperatures [°C]: seasonal cycle 4-30 °C, daily swing ±4 °C, weather noise."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range(start, periods=days * 24, freq="h", tz=TZ)
    doy = hours.day_of_year.to_numpy()
    seasonal = 17.0 - 13.0 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    daily = 4.0 * np.sin(2 * np.pi * (hours.hour.to_numpy() - 9) / 24)
    weather = np.repeat(rng.normal(0, 2.5, days), 24)
    return pd.Series(seasonal + daily + weather, index=hours)


def daily_usage(
    temps: pd.Series,
    *,
    base: float = 800.0,
    heat: float = 25.0,
    cool: float = 40.0,
    t_heat: float = 14.0,
    t_cool: float = 22.0,
    noise: float = 20.0,
    seed: int = 2,
    savings_from: str | None = None,
    savings_fraction: float = 0.0,
) -> pd.Series:
    """Daily consumption [kWh/d] of a 5P building on the daily mean temperature, with optional savings."""
    rng = np.random.default_rng(seed)
    mean = temps.groupby(temps.index.normalize()).mean()
    t = mean.to_numpy()
    y = base + heat * np.clip(t_heat - t, 0, None) + cool * np.clip(t - t_cool, 0, None)
    y = y + rng.normal(0, noise, len(y))
    out = pd.Series(y, index=mean.index)
    if savings_from is not None:
        out[out.index >= pd.Timestamp(savings_from, tz=TZ)] *= 1.0 - savings_fraction
    return out
