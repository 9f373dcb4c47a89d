"""Screenshots of the built profiles as their readers see them, at 1366 px and 390 px wide.

Takes Windsor and Maidenhead, Kent, City of London, Havering (many concerns), one peer-group pack, a regional overview,
the index and the methods page, each at 1366x900 and 390x844 (first screen and full
page, and for a council page its inspection-risk signal section and its first topic's table opened), with the system Chromium
(Debian's ``chromium``) through Playwright. The PDF packs of Havering and of the peer group,
when the site has them, are rendered page by page with ``pdftoppm`` (Debian's poppler-utils). Pages are served
from a local ``http.server``. The output is for looking at, never committed:

    uv run python bench/screenshots.py <PEERDATA_HOME>/profiles /tmp/shots

It also prints, per page and width, the page's width in CSS pixels against the window's, so a
page that scrolls sideways shows up without opening an image.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from assets.profiles.pdf import find_chromium

PAGES = {
    "windsor": "councils/868-windsor-and-maidenhead.html",
    "kent": "councils/886-kent.html",
    "city-of-london": "councils/201-city-of-london.html",
    "havering": "councils/311-havering.html",  # inadequate, its signal ranked 5th in England in the 2026-04 release
    "pack": "peer-groups/south-east-2018-19-triad-3.html",
    "region": "regions/south-east.html",
    "index": "index.html",
    "methods": "methods.html",
}
PDFS = {
    "havering-pdf": "pdf/311-havering.pdf",
    "pack-pdf": "pdf/peer-groups/south-east-2018-19-triad-3.pdf",
}
WIDTHS = {1366: 900, 390: 844}
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the profiles folder")
    parser.add_argument("out", type=Path, help="where to write the PNG files")
    parser.add_argument("--only", nargs="*", choices=sorted(PAGES), help="a subset of the pages")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(args.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=ARGS)
        for name in args.only or PAGES:
            for width, height in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{base}/{PAGES[name]}", wait_until="load")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                full_height = page.evaluate("document.documentElement.scrollHeight")
                print(f"{name:15} {width:5} px: page {scroll_width} px wide, {full_height} px long"
                      + ("  <- scrolls sideways" if scroll_width > width else ""))
                page.screenshot(path=str(args.out / f"{name}-{width}-first.png"))
                page.screenshot(path=str(args.out / f"{name}-{width}-full.png"), full_page=True)
                section = page.locator("section#risk-signal")  # what the first screen's signal card links to
                if section.count():
                    section.screenshot(path=str(args.out / f"{name}-{width}-risk-signal.png"))
                topic = page.locator("details.topic").first
                if PAGES[name].startswith("councils/") and topic.count():
                    topic.evaluate("d => { d.open = true; }")
                    box = topic.bounding_box()  # its first 1200 px: enough rows to read the layout
                    page.screenshot(path=str(args.out / f"{name}-{width}-topic.png"), full_page=True,
                                    clip={**box, "height": min(box["height"], 1200)})
                page.close()
        browser.close()
    httpd.shutdown()
    for name, pdf in PDFS.items():
        if not (args.site / pdf).exists() or not shutil.which("pdftoppm"):
            print(f"{name:15} not rendered: {pdf} not in the site, or no pdftoppm (apt-get install poppler-utils)")
            continue
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(args.site / pdf), str(args.out / name)], check=True)
        print(f"{name:15} {len(list(args.out.glob(f'{name}-*.png')))} page(s) rendered")


if __name__ == "__main__":
    main()
