"""The office imports sub-areas and sees the areas list and a sub-area page (a real browser and server)."""

import os
import subprocess

import pytest

from tests.e2e.conftest import CARBONPEAK

pytestmark = pytest.mark.browser


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def test_imported_sub_areas_show_on_the_areas_pages_without_overflow(server, browser, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text(
        "code,name_zh,name_en,parent\n"
        "e2e_valley,测试创谷,E2E Valley,\n"
        "e2e_south,测试南段,E2E South,e2e_valley\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = str(server.data_dir)
    done = subprocess.run(
        [CARBONPEAK, "areas", "import", str(path), "--synthetic"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/areas/")
        assert "/accounts/login/" in page.url
        login(page, server)
        page.goto(f"{server.url}/areas/")
        assert page.locator('tr[data-area="district"]').count() == 1
        assert page.locator('tr[data-area="e2e_south"]').inner_text().startswith("测试南段")
        assert page.locator("#sum-check").is_visible()
        overflow = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        assert not page.evaluate(overflow)
        page.click('tr[data-area="e2e_valley"] a')
        page.wait_for_url(f"{server.url}/areas/e2e_valley/")
        assert "测试创谷" in page.locator("h1").inner_text()
        assert page.locator("#no-inventory").is_visible()
        assert page.locator('a[href="/areas/e2e_south/"]').count() == 1
        assert not page.evaluate(overflow)
    finally:
        context.close()
