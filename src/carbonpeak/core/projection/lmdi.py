"""LMDI-I additive decomposition of a change in CO2 between two years (Kaya-type identities).

For an aggregate ``C = sum_j prod_k x[k, j]`` the additive LMDI-I effect of factor ``k`` is::

    dC_k = sum_j L(C_j^T, C_j^0) x ln(x[k, j]^T / x[k, j]^0),   L(a, b) = (a - b) / ln(a / b),  L(a, a) = a

and ``sum_k dC_k = C^T - C^0`` exactly: the decomposition has no residual. Zero values take the analytical
limits (Ang & Liu 2007, replacing a zero by ``delta -> 0``): a cell that appears (``C_j^0 = 0``) gives its
whole ``C_j^T`` to the factor(s) that were zero, in equal parts when several were; a cell that disappears
gives ``-C_j^0`` to the factor(s) that became zero; a cell zero in both years gives nothing. Negative values
(removals) work as long as a cell keeps its sign; a cell whose sign flips gives its change to the factor(s)
that flipped sign, in equal parts (a convention: the logarithmic mean is undefined there).

:func:`decompose` applies it to a projection with four factors per cell (segment ``g``, carrier ``c``)::

    C = activity (driver) x intensity (E_g / driver) x mix (E_gc / E_g) x emission_factor (C_gc / E_gc)

and, for direct emissions (``co2e``), ``activity x (C / activity)``. :func:`kaya` decomposes the district
total with the Kaya identity ``CO2 = population x GDP/population x energy/GDP x CO2/energy``.

References
----------
.. [1] Ang, B. W. (2004). Decomposition analysis for policymaking in energy: which is the preferred method?
   Energy Policy 32(9), 1131-1139, doi:10.1016/j.enpol.2003.10.010.
.. [2] Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide. Energy Policy
   33(7), 867-871, doi:10.1016/j.enpol.2004.03.004.
.. [3] Ang, B. W., Liu, N. (2007). Handling zero values in the logarithmic mean Divisia index decomposition
   approach. Energy Policy 35(1), 238-246, doi:10.1016/j.enpol.2005.11.001.
.. [4] Kaya, Y. (1990). Impact of carbon dioxide emission control on GNP growth. IPCC Response Strategies
   Working Group, Paris.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from carbonpeak.core.projection.model import FloatArray, ProjectionError, carries_energy
from carbonpeak.core.projection.scenario import Projection

FACTORS: tuple[str, ...] = ("activity", "intensity", "mix", "emission_factor")
"""Factors of :func:`decompose`, in order."""

KAYA_FACTORS: tuple[str, ...] = ("population", "gdp_per_capita", "energy_intensity", "carbon_intensity")
"""Factors of :func:`kaya`, in order."""


def logarithmic_mean(a: npt.ArrayLike, b: npt.ArrayLike) -> FloatArray:
    """Logarithmic mean ``(a - b) / ln(a / b)``, ``a`` where ``a == b``; ``a`` and ``b`` of the same sign.

    Computed as ``(a - b) / log1p((a - b) / b)`` so that it stays accurate when ``a`` is close to ``b``.

    References
    ----------
    .. [1] Ang, B. W. (2005). Energy Policy 33(7), 867-871, doi:10.1016/j.enpol.2004.03.004, eq. (4).
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if np.any(x * y <= 0):
        raise ProjectionError("the logarithmic mean needs two non-zero values of the same sign")
    d = x - y
    same = d == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(same, x, d / np.log1p(np.where(same, 0.0, d / y)))
    return np.asarray(out, dtype=np.float64)


def lmdi_additive(
    before: Mapping[str, npt.ArrayLike], after: Mapping[str, npt.ArrayLike]
) -> dict[str, FloatArray]:
    """LMDI-I additive effects of each factor, per cell (see the module docstring).

    Parameters
    ----------
    before, after : mapping of str to array_like
        Factor name to its values by cell in the first and last year; the cell's value is the product of
        its factors [aggregate unit, e.g. tCO2].

    Returns
    -------
    dict of str to ndarray
        Effect of each factor by cell [aggregate unit]; summed over factors, ``C^T - C^0`` for each cell.

    References
    ----------
    .. [1] Ang, B. W. (2004). Energy Policy 32(9), 1131-1139, doi:10.1016/j.enpol.2003.10.010.
    .. [2] Ang, B. W., Liu, N. (2007). Energy Policy 35(1), 238-246, doi:10.1016/j.enpol.2005.11.001.
    """
    names = list(before)
    if set(names) != set(after) or not names:
        raise ProjectionError("both years need the same, non-empty set of factors")
    x0 = np.atleast_2d(np.stack([np.asarray(before[n], dtype=np.float64) for n in names]))
    x1 = np.atleast_2d(np.stack([np.asarray(after[n], dtype=np.float64) for n in names]))
    if x0.shape != x1.shape:
        raise ProjectionError("factors must have the same shape in both years")
    if not (np.isfinite(x0).all() and np.isfinite(x1).all()):
        raise ProjectionError("factors must be finite")
    c0 = np.prod(x0, axis=0)
    c1 = np.prod(x1, axis=0)
    effects = np.zeros(x0.shape)

    both = (c0 != 0) & (c1 != 0) & np.all(x0 * x1 > 0, axis=0)
    if both.any():
        weight = logarithmic_mean(c1[both], c0[both])
        ratio = np.log1p((x1[:, both] - x0[:, both]) / x0[:, both])
        effects[:, both] = weight * ratio

    def spread(mask: npt.NDArray[np.bool_], where: npt.NDArray[np.bool_], total: FloatArray) -> None:
        if mask.any():
            chosen = where[:, mask]
            effects[:, mask] = chosen * (total[mask] / chosen.sum(axis=0))

    appears = (c0 == 0) & (c1 != 0)
    spread(appears, x0 == 0, c1)
    vanishes = (c0 != 0) & (c1 == 0)
    spread(vanishes, x1 == 0, -c0)
    flips = (c0 != 0) & (c1 != 0) & ~both
    spread(flips, x0 * x1 < 0, c1 - c0)
    return {name: effects[i] for i, name in enumerate(names)}


@dataclass(frozen=True)
class Decomposition:
    """LMDI decomposition of the change in CO2 between two years.

    Attributes
    ----------
    year_from, year_to : int [a]
    total_change_t : float [tCO2]
        ``C(year_to) - C(year_from)``.
    effects : dict of str to float [tCO2]
        By factor; they sum to ``total_change_t``.
    by_sector : dict of str to dict of str to float [tCO2]
        Sector to factor to effect.
    """

    year_from: int
    year_to: int
    total_change_t: float
    effects: dict[str, float]
    by_sector: dict[str, dict[str, float]]


def _factors(p: Projection, t: int, other: int) -> dict[str, FloatArray]:
    activity = p.activity[:, t]
    energy = p.energy_tce[:, t]
    co2 = p.co2_t[:, t]
    is_energy = np.array([carries_energy(c) for _, c in p.cells], dtype=bool)
    segments = [seg for seg, _ in p.cells]
    seg_energy = np.array([energy[[i for i, s in enumerate(segments) if s == seg]].sum() for seg in segments])
    seg_energy_other = np.array(
        [p.energy_tce[[i for i, s in enumerate(segments) if s == seg], other].sum() for seg in segments]
    )
    quantity = np.where(is_energy, energy, co2)
    if np.any((activity == 0) & (quantity != 0)):
        raise ProjectionError("cannot decompose: a cell has a quantity while its driver is zero")
    safe_activity = np.where(activity != 0, activity, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mix_other = np.where(seg_energy_other != 0, p.energy_tce[:, other] / seg_energy_other, 0.0)
        mix = np.where(seg_energy != 0, energy / np.where(seg_energy != 0, seg_energy, 1.0), mix_other)
    return {
        "activity": activity,
        "intensity": np.where(is_energy, seg_energy, quantity) / safe_activity,
        "mix": np.where(is_energy, mix, 1.0),
        "emission_factor": np.where(is_energy, p.emission_factor[:, t], 1.0),
    }


def decompose(projection: Projection, year_from: int, year_to: int) -> Decomposition:
    """Decompose the change in district CO2 between two years into activity, intensity, mix and factor.

    Parameters
    ----------
    projection : Projection
        A deterministic projection (history and projection years alike).
    year_from, year_to : int [a]
        Any two of its years.

    Returns
    -------
    Decomposition
        Effects [tCO2] that sum to the total change with no residual (to floating-point rounding).

    References
    ----------
    .. [1] Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide. Energy Policy
       33(7), 867-871, doi:10.1016/j.enpol.2004.03.004 (LMDI-I additive, sector x fuel form).
    """
    t0, t1 = projection.year(year_from), projection.year(year_to)
    effects = lmdi_additive(_factors(projection, t0, t1), _factors(projection, t1, t0))
    by_sector: dict[str, dict[str, float]] = {}
    for j, sector in enumerate(projection.sectors):
        row = by_sector.setdefault(sector, dict.fromkeys(FACTORS, 0.0))
        for name in FACTORS:
            row[name] += float(effects[name][j])
    total = float(projection.co2_t[:, t1].sum() - projection.co2_t[:, t0].sum())
    return Decomposition(
        year_from, year_to, total, {name: float(effects[name].sum()) for name in FACTORS}, by_sector
    )


@dataclass(frozen=True, slots=True)
class KayaPoint:
    """One year of the Kaya identity.

    Parameters
    ----------
    population : float [persons]
    gdp_10k_yuan : float [10^4 yuan, comparable prices]
    energy_tce : float [tce]
    co2_t : float [tCO2]
    """

    population: float
    gdp_10k_yuan: float
    energy_tce: float
    co2_t: float

    def factors(self) -> dict[str, float]:
        """Population [persons], GDP per capita [10^4 yuan], energy intensity [tce/10^4 yuan], carbon
        intensity of energy [tCO2/tce]."""
        if self.population <= 0 or self.gdp_10k_yuan <= 0 or self.energy_tce <= 0:
            raise ProjectionError("Kaya factors need positive population, GDP and energy")
        return {
            "population": self.population,
            "gdp_per_capita": self.gdp_10k_yuan / self.population,
            "energy_intensity": self.energy_tce / self.gdp_10k_yuan,
            "carbon_intensity": self.co2_t / self.energy_tce,
        }


def kaya(before: KayaPoint, after: KayaPoint) -> dict[str, float]:
    """Kaya-identity LMDI-I effects [tCO2]; they sum to ``after.co2_t - before.co2_t``.

    References
    ----------
    .. [1] Kaya, Y. (1990), IPCC Response Strategies Working Group.
    .. [2] Ang, B. W. (2005). Energy Policy 33(7), 867-871, doi:10.1016/j.enpol.2004.03.004.
    """
    b, a = before.factors(), after.factors()
    effects = lmdi_additive({k: [v] for k, v in b.items()}, {k: [v] for k, v in a.items()})
    return {name: float(effects[name][0]) for name in KAYA_FACTORS}
