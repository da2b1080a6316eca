"""Plan levers: each one a kind of task of a district plan; the defaults are the reference plan's values.

The platform builds each district's plan scenario from its own plan's targets
(:mod:`carbonpeak.core.projection.plan_levers`); the class defaults below are the reference plan's values
(杨府发〔2022〕13号), kept as the documented example and for the core's tests.

A lever changes the model's arrays in the **projection years only** (after the last historical year: what
was done before is already in the calibrated history). Each lever has

* ``code`` and the plan ``task`` (task id in ``yangpu-2022.yaml``), ``clause`` and ``targets`` (target codes);
* parameters with defaults: values from the plan's targets carry evidence ``plan``, values from
  ``FACTS.md`` their tag (``V``, ``S``, ``R``), and anything else is a labelled **modelling assumption**
  (:attr:`Lever.sources`);
* ``apply(state, delivery)``, vectorised over draws: ``delivery`` [-] is the share of the lever's effect
  that is delivered, one value per draw (1 = as planned);
* a ``stage``: ``intensity`` levers run before quantities are formed (``q = driver x intensity``),
  ``energy`` levers change quantities afterwards.

Schedules keyed by year come in two kinds: **additions** (MW, m2 or ha added in a year; only the years after
the last historical year count, cumulated) and **levels** (rates, shares or PUE, linearly interpolated
between the given years and held flat outside them).

Wedges are computed with the levers added cumulatively in :data:`LEVER_ORDER` (efficiency first, then fuel
switching, then supply, then waste and sinks), so that they sum exactly to BAU minus Plan.

References
----------
.. [1] The reference district's plan (2022), 杨府发〔2022〕13号, sections 三(一)-三(六).
.. [2] Pacala, S., Socolow, R. (2004). Stabilization wedges. Science 305(5686), 968-972,
   doi:10.1126/science.1100103.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from carbonpeak.core.projection.model import FloatArray, ProjectionError, State


@dataclass(frozen=True, slots=True)
class ParameterSource:
    """Where a lever parameter's default comes from.

    Parameters
    ----------
    parameter : str
        Field name.
    unit : str
        Unit of the value, e.g. ``MW``, ``kWh/(kW a)``, ``-``.
    evidence : str
        ``plan`` (a target of the plan, named in ``note``), ``V``/``S``/``R`` (FACTS.md tags) or
        ``assumption`` (a modelling assumption with no source).
    note : str
        The target code or source, and any caveat.
    """

    parameter: str
    unit: str
    evidence: str
    note: str


def level(schedule: Mapping[int, float], years: FloatArray) -> FloatArray:
    """Level schedule by year: linear interpolation between the given years, flat outside [-]."""
    if not schedule:
        return np.zeros(years.shape)
    keys = sorted(schedule)
    return np.interp(years, keys, [float(schedule[k]) for k in keys])


def cumulative_additions(
    schedule: Mapping[int, float], years: FloatArray, last_history_year: int
) -> FloatArray:
    """Cumulative additions from the year after ``last_history_year`` to each year [schedule unit]."""
    out = np.zeros(years.shape)
    for year, value in schedule.items():
        if year > last_history_year:
            out += np.where(years >= year, float(value), 0.0)
    return out


def _new_stock(state: State, driver: str) -> FloatArray:
    """Per-year additions to a stock driver in the projection years ``(D|1, years)`` [driver unit]."""
    stock = state.driver(driver)
    added = np.zeros_like(stock)
    added[:, 1:] = np.clip(np.diff(stock, axis=1), 0.0, None)
    return np.where(state.future[None, :], added, 0.0)


def _per_draw(delivery: FloatArray) -> FloatArray:
    return np.asarray(delivery, dtype=np.float64).reshape(-1, 1)


class Lever(ABC):
    """A plan lever (see the module docstring)."""

    code: ClassVar[str]
    title: ClassVar[str]
    task: ClassVar[str]
    clause: ClassVar[str]
    targets: ClassVar[tuple[str, ...]]
    stage: ClassVar[str]
    sources: ClassVar[tuple[ParameterSource, ...]]

    @abstractmethod
    def apply(self, state: State, delivery: FloatArray) -> None:
        """Change ``state`` in the projection years; ``delivery`` [-] has one value per draw (or one)."""

    def cells(self) -> tuple[tuple[str, str], ...]:
        """Cells ``(segment, carrier)`` the lever writes to, created empty when the history lacks them."""
        return ()

    def to_dict(self) -> dict[str, Any]:
        """Serialise as ``{"lever": code, "params": {...}}`` (year keys as strings, JSON-ready)."""
        params = {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]
        return {"lever": self.code, "params": params}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Lever:
        """Build from parameters (as :meth:`to_dict` writes them); unknown names are refused."""
        names = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(params) - set(names))
        if unknown:
            raise ProjectionError(f"lever '{cls.code}' has no parameter {unknown}; known: {sorted(names)}")
        kwargs = {
            name: _parse(names[name].metadata.get("kind", "scalar"), value) for name, value in params.items()
        }
        return cls(**kwargs)

    def describe(self) -> dict[str, Any]:
        """Code, task, clause, targets and the provenance of each parameter (for display)."""
        return {
            "lever": self.code,
            "title": self.title,
            "task": self.task,
            "clause": self.clause,
            "targets": list(self.targets),
            "params": self.to_dict()["params"],
            "sources": [
                {"parameter": s.parameter, "unit": s.unit, "evidence": s.evidence, "note": s.note}
                for s in self.sources
            ],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


def _parse(kind: str, value: Any) -> Any:
    try:
        if kind == "years":
            return {int(k): float(v) for k, v in dict(value).items()}
        if kind == "segment_years":
            return {
                str(s): {int(k): float(v) for k, v in dict(sched).items()} for s, sched in dict(value).items()
            }
        if kind == "strings":
            return tuple(str(v) for v in value)
        if kind == "text":
            return str(value)
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ProjectionError(f"bad lever parameter value {value!r}: {exc}") from None


def _years() -> Any:
    return field(default_factory=dict, metadata={"kind": "years"})


@dataclass(frozen=True)
class PublicBuildingRetrofit(Lever):
    """Retrofits of existing public buildings: ``intensity x (1 - savings x retrofitted share)``.

    The retrofitted share of the segment's floor area is the cumulative retrofitted area over the floor-area
    driver [m2], capped at 1. Needs the driver in m2 (a constant index gives no effect and a note).

    Parameters
    ----------
    area_m2 : mapping of int to float [m2/a]
        Floor area retrofitted each year.
    savings_fraction : float [-]
        Average energy saving of a retrofitted building.
    segment : str
        Segment whose intensity falls.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(三)3: “十四五”和“十五五”期间累计完成既有公共建筑节能改造360万平方米以上,
       其中平均节能率15%及以上的建筑面积达到40万平方米.
    """

    code: ClassVar[str] = "public_building_retrofit"
    title: ClassVar[str] = "Energy-saving retrofits of existing public buildings"
    task: ClassVar[str] = "existing_buildings"
    clause: ClassVar[str] = "三(三)3"
    targets: ClassVar[tuple[str, ...]] = (
        "public_building_retrofit_area_14th_15th",
        "deep_retrofit_area_14th_15th",
    )
    stage: ClassVar[str] = "intensity"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource(
            "area_m2",
            "m2/a",
            "plan",
            "public_building_retrofit_area_14th_15th: 3.6 million m2 over 2021-2030; the even spread "
            "(360,000 m2/a) is an assumption",
        ),
        ParameterSource(
            "savings_fraction",
            "-",
            "assumption",
            "average saving of a retrofit (a plan may set a deep-retrofit share with a higher saving; "
            "this is the average over all retrofits)",
        ),
    )

    area_m2: dict[int, float] = field(
        default_factory=lambda: {year: 360_000.0 for year in range(2021, 2031)}, metadata={"kind": "years"}
    )
    savings_fraction: float = 0.10
    segment: str = field(default="public_buildings", metadata={"kind": "text"})

    def apply(self, state: State, delivery: FloatArray) -> None:
        driver = state.calibration.segment(self.segment).driver
        if not state.supplied(driver):
            state.notes.append(f"{self.code}: driver '{driver}' not supplied in m2, lever has no effect")
            return
        area = cumulative_additions(
            self.area_m2, state.years.astype(float), state.calibration.last_history_year
        )
        share = np.clip(area[None, :] / state.driver(driver), 0.0, 1.0)
        factor = 1.0 - self.savings_fraction * share * _per_draw(delivery)
        state.scale_intensity(state.segment_cells(self.segment), np.where(state.future, factor, 1.0))


@dataclass(frozen=True)
class UltraLowEnergyBuildings(Lever):
    """New buildings to the ultra-low-energy standard (超低能耗建筑).

    New floor area each projection year is the growth of the segment's floor-area driver. Of the floor area
    present in year ``t``, the share built to the standard is ``sum_s new(s) x share(s) / stock(t)``; the
    segment's intensity falls by ``savings x`` that share.

    Parameters
    ----------
    share_by_segment : mapping of str to mapping of int to float [-]
        Share of new floor area built to the standard, a level schedule per segment.
    savings_fraction : float [-]
        Energy saving of an ultra-low-energy building against a new code-compliant one.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(三)2: “十五五”期间新建居住建筑执行超低能耗建筑标准的比例达到50%;
       规模化推进新建公共建筑执行超低能耗建筑标准; 到2030年新建民用建筑全面执行超低能耗建筑标准.
    .. [2] GB/T 51350-2019 近零能耗建筑技术标准 (ultra-low-energy buildings; the saving is to be confirmed
       against the standard's text).
    """

    code: ClassVar[str] = "ultra_low_energy_buildings"
    title: ClassVar[str] = "Ultra-low-energy share of new buildings"
    task: ClassVar[str] = "new_buildings"
    clause: ClassVar[str] = "三(三)2"
    targets: ClassVar[tuple[str, ...]] = (
        "ultra_low_energy_new_residential_15th",
        "ultra_low_energy_new_public_scale_up",
        "ultra_low_energy_new_civil_2030",
    )
    stage: ClassVar[str] = "intensity"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource(
            "share_by_segment",
            "-",
            "plan",
            "residential 50 % in 2026-2029 (ultra_low_energy_new_residential_15th), all new civil buildings "
            "100 % from 2030 (ultra_low_energy_new_civil_2030); the 0 in 2025 and the linear ramp for public "
            "buildings (ultra_low_energy_new_public_scale_up is qualitative) are assumptions",
        ),
        ParameterSource(
            "savings_fraction",
            "-",
            "assumption",
            "saving against a new code-compliant building; GB/T 51350-2019 is recalled [R] to require about "
            "50 %: confirm against the standard",
        ),
    )

    share_by_segment: dict[str, dict[int, float]] = field(
        default_factory=lambda: {
            "residential": {2025: 0.0, 2026: 0.5, 2029: 0.5, 2030: 1.0},
            "public_buildings": {2025: 0.0, 2030: 1.0},
        },
        metadata={"kind": "segment_years"},
    )
    savings_fraction: float = 0.5

    def apply(self, state: State, delivery: FloatArray) -> None:
        for segment, schedule in self.share_by_segment.items():
            driver = state.calibration.segment(segment).driver
            if not state.supplied(driver):
                state.notes.append(
                    f"{self.code}: driver '{driver}' not supplied, no new floor area in {segment}"
                )
                continue
            new = _new_stock(state, driver) * level(schedule, state.years.astype(float))[None, :]
            share = np.clip(np.cumsum(new, axis=1) / state.driver(driver), 0.0, 1.0)
            factor = 1.0 - self.savings_fraction * share * _per_draw(delivery)
            state.scale_intensity(state.segment_cells(segment), np.where(state.future, factor, 1.0))


@dataclass(frozen=True)
class DataCentrePue(Lever):
    """Data-centre power usage effectiveness (PUE) limits.

    IT load up to its last historical level runs at the existing-centre PUE, growth beyond it at the
    new-centre PUE; the segment's intensity scales by ``PUE_effective / baseline_pue`` (never above 1).

    Parameters
    ----------
    baseline_pue : float [-]
        PUE of the data centres in the last historical year.
    existing_pue : mapping of int to float [-]
        PUE of existing centres, a level schedule.
    new_pue : float [-]
        PUE of new centres.
    segment : str
        Data-centre segment.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(二)1: 新建数据中心PUE不高于1.3; 既有数据中心力争PUE不高于1.4.
    .. [2] GB 40879-2021 数据中心能效限定值及能效等级 (PUE grade 3 limit 1.50, FACTS.md [R]).
    """

    code: ClassVar[str] = "data_centre_pue"
    title: ClassVar[str] = "Data-centre PUE"
    task: ClassVar[str] = "industrial_transition"
    clause: ClassVar[str] = "三(二)1"
    targets: ClassVar[tuple[str, ...]] = ("pue_existing_data_centres", "pue_new_data_centres")
    stage: ClassVar[str] = "intensity"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource(
            "baseline_pue",
            "-",
            "assumption",
            "no district figure; set at the GB 40879-2021 grade-3 limit 1.50 (FACTS.md [R])",
        ),
        ParameterSource(
            "existing_pue",
            "-",
            "plan",
            "pue_existing_data_centres: at most 1.4; reached in 2025 (assumption)",
        ),
        ParameterSource("new_pue", "-", "plan", "pue_new_data_centres: at most 1.3"),
    )

    baseline_pue: float = 1.5
    existing_pue: dict[int, float] = field(default_factory=lambda: {2025: 1.4}, metadata={"kind": "years"})
    new_pue: float = 1.3
    segment: str = field(default="data_centres", metadata={"kind": "text"})

    def apply(self, state: State, delivery: FloatArray) -> None:
        driver = state.calibration.segment(self.segment).driver
        load = state.driver(driver)
        last = state.years.tolist().index(state.calibration.last_history_year) if state.future.any() else -1
        base = load[:, last : last + 1] if last >= 0 else load[:, -1:]
        existing = np.minimum(level(self.existing_pue, state.years.astype(float)), self.baseline_pue)
        new = min(self.new_pue, self.baseline_pue)
        old_load = np.minimum(load, base)
        pue = np.where(
            load > 0, (old_load * existing + (load - old_load) * new) / np.where(load > 0, load, 1), 1
        )
        factor = 1.0 - _per_draw(delivery) * (1.0 - pue / self.baseline_pue)
        state.scale_intensity(state.segment_cells(self.segment), np.where(state.future, factor, 1.0))


@dataclass(frozen=True)
class NevShare(Lever):
    """New-energy vehicles among new and replaced vehicles.

    Each projection year a share ``turnover_per_a`` of the in-scope fleet is replaced; of the replacements a
    share ``new_share`` is electric. The electrified share ``e`` of in-scope fossil vehicle-km follows
    ``e[t] = e[t-1] + turnover x (scope_share x new_share[t] x delivery - e[t-1])`` from 0. The fossil
    intensities of the segment fall by ``e``; electricity rises by the fossil energy removed times
    ``ev_energy_ratio``.

    Parameters
    ----------
    new_share : mapping of int to float [-]
        NEV share of new or replaced in-scope vehicles, a level schedule.
    scope_share : float [-]
        Share of the segment's fossil vehicle-km in the scope of ``new_share``.
    turnover_per_a : float [1/a]
        Share of the fleet replaced each year.
    ev_energy_ratio : float [-]
        Energy of an electric vehicle-km over a fossil one, calorific-equivalent basis.
    fuels : tuple of str
        Fossil carriers replaced.
    segment : str
        Transport segment.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(四)2: 公交车、巡游出租车新增或更新车辆原则上全部使用新能源汽车;
       党政机关、国有企事业单位、环卫等公共领域, 新增或更新车辆原则上全部使用新能源汽车.
    """

    code: ClassVar[str] = "nev_share"
    title: ClassVar[str] = "NEV share of new and replaced vehicles"
    task: ClassVar[str] = "low_carbon_vehicles"
    clause: ClassVar[str] = "三(四)2"
    targets: ClassVar[tuple[str, ...]] = (
        "nev_new_buses_taxis",
        "nev_new_public_sector_vehicles",
        "nev_share_other_vehicles",
        "private_car_electrification",
    )
    stage: ClassVar[str] = "intensity"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource(
            "new_share",
            "-",
            "plan",
            "nev_new_buses_taxis, nev_new_public_sector_vehicles: 100 % of new vehicles",
        ),
        ParameterSource(
            "scope_share",
            "-",
            "assumption",
            "share of fossil road vehicle-km by buses, taxis and public-sector vehicles; no district figure. "
            "Other vehicles (a qualitative commitment) are not included by default",
        ),
        ParameterSource("turnover_per_a", "1/a", "assumption", "about a ten-year vehicle life"),
        ParameterSource(
            "ev_energy_ratio",
            "-",
            "assumption",
            "electric over fossil energy per vehicle-km on the calorific-equivalent basis",
        ),
    )

    new_share: dict[int, float] = field(default_factory=lambda: {2025: 1.0}, metadata={"kind": "years"})
    scope_share: float = 0.2
    turnover_per_a: float = 0.1
    ev_energy_ratio: float = 0.3
    fuels: tuple[str, ...] = field(default=("gasoline", "diesel"), metadata={"kind": "strings"})
    segment: str = field(default="transport", metadata={"kind": "text"})

    def cells(self) -> tuple[tuple[str, str], ...]:
        return ((self.segment, "electricity"),)

    def apply(self, state: State, delivery: FloatArray) -> None:
        fossil = [j for j in (state.cell(self.segment, f) for f in self.fuels) if j is not None]
        electric = state.cell(self.segment, "electricity")
        if not fossil or electric is None:
            return
        target = self.scope_share * level(self.new_share, state.years.astype(float))
        d = _per_draw(delivery)
        share = np.zeros((d.shape[0], state.years.size))
        for t in np.flatnonzero(state.future):
            previous = share[:, t - 1] if t > 0 else 0.0
            share[:, t] = previous + self.turnover_per_a * (target[t] * d[:, 0] - previous)
        removed = state.intensity[:, fossil, :].sum(axis=1) * share
        state.scale_intensity(fossil, 1.0 - share)
        state.add_intensity(electric, removed * self.ev_energy_ratio)


@dataclass(frozen=True)
class RenewableSubstitution(Lever):
    """Renewable energy substitution in new buildings (可再生能源替代率).

    Of the energy used in year ``t`` by the floor area built in projection years, a share ``rate`` (the
    rate of the year it was built) is renewable: ``sum_s new(s) x rate(s) / stock(t)`` of each emitting
    carrier's quantity moves to the on-site renewable carrier ``solar_pv`` (total energy unchanged).

    Parameters
    ----------
    rate : mapping of int to float [-]
        Substitution rate of new buildings, a level schedule.
    segments : tuple of str
        Building segments.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(一)2: 到2025年城镇新建建筑可再生能源替代率达到10%, 到2030年进一步提升到15%.
    """

    code: ClassVar[str] = "renewable_substitution"
    title: ClassVar[str] = "Renewable substitution in new buildings"
    task: ClassVar[str] = "renewable_energy"
    clause: ClassVar[str] = "三(一)2"
    targets: ClassVar[tuple[str, ...]] = (
        "renewable_substitution_new_buildings_2025",
        "renewable_substitution_new_buildings_2030",
    )
    stage: ClassVar[str] = "energy"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource(
            "rate",
            "-",
            "plan",
            "renewable_substitution_new_buildings_2025 (10 %) and _2030 (15 %); "
            "linear in between (assumption)",
        ),
    )

    rate: dict[int, float] = field(
        default_factory=lambda: {2025: 0.10, 2030: 0.15}, metadata={"kind": "years"}
    )
    segments: tuple[str, ...] = field(
        default=("public_buildings", "residential"), metadata={"kind": "strings"}
    )

    def cells(self) -> tuple[tuple[str, str], ...]:
        return tuple((s, "solar_pv") for s in self.segments)

    def apply(self, state: State, delivery: FloatArray) -> None:
        q = state.q()
        for segment in self.segments:
            driver = state.calibration.segment(segment).driver
            target = state.cell(segment, "solar_pv")
            if not state.supplied(driver) or target is None:
                state.notes.append(
                    f"{self.code}: driver '{driver}' not supplied, no new floor area in {segment}"
                )
                continue
            new = _new_stock(state, driver) * level(self.rate, state.years.astype(float))[None, :]
            share = np.clip(np.cumsum(new, axis=1) / state.driver(driver), 0.0, 1.0) * _per_draw(delivery)
            share = np.where(state.future, share, 0.0)
            for j in state.segment_cells(segment, emitting_only=True):
                moved = q[:, j, :] * share
                q[:, j, :] -= moved
                q[:, target, :] += moved


@dataclass(frozen=True)
class RooftopPv(Lever):
    """Rooftop PV: added capacity times specific yield replaces purchased electricity.

    Generation ``[MWh] = cumulative MW x yield [kWh/(kW a)]``, converted at 0.1229 tce/MWh, moves from the
    segment's electricity to ``solar_pv`` (capped at the electricity there).

    Parameters
    ----------
    added_mw : mapping of int to float [MW/a]
        Capacity added each year.
    specific_yield_kwh_per_kw : float [kWh/(kW a)]
        Annual generation per kW of capacity.
    segment : str
        Segment whose electricity is replaced.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(一)1: “十四五”期间全区力争新增光伏装机容量2.9万千瓦.
    """

    code: ClassVar[str] = "rooftop_pv"
    title: ClassVar[str] = "Rooftop PV additions"
    task: ClassVar[str] = "building_pv"
    clause: ClassVar[str] = "三(一)1"
    targets: ClassVar[tuple[str, ...]] = (
        "pv_capacity_added_14th",
        "pv_roof_coverage_2025",
        "pv_roof_coverage_2030",
    )
    stage: ClassVar[str] = "energy"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource(
            "added_mw",
            "MW/a",
            "plan",
            "pv_capacity_added_14th: 2.9万kW (29 MW) in 2021-2025, spread evenly (assumption); "
            "the plan gives no MW figure after 2025 (pv_roof_coverage_2030 is a coverage target)",
        ),
        ParameterSource(
            "specific_yield_kwh_per_kw", "kWh/(kW a)", "assumption", "no Shanghai yield in FACTS.md"
        ),
    )

    added_mw: dict[int, float] = field(
        default_factory=lambda: {year: 5.8 for year in range(2021, 2026)}, metadata={"kind": "years"}
    )
    specific_yield_kwh_per_kw: float = 1000.0
    segment: str = field(default="public_buildings", metadata={"kind": "text"})

    def cells(self) -> tuple[tuple[str, str], ...]:
        return ((self.segment, "electricity"), (self.segment, "solar_pv"))

    def apply(self, state: State, delivery: FloatArray) -> None:
        q = state.q()
        electric = state.cell(self.segment, "electricity")
        pv = state.cell(self.segment, "solar_pv")
        if electric is None or pv is None:
            return
        mw = cumulative_additions(
            self.added_mw, state.years.astype(float), state.calibration.last_history_year
        )
        tce = mw * self.specific_yield_kwh_per_kw * state.tce_per_mwh * _per_draw(delivery)
        moved = np.minimum(np.where(state.future, tce, 0.0), q[:, electric, :])
        q[:, electric, :] -= moved
        q[:, pv, :] += moved


@dataclass(frozen=True)
class WasteRecovery(Lever):
    """Household waste resource recovery: waste emissions scale with the waste not recovered.

    ``co2e x (1 - r_eff) / (1 - baseline_rate)`` with ``r_eff = baseline + delivery x (rate - baseline)``.

    Parameters
    ----------
    rate : mapping of int to float [-]
        Recovery rate, a level schedule.
    baseline_rate : float [-]
        Recovery rate of the last historical year.
    segment : str
        Waste segment.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(五)2: 全区生活垃圾资源回收利用率达45%以上 (by 2025).
    """

    code: ClassVar[str] = "waste_recovery"
    title: ClassVar[str] = "Household waste resource recovery"
    task: ClassVar[str] = "waste_sorting"
    clause: ClassVar[str] = "三(五)2"
    targets: ClassVar[tuple[str, ...]] = ("waste_resource_recovery_2025",)
    stage: ClassVar[str] = "energy"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource("rate", "-", "plan", "waste_resource_recovery_2025: 45 % or more"),
        ParameterSource(
            "baseline_rate", "-", "assumption", "no district figure in FACTS.md; use the statistics"
        ),
    )

    rate: dict[int, float] = field(default_factory=lambda: {2025: 0.45}, metadata={"kind": "years"})
    baseline_rate: float = 0.40
    segment: str = field(default="waste", metadata={"kind": "text"})

    def apply(self, state: State, delivery: FloatArray) -> None:
        cell = state.cell(self.segment, "co2e")
        if cell is None:
            return
        q = state.q()
        gain = np.clip(level(self.rate, state.years.astype(float)) - self.baseline_rate, 0.0, None)
        factor = (1.0 - self.baseline_rate - _per_draw(delivery) * gain) / (1.0 - self.baseline_rate)
        q[:, cell, :] *= np.where(state.future, factor, 1.0)


@dataclass(frozen=True)
class GreenSpaceSink(Lever):
    """Added green space as a carbon sink: ``removal [tCO2] = cumulative ha x sink_t_per_ha``.

    Parameters
    ----------
    added_ha : mapping of int to float [ha/a]
        Green space added each year.
    sink_t_per_ha : float [tCO2/(ha a)]
        Annual removal per hectare.
    segment : str
        Sink segment.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(六)1 (new green space in a sub-area by 2025).
    .. [2] 生态学报 2024, 44(20):9209, doi:10.20103/j.stxb.202308061681: urban arbor green space
       8.99 tCO2e/(ha a) (FACTS.md [V]).
    """

    code: ClassVar[str] = "green_space_sink"
    title: ClassVar[str] = "Green-space carbon sink"
    task: ClassVar[str] = "park_city"
    clause: ClassVar[str] = "三(六)1"
    targets: ClassVar[tuple[str, ...]] = ("riverside_south_green_space_2025",)
    stage: ClassVar[str] = "energy"
    sources: ClassVar[tuple[ParameterSource, ...]] = (
        ParameterSource(
            "added_ha",
            "ha/a",
            "plan",
            "riverside_south_green_space_2025: 15 ha by 2025, spread evenly over 2021-2025 (assumption)",
        ),
        ParameterSource(
            "sink_t_per_ha", "tCO2/(ha a)", "V", "urban arbor green space, 生态学报 2024 (FACTS.md)"
        ),
    )

    added_ha: dict[int, float] = field(
        default_factory=lambda: {year: 3.0 for year in range(2021, 2026)}, metadata={"kind": "years"}
    )
    sink_t_per_ha: float = 8.99
    segment: str = field(default="sinks", metadata={"kind": "text"})

    def cells(self) -> tuple[tuple[str, str], ...]:
        return ((self.segment, "co2e"),)

    def apply(self, state: State, delivery: FloatArray) -> None:
        cell = state.cell(self.segment, "co2e")
        if cell is None:
            return
        ha = cumulative_additions(
            self.added_ha, state.years.astype(float), state.calibration.last_history_year
        )
        removal = np.where(state.future, ha * self.sink_t_per_ha, 0.0) * _per_draw(delivery)
        state.q()[:, cell, :] -= removal


LEVERS: dict[str, type[Lever]] = {
    cls.code: cls
    for cls in (
        PublicBuildingRetrofit,
        UltraLowEnergyBuildings,
        DataCentrePue,
        NevShare,
        RenewableSubstitution,
        RooftopPv,
        WasteRecovery,
        GreenSpaceSink,
    )
}
"""Registered levers by code."""

LEVER_ORDER: tuple[str, ...] = tuple(LEVERS)
"""Fixed order in which levers are applied and in which wedges are cumulated."""


def lever_class(code: str) -> type[Lever]:
    """Return a lever class by code; unknown codes are refused."""
    try:
        return LEVERS[code]
    except KeyError:
        raise ProjectionError(f"unknown lever '{code}'; choose one of: {', '.join(LEVERS)}") from None


def lever_from_dict(data: Mapping[str, Any]) -> Lever:
    """Build a lever from ``{"lever": code, "params": {...}}`` (missing params take the defaults)."""
    if "lever" not in data:
        raise ProjectionError(f"a lever needs a 'lever' code: {dict(data)}")
    extra = sorted(set(data) - {"lever", "params"})
    if extra:
        raise ProjectionError(f"unknown lever keys {extra}: use 'lever' and 'params'")
    return lever_class(str(data["lever"])).from_params(data.get("params") or {})


def plan_levers() -> tuple[Lever, ...]:
    """Every lever at its plan default, in :data:`LEVER_ORDER`."""
    return tuple(cls() for cls in LEVERS.values())
