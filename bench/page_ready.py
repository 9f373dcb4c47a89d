"""Council pages' weight and ready time in headless Chromium: two builds of the site side by side.

Ready = the page has loaded and every chart it draws on load is drawn (for a page with Plotly
charts, ``[data-figure]`` elements holding Plotly's SVG; a page whose charts are plain HTML and
CSS is ready at its load event). Measured as ``performance.now()`` at that moment, from the
start of navigation, in a fresh browser context each time (nothing cached), at 1366x900, pages
served from a local ``http.server``. Also: HTML bytes, and elements in the document.

    uv run python bench/page_ready.py --site before=/tmp/old/profiles --site after=<home>/profiles \\
        [--repeat 5] [--write]

``--write`` puts the table in bench/RESULTS.md as the section "Profile pages: weight and ready
time" (the other sections are kept as they are).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from assets.profiles.pdf import find_chromium

PAGES = ["councils/868-windsor-and-maidenhead.html", "councils/886-kent.html", "councils/201-city-of-london.html", "methods.html"]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
TITLE = "Profile pages: weight and ready time"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
READY_JS = """() => document.readyState === 'complete' &&
    [...document.querySelectorAll('[data-figure]')].every(d => d.querySelector('svg.main-svg'))"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def measure(browser, url: str) -> tuple[float, int]:
    """(ms until ready, elements in the document, ms to draw the first trend chart) of one fresh load of ``url``."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="commit")
    page.wait_for_function(READY_JS, polling="raf", timeout=60_000)
    ready = page.evaluate("performance.now()")
    elements = page.evaluate("document.getElementsByTagName('*').length")
    chart = first_chart(page)
    context.close()
    return ready, elements, chart


def first_chart(page) -> float | None:
    """ms from a click on the page's first "Chart" button to its trend chart drawn (plotly.js and
    the trend series fetched, as a reader's first chart), or None on a page without one."""
    started = page.evaluate("""() => { const b = document.querySelector('button.tc'); if (!b) return null;
        b.closest('details').open = true; const t = performance.now(); b.click(); return t; }""")
    if started is None:
        return None
    page.wait_for_function("() => document.querySelector('.trend-chart svg.main-svg')", polling="raf", timeout=60_000)
    return page.evaluate("performance.now()") - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", action="append", required=True, help="label=profiles folder (repeatable)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="record the table in bench/RESULTS.md")
    parser.add_argument("--note", default="", help="a line recorded under the table (what the builds are)")
    args = parser.parse_args()
    sites = dict(s.split("=", 1) for s in args.site)
    lines = ["| page | build | HTML (KB) | elements | ready (ms), median (min–max) | first trend chart (ms), median (min–max) |",
             "|---|---|---|---|---|---|"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=ARGS)
        for path in PAGES:
            for label, folder in sites.items():
                httpd, base = serve(Path(folder))
                measure(browser, f"{base}/{path}")  # warm the server and the browser once
                runs = [measure(browser, f"{base}/{path}") for _ in range(args.repeat)]
                httpd.shutdown()
                times, charts = [r[0] for r in runs], [r[2] for r in runs if r[2] is not None]
                size = (Path(folder) / path).stat().st_size
                lines.append(f"| {path.split('/')[-1]} | {label} | {size / 1000:.0f} | {runs[0][1]:,} | "
                             f"{statistics.median(times):.0f} ({min(times):.0f}–{max(times):.0f}) | "
                             + (f"{statistics.median(charts):.0f} ({min(charts):.0f}–{max(charts):.0f}) |" if charts else "– |"))
                print(lines[-1], flush=True)
        browser.close()
    if args.write:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        section = "\n".join([f"## {TITLE}", "", f"Measured {when}: `uv run python bench/page_ready.py "
                             + " ".join(f"--site {k}=..." for k in sites) + f" --repeat {args.repeat}`.", "",
                             "Ready = loaded with every chart drawn (see the script), headless Chromium, 1366x900, "
                             "a fresh context per load, median of the runs. First trend chart = from a click on the "
                             "first \"Chart\" button to its chart drawn (plotly.js and the trend series fetched).", "", *lines, "",
                             *([args.note, ""] if args.note else [])])
        text = RESULTS.read_text()
        start = text.find(f"## {TITLE}")
        if start >= 0:
            end = text.find("\n## ", start + 1)
            text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
        else:
            text = text.rstrip() + "\n\n" + section
        RESULTS.write_text(text)


if __name__ == "__main__":
    main()
