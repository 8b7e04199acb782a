#!/usr/bin/env python3
"""Loads a page in headless Chromium at a given window width, every host but 127.0.0.1
unresolvable, and reports what each <img> shows and what moved while the page loaded.

    python3 responsive_images.py URL WIDTH

Prints one JSON object: {"images": [{"currentSrc", "complete", "naturalWidth", "width",
"height", "srcset", "aspectRatio"}...], "layoutShift": the sum of layout-shift values, "shifts": count}.
Needs Debian's chromium and chromium-driver and selenium from PyPI.
"""
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

OBSERVE = """
window.__shifts = [];
new PerformanceObserver(list => { for (const entry of list.getEntries()) window.__shifts.push(entry.value); })
    .observe({type: 'layout-shift', buffered: true});
"""

REPORT = """
const images = Array.from(document.images).map(image => ({
    currentSrc: image.currentSrc, complete: image.complete, naturalWidth: image.naturalWidth,
    width: image.getAttribute('width'), height: image.getAttribute('height'),
    srcset: image.getAttribute('srcset'), aspectRatio: getComputedStyle(image).aspectRatio}));
return {images, layoutShift: window.__shifts.reduce((a, b) => a + b, 0), shifts: window.__shifts.length};
"""


def main():
    url, width = sys.argv[1], int(sys.argv[2])
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=%d,900" % width, "--force-device-scale-factor=1",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_page_load_timeout(60)
        # The observer is registered before the page's first byte, buffered from navigation on.
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVE})
        driver.get(url)
        time.sleep(1.0)
        print(json.dumps(driver.execute_script(REPORT)))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
