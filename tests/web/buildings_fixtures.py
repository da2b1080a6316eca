"""Data shared by the building tests: a two-building site with interval, gas and register meters (the
``site`` fixture in ``tests/web/conftest.py`` loads it)."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2023, 1, 1, tzinfo=SH)
BUILDINGS = (
    "id,name,primary_use,floor_area_m2,public_institution,lat,lon,publishable\n"
    "B1,区政务中心,commercial_office,10000,yes,31.27,121.52,yes\n"
    "B2,滨江商场,shopping_mall,50000,no,31.26,121.53,no\n"
)
METERS = (
    "id,building_id,energy_class,unit,category,kind,register_max\n"
    "E1,B1,electricity,kWh,total,interval,\n"
    "G1,B1,gas,m3,total,interval,\n"
    "R1,B1,electricity,kWh,hvac,cumulative,99999\n"
    "E2,B2,electricity,kWh,total,interval,\n"
)


def readings_file(tmp_path: Path, lines: list[str], name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_text("meter_id,timestamp,value\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(path: Path, **kw: Any) -> Any:
    """Read a readings file and ingest it a year and more after ``T0`` (so nothing is in the future)."""
    from carbonpeak.io.readings import read_readings_file
    from carbonpeak.web.buildings import services

    readings, problem = read_readings_file(path)
    assert problem is None
    return services.readings_ingest(readings=readings, source="file", now=T0 + timedelta(days=400), **kw)
