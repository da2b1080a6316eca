"""The office opens the district's retrofit ranking and a project's page with its charts (a real browser
and server; the SYNTHETIC retrofit demo is loaded into the server's database first)."""

import os
import subprocess

import pytest

from tests.e2e.conftest import CARBONPEAK

pytestmark = pytest.mark.browser

LOAD = """
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.retrofits.services import demo_retrofits_load
uses = ("government_office", "commercial_office")
if not Building.objects.filter(synthetic=True, primary_use__in=uses).exists():
    Building.objects.create(code="E2E-RF", name="合成建筑 E2E", primary_use="government_office",
                            floor_area_m2=20000, synthetic=True)
print(demo_retrofits_load(seed=3))
"""


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def test_project_page_shows_fit_savings_and_band(server, page):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = str(server.data_dir)
    done = subprocess.run(
        [CARBONPEAK, "manage", "shell", "-c", LOAD], env=env, capture_output=True, text=True, timeout=300
    )
    assert "SYNTHETIC retrofit projects" in done.stdout, done.stderr
    page.goto(f"{server.url}/retrofits/")
    assert "/accounts/login/" in page.url
    login(page, server)
    page.goto(f"{server.url}/retrofits/")
    rows = page.locator("#ranking tbody tr[data-project]")
    assert rows.count() >= 1
    assert page.locator(".synthetic").count() >= 1  # synthetic data is labelled
    first = rows.first.get_attribute("data-project")
    rows.first.locator("a").first.click()
    page.wait_for_url(f"{server.url}/retrofits/{first}/")
    for chart in ("#baseline-chart", "#reporting-chart", "#cumulative-chart"):
        page.wait_for_selector(f"{chart}[data-rendered]")
        assert int(page.locator(chart).get_attribute("data-rendered")) >= 300  # a year of days
        assert page.locator(f"{chart} canvas").count() == 1
    assert page.locator("#gates tr[data-gate='monthly']").count() == 1
    assert page.locator("#fsu").inner_text().startswith("±")
    page.click("#compute-form button")
    page.wait_for_url(f"{server.url}/retrofits/{first}/")
    assert page.locator("#savings-cards").count() == 1
