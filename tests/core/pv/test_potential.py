"""Rooftop potential: hand-worked arithmetic on the documented defaults."""

import numpy as np
import pytest

from carbonpeak.core.pv import PvInputError
from carbonpeak.core.pv.potential import (
    MODULE_KWP_PER_M2,
    USABLE_ROOF_SHARE,
    default_orientation,
    rooftop_potential,
)


def test_defaults_are_documented_assumptions():
    assert MODULE_KWP_PER_M2 == 0.20
    assert USABLE_ROOF_SHARE["school_university"] == (0.60, 0.50)
    assert set(USABLE_ROOF_SHARE) >= {"government_office", "industrial", "other"}


def test_potential_by_hand():
    # school, flat: 1,000 m2 × 0.60 = 600 m2 usable; × 0.5 ground coverage × 0.20 kWp/m2 = 60 kWp
    # residential, pitched: 500 m2 × 0.40 = 200 m2; × 1.0 × 0.20 = 40 kWp
    # industrial, flat: 2,000 m2 × 0.70 = 1,400 m2; × 0.5 × 0.20 = 140 kWp
    result = rooftop_potential(
        [1000.0, 500.0, 2000.0],
        ["school_university", "residential", "industrial"],
        ["flat", "pitched", "flat"],
    )
    np.testing.assert_allclose(result.usable_area_m2, [600.0, 200.0, 1400.0])
    np.testing.assert_allclose(result.capacity_kwp, [60.0, 40.0, 140.0])
    _usable, capacity = result  # unpacks as two arrays
    assert capacity.shape == (3,)


def test_default_roof_type_is_flat_and_share_override():
    result = rooftop_potential([100.0], ["hotel"])
    assert result.usable_area_m2[0] == pytest.approx(50.0)
    surveyed = rooftop_potential([100.0], ["hotel"], ["pitched"], share=[0.8], module_kwp_per_m2=0.22)
    assert surveyed.usable_area_m2[0] == pytest.approx(80.0)
    assert surveyed.capacity_kwp[0] == pytest.approx(17.6)


@pytest.mark.parametrize(
    ("area", "use", "roof", "message"),
    [
        ([-1.0], ["hotel"], ["flat"], "finite number"),
        ([float("nan")], ["hotel"], ["flat"], "finite number"),
        ([1.0], ["castle"], ["flat"], "'castle' is not a primary use"),
        ([1.0], ["hotel"], ["dome"], "'dome' is not a roof type"),
        ([1.0, 2.0], ["hotel"], ["flat"], "2 roof areas but 1 primary uses"),
    ],
)
def test_bad_input_is_refused(area, use, roof, message):
    with pytest.raises(PvInputError, match=message):
        rooftop_potential(area, use, roof)


def test_default_orientation():
    tilt, azimuth = default_orientation(["flat", "pitched"])
    np.testing.assert_allclose(tilt, [20.0, 25.0])
    np.testing.assert_allclose(azimuth, [180.0, 180.0])
    with pytest.raises(PvInputError):
        default_orientation(["dome"])
