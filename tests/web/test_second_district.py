"""A second district, end to end: an invented district in another province runs on its own data.

``carbonpeak setup`` loads its plan and its own reference data into an empty database; its buildings,
meters, readings, PV installations, charging sites and inventory are imported; then every page, every API
listing and every CLI report is rendered. Nothing of the reference district may show through: no 杨浦 or
Yangpu, none of its numbers (29000, 1800), not its region (CN-SH) and none of its target codes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.urls import URLPattern, URLResolver, get_resolver

from carbonpeak.cli import main
from carbonpeak.data import REFERENCE_PLAN
from tests.fixtures.districts.qinghe.reference import HERE, PLAN, build_reference_dir

pytestmark = pytest.mark.django_db

PASSWORD = "qinghe-office-2026"
YEAR = 2025


def _reference_target_codes() -> set[str]:
    document = yaml.safe_load(REFERENCE_PLAN.read_text(encoding="utf-8"))
    targets = [t for g in document.get("goals", []) for t in g["targets"]]
    targets += [t for a in document["actions"] for k in a["tasks"] for t in k["targets"]]
    return {t["code"] for t in targets}


FORBIDDEN = ["杨浦", "Yangpu", "CN-SH"]
NUMBERS = re.compile(r"(?<![\d.,])(29,?000|1,?800)(?![\d,])")
"""The reference plan's 29,000 kW and 1,800 chargers, as whole numbers (not inside 180000 or 0.1800)."""


def _leaks(text: str, codes: set[str]) -> list[str]:
    found = [word for word in FORBIDDEN if word in text] + sorted(set(NUMBERS.findall(text)))
    words = set(re.findall(r"[a-z0-9_]+", text))
    return found + sorted(codes & words)


def _readings_file(path: Path) -> Path:
    """Daily readings of the district's meters over two complete years (SYNTHETIC)."""
    zone = ZoneInfo("Asia/Shanghai")
    lines = ["meter_id,timestamp,value"]
    daily = {"QH-E01": 9000.0, "QH-E02": 3500.0, "QH-E04": 26000.0, "QH-IT04": 20000.0}
    start = datetime(YEAR - 1, 1, 1, tzinfo=zone)
    for day in range(731):
        stamp = (start + timedelta(days=day)).isoformat()
        lines += [f"{meter},{stamp},{kwh}" for meter, kwh in daily.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _meters_daily(path: Path) -> Path:
    text = (HERE / "meters.csv").read_text(encoding="utf-8")
    rows = text.strip().splitlines()
    rows[0] += ",interval_minutes,it_load"
    rows[1:] = [r + (",1440,yes" if r.startswith("QH-IT04") else ",1440,no") for r in rows[1:]]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            out += _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append((prefix + str(p.pattern), p.name))
    return out


def _text(response) -> str:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:  # the cells, not the theme's drawing numbers
            parts = [
                n
                for n in archive.namelist()
                if n.startswith("xl/worksheets/") or n.endswith("sharedStrings.xml")
            ]
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in parts)
    if "pdf" in kind:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(content)
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return content.decode("utf-8", "replace")


@pytest.fixture
def district(tmp_path, monkeypatch, capsys, client):
    monkeypatch.setenv("CARBONPEAK_ADMIN_PASSWORD", PASSWORD)
    data_dir = build_reference_dir(tmp_path)
    assert main(["setup", "--plan", str(PLAN), "--data-dir", str(data_dir), "--admin", "office"]) == 0
    setup_out = capsys.readouterr().out
    assert "qinghe-2024 loaded as new version 1" in setup_out
    assert "office administrator office: created" in setup_out
    assert main(["buildings", "import", str(HERE / "buildings.csv")]) == 0
    assert main(["meters", "import", str(_meters_daily(tmp_path / "meters.csv"))]) == 0
    assert main(["readings", "import", str(_readings_file(tmp_path / "readings.csv"))]) == 0
    assert main(["pv", "import", str(HERE / "pv.csv")]) == 0
    assert main(["chargers", "import", str(HERE / "chargers.csv")]) == 0
    from carbonpeak.io.inventory import write_activity_workbook

    activity = list(csv.DictReader(io.StringIO((HERE / "activity.csv").read_text(encoding="utf-8"))))
    statistics = list(csv.DictReader(io.StringIO((HERE / "statistics.csv").read_text(encoding="utf-8"))))
    workbook = io.BytesIO()
    write_activity_workbook(activity, statistics, workbook)
    workbook.name = "qinghe-yearbook.xlsx"
    workbook.seek(0)
    assert client.login(username="office", password=PASSWORD)
    response = client.post("/inventory/upload/", {"name": "清河区统计数据 (SYNTHETIC)", "file": workbook})
    assert response.status_code == 302, response.content.decode()[:2000]
    capsys.readouterr()
    return tmp_path


def test_setup_twice_changes_nothing(district, capsys, tmp_path):
    data_dir = build_reference_dir(tmp_path / "again")
    assert main(["setup", "--plan", str(PLAN), "--data-dir", str(data_dir), "--admin", "office"]) == 0
    out = capsys.readouterr().out
    tables = len(yaml.safe_load((data_dir / "manifest.yaml").read_text(encoding="utf-8"))["tables"])
    assert f"0 table versions loaded, {tables} already present" in out
    assert "already loaded, unchanged: 1" in out
    assert "office administrator office: exists, unchanged" in out


def test_the_district_runs_on_its_own_plan_and_data(district, client, capsys):
    from carbonpeak.web.buildings.models import Building
    from carbonpeak.web.inventory.models import InventoryRun
    from carbonpeak.web.plan.selectors import current_plan_version
    from carbonpeak.web.tracking.selectors import target_rows

    assert current_plan_version().plan_code == "qinghe-2024"
    run = InventoryRun.objects.get()
    assert run.region == "CN-ZJ"
    # the district's own factor (5.0 tCO2/万kWh, SYNTHETIC) and its own goal (12 % below 2021 by 2026)
    year = next(y for y in run.document["years"] if y["year"] == 2021)
    assert year["co2_t"] > 0
    assert run.document["intensity_goal"]["target"] == {
        "baseline_year": 2021,
        "target_year": 2026,
        "reduction_pct": 12.0,
    }
    assert "qh-elec-fixture" in {f["factor_id"] for f in run.document["factors_used"]}

    rows = {r.code: r for r in target_rows(as_of=date(YEAR + 1, 6, 30))}
    # 1,600 kWp commissioned 2023-2024 against 15,000 kW in 2022-2026 (the plan's own unit: kW)
    assert rows["qh_pv_added"].value_source == "computed"
    assert rows["qh_pv_added"].result.latest_value == pytest.approx(1600.0)
    assert rows["qh_public_chargers"].result.latest_value == pytest.approx(90.0)  # 60 + 30 chargers
    assert rows["qh_energy_intensity_2026"].value_source == "computed"
    # the PUE limits are the plan's: 26,000 / 20,000 = 1.3 for a centre built 2025 (new from 2024: ≤ 1.25)
    metrics = _metrics(capsys)
    centre = next(m for m in metrics if m["id"] == "QH-B04")
    assert (centre["pue"], centre["pue_limit"], centre["pue_status"]) == (1.3, 1.25, "over_limit")
    # the audit duty covers public buildings over the plan's 20,000 m²: the 25,000 m² centre, not the school
    audited = {m["id"]: m["audit_due"] for m in metrics}
    assert audited["QH-B01"] == "never_audited"
    assert audited["QH-B02"] is None
    assert Building.objects.count() == 4


def _metrics(capsys) -> list[dict]:  # type: ignore[type-arg]
    assert main(["buildings", "metrics", "--year", str(YEAR), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_no_page_api_or_report_shows_the_reference_district(district, client, capsys, tmp_path):
    from carbonpeak.web.areas.models import SubArea
    from carbonpeak.web.buildings.models import Building
    from carbonpeak.web.inventory.models import InventoryRun
    from carbonpeak.web.plan.selectors import current_plan
    from carbonpeak.web.reference.selectors import latest_versions

    codes = _reference_target_codes()
    plan = current_plan()
    codes_by_prefix = {
        "plan/units/": [u.id for u in plan.units],
        "buildings/": [b.code for b in Building.objects.all()],
        "targets/": [t.code for _, t in plan.all_targets()],
        "areas/": [a.code for a in SubArea.objects.all()] or ["none-registered"],
    }
    fill = {
        "name": [t.name for t in latest_versions()],
        "run_id": [InventoryRun.objects.get().pk],
        "year": [YEAR],
        "fmt": ["pdf", "xlsx"],
    }
    skip = {
        "logout",
        "set_language",
        "save",
        "evidence",
        "post_readings",
        "post_value",
        "review_value",
        "api-root",
    }
    seen: dict[str, str] = {}
    for pattern, name in _patterns(get_resolver()):
        if pattern.startswith("admin/") or name in skip:
            continue
        urls = [pattern]
        for key in re.findall(r"<(?:\w+:)?(\w+)>", pattern):
            values = fill.get(key) or next(
                (v for p, v in codes_by_prefix.items() if re.search(rf"(^|/){re.escape(p)}", pattern)), []
            )
            urls = [re.sub(rf"<(?:\w+:)?{key}>", str(v), u) for u in urls for v in values]
        for url in urls:
            path = "/" + url.replace("\\", "")
            if name == "cell":
                path += "?year=2023&sector=commercial&area=district"
            if name == "get_factor":
                path += "?carrier=electricity&year=2023"
            response = client.get(path)
            # pages answer 200; API listings may answer 401/404/409/422 for a token, no data or a missing
            # parameter, but nothing may fail on the server
            if path.startswith("/api/") or "none-registered" in path:
                assert response.status_code < 500, (path, response.status_code)
            else:
                assert response.status_code in (200, 405, 409), (path, response.status_code)
            seen[path] = _text(response)
    for language in ("en", "zh-hans"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        for path in ("/", "/plan/", "/renewables/", "/buildings/", "/tracking/", "/inventory/"):
            seen[f"{path} [{language}]"] = _text(client.get(path))
    client.logout()
    for path in ("/", "/plan/", "/buildings/disclosure/", "/buildings/disclosure.xlsx"):
        seen[f"{path} [public]"] = _text(client.get(path))

    reports = {
        "indicators status json": ["indicators", "status", "--format", "json"],
        "indicators status table": ["indicators", "status", "--format", "table"],
        "buildings metrics": ["buildings", "metrics", "--year", str(YEAR), "--format", "json"],
        "plan export": ["plan", "export", "--format", "yaml"],
        "plan list": ["plan", "list"],
        "project": ["project", "--scenario", "plan", "--draws", "50", "--format", "json"],
    }
    for label, argv in reports.items():
        main(argv)
        captured = capsys.readouterr()
        seen[label] = captured.out + captured.err
    for suffix in ("pdf", "xlsx"):
        out = tmp_path / f"annual.{suffix}"
        assert main(["report", "annual", "--year", str(YEAR), "--out", str(out)]) == 0
        capsys.readouterr()
        seen[f"report annual {suffix}"] = _text(_FileResponse(out))

    leaks = {where: found for where, text in seen.items() if (found := _leaks(text, codes))}
    context = {
        where: [text[max(0, text.find(w) - 80) : text.find(w) + 40] for w in found if w in text]
        for where, found in leaks.items()
        for text in [seen[where]]
    }
    assert leaks == {}, context
    assert len(seen) > 60
    assert "清河区" in seen["/"]
    assert "Qinghe District carbon-peak platform" in seen["/ [en]"]
    assert "1.5万千瓦" in seen["plan export"] or "15000" in seen["plan export"]


class _FileResponse:
    """A file read back like a response (for :func:`_text`)."""

    streaming = False

    def __init__(self, path: Path) -> None:
        self.content = path.read_bytes()
        self._kind = "application/pdf" if path.suffix == ".pdf" else "spreadsheetml"

    def get(self, key: str, default: str = "") -> str:
        return self._kind
