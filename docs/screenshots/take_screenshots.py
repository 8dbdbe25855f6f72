"""Screenshots of the site for reviewers (README.md, "What the site looks like").

Against a development server with the JLI's content (`make run`, plus `manage.py
seed_sample --people 60 --groups 2 --events 12 --publications 20 --funders 3 --seed 1`
for an event and people to show), with Debian's Chromium:

    .venv/bin/python docs/screenshots/take_screenshots.py http://127.0.0.1:8000

Each page at 390 px (a phone, the first screen) and 1280 px (a desktop, the whole page),
reduced to 64 colours so that each PNG stays small.
"""

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

FOLDER = Path(__file__).resolve().parent
PAGES = [
    ("home", "/"),
    ("publication", "/publications/human-resources-for-health-overcoming-the-crisis/"),
    ("group", "/groups/secretariat/"),
    ("event", "/events/sample-event-12/"),
]
WIDTHS = [390, 1280]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def main(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in PAGES:
                page.goto(base.rstrip("/") + path)
                png = page.screenshot(full_page=width > 400)
                image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64)
                image.save(FOLDER / f"{name}-{width}.png", optimize=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
