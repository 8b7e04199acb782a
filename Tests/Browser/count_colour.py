#!/usr/bin/env python3
"""Loads a page in headless Chromium with JavaScript disabled and counts the screenshot's pixels
close to each of some colours: whether an image is shown without the theme's scripts.

    python3 count_colour.py URL R,G,B [R,G,B ...]

Prints one JSON object: {"pixels": [N, ...], "width": W, "height": H}. Needs Debian's chromium
and chromium-driver, selenium and Pillow from PyPI.
"""
import io
import json
import sys

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main():
    url = sys.argv[1]
    colours = [tuple(int(value) for value in argument.split(",")) for argument in sys.argv[2:]]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=800,600", "--blink-settings=scriptEnabled=false"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_page_load_timeout(30)
        driver.get(url)
        image = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    finally:
        driver.quit()
    pixels = list(image.getdata())
    counts = [sum(1 for pixel in pixels if all(abs(a - b) <= 24 for a, b in zip(pixel, colour)))
              for colour in colours]
    print(json.dumps({"pixels": counts, "width": image.width, "height": image.height}))


if __name__ == "__main__":
    main()
