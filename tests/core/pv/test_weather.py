"""The synthetic Shanghai typical year: calibration and labelling."""

import numpy as np
import pytest

from carbonpeak.core.flags import Evidence
from carbonpeak.core.pv.weather import (
    GBT37526_CLASS_C_KWH_PER_M2,
    SHANGHAI_ANNUAL_GHI_EVIDENCE,
    SHANGHAI_ANNUAL_GHI_KWH_PER_M2,
    SHANGHAI_MONTHLY_GHI_SHARE,
    shanghai_typical_year,
)


@pytest.fixture(scope="module")
def year():
    return shanghai_typical_year()


def test_annual_ghi_equals_the_calibration_value(year):
    assert len(year) == 8760
    # hourly means [W/m2] × 1 h summed = Wh/m2
    assert year["ghi"].sum() / 1000 == pytest.approx(SHANGHAI_ANNUAL_GHI_KWH_PER_M2, rel=1e-9)
    assert SHANGHAI_ANNUAL_GHI_KWH_PER_M2 == 1280.0
    low, high = GBT37526_CLASS_C_KWH_PER_M2
    assert low <= SHANGHAI_ANNUAL_GHI_KWH_PER_M2 <= high
    assert SHANGHAI_ANNUAL_GHI_EVIDENCE is Evidence.RECALLED


def test_monthly_shares(year):
    assert sum(SHANGHAI_MONTHLY_GHI_SHARE) == pytest.approx(1.0)
    mid = year.index - np.timedelta64(30, "m")
    july = year["ghi"][mid.month == 7].sum() / 1000
    assert july == pytest.approx(1280.0 * 0.121, rel=1e-9)


def test_components_are_consistent_and_labelled(year):
    assert year.attrs["source"] == "synthetic"
    assert "synthetic" in year.attrs["description"]
    assert (year[["ghi", "dni", "dhi"]] >= 0).all().all()
    assert (year["dhi"] <= year["ghi"] + 1e-6).all()
    night = year["ghi"] == 0
    assert night.sum() > 3000  # about half the hours are dark
    assert year["temp_air"].between(-5, 40).all()
    assert str(year.index.tz) == "Etc/GMT-8"
