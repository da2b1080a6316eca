"""Streets as responsible units: map each reported street to the plan's street office.

A street record names its street as the statistics do (``五角场街道``, ``五角场``, ``Wujiaochang``). It is
matched to a responsible unit of kind ``street_office`` of the current plan by the unit's Chinese name,
English name or id, with or without the 街道 / "Subdistrict Office" / ``_street_office`` ending. A street
with no office of its own in the plan belongs to the plan's collective street unit (各街道), if it has one.

References
----------
.. [1] docs/plan-format.md, "units": kinds and the ``collective`` flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from carbonpeak.core.plan.model import Plan, ResponsibleUnit

STREET_OFFICE = "street_office"


def _keys(unit: ResponsibleUnit) -> set[str]:
    names = {unit.name_zh, unit.name_en, unit.id}
    names |= {
        unit.name_zh.removesuffix("街道办事处").removesuffix("街道"),
        unit.id.removesuffix("_street_office"),
    }
    names |= {unit.name_en.removesuffix(" Subdistrict Office").removesuffix(" Street Office")}
    return {_normal(n) for n in names if n}


def _normal(name: str) -> str:
    return "".join(name.split()).lower().replace("_", "").replace("-", "")


@dataclass(frozen=True, slots=True)
class StreetUnit:
    """The responsible unit of one street: its own office (``matched``) or the collective, or none."""

    street: str
    unit_code: str | None
    unit_name_zh: str
    unit_name_en: str
    matched: bool


def street_units(streets: Iterable[str], units: Sequence[ResponsibleUnit]) -> dict[str, StreetUnit]:
    """Map each street to its street office, else to the collective street unit, else to no unit.

    Parameters
    ----------
    streets : iterable of str
        Street names as reported.
    units : sequence of ResponsibleUnit
        The plan's responsible units.
    """
    offices = [u for u in units if u.kind == STREET_OFFICE and not u.collective]
    collective = next((u for u in units if u.kind == STREET_OFFICE and u.collective), None)
    out = {}
    for street in streets:
        key = _normal(street)
        key_short = _normal(street.removesuffix("街道"))
        unit = next((u for u in offices if key in _keys(u) or key_short in _keys(u)), None)
        if unit is not None:
            out[street] = StreetUnit(street, unit.id, unit.name_zh, unit.name_en, True)
        elif collective is not None:
            out[street] = StreetUnit(street, collective.id, collective.name_zh, collective.name_en, False)
        else:
            out[street] = StreetUnit(street, None, "", "", False)
    return out


def district_units(plan: Plan, indicators: Iterable[str]) -> tuple[str, ...]:
    """Units responsible for the indicators' targets that are not street offices (they see every street).

    E.g. 区绿化市容局 for the waste targets of 三(五)2.
    """
    wanted = set(indicators)
    kinds = {u.id: u for u in plan.units}
    found: dict[str, None] = {}
    for _, task in plan.all_tasks():
        if any(t.indicator in wanted for t in task.targets):
            for code in task.units:
                unit = kinds.get(code)
                if unit is not None and unit.kind != STREET_OFFICE:
                    found.setdefault(code, None)
    return tuple(found)


def visible_streets(
    mapping: dict[str, StreetUnit], *, everything: bool, units: Iterable[str]
) -> tuple[str, ...]:
    """The streets a user may see: all (``everything``), else those whose unit is one of the user's."""
    if everything:
        return tuple(sorted(mapping))
    own = set(units)
    return tuple(sorted(s for s, u in mapping.items() if u.unit_code is not None and u.unit_code in own))
