"""The public carbon-credit page (no login) and the office's approval of a methodology, in a real browser
against the real server, with the SYNTHETIC demo month loaded by ``carbonpeak credits demo``."""

import os
import subprocess

import pytest

from tests.e2e.conftest import CARBONPEAK

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def credits_demo(server):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = str(server.data_dir)
    done = subprocess.run(
        [CARBONPEAK, "credits", "demo", "--seed", "7"], env=env, check=True, capture_output=True, text=True
    )
    assert done.stdout.startswith("SYNTHETIC")
    return server


def login(page, server):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")


def issued(page, server) -> float:
    page.goto(f"{server.url}/credits/")
    return float(page.locator("[data-total='issued']").inner_text().split()[0].replace(",", ""))


def test_public_page_needs_no_login_and_is_labelled_synthetic(credits_demo, page):
    server = credits_demo
    page.goto(f"{server.url}/credits/")
    assert "/accounts/login/" not in page.url
    assert page.locator("#synthetic-note").is_visible()
    assert page.locator("#credit-totals .card").count() == 6
    assert page.locator("#to-methodologies").count() == 0  # office links only after login


def test_office_approves_a_methodology_and_the_public_totals_rise(credits_demo, page):
    server = credits_demo
    before = issued(page, server)
    page.goto(f"{server.url}/credits/methodologies/")
    assert "/accounts/login/" in page.url
    login(page, server)
    page.goto(f"{server.url}/credits/methodologies/")
    metro = page.locator("tr[data-methodology='metro_trip_pkm']")
    assert metro.locator("[data-status]").get_attribute("data-status") == "unconfirmed"
    # EV charging factors for Shanghai were not found: no approve button
    assert page.locator("[data-approve='ev_charging_community']").count() == 0
    page.click("[data-approve='metro_trip_pkm']")
    page.wait_for_url(f"{server.url}/credits/methodologies/")
    assert metro.locator("[data-status]").get_attribute("data-status") == "approved"
    assert page.locator(".messages .success").count() == 1
    assert issued(page, server) > before
    page.goto(f"{server.url}/credits/activities/")
    assert page.locator("#refused tr[data-refusal='claimed_elsewhere']").count() >= 1
