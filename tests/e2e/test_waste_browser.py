"""The office uploads SYNTHETIC street waste sheets and reads the streets page: rates, ranks, the plan's
targets, the district roll-up, in Chinese and English (a real browser and server).

With ``CARBONPEAK_SHOTS=DIR`` the test saves the streets and import pages in zh-Hans and en at
1366x768 and 390x844 into DIR.
"""

import os
from pathlib import Path

import pytest
import yaml

from carbonpeak.core.plan import parse_plan
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.demo.waste import demo_waste_files

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "mobile": {"width": 390, "height": 844}}


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def test_uploaded_street_sheets_show_rates_against_the_targets(server, browser, tmp_path):
    plan, _ = parse_plan(yaml.safe_load(REFERENCE_PLAN.read_text(encoding="utf-8")))
    assert plan is not None
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{server.url}/waste/")
    assert "/accounts/login/" in page.url
    login(page, server)
    page.goto(f"{server.url}/waste/")
    if page.locator("#no-data").count():
        for name, content in demo_waste_files(plan.units, seed=5):
            path = tmp_path / name
            path.write_bytes(content)
            page.goto(f"{server.url}/waste/import/")
            page.set_input_files("input[name=file]", str(path))
            page.click("#import-form button")
            page.wait_for_url(f"{server.url}/waste/")
    # a bad sheet is refused whole, with the row and field named
    bad = tmp_path / "bad.csv"
    bad.write_text("street,period,kind,assessed,compliant\n五角场街道,2024,unit,10,12\n", encoding="utf-8")
    page.goto(f"{server.url}/waste/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#import-form button")
    assert "bad.csv, row 2: field compliant" in page.locator("#upload-errors").inner_text()

    page.goto(f"{server.url}/waste/?year=2024")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "生活垃圾分类与资源回收"
    assert page.locator("#synthetic-label").count() == 1
    rows = page.locator("#streets-table tbody tr[data-street]")
    assert rows.count() == 6
    assert page.locator("tr[data-street='五角场街道'] td").nth(1).inner_text() == "五角场街道"  # its unit
    assert "≥ 45 %" in page.locator("main").inner_text()
    assert "≥ 95 %" in page.locator("main").inner_text()
    ranks = sorted(int(rows.nth(i).locator("td").nth(3).inner_text()) for i in range(6))
    assert ranks == [1, 2, 3, 4, 5, 6]
    assert page.locator("#district-recovery").inner_text().endswith("%")
    assert page.locator("#district-emissions").inner_text() == "未知"
    # the 2025 sheet covers January-September: flagged, not silently annual
    page.select_option("select[name=year]", "2025")
    page.click("#year-form button")
    page.wait_for_url(f"{server.url}/waste/?year=2025")
    assert "报送期间未覆盖全年" in page.locator("#streets-table").inner_text()
    # no horizontal overflow of the page itself (the table scrolls inside its box)
    shots = os.environ.get("CARBONPEAK_SHOTS")
    for language in ("zh-hans", "en"):
        if language == "en":
            page.click('button[data-lang="en"]')
            page.wait_for_selector("html[lang='en']")
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            for url, slug in (("/waste/?year=2024", "streets"), ("/waste/import/", "import")):
                page.goto(f"{server.url}{url}")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (slug, language, name, overflow)
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(Path(shots) / f"{slug}-{language}-{name}.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Import waste statistics"
    page.goto(f"{server.url}/waste/?year=2024")
    assert "Resource recovery rate" in page.locator("main").inner_text()
    assert "utilised_exceeds" not in page.content()
    context.close()
