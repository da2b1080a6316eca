"""Status rules on hand-worked cases: the energy-intensity cut, additions, standards in force, peaks."""

from datetime import date

import pytest

from carbonpeak.core.plan.model import Comparator, Target
from carbonpeak.core.tracking import (
    STATUS_LABELS_ZH,
    Observation,
    Status,
    StatusThresholds,
    TargetSpec,
    TrackingError,
    UnknownMethodError,
    peak_test,
    target_status,
)

yr = Observation.for_year
# 到2025年,单位生产总值能源消耗比2020年下降13.5%: baseline 1.0 (2020), target 0.865 (2025)
ENERGY = TargetSpec(Comparator.REDUCTION_PCT, 2021, 2025, value=13.5, baseline_year=2020, baseline_value=1.0)
AS_OF = date(2023, 6, 30)


def status(target, observations, **options):
    return target_status(target, observations, as_of=options.pop("as_of", AS_OF), **options)


def test_from_plan_reads_the_span_and_the_baseline():
    target = Target(
        code="energy_intensity_reduction_2025",
        indicator="energy_intensity",
        comparator="reduction_pct",
        value=13.5,
        baseline_year=2020,
        deadline=2025,
        quote="到2025年,单位生产总值能源消耗比2020年下降13.5%",
    )
    spec = TargetSpec.from_plan(target, (2021, 2035))
    assert (spec.start_year, spec.deadline_year, spec.baseline_year, spec.value) == (2021, 2025, 2020, 13.5)
    assert not spec.in_force
    standard = target.model_copy(update={"deadline": target.deadline.model_validate("from 2022")})
    spec = TargetSpec.from_plan(standard, (2021, 2035))
    assert (spec.start_year, spec.deadline_year, spec.in_force) == (2022, 2035, True)


def test_exactly_on_the_linear_trajectory_is_on_track():
    # linear: 2022 expected 1 - 0.135 x 2/5 = 0.946
    result = status(ENERGY, [yr(2021, 0.973), yr(2022, 0.946)], trajectory_method="linear")
    assert result.status is Status.ON_TRACK
    assert result.expected_value == pytest.approx(0.946)
    assert result.gap == pytest.approx(0.0, abs=1e-9)
    assert result.target_value == pytest.approx(0.865)
    assert (result.latest_value, result.latest_year, result.deadline_year) == (0.946, 2022, 2025)
    assert result.rule == "trajectory_gap"


def test_reductions_default_to_the_compound_trajectory():
    # compound: 2022 expected 0.865 ** (2/5) = 0.943640; 0.946 is behind by (0.946 - 0.943640)/0.135 = 1.7 %
    result = status(ENERGY, [yr(2022, 0.946)])
    assert result.expected_value == pytest.approx(0.943640, abs=1e-6)
    assert result.gap == pytest.approx((0.946 - 0.865**0.4) / 0.135)
    assert result.status is Status.ON_TRACK


def test_behind_the_trajectory_is_at_risk_then_off_track():
    # linear expected 0.946, distance 0.135: 15 % behind = 0.946 + 0.02025 = 0.96625; 30 % behind = 0.9865
    at_risk = status(ENERGY, [yr(2022, 0.96625)], trajectory_method="linear")
    assert at_risk.status is Status.AT_RISK
    assert at_risk.gap == pytest.approx(0.15)
    assert "behind by 15% of the baseline-to-target distance" in at_risk.reason
    off = status(ENERGY, [yr(2022, 0.9865)], trajectory_method="linear")
    assert off.status is Status.OFF_TRACK
    assert off.gap == pytest.approx(0.30)


def test_thresholds_are_configurable():
    strict = StatusThresholds(at_risk_gap=0.01, off_track_gap=0.02)
    assert status(ENERGY, [yr(2022, 0.95)], trajectory_method="linear").status is Status.ON_TRACK
    # (0.95 - 0.946)/0.135 = 3 % > 2 %
    result = status(ENERGY, [yr(2022, 0.95)], trajectory_method="linear", thresholds=strict)
    assert result.status is Status.OFF_TRACK
    with pytest.raises(TrackingError):
        StatusThresholds(at_risk_gap=0.3, off_track_gap=0.2)


def test_met_before_the_deadline_is_on_track_and_at_the_deadline_achieved():
    early = status(ENERGY, [yr(2023, 0.86)], as_of=date(2024, 6, 30))
    assert early.status is Status.ON_TRACK
    assert "already meets" in early.reason
    done = status(ENERGY, [yr(2023, 0.9), yr(2025, 0.86)], as_of=date(2026, 6, 30))
    assert done.status is Status.ACHIEVED
    # exactly on target counts (0.865 = 1.0 x (1 - 13.5/100))
    assert status(ENERGY, [yr(2025, 0.865)], as_of=date(2026, 6, 30)).status is Status.ACHIEVED


def test_missing_the_target_in_the_deadline_year_is_off_track():
    # 0.87 is only 5/13.5 = 3.7 % of the distance short, but the deadline has passed
    result = status(ENERGY, [yr(2025, 0.87)], as_of=date(2026, 6, 30))
    assert result.status is Status.OFF_TRACK
    assert result.gap == pytest.approx(0.005 / 0.135)


def test_forecast_rule_by_hand():
    # points 2020 1.0 (baseline), 2021 0.98, 2022 0.95: least-squares 2025 = 0.876667 (see test_forecast)
    # short by (0.876667 - 0.865)/0.135 = 8.6 %: on track by default, at risk with at_risk_gap 5 %
    observations = [yr(2021, 0.98), yr(2022, 0.95)]
    result = status(ENERGY, observations, rule="forecast_at_deadline")
    assert result.rule == "forecast_at_deadline"
    assert result.forecast_value == pytest.approx(0.876667, abs=1e-6)
    assert result.gap == pytest.approx((0.876667 - 0.865) / 0.135, abs=1e-5)
    assert result.status is Status.ON_TRACK
    tighter = StatusThresholds(at_risk_gap=0.05)
    assert (
        status(ENERGY, observations, rule="forecast_at_deadline", thresholds=tighter).status is Status.AT_RISK
    )


def test_forecast_rule_with_too_few_points_falls_back_and_says_so():
    result = status(ENERGY, [yr(2022, 0.95)], rule="forecast_at_deadline")
    assert result.forecast_value is None
    assert result.rule == "trajectory_gap"
    note = (
        "no linear_trend forecast (2 point(s); a forecast needs at least 3); graded by trajectory_gap instead"
    )
    assert result.flags == (note,)


def test_dispatcher_rejects_unknown_names():
    with pytest.raises(UnknownMethodError, match=r"unknown status rule 'magic'.*trajectory_gap"):
        status(ENERGY, [yr(2022, 0.95)], rule="magic")
    with pytest.raises(UnknownMethodError, match="unknown trajectory method 'quadratic'"):
        status(ENERGY, [yr(2022, 0.95)], trajectory_method="quadratic")
    with pytest.raises(UnknownMethodError, match="unknown forecast method 'crystal_ball'"):
        status(ENERGY, [yr(2022, 0.95)], forecast_method="crystal_ball")


def test_not_yet_due():
    # the first value (2021) is not due before the end of 2021
    assert status(ENERGY, [yr(2020, 1.0)], as_of=date(2021, 9, 30)).status is Status.NOT_YET_DUE
    # a standard in force from 2026, evaluated in 2024
    standard = TargetSpec(Comparator.AT_LEAST, 2026, 2035, value=50, in_force=True)
    result = status(standard, [yr(2026, 55.0)], as_of=date(2024, 6, 30))
    assert result.status is Status.NOT_YET_DUE
    assert result.flags == ("2026-12-31: the period ends after the evaluation date 2024-06-30; ignored",)


def test_no_data():
    assert status(ENERGY, []).status is Status.NO_DATA
    # only the baseline year was reported
    only_baseline = status(ENERGY, [yr(2020, 1.0)])
    assert only_baseline.status is Status.NO_DATA
    assert "after the baseline (2020)" in only_baseline.reason
    # 单位生产总值二氧化碳排放确保完成本市下达指标: the plan states no value
    carbon = TargetSpec(Comparator.REDUCTION_PCT, 2021, 2025, baseline_year=2020)
    assert status(carbon, [yr(2020, 1.0), yr(2022, 0.9)]).status is Status.NO_DATA
    # a reduction without a baseline value cannot be measured
    no_base = TargetSpec(Comparator.REDUCTION_PCT, 2021, 2025, value=13.5, baseline_year=2020)
    result = status(no_base, [yr(2021, 0.98), yr(2022, 0.95)])
    assert result.status is Status.NO_DATA
    assert result.reason == "no baseline value for 2020: a reduction needs one"


def test_reduction_baseline_is_taken_from_the_baseline_year_value():
    no_base = TargetSpec(Comparator.REDUCTION_PCT, 2021, 2025, value=13.5, baseline_year=2020)
    result = status(no_base, [yr(2020, 2.0), yr(2022, 1.892)], trajectory_method="linear")
    # target 2.0 x 0.865 = 1.73; linear 2022: 2.0 - 0.27 x 2/5 = 1.892
    assert result.target_value == pytest.approx(1.73)
    assert result.expected_value == pytest.approx(1.892)
    assert result.status is Status.ON_TRACK
    assert result.flags == ("baseline taken from the 2020 value 2",)


def test_cumulative_addition_sums_the_additions():
    # 十四五 新增光伏装机容量2.9万千瓦: linear path from 0 (end of 2020) to 2.9 (2025)
    pv = TargetSpec(Comparator.CUMULATIVE_ADDITION, 2021, 2025, value=2.9)
    # 0.3 + 0.4 = 0.7 by 2022 against 2.9 x 2/5 = 1.16: behind by 0.46/2.9 = 15.9 %
    behind = status(pv, [yr(2021, 0.3), yr(2022, 0.4)])
    assert behind.latest_value == pytest.approx(0.7)
    assert behind.expected_value == pytest.approx(1.16)
    assert behind.gap == pytest.approx(0.46 / 2.9)
    assert behind.status is Status.AT_RISK
    # a sum that reaches the target is achieved at once: additions are not undone
    done = status(pv, [yr(2021, 1.0), yr(2022, 1.2), yr(2023, 0.8)], as_of=date(2024, 3, 1))
    assert done.status is Status.ACHIEVED
    assert done.latest_value == pytest.approx(3.0)


def test_cumulative_addition_flags_gaps_and_additions_outside_the_period():
    pv = TargetSpec(Comparator.CUMULATIVE_ADDITION, 2021, 2025, value=2.9)
    result = status(pv, [yr(2020, 5.0), yr(2021, 0.5), yr(2023, 0.5)], as_of=date(2024, 3, 1))
    assert result.latest_value == pytest.approx(1.0)
    assert result.flags == (
        "2020-12-31: addition outside 2021-2025; not counted",
        "no addition reported for 2022; counted as nothing added",
    )


def test_at_least_without_a_baseline_starts_at_the_first_value():
    # 到2025年屋顶光伏覆盖率达到50%以上; first value 20 % (2020): linear 2022 = 20 + 30 x 2/5 = 32
    coverage = TargetSpec(Comparator.AT_LEAST, 2021, 2025, value=50)
    result = status(coverage, [yr(2020, 20.0), yr(2022, 30.0)])
    assert result.expected_value == pytest.approx(32.0)
    assert result.gap == pytest.approx(2 / 30)
    assert result.status is Status.ON_TRACK
    assert result.flags == ("no baseline is stated: the trajectory starts at the first value (2020: 20)",)


def test_full_coverage_is_judged_against_100_percent():
    coverage = TargetSpec(Comparator.FULL_COVERAGE, 2021, 2030, value=100)
    # 60 (2020) -> 100 (2030): 2023 expected 72; 64 is 8/40 = 20 % behind
    result = status(coverage, [yr(2020, 60.0), yr(2023, 64.0)], as_of=date(2024, 6, 30))
    assert result.expected_value == pytest.approx(72.0)
    assert result.status is Status.AT_RISK
    assert status(coverage, [yr(2030, 100.0)], as_of=date(2031, 3, 1)).status is Status.ACHIEVED


def test_standard_in_force_has_no_tolerance():
    # 新建数据中心PUE不高于1.3 (ongoing, horizon 2021-2035)
    pue = TargetSpec(Comparator.AT_MOST, 2021, 2035, value=1.3, in_force=True)
    complying = status(pue, [yr(2022, 1.25)])
    assert complying.status is Status.ON_TRACK  # in force until 2035: not achieved yet
    assert complying.expected_value == 1.3
    assert complying.flags == ()
    slightly_over = status(pue, [yr(2022, 1.35)])  # 0.05/1.3 = 3.8 % over
    assert slightly_over.status is Status.AT_RISK
    assert slightly_over.gap == pytest.approx(0.05 / 1.3)
    assert status(pue, [yr(2022, 1.7)]).status is Status.OFF_TRACK  # 0.4/1.3 = 31 % over
    assert status(pue, [yr(2035, 1.2)], as_of=date(2036, 1, 1)).status is Status.ACHIEVED


def test_data_quality_is_returned_as_flags():
    observations = [yr(2021, 0.98), yr(2022, float("nan")), yr(2021, 0.97)]
    result = status(ENERGY, observations)
    assert result.latest_value == 0.97
    assert result.flags == (
        "2022-12-31: the value is not a finite number; ignored",
        "2021-12-31: reported twice; the last one given is used",
    )
    late = status(ENERGY, [yr(2024, 0.9)], as_of=date(2026, 6, 30))
    assert "the 2025 value is due but not reported; the 2024 value is used" in late.flags


def test_peak_test():
    rising = [yr(2020, 100), yr(2021, 110), yr(2022, 120)]
    assert peak_test(rising) is None
    peaked = [*rising, yr(2023, 118), yr(2024, 115)]
    assert peak_test(peaked) == yr(2022, 120)
    assert peak_test(peaked[:4]) is None  # one decline only
    assert peak_test(peaked[:4], min_declines=1) == yr(2022, 120)


def test_peak_by_statuses():
    peak = TargetSpec(Comparator.PEAK_BY, 2021, 2030)
    series = [yr(2020, 100), yr(2021, 110), yr(2022, 120)]
    result = status(peak, [*series, yr(2023, 118), yr(2024, 115)], as_of=date(2025, 6, 30))
    assert result.status is Status.ACHIEVED
    assert result.rule == "peak_test"
    assert "peaked in 2022" in result.reason
    # still rising with 8 years left: on track; with 0 years left: at risk
    assert status(peak, series).status is Status.ON_TRACK
    late = [yr(2028, 100), yr(2029, 110), yr(2030, 120)]
    assert status(peak, late, as_of=date(2031, 6, 30)).status is Status.AT_RISK
    # the highest value so far is after the deadline
    assert status(peak, [*late, yr(2031, 125)], as_of=date(2032, 6, 30)).status is Status.OFF_TRACK
    assert status(peak, [], as_of=date(2021, 6, 30)).status is Status.NOT_YET_DUE
    assert status(peak, [], as_of=date(2023, 6, 30)).status is Status.NO_DATA


def test_every_status_has_its_chinese_name():
    assert {s: s.label_zh for s in Status} == STATUS_LABELS_ZH
    assert Status.ON_TRACK.label_zh == "正常推进"
    assert Status("not_yet_due").label_zh == "未到期"
    assert len(STATUS_LABELS_ZH) == 6


def test_a_baseline_that_already_meets_the_target_must_keep_meeting_it():
    share = TargetSpec(Comparator.AT_LEAST, 2021, 2025, value=50, baseline_year=2020, baseline_value=60)
    keeping = status(share, [yr(2022, 55.0)])
    assert keeping.status is Status.ON_TRACK
    assert keeping.expected_value == 50
    assert keeping.flags == ("the baseline already meets the target: it must keep meeting it",)
    # 45 is 5/50 = 10 % short: no tolerance band, at risk up to 25 %
    slipping = status(share, [yr(2022, 45.0)])
    assert slipping.status is Status.AT_RISK
    assert slipping.gap == pytest.approx(0.1)
