"""SYNTHETIC demo PV generation: energy, times and commissioning, checked by hand."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from carbonpeak.demo.renewables import generation_readings

SH = ZoneInfo("Asia/Shanghai")


def test_generation_spreads_each_hour_over_four_quarters_from_commissioning():
    hourly = np.zeros(8760)
    hourly[12] = 0.8  # 1 January, 12:00-13:00: 0.8 kWh per kWp
    hourly[24 * 40 + 10] = 0.4  # 10 February, 10:00-11:00
    stamps, values = generation_readings(hourly, 10.0, date(2025, 2, 1), seed=1)
    assert len(stamps) == (365 - 31) * 96  # nothing metered before 1 February
    assert stamps[0] == int(datetime(2025, 2, 1, tzinfo=SH).timestamp()) * 10**9
    assert np.all(np.diff(stamps) == 900 * 10**9)
    hour = (stamps >= int(datetime(2025, 2, 10, 10, tzinfo=SH).timestamp()) * 10**9) & (
        stamps < int(datetime(2025, 2, 10, 11, tzinfo=SH).timestamp()) * 10**9
    )
    assert hour.sum() == 4
    quarter = values[hour]
    assert np.all(quarter == quarter[0])  # one hour's energy split evenly
    assert 4 * quarter[0] == pytest.approx(0.4 * 10.0, rel=0.45)  # 4 kWh times a day's factor in [0.6, 1.2]
    assert values.sum() == pytest.approx(4 * quarter[0], abs=1e-3)  # the January hour is not metered


def test_generation_is_deterministic_and_refuses_a_short_profile():
    hourly = np.linspace(0, 1, 8760)
    a = generation_readings(hourly, 5.0, date(2020, 1, 1), seed=7)
    b = generation_readings(hourly, 5.0, date(2020, 1, 1), seed=7)
    assert np.array_equal(a[1], b[1])
    assert len(a[0]) == 35_040
    with pytest.raises(ValueError, match="8,760 hourly values"):
        generation_readings(np.zeros(24), 1.0, date(2025, 1, 1), seed=1)
