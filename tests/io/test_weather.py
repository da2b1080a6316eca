"""Weather files read through pvlib.iotools: a synthetic EPW written here and pvlib's packaged TMY3 sample."""

from pathlib import Path

import numpy as np
import pvlib
import pytest

from carbonpeak.core.pv.weather import shanghai_typical_year
from carbonpeak.core.pv.yield_ import hourly_yield_per_kwp
from carbonpeak.io.weather import WeatherFileError, default_weather, read_weather

EPW_HEADER = [
    "LOCATION,Shanghai synthetic,SH,CHN,carbonpeak test (synthetic),583670,31.23,121.47,8.0,4.0",
    "DESIGN CONDITIONS,0",
    "TYPICAL/EXTREME PERIODS,0",
    "GROUND TEMPERATURES,0",
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
    "COMMENTS 1,synthetic weather written by the test suite",
    "COMMENTS 2,not measured",
    "DATA PERIODS,1,1,Data,Sunday,1/1,12/31",
]


FLAGS = "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9"


def write_epw(path: Path, *, ghi_nan_row: int | None = None) -> None:
    """Write the synthetic Shanghai year as an 8,760-row EPW file (35 fields a row)."""
    year = shanghai_typical_year()
    lines = list(EPW_HEADER)
    for i, (stamp, row) in enumerate(year.iterrows()):
        start = stamp - np.timedelta64(1, "h")
        ghi = 9999 if i == ghi_nan_row else round(row.ghi)  # 9999 is EPW's missing GHI
        fields = [
            2023, start.month, start.day, start.hour + 1, 0, FLAGS,
            f"{row.temp_air:.1f}", 10.0, 70, 101300, 0, 0, 300,
            ghi, round(row.dni), round(row.dhi), 0, 0, 0, 0, 180, f"{row.wind_speed:.1f}",
            5, 5, 20, 77777, 9, 999999999, 20, 0.1, 0, 88, 0.2, 0, 1,
        ]  # fmt: skip
        assert len(fields) == 35
        lines.append(",".join(str(f) for f in fields))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_epw_is_read_through_pvlib(tmp_path):
    path = tmp_path / "shanghai.epw"
    write_epw(path)
    weather = read_weather(path)
    assert (weather.latitude_deg, weather.longitude_deg, weather.altitude_m) == (31.23, 121.47, 4.0)
    assert weather.source == "shanghai.epw"
    assert len(weather.data) == 8760
    # GHI was rounded to whole W/m2 when written: the annual total stays within 0.5 %
    assert weather.data["ghi"].sum() / 1000 == pytest.approx(1280.0, rel=0.005)
    from_file = hourly_yield_per_kwp(weather.data, 31.23, 121.47, 4.0, [25.0], [180.0]).sum()
    synthetic = hourly_yield_per_kwp(shanghai_typical_year(), 31.23, 121.47, 4.0, [25.0], [180.0]).sum()
    assert from_file == pytest.approx(synthetic, rel=0.01)


def test_epw_missing_value_names_the_file_and_field(tmp_path):
    path = tmp_path / "gap.epw"
    write_epw(path, ghi_nan_row=4000)
    with pytest.raises(WeatherFileError, match=r"gap\.epw: field ghi: missing value"):
        read_weather(path)


def test_packaged_tmy3_is_read():
    path = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"
    weather = read_weather(path)
    assert weather.latitude_deg == pytest.approx(36.1, abs=0.05)
    assert len(weather.data) == 8760
    assert weather.data.index.is_monotonic_increasing
    assert weather.data["ghi"].sum() / 1000 > 1000  # Greensboro, NC: about 1,600 kWh/m2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("w.txt", "x", "'.txt' weather files are not supported"),
        ("w.epw", "LOCATION,broken\n1,2,3\n", "cannot be read as EPW"),
        ("w.csv", "a,b\n1,2\n", "cannot be read as TMY3"),
    ],
)
def test_bad_files_are_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WeatherFileError, match=message):
        read_weather(path)


def test_missing_file(tmp_path):
    with pytest.raises(WeatherFileError, match=r"nope\.epw: file not found"):
        read_weather(tmp_path / "nope.epw")


def test_default_weather_is_labelled_synthetic():
    weather = default_weather()
    assert weather.source == "synthetic"
    assert weather.data.attrs["source"] == "synthetic"
