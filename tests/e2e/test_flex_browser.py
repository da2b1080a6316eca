"""The VPP operator reads the district totals, opens the settled demo event and its statements, and the
configuration comparison runs (a real browser and server). With ``CARBONPEAK_SHOTS=DIR`` every flex page is
also captured in zh-Hans and en at 1366x768 and 390x844."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LOAD = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'carbonpeak.web.config.settings'); "
    "django.setup(); from carbonpeak.web.flex.services import demo_flex_load; print(demo_flex_load(seed=1))"
)


@pytest.fixture(scope="module")
def flex_server(server):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = str(server.data_dir)
    out = subprocess.run(
        [sys.executable, "-c", LOAD], env=env, check=True, capture_output=True, text=True, timeout=300
    )
    assert "SYNTHETIC" in out.stdout
    return server


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def test_vpp_and_event_pages(flex_server, page):
    server = flex_server
    page.goto(f"{server.url}/flex/")
    assert "/accounts/login/" in page.url
    login(page, server)
    page.goto(f"{server.url}/flex/")
    assert page.locator("#flexible-mw").inner_text().endswith("MW")
    assert page.locator("#events-held").inner_text() == "1"
    assert page.locator("#plan-tasks [data-target='smart_microgrid_pilots']").count() == 1
    assert page.locator(".synthetic").count() >= 1
    page.click("#events-table a")
    assert page.locator("#event-state").inner_text() in ("settled", "已结算")
    assert page.locator("#statements tbody tr").count() == 2
    with page.expect_download() as download:
        page.click("#statement-xlsx")
    assert download.value.suggested_filename.endswith("-SYNTHETIC.xlsx")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280


def test_screenshots(flex_server, browser):
    shots = os.environ.get("CARBONPEAK_SHOTS")
    if not shots:
        pytest.skip("set CARBONPEAK_SHOTS=DIR to capture the flex pages")
    out = Path(shots)
    out.mkdir(parents=True, exist_ok=True)
    server = flex_server
    paths = {
        "vpp": "/flex/",
        "events": "/flex/events/",
        "event": "/flex/events/DEMO-2025-07-16/",
        "resources": "/flex/resources/",
        "import": "/flex/import/",
        "compare": "/flex/compare/?building=YP0001&peak_price=1.2&flat_price=0.8&valley_price=0.4",
    }
    for lang in ("zh-hans", "en"):
        for width, height in ((1366, 768), (390, 844)):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            login(page, server)
            button = page.locator(f".lang-switch button[data-lang='{lang}']")
            if button.is_enabled():
                button.click()
                page.wait_for_load_state()
            for name, path in paths.items():
                page.goto(f"{server.url}{path}")
                page.screenshot(path=str(out / f"{name}-{lang}-{width}.png"), full_page=True)
            context.close()
