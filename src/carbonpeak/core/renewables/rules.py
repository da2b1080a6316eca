"""A plan's rooftop-PV and EV-charging rules, computed over plain registry rows.

Every function is pure: it takes dataclasses built from the registries and the rule's parameters (uses,
years, periods and thresholds, which come from the district's plan file, never from code) and returns the
indicator value and, where the plan states a per-building rule, each building's or site's compliance. The
rules as the reference district's plan states them, with their clauses
(``src/carbonpeak/data/plans/yangpu-2022.yaml``, text in ``yangpu-2022.zh.txt``):

* 三(一)1 "大力推进建筑光伏发展": from 2022 new government, school and industrial-plant buildings put PV on
  at least 50 % of the roof area, other new public buildings on at least 30 % (targets
  ``pv_roof_area_share_new_gov_school_factory``, ``pv_roof_area_share_new_other_public``); PV covers 50 %
  of public-institution and industrial-plant roofs by 2025 (``pv_roof_coverage_2025``); new PV capacity in
  the 14th five-year plan (``pv_capacity_added_14th``).
* 三(四)3 "建设绿色基础交通设施": new public and dedicated chargers in 2021-2025
  (``public_dedicated_chargers_14th``); new offices and public facilities equip at least 15 % of parking
  spaces with chargers, at least 30 % of them fast (``charger_space_share_new_offices``,
  ``fast_charger_share_new_offices``); every new parking lot has chargers (``chargers_new_parking_lots``);
  at least 2 taxi demonstration stations (``taxi_demo_stations_14th``); every new residential community
  reserves the conditions to install chargers (新建小区100%预留充电设施建设安装条件,
  ``charging_ready_new_residential``).

References
----------
.. [1] The reference district's plan, 杨府发〔2022〕13号, 三(一)1 大力推进建筑光伏发展 and
   三(四)3 建设绿色基础交通设施; see ``src/carbonpeak/data/plans/yangpu-2022.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

MODULE_DENSITY_KWP_PER_M2 = 0.2
"""ASSUMPTION, not a plan figure: rated module power per m² of roof covered [kWp/m²] (a 20 % efficient
module gives 200 Wp per m² under the 1,000 W/m² standard test condition). Used to turn a registered
capacity into covered roof area when the registry records no area."""

ROOF_KINDS = ("rooftop", "bipv")
"""Installation kinds that cover a roof (façade and carport PV do not)."""

SITE_RESIDENTIAL = "residential"
"""Registry kind of a residential community's charging site (private chargers, not public or dedicated)."""
SITE_PARKING_LOT = "parking_lot"
SITE_TAXI_STATION = "taxi_station"

Period = tuple[date, date]
"""An inclusive period of dates, e.g. a five-year plan's first and last day."""


@dataclass(frozen=True)
class RoofAreaRule:
    """A new-building roof rule: buildings of ``uses`` built from ``applies_from`` put PV on at least
    ``min_share_pct`` of their roof (the plan's target ``target``)."""

    target: str
    uses: tuple[str, ...]
    applies_from: int
    min_share_pct: float


@dataclass(frozen=True)
class CoverageScope:
    """Which buildings a roof-coverage rule counts: public institutions (if ``public_institutions``) and
    buildings whose primary use is in ``uses``."""

    uses: tuple[str, ...]
    public_institutions: bool


@dataclass(frozen=True)
class OfficeChargerRule:
    """Chargers on at least ``min_space_share_pct`` of the parking spaces of new sites of ``site_kinds``,
    with at least ``min_fast_share_pct`` of them fast (the plan's target ``target``)."""

    target: str
    site_kinds: tuple[str, ...]
    min_space_share_pct: float
    min_fast_share_pct: float


@dataclass(frozen=True)
class PvSite:
    """One PV installation of the registry."""

    code: str
    capacity_kwp: float
    kind: str
    commissioned: date | None
    building: str | None = None


@dataclass(frozen=True)
class RoofBuilding:
    """A building as the roof rules need it."""

    code: str
    primary_use: str
    public_institution: bool
    roof_area_m2: float | None
    year_built: int | None


@dataclass(frozen=True)
class ChargingSiteRow:
    """One charging site of the registry, with its chargers counted by kind."""

    code: str
    kind: str
    """office, public_facility, parking_lot, residential, taxi_station or other."""
    access: str
    """public or dedicated (专用)."""
    parking_spaces: int
    fast_count: int
    slow_count: int
    commissioned: date | None
    ready_spaces: int | None = None
    """Parking spaces without a charger but with conduits and capacity reserved; ``None``: not recorded."""

    @property
    def chargers(self) -> int:
        """Number of chargers (fast and slow)."""
        return self.fast_count + self.slow_count


@dataclass(frozen=True)
class Coverage:
    """A share of a count: ``count`` of ``total`` [%]."""

    count: int
    total: int

    @property
    def share_pct(self) -> float | None:
        """``count / total`` [%], ``None`` when nothing is in scope."""
        return 100.0 * self.count / self.total if self.total else None


@dataclass(frozen=True)
class Compliance:
    """One building's or site's compliance with a per-item rule."""

    code: str
    rule: str
    required_pct: float
    share_pct: float
    complies: bool
    detail: str = ""


def pv_area_m2(capacity_kwp: float, density_kwp_per_m2: float = MODULE_DENSITY_KWP_PER_M2) -> float:
    """Roof area covered by an installation [m²] from its capacity.

    Parameters
    ----------
    capacity_kwp : float
        Rated capacity [kWp].
    density_kwp_per_m2 : float
        Module power density [kWp/m²]; the default is an assumption (see
        :data:`MODULE_DENSITY_KWP_PER_M2`).

    Returns
    -------
    float
        ``capacity_kwp / density_kwp_per_m2`` [m²].
    """
    if density_kwp_per_m2 <= 0:
        raise ValueError("module power density must be positive")
    return capacity_kwp / density_kwp_per_m2


def _roof_kwp(installations: Iterable[PvSite]) -> dict[str, float]:
    out: dict[str, float] = {}
    for site in installations:
        if site.building and site.kind in ROOF_KINDS:
            out[site.building] = out.get(site.building, 0.0) + site.capacity_kwp
    return out


def in_coverage_scope(building: RoofBuilding, scope: CoverageScope) -> bool:
    """Whether a building counts for a coverage rule: in ``scope`` (e.g. a public institution or an
    industrial plant) and its roof not recorded as unsuitable (a roof area of 0 m²). An unknown roof area
    counts as suitable, so a gap in the registry lowers the coverage rather than hiding a building."""
    is_scope = (
        scope.public_institutions and building.public_institution
    ) or building.primary_use in scope.uses
    return is_scope and (building.roof_area_m2 is None or building.roof_area_m2 > 0)


def roof_coverage(
    buildings: Iterable[RoofBuilding],
    installations: Iterable[PvSite],
    *,
    scope: CoverageScope,
    as_of: date | None = None,
) -> Coverage:
    """Rooftop PV coverage of the buildings in ``scope`` (e.g. public institutions and industrial plants),
    by building count.

    Covered buildings are those in scope (:func:`in_coverage_scope`) with a rooftop or BIPV installation
    commissioned by ``as_of`` (all when ``None``); the total is every building in scope. This follows the
    plan indicator ``pv_roof_coverage`` (buildings with rooftop PV over buildings whose roofs suit PV).

    References
    ----------
    .. [1] Reference plan 三(一)1: 到2025年,公共机构、工业厂房建筑屋顶光伏覆盖率达到50%以上 (target
       ``pv_roof_coverage_2025``).
    """
    sites = [s for s in installations if as_of is None or (s.commissioned and s.commissioned <= as_of)]
    kwp = _roof_kwp(sites)
    in_scope = [b for b in buildings if in_coverage_scope(b, scope)]
    return Coverage(sum(1 for b in in_scope if kwp.get(b.code, 0.0) > 0), len(in_scope))


def roof_rule(building: RoofBuilding, rules: Sequence[RoofAreaRule]) -> RoofAreaRule | None:
    """The first of ``rules`` that covers a building (its use, and built from the rule's year), or
    ``None`` (no rule: built earlier, a use no rule names, or the year built unknown)."""
    if building.year_built is None:
        return None
    for rule in rules:
        if building.year_built >= rule.applies_from and building.primary_use in rule.uses:
            return rule
    return None


def new_building_compliance(
    buildings: Iterable[RoofBuilding],
    installations: Iterable[PvSite],
    *,
    rules: Sequence[RoofAreaRule],
    density_kwp_per_m2: float = MODULE_DENSITY_KWP_PER_M2,
) -> list[Compliance]:
    """Each new building's roof PV share against its rule (reference plan: 50 % or 30 %).

    The covered area is the building's rooftop and BIPV capacity over ``density_kwp_per_m2`` (an
    assumption, :func:`pv_area_m2`), capped at the roof area. A new building in scope without a recorded
    roof area is reported as not complying (the share cannot be shown).

    References
    ----------
    .. [1] Reference plan 三(一)1: 2022年起新建政府机关、学校、工业厂房等建筑屋顶安装光伏的面积比例不低于50%,
       其他类型公共建筑屋顶安装光伏的面积比例不低于30% (targets
       ``pv_roof_area_share_new_gov_school_factory``, ``pv_roof_area_share_new_other_public``).
    """
    kwp = _roof_kwp(installations)
    out = []
    for building in buildings:
        rule = roof_rule(building, rules)
        if rule is None:
            continue
        required = rule.min_share_pct
        if not building.roof_area_m2 or building.roof_area_m2 <= 0:
            out.append(Compliance(building.code, rule.target, required, 0.0, False, "roof area not recorded"))
            continue
        area = min(pv_area_m2(kwp.get(building.code, 0.0), density_kwp_per_m2), building.roof_area_m2)
        share = 100.0 * area / building.roof_area_m2
        out.append(Compliance(building.code, rule.target, required, share, share >= required - 1e-9))
    return out


def _in_period(day: date | None, period: Period) -> bool:
    return day is not None and period[0] <= day <= period[1]


def capacity_added_kw_by_year(installations: Iterable[PvSite], *, period: Period) -> dict[int, float]:
    """New PV capacity [kW] by commissioning year within ``period`` (every kind counts).

    References
    ----------
    .. [1] Reference plan 三(一)1: new PV capacity in 十四五 (target
       ``pv_capacity_added_14th``).
    """
    out: dict[int, float] = {}
    for site in installations:
        if site.commissioned is not None and _in_period(site.commissioned, period):
            out[site.commissioned.year] = out.get(site.commissioned.year, 0.0) + site.capacity_kwp
    return dict(sorted(out.items()))


def chargers_added_by_year(sites: Iterable[ChargingSiteRow], *, period: Period) -> dict[int, int]:
    """New public and dedicated chargers by commissioning year within ``period``.

    Residential (private) sites are not public or dedicated chargers and are left out.

    References
    ----------
    .. [1] Reference plan 三(四)3: new public and dedicated chargers in 十四五 (target
       ``public_dedicated_chargers_14th``).
    """
    out: dict[int, int] = {}
    for site in sites:
        if site.kind == SITE_RESIDENTIAL or site.access not in ("public", "dedicated"):
            continue
        if site.commissioned is not None and _in_period(site.commissioned, period):
            out[site.commissioned.year] = out.get(site.commissioned.year, 0) + site.chargers
    return dict(sorted(out.items()))


def is_new_site(site: ChargingSiteRow, *, period: Period) -> bool:
    """Whether a site is new: commissioned within ``period`` (the rule's period of the plan)."""
    return _in_period(site.commissioned, period)


def office_charger_compliance(
    sites: Iterable[ChargingSiteRow], *, period: Period, rule: OfficeChargerRule
) -> list[Compliance]:
    """Each new site of the rule's kinds (reference plan: offices and public facilities): chargers on at least
    ``rule.min_space_share_pct`` of parking spaces (15 %), at least ``rule.min_fast_share_pct`` fast (30 %).

    ``share_pct`` is chargers over parking spaces [%]; ``detail`` gives the fast share. A site complies when
    both hold. A site with no parking spaces recorded does not comply.

    References
    ----------
    .. [1] Reference plan 三(四)3: 新建办公场所、公共设施等按照一类地区不少于15%配备充电桩,其中快充充电桩比例
       不低于30% (targets ``charger_space_share_new_offices``, ``fast_charger_share_new_offices``).
    """
    out = []
    for site in sites:
        if site.kind not in rule.site_kinds or not is_new_site(site, period=period):
            continue
        space = 100.0 * site.chargers / site.parking_spaces if site.parking_spaces else 0.0
        fast = 100.0 * site.fast_count / site.chargers if site.chargers else 0.0
        complies = space >= rule.min_space_share_pct - 1e-9 and fast >= rule.min_fast_share_pct - 1e-9
        out.append(
            Compliance(
                site.code,
                rule.target,
                rule.min_space_share_pct,
                space,
                complies,
                f"fast {fast:.1f} %",
            )
        )
    return out


def fast_charger_share(
    sites: Iterable[ChargingSiteRow], *, period: Period, site_kinds: tuple[str, ...]
) -> Coverage:
    """Fast chargers over all chargers at new sites of ``site_kinds`` (reference plan: offices and public
    facilities; indicator ``fast_charger_share``)."""
    scope = [s for s in sites if s.kind in site_kinds and is_new_site(s, period=period)]
    return Coverage(sum(s.fast_count for s in scope), sum(s.chargers for s in scope))


def min_space_share_pct(compliance: Sequence[Compliance]) -> float | None:
    """The lowest per-site or per-building share [%]: each item must comply, so the weakest is judged."""
    return min((c.share_pct for c in compliance), default=None)


def parking_lots_equipped(sites: Iterable[ChargingSiteRow], *, period: Period) -> Coverage:
    """New parking lots with at least one charger over all new parking lots.

    References
    ----------
    .. [1] Reference plan 三(四)3: 新建停车场100%配备充电设施 (target ``chargers_new_parking_lots``).
    """
    lots = [s for s in sites if s.kind == SITE_PARKING_LOT and is_new_site(s, period=period)]
    return Coverage(sum(1 for s in lots if s.chargers > 0), len(lots))


def taxi_stations_by_year(sites: Iterable[ChargingSiteRow], *, period: Period) -> dict[int, int]:
    """New taxi demonstration stations by commissioning year.

    References
    ----------
    .. [1] Reference plan 三(四)3: 建设出租车示范站不少于2个 (target ``taxi_demo_stations_14th``).
    """
    out: dict[int, int] = {}
    for site in sites:
        if site.kind == SITE_TAXI_STATION and site.commissioned and _in_period(site.commissioned, period):
            out[site.commissioned.year] = out.get(site.commissioned.year, 0) + 1
    return dict(sorted(out.items()))


def residential_readiness(
    sites: Iterable[ChargingSiteRow], *, period: Period, target: str
) -> list[Compliance]:
    """Each new residential community: the share of its parking spaces ready for charging [%].

    Ready spaces are those with a charger (one charger per space, an assumption) plus those with conduits
    and capacity reserved (``ready_spaces``), capped at the parking spaces. A community complies when every
    space is ready. One with no parking spaces recorded does not comply (detail ``parking spaces not
    recorded``); one whose reserved spaces are not recorded counts only its chargers (detail ``ready spaces
    not recorded``), so a gap in the registry shows as non-compliance rather than being hidden.

    References
    ----------
    .. [1] Reference plan 三(四)3: 新建小区100%预留充电设施建设安装条件 (target
       ``charging_ready_new_residential``, indicator ``charging_ready_share_new_residential``).
    """
    out = []
    for site in sites:
        if site.kind != SITE_RESIDENTIAL or not is_new_site(site, period=period):
            continue
        if not site.parking_spaces:
            out.append(Compliance(site.code, target, 100.0, 0.0, False, "parking spaces not recorded"))
            continue
        ready = min(site.chargers + (site.ready_spaces or 0), site.parking_spaces)
        complies = ready >= site.parking_spaces
        detail = "ready spaces not recorded" if site.ready_spaces is None and not complies else ""
        share = 100.0 * ready / site.parking_spaces
        out.append(Compliance(site.code, target, 100.0, share, complies, detail))
    return out


def residential_ready_share(compliance: Sequence[Compliance]) -> Coverage:
    """New residential communities that comply with :func:`residential_readiness` over all of them
    (indicator ``charging_ready_share_new_residential``)."""
    return Coverage(sum(1 for c in compliance if c.complies), len(compliance))
