"""Sub-areas of a district (pure): codes, the parent tree, and the check that parts do not exceed the whole.

A district's plan names sub-areas with their own inventories (e.g. 杨府发〔2022〕13号,
三(七)3: 推动…重点区域编制区域碳排放清单). A sub-area lies inside the district, and a
child sub-area inside its parent, so the parts of an area can never add up to more than the area itself.
When they do, the inventories overlap or one of them is wrong: :func:`sub_area_excesses` reports it as a
data-quality warning, it never "corrects" a number.
"""

from carbonpeak.core.areas.check import (
    AREA_CODE_PATTERN,
    QUANTITIES,
    SumExcess,
    area_code_problem,
    descendants,
    ordered_codes,
    parent_cycle,
    sub_area_excesses,
)

__all__ = [
    "AREA_CODE_PATTERN",
    "QUANTITIES",
    "SumExcess",
    "area_code_problem",
    "descendants",
    "ordered_codes",
    "parent_cycle",
    "sub_area_excesses",
]
