#!/usr/bin/env python3
"""Opens a report page (`mediamirror report --html`) in headless Chromium and reports what a
person would see: console errors and CSP violations, images that did not load, the declared and
real boxes of each mismatch, the failure groups, whether a hostile value ran as script; writes
screenshots at 1280 px and 400 px wide.

    python3 report_page.py URL SCREENSHOT_DIR

Prints one JSON object. Needs Debian's chromium and chromium-driver, selenium from PyPI.
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def driver_for(width):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},900", "--allow-file-access-from-files"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def inspect(driver, url):
    driver.set_page_load_timeout(60)
    started = time.perf_counter()
    driver.get(url)
    loaded = time.perf_counter() - started
    # Open every post and load every image now (the page loads them lazily, as a reader scrolls).
    driver.execute_script("""
        document.querySelectorAll('details').forEach(d => d.open = true);
        for (const image of document.images) { image.loading = 'eager'; }""")
    deadline = time.time() + 20
    while time.time() < deadline:
        pending = driver.execute_script(
            "return Array.from(document.images).filter(i => !i.complete).length")
        if pending == 0:
            break
        time.sleep(0.2)
    images = driver.execute_script("""
        return Array.from(document.images).map(i => ({src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0,
            width: i.naturalWidth, height: i.naturalHeight}))""")
    boxes = driver.execute_script("""
        return Array.from(document.querySelectorAll('li.image')).filter(li => li.querySelector('svg.box')).map(li => {
            const actual = li.querySelector('rect.actual').getBBox();
            const declared = li.querySelector('rect.declared').getBBox();
            return {verdict: li.classList[1], text: li.querySelector('p').textContent,
                    actual: [actual.width, actual.height], declared: [declared.width, declared.height]};
        })""")
    failures = driver.execute_script("""
        return Array.from(document.querySelectorAll('#failures summary')).map(s => s.textContent)""")
    hostile = driver.execute_script("""
        return {title: document.title, injected: document.querySelectorAll('script, #pwned, iframe, object').length,
                flag: typeof window.pwned !== 'undefined'}""")
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    logs = [entry for entry in driver.get_log("browser") if entry.get("level") in ("SEVERE", "WARNING")]
    return {"images": images, "boxes": boxes, "failures": failures, "hostile": hostile, "logs": logs,
            "load_seconds": loaded, "horizontal_overflow": overflow}


def main():
    url, screenshots = sys.argv[1], sys.argv[2]
    os.makedirs(screenshots, exist_ok=True)
    result = {}
    for width in (1280, 400):
        driver = driver_for(width)
        try:
            seen = inspect(driver, url)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, min(max(900, height), 6000))
            driver.save_screenshot(os.path.join(screenshots, f"report-{width}.png"))
        finally:
            driver.quit()
        result[str(width)] = seen
    print(json.dumps(result))


if __name__ == "__main__":
    main()
