"""Does a target's quote state its value and unit? A check for every plan file, not only the reference one.

A quantitative target's ``value`` and ``unit`` must be what its ``quote`` (the plan's own sentence) says:
``value: 15000, unit: kW`` against 1.5万千瓦, ``value: 2.9, unit: 万kW`` against 2.9万千瓦, ``value: 12,
unit: %`` against 下降12%. Numbers are read with their 万/亿 multipliers and the Chinese unit that follows,
and compared after converting into the target's unit; a number with no unit must equal the value (PUE
1.3). A ``full_coverage`` target is 100 % by definition (every item in scope complies: 全覆盖, 全部, 所有,
应达到…): its quote may state no share, but a share it states must be 100 %.
"""

from __future__ import annotations

import re

from carbonpeak.core.errors import UnitError
from carbonpeak.core.plan.model import Comparator, Target
from carbonpeak.core.units import convert

CHINESE_UNITS = {
    "千瓦": "kW",
    "兆瓦": "MW",
    "平方米": "m2",
    "公顷": "ha",
    "公里": "km",
    "千米": "km",
    "米": "m",
    "个": "个",
    "种": "种",
    "%": "%",
    "％": "%",
    "吨": "t",
    "吨标准煤": "tce",
    "万千瓦时": "万kWh",
}
"""Units as plans write them → the unit registry's names."""

MULTIPLIERS = {"万": 1e4, "亿": 1e8}
CHINESE_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}

_UNIT_WORDS = "|".join(sorted(map(re.escape, CHINESE_UNITS), key=len, reverse=True))
_NUMBER = re.compile(rf"(\d+(?:\.\d+)?|[一二两三四五六七八九十])\s*([万亿]?)\s*({_UNIT_WORDS})?")


def stated_quantities(quote: str) -> list[tuple[float, str | None]]:
    """Every number in ``quote`` with its multiplier applied, and the unit that follows it (or ``None``)."""
    out = []
    for digits, multiplier, word in _NUMBER.findall(quote):
        if digits in CHINESE_DIGITS and not word:
            continue  # a lone 一 or 十 in running text is not a quantity
        number = float(CHINESE_DIGITS.get(digits, 0) or digits) if digits in CHINESE_DIGITS else float(digits)
        out.append((number * MULTIPLIERS.get(multiplier, 1.0), CHINESE_UNITS.get(word) if word else None))
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def quote_states_value(target: Target) -> bool:
    """Whether the target's quote states its value in its unit (see the module docstring)."""
    if target.value is None or target.comparator is Comparator.QUALITATIVE:
        return True
    if target.comparator is Comparator.FULL_COVERAGE and _same(target.value, 100.0):
        # every item in scope must comply: 100 % is the comparator's own value, unless a share is stated
        shares = [n for n, unit in stated_quantities(target.quote) if unit == "%"]
        return not shares or any(_same(n, 100.0) for n in shares)
    for number, unit in stated_quantities(target.quote):
        if unit is None or not target.unit or target.unit == "dimensionless":
            if _same(number, target.value):
                return True
            continue
        try:
            if _same(convert(number, unit, target.unit), target.value):
                return True
        except (UnitError, ValueError):
            if _same(number, target.value):  # e.g. 4.0平方米 for a per-person m2/人 target
                return True
    return False
