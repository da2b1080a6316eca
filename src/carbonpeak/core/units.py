"""One unit registry for the whole platform, including Chinese statistical units.

The registry extends pint's defaults with:

* ``tce`` / ``kgce`` / ``gce`` / ``万tce`` (standard coal equivalent; coal rates are quoted in gce/kWh).
  GB/T 2589-2020 defines 1 kgce = 29 307 kJ, so ``tce`` is an energy unit and converts to ``GJ`` or
  ``kWh`` physically. The equal-value (等价值) basis is *not* a unit conversion: it needs a year's coal
  coefficient from the reference data.
* ``万kWh`` (10^4 kWh), ``亿kWh`` (10^8 kWh), ``万Nm3`` (10^4 normal cubic metres). ``Nm3`` is a volume
  at the reference state, so it converts with ``m3`` one to one; statistics report gas in 标准立方米.
* Money: ``元`` (yuan, alias ``CNY``), ``万元`` (10^4 yuan), ``亿元`` (10^8 yuan), in a dimension of its own.
* Carbon and CO2 as separate dimensions (``tC`` and ``tCO2``), so a carbon content can never be
  added to an emission by mistake; :data:`CO2_PER_CARBON` is the explicit 44/12 conversion.
  ``tCO2e`` is accepted as an alias of ``tCO2`` because the factors shipped today are CO2 only.

References
----------
.. [1] GB/T 2589-2020 综合能耗计算通则 (General rules for calculation of the comprehensive energy
   consumption), clause 3 and appendix A: 1 kgce = 29 307 kJ.
.. [2] IPCC 2006 Guidelines, Vol. 2, ch. 1, eq. 1.1: CO2 = fuel x NCV x carbon content x oxidation x 44/12.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pint

from carbonpeak.core.errors import UnitError

_DEFINITIONS = """
kgce = 29307 * kilojoule
tce = 1000 * kgce
gce = 0.001 * kgce
wan_tce = 10000 * tce = 万tce
wan_kWh = 10000 * kilowatt_hour = 万kWh
yi_kWh = 100000000 * kilowatt_hour = 亿kWh
square_metre = meter ** 2 = m2
cubic_metre = meter ** 3 = m3
normal_cubic_meter = meter ** 3 = Nm3
wan_Nm3 = 10000 * normal_cubic_meter = 万Nm3
wan_m3 = 10000 * meter ** 3 = 万m3
yi_Nm3 = 100000000 * normal_cubic_meter = 亿Nm3
yuan = [currency] = 元 = CNY
wan_yuan = 10000 * yuan = 万元
yi_yuan = 100000000 * yuan = 亿元
gram_co2 = [co2_mass] = gCO2 = gCO2e
kgCO2 = 1000 * gram_co2 = kgCO2e
tCO2 = 1000000 * gram_co2 = tCO2e
wan_tCO2 = 10000 * tCO2 = 万tCO2
gram_carbon = [carbon_mass] = gC
kgC = 1000 * gram_carbon
tC = 1000000 * gram_carbon
wan_t = 10000 * tonne = 万t
wan_kW = 10000 * kilowatt = 万kW
wan_m2 = 10000 * meter ** 2 = 万m2
piece = count = 个
variety = count = 种
person = count = 人
"""

_SUPERSCRIPTS = str.maketrans({"²": "**2", "³": "**3", "·": "*", "×": "*"})
_METRE_POWERS = re.compile(r"m([²³])")
_POWER_OF_TEN = re.compile(r"10\s*(?:\^|\*\*)\s*([48])\s*")
_POWER_NAMES = {"4": "万", "8": "亿"}


def _preprocess(text: str) -> str:
    """Normalise the unit spellings found in Chinese statistics before pint parses them.

    ``m³`` becomes ``m3`` (so ``万Nm³`` is ``万Nm3``). ``10^4 kWh`` becomes the named unit ``万kWh``
    and ``10^8 kWh`` becomes ``亿kWh``: pint units cannot carry a bare scaling factor, and
    ``tCO2/10^4 kWh`` would otherwise parse as ``tCO2/10^4*kWh``. Only units the registry defines with
    万/亿 are accepted this way.
    """
    text = _METRE_POWERS.sub(lambda match: "m" + ("2" if match.group(1) == "²" else "3"), text.strip())
    text = text.translate(_SUPERSCRIPTS)
    return _POWER_OF_TEN.sub(lambda match: _POWER_NAMES[match.group(1)], text)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:  # type: ignore[type-arg]
    """Return the platform's single unit registry (built once, then cached)."""
    ureg: pint.UnitRegistry = pint.UnitRegistry(  # type: ignore[type-arg]
        preprocessors=[_preprocess], autoconvert_offset_to_baseunit=True
    )
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


CO2_PER_CARBON: float = 44.0 / 12.0
"""Mass ratio of CO2 to carbon [tCO2/tC], IPCC 2006 Vol. 2 eq. 1.1."""


_DIMENSION_NAMES = {
    "[mass] * [length] ** 2 / [time] ** 2": "energy",
    "[mass]": "mass",
    "[length] ** 3": "volume",
    "[length] ** 2": "area",
    "[currency]": "money",
    "[co2_mass]": "CO2 mass",
    "[carbon_mass]": "carbon mass",
    "dimensionless": "dimensionless",
}


def _describe(unit: Any) -> str:
    dims = str(unit.dimensionality)
    return _DIMENSION_NAMES.get(dims, dims)


def parse_unit(text: str) -> Any:
    """Parse a unit string into a pint unit.

    Parameters
    ----------
    text : str
        A unit as it appears in a data file, e.g. ``"万kWh"``, ``"tCO2/MWh"``, ``"kgce/m3"``.

    Returns
    -------
    pint.Unit
        The parsed unit.

    Raises
    ------
    UnitError
        If the text is empty or names a unit the registry does not know.
    """
    if not text or not text.strip():
        raise UnitError("unit is empty")
    try:
        return registry().parse_units(text)
    except Exception as exc:  # pint raises many types (even AssertionError) on malformed text
        raise UnitError(f"'{text}' is not a known unit") from exc


def quantity(value: float, unit: str) -> Any:
    """Build a quantity from a magnitude and a unit string.

    Parameters
    ----------
    value : float
        Magnitude, in ``unit``.
    unit : str
        Unit string, parsed with :func:`parse_unit`.

    Returns
    -------
    pint.Quantity
        ``value`` in ``unit``.
    """
    return registry().Quantity(value, parse_unit(unit))


def dimension_name(unit: str) -> str:
    """Return a readable name of the dimension ``unit`` measures, e.g. ``"energy"`` for ``万kWh``."""
    return _describe(parse_unit(unit))


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a magnitude between two units of the same dimension.

    Parameters
    ----------
    value : float
        Magnitude in ``from_unit``.
    from_unit : str
        Unit of ``value``.
    to_unit : str
        Target unit.

    Returns
    -------
    float
        The magnitude in ``to_unit``.

    Raises
    ------
    UnitError
        If either unit is unknown, or if the two units measure different dimensions (e.g. ``kWh`` to ``t``).

    Examples
    --------
    >>> convert(1.0, "万kWh", "MWh")
    10.0
    >>> round(convert(1.0, "tce", "GJ"), 3)
    29.307
    """
    source = parse_unit(from_unit)
    target = parse_unit(to_unit)
    if source.dimensionality != target.dimensionality:
        raise UnitError(
            f"cannot convert {from_unit} ({_describe(source)}) to {to_unit} ({_describe(target)}): "
            "the dimensions differ"
        )
    return float(registry().Quantity(value, source).to(target).magnitude)


def is_convertible(from_unit: str, to_unit: str) -> bool:
    """Return whether ``from_unit`` converts to ``to_unit`` (both must parse)."""
    return bool(parse_unit(from_unit).dimensionality == parse_unit(to_unit).dimensionality)
