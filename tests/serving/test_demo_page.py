"""The demo page driven in headless Chromium (Debian's chromium + chromedriver via Selenium)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=1000,700", "--lang=zh-CN")
SENTENCE = "卢嘉锡的题词是：发展高科技，节能创一流。"


def find_browser() -> tuple[str, str]:
    """Paths of chromium and chromedriver; skip locally, fail on CI, when either is missing."""
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        reason = ("no chromium and chromedriver on PATH (Debian: apt-get install chromium "
                  "chromium-driver)")
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run installs them")
        pytest.skip(reason)
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = find_browser()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in BROWSER_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    yield driver
    driver.quit()


def highlighted(driver) -> list[dict]:
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('#result mark.entity')).map(m => ({
            text: m.firstChild.textContent, type: m.dataset.type, title: m.title,
            hidden: m.classList.contains('hidden')}));""")


def test_type_click_and_see_the_entities(browser, server_url, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    expected = httpx.post(f"{server_url}/predict", json={"text": SENTENCE}).json()["entities"]
    assert expected, "the fixture model should find entities in the sentence"
    browser.get(f"{server_url}/")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#legend input[data-type]"))
    box = browser.find_element(By.ID, "text-input")
    box.clear()
    box.send_keys(SENTENCE)
    browser.find_element(By.ID, "predict-button").click()
    wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "status"), "ent"))

    marks = highlighted(browser)
    assert [(m["text"], m["type"]) for m in marks] == [(e["text"], e["type"]) for e in expected]
    for mark, entity in zip(marks, expected):
        assert mark["title"] == f"{entity['type']} {100 * entity['score']:.1f}%"  # hover score
    shown = browser.execute_script("""
        const copy = document.getElementById('result').cloneNode(true);
        copy.querySelectorAll('.entity-type').forEach(tag => tag.remove());
        return copy.textContent;""")
    assert shown == SENTENCE

    screenshot = Path(os.environ.get("NERKIT_SCREENSHOT", tmp_path / "demo.png"))
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 0

    hidden_type = expected[0]["type"]
    browser.find_element(By.CSS_SELECTOR, f'#legend input[data-type="{hidden_type}"]').click()
    assert all(m["hidden"] == (m["type"] == hidden_type) for m in highlighted(browser))


def test_ask_for_analyses_and_see_them_ranked(browser, server_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    expected = httpx.post(f"{server_url}/predict", json={"text": SENTENCE, "n_best": 3}).json()
    browser.get(f"{server_url}/")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.find_element(By.ID, "n-best-control").is_displayed())
    assert not browser.find_element(By.ID, "alternatives").is_displayed()
    box = browser.find_element(By.ID, "text-input")
    box.clear()
    box.send_keys(SENTENCE)
    count = browser.find_element(By.ID, "n-best")
    count.clear()
    count.send_keys("3")
    browser.find_element(By.ID, "predict-button").click()
    wait.until(lambda d: d.find_element(By.ID, "alternatives").is_displayed())

    shown = browser.execute_script("""
        return Array.from(document.querySelectorAll('#alternative-list li')).map(item => ({
            probability: item.querySelector('.probability').textContent,
            entities: Array.from(item.querySelectorAll('mark.entity')).map(
                m => [m.firstChild.textContent, m.dataset.type])}));""")
    assert [a["probability"] for a in shown] == [
        f"{100 * a['probability']:.1f}%" for a in expected["n_best"]]
    assert [a["entities"] for a in shown] == [
        [[e["text"], e["type"]] for e in a["entities"]] for a in expected["n_best"]]
    assert shown[0]["entities"] == [[e["text"], e["type"]] for e in expected["entities"]]
