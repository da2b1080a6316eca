"""Building metrics against hand calculations."""

from datetime import datetime, timedelta

import pytest

from carbonpeak.core.buildings.metrics import (
    InsufficientDataError,
    Quota,
    base_load_ratio,
    building_energy,
    normalise_degree_days,
    peer_percentile,
    public_institution_indicators,
    pue,
    pue_status,
    quota_correction,
    quota_position,
)
from carbonpeak.data import packaged_library

LIB = packaged_library()
OFFICE = Quota("db31-1341-office-i", "DB31/T 1341-2021", "商务办公", 14, None, 11, "kgce/m2/a", 0.1229)
MALL = Quota("db31-552-mall", "DB31/T 552-2017", "商场", 90, None, 65, "kgce/m2/a", 0.28232)


def energy():
    return building_energy(
        {"electricity": (1_000_000, "kWh"), "gas": (10_000, "m3"), "water": (5_000, "m3")},
        year=2023,
        library=LIB,
        region="CN-SH",
    )


def test_hand_worked_building_energy_and_carbon():
    e = energy()
    # 1,000,000 kWh x 0.1229 + 10,000 m3 x 1.2143 = 122,900 + 12,143 = 135,043 kgce
    assert e.kgce == pytest.approx(135_043.0)
    # 1,000,000 kWh x 0.42 kg/kWh = 420 t; 10,000 m3 x 2.16218881 kg/m3 = 21.6219 t
    assert e.co2_t == pytest.approx(441.6218881)
    # site energy: electricity as metered + 12,143 kgce x 29,307/3,600 kWh/kgce
    assert e.energy_kwh == pytest.approx(1_000_000 + 12_143 * 29_307 / 3_600)
    assert e.kgce_equal_value is None  # the electricity coal rate is unknown (evidence X)


def test_quota_uses_the_standard_electricity_coefficient():
    office = quota_position(energy(), 10_000, OFFICE)
    assert office.value == pytest.approx(13.5043)
    assert office.status == "over_guide"
    mall = quota_position(energy(), 10_000, MALL)
    # equal-value: (1,000,000 x 0.28232 + 12,143) / 10,000 = 29.4463 kgce/m2
    assert mall.value == pytest.approx(29.4463)
    assert mall.status == "within_guide"
    small = quota_position(energy(), 9_000, OFFICE)
    assert small.status == "over_constraint"  # 15.0048 > 14
    assert quota_position(energy(), 10_000, None).status == "no_quota"


GOV = Quota(
    "gbt-51161-b-government",
    "GB/T 51161-2016",
    "B类 党政机关",
    90,
    None,
    65,
    "kWh/m2/a",
    None,
    "gbt51161_operating_hours",
)


def test_gbt51161_operating_hours_correction_scales_the_measured_value():
    # 1,098,855 kWh / 10,000 m2 = 109.886 kWh/m2; T = 3,500 h: gamma1 = 0.3 + 0.7 x 2500 / 3500 = 0.8
    e = energy()
    position = quota_position(e, 10_000, GOV, operating_hours_h_per_a=3_500)
    assert position.correction_factor == pytest.approx(0.8)
    assert position.uncorrected_value == pytest.approx(e.energy_kwh / 10_000)
    assert position.value == pytest.approx(0.8 * e.energy_kwh / 10_000)  # 87.91 < 90: within the constraint
    assert position.status == "over_guide"
    assert quota_correction("gbt51161_operating_hours", operating_hours_h_per_a=2_500) == pytest.approx(1.0)


def test_a_correction_that_cannot_be_applied_is_flagged_not_guessed():
    e = energy()
    unknown_hours = quota_position(e, 10_000, GOV)
    assert unknown_hours.correction_factor is None
    assert unknown_hours.value == unknown_hours.uncorrected_value
    assert unknown_hours.status == "over_constraint"  # 109.9 kWh/m2 uncorrected
    assert "operating hours unknown" in unknown_hours.flags[0]
    university = Quota(
        "db31-783", "DB31/T 783", "本科", 36.3, 25.9, 19.3, "kgce/m2/a", None, "not_transcribed"
    )
    flagged = quota_position(e, 10_000, university)
    assert "not in the reference data" in flagged.flags[0]
    with pytest.raises(ValueError, match="unknown quota correction 'gamma2'"):
        quota_correction("gamma2", operating_hours_h_per_a=2_500)
    with pytest.raises(ValueError, match="must be positive"):
        quota_correction("gbt51161_operating_hours", operating_hours_h_per_a=0)


def test_peer_percentile_is_a_mid_rank():
    peers = [10.0, 20.0, 30.0, 40.0]
    assert [peer_percentile(v, peers) for v in peers] == [13, 38, 63, 88]
    assert peer_percentile(5.0, [5.0, 5.0]) == 50


def test_pue_and_the_plan_limits():
    assert pue(1_300_000, 1_000_000) == pytest.approx(1.3)
    # the reference plan's limits (三(二)1): new data centres 1.3, existing ones 1.4
    assert pue_status(1.3, limit=1.3) == "within_limit"
    assert pue_status(1.35, limit=1.3) == "over_limit"
    assert pue_status(1.35, limit=1.4) == "within_limit"


def test_base_load_ratio():
    start = datetime(2024, 3, 4)  # a Monday
    hourly = [
        (
            start + timedelta(hours=h),
            50.0
            if (start + timedelta(hours=h)).weekday() < 5 and 9 <= (start + timedelta(hours=h)).hour < 17
            else 10.0,
        )
        for h in range(7 * 24)
    ]
    assert base_load_ratio(hourly) == pytest.approx(0.2)


def test_degree_day_normalisation_recovers_a_linear_model():
    dd = [300, 250, 150, 60, 20, 80, 200, 230, 120, 40, 100, 280]
    energy_by_month = [1000 + 5 * d for d in dd]
    normal = [250] * 12
    assert normalise_degree_days(energy_by_month, dd, normal) == pytest.approx(12 * 1000 + 5 * 3000)
    with pytest.raises(InsufficientDataError, match="8 months of data"):
        normalise_degree_days(energy_by_month[:8], dd[:8], normal)
    assert normalise_degree_days(
        energy_by_month[:8], dd[:8], normal, allow_insufficient=True
    ) == pytest.approx(27_000)


def test_public_institution_indicators_against_2020():
    base = {"energy_kgce": 1000.0, "water_m3": 500.0, "co2_t": 2.0, "floor_area_m2": 100.0, "occupants": 10.0}
    now = {"energy_kgce": 940.0, "water_m3": 470.0, "co2_t": 1.9, "floor_area_m2": 100.0, "occupants": 10.0}
    # the reference plan's 2025 cuts against 2020 (三(八)2)
    cuts = {"energy_per_m2": 5.0, "energy_per_capita": 6.0, "water_per_capita": 7.0, "carbon_per_m2": 7.0}
    result = public_institution_indicators(now, base, cuts_pct=cuts)
    assert result["energy_per_m2"]["change_pct"] == pytest.approx(-6.0)
    assert result["energy_per_m2"]["met"] is True  # target -5 %
    assert result["water_per_capita"]["met"] is False  # -6 % against a -7 % target
    assert result["carbon_per_m2"]["change_pct"] == pytest.approx(-5.0)
