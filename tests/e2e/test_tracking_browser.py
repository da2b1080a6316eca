"""Target tracking in a real browser: a unit reporter submits a value with evidence, the office approves
it, and the status on the dashboard changes (demo accounts are synthetic; passwords in the data dir)."""

import json
import re

import pytest

pytestmark = pytest.mark.browser
TARGET = "waste_sorting_compliance_2025"  # ≥ 95 % by 2025, lead unit 区绿化市容局 (reported)
PDF = b"%PDF-1.4\n% synthetic evidence for a browser test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, server, username, password):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def circular_economy_counts(page, server) -> dict[str, int]:
    page.goto(f"{server.url}/")
    row = page.locator('tr[data-action="circular_economy"]')
    return {
        status: int(row.locator(f'td[data-status="{status}"]').inner_text())
        for status in ("achieved", "no_data")
    }


@pytest.mark.skip(
    reason="the reference plan has no hand-reported quantitative target left for a demo unit: "
    "waste sorting is now computed from the street statistics; the journey needs a reported target "
    "(closing note, wave 2)"
)
def test_report_approve_and_the_dashboard_changes(server, browser, tmp_path):
    accounts = json.loads((server.data_dir / "demo-units.json").read_text())
    reporter = accounts["demo-landscaping-reporter"]
    assert reporter["unit"] == "landscaping_city_appearance_bureau"

    office = browser.new_context(locale="en-US")
    office_page = office.new_page()
    login(office_page, server, server.username, server.password)
    before = circular_economy_counts(office_page, server)

    unit = browser.new_context(locale="en-US")
    page = unit.new_page()
    login(page, server, "demo-landscaping-reporter", reporter["password"])
    page.goto(f"{server.url}/tracking/targets/{TARGET}/")
    assert page.locator("#review").count() == 0  # a unit cannot approve
    evidence = tmp_path / "waste-sorting-2025.pdf"
    evidence.write_bytes(PDF)
    page.fill("#id_year", "2025")
    page.fill("#id_value", "96.2")
    page.fill("#id_note", "synthetic test value")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("#report button[name=submit][value='1']")
    page.wait_for_selector("#history tr[data-state='submitted']")
    assert "waste-sorting-2025.pdf" in page.locator("#history").inner_text()
    assert circular_economy_counts(page, server) == before  # pending values change no status

    office_page.goto(f"{server.url}/tracking/queue/")
    row = office_page.locator(f'#queue tr[data-target="{TARGET}"]')
    assert "96.2" in row.inner_text()
    row.locator("button[value=approve]").click()
    office_page.wait_for_url(f"{server.url}/tracking/queue/")
    assert office_page.locator(f'#queue tr[data-target="{TARGET}"]').count() == 0

    after = circular_economy_counts(office_page, server)
    assert after["achieved"] == before["achieved"] + 1
    assert after["no_data"] == before["no_data"] - 1
    office_page.goto(f"{server.url}/tracking/targets/{TARGET}/")
    assert office_page.locator("#target-status").get_attribute("data-status") == "achieved"
    assert re.search(r"96\.2", office_page.locator("#history").inner_text())
    office.close()
    unit.close()


def test_a_computed_target_shows_its_chart_and_synthetic_label(server, page):
    page.goto(f"{server.url}/tracking/targets/energy_intensity_reduction_2025/")
    page.wait_for_selector("#target-chart[data-rendered='true']")
    assert "inventory run" in page.locator("#target-status").inner_text()
    assert page.locator("#target-status .synthetic").count() == 1
