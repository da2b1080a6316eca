"""Sub-area codes, the parent tree, and the sum check (see the package docstring).

References
----------
.. [1] 杨府发〔2022〕13号, 三(七)3 (sub-area inventories of the key areas).
.. [2] WRI, C40, ICLEI. Global Protocol for Community-Scale Greenhouse Gas Inventories (GPC), v1.1, 2021,
   section 3.1 (an inventory boundary is a geographic area; sub-boundaries lie inside it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from carbonpeak.core.inventory.model import DISTRICT_AREA

AREA_CODE_PATTERN = r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$"
"""A sub-area code: a slug of lowercase letters, digits, ``_`` and ``-`` (e.g. ``changyang_valley``)."""

QUANTITIES: dict[str, str] = {"energy_tce": "tce", "co2_t": "tCO2", "floor_area_m2": "m2"}
"""The quantities the sum check compares, with their units."""

_RELATIVE_TOLERANCE = 1e-9
"""Sums within this relative margin of the whole are rounding, not an excess."""


def area_code_problem(code: str) -> str | None:
    """Why ``code`` cannot name a sub-area, or ``None``.

    It must be a slug (:data:`AREA_CODE_PATTERN`), at most 100 characters (the ``area`` column of activity
    rows), and not :data:`~carbonpeak.core.inventory.model.DISTRICT_AREA`, which names the whole district.
    """
    if not code:
        return "is missing"
    if len(code) > 100:
        return f"'{code[:20]}…' is longer than 100 characters"
    if not re.fullmatch(AREA_CODE_PATTERN, code):
        return f"'{code}' is not a code: use lowercase letters, digits, _ and - (e.g. changyang_valley)"
    if code == DISTRICT_AREA:
        return f"'{DISTRICT_AREA}' names the whole district in activity data, not a sub-area"
    return None


def parent_cycle(parents: Mapping[str, str | None]) -> list[str] | None:
    """The first cycle in a ``code -> parent`` mapping (``[a, b, a]``), or ``None`` when it is a forest."""
    for start in sorted(parents):
        seen = [start]
        node = parents.get(start)
        while node is not None:
            if node in seen:
                return [*seen[seen.index(node) :], node]
            seen.append(node)
            node = parents.get(node)
    return None


def descendants(code: str, parents: Mapping[str, str | None]) -> list[str]:
    """Every sub-area below ``code`` (children, their children, ...), sorted; ``parents`` has no cycle."""
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    out: list[str] = []
    stack = list(children.get(code, []))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children.get(node, []))
    return sorted(out)


@dataclass(frozen=True, slots=True)
class SumExcess:
    """The parts of an area add up to more than the area (a data-quality warning).

    Attributes
    ----------
    area : str
        The whole: ``district`` or a sub-area code.
    quantity : str
        ``energy_tce``, ``co2_t`` or ``floor_area_m2`` (:data:`QUANTITIES`).
    unit : str
    year : int or None [a]
        The inventory year; ``None`` for the building floor area (the registry has no year).
    whole : float [unit]
        The area's own value.
    parts_total : float [unit]
        Sum of the parts' values.
    parts : tuple of str
        The parts that have a value, sorted.
    excess : float [unit]
        ``parts_total - whole``, > 0.
    excess_pct : float or None [%]
        ``excess`` against ``whole``; ``None`` when ``whole`` is 0.
    """

    area: str
    quantity: str
    unit: str
    year: int | None
    whole: float
    parts_total: float
    parts: tuple[str, ...]
    excess: float
    excess_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {
            "area": self.area,
            "quantity": self.quantity,
            "unit": self.unit,
            "year": self.year,
            "whole": self.whole,
            "parts_total": self.parts_total,
            "parts": list(self.parts),
            "excess": self.excess,
            "excess_pct": self.excess_pct,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SumExcess:
        """Inverse of :meth:`to_dict`."""
        pct = data.get("excess_pct")
        year = data.get("year")
        return cls(
            str(data["area"]),
            str(data["quantity"]),
            str(data["unit"]),
            None if year is None else int(year),
            float(data["whole"]),
            float(data["parts_total"]),
            tuple(str(p) for p in data["parts"]),
            float(data["excess"]),
            None if pct is None else float(pct),
        )


def sub_area_excesses(
    *,
    area: str,
    quantity: str,
    whole: Mapping[int | None, float | None],
    parts: Mapping[str, Mapping[int | None, float | None]],
) -> tuple[SumExcess, ...]:
    """Years in which the parts of ``area`` add up to more than ``area`` itself.

    Parameters
    ----------
    area : str
        The whole (``district`` or a sub-area code).
    quantity : str
        A key of :data:`QUANTITIES`.
    whole : mapping
        ``year -> value`` [unit] of the whole; ``None`` as the year for a quantity without years.
    parts : mapping
        ``part code -> (year -> value)`` [unit] of its direct parts (children only: a grandchild lies inside
        its parent, and adding both would count it twice).

    Returns
    -------
    tuple of SumExcess
        One per year where the whole and at least one part have a value and the parts' sum exceeds the whole
        by more than rounding (relative 1e-9), in year order. A year the whole has no value for is not
        checked (nothing to compare with); unknown values (``None``) are left out of the sum.

    Raises
    ------
    ValueError
        Unknown quantity, or a non-finite value.

    References
    ----------
    .. [1] GPC v1.1, section 3.1 (sub-boundaries lie inside the inventory boundary).
    """
    if quantity not in QUANTITIES:
        raise ValueError(f"unknown quantity '{quantity}'; choose one of: {', '.join(QUANTITIES)}")
    out: list[SumExcess] = []
    years = sorted(whole, key=lambda y: -1 if y is None else y)
    for year in years:
        total_whole = whole[year]
        if total_whole is None:
            continue
        _finite(total_whole, area, year)
        found: list[str] = []
        total = 0.0
        for code in sorted(parts):
            value = parts[code].get(year)
            if value is None:
                continue
            _finite(value, code, year)
            found.append(code)
            total += value
        if not found:
            continue
        excess = total - total_whole
        if excess > _RELATIVE_TOLERANCE * max(abs(total_whole), abs(total)):
            out.append(
                SumExcess(
                    area,
                    quantity,
                    QUANTITIES[quantity],
                    year,
                    float(total_whole),
                    float(total),
                    tuple(found),
                    float(excess),
                    100.0 * excess / total_whole if total_whole else None,
                )
            )
    return tuple(out)


def _finite(value: float, code: str, year: int | None) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{code} {year if year is not None else ''}: {value} is not a finite number")


def ordered_codes(codes: Sequence[str], parents: Mapping[str, str | None]) -> list[str]:
    """Codes with each parent before its children (depth first, siblings sorted)."""
    children: dict[str | None, list[str]] = {}
    for code in codes:
        parent = parents.get(code)
        children.setdefault(parent if parent in codes else None, []).append(code)
    out: list[str] = []

    def walk(node: str | None) -> None:
        for child in sorted(children.get(node, [])):
            out.append(child)
            walk(child)

    walk(None)
    return out
