"""What people see: profiles and an overview in headless Chromium (Debian's, driven by Playwright).

Pages are served from a local ``http.server`` on 127.0.0.1. For a sample of three council
profiles and one regional overview: no console errors, every chart draws an SVG with data
points (an indicator's trend chart once its details are opened), a screenshot is written,
and axe-core finds no serious or critical accessibility violation.

Playwright's own browser download is never used: ``executable_path`` is the system Chromium.
axe-core is not vendored: ``.ci/run`` installs it with
``npm install --no-save --prefix .tools/node axe-core``; ``AXE_CORE_JS`` may point elsewhere.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from assets.profiles.pdf import find_chromium
from conftest import LAIT
from pipeline.settings import REPO_ROOT

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}"),
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (Debian package chromium)"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
AXE = Path(os.environ.get("AXE_CORE_JS", REPO_ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
PAGES = [
    "councils/868-windsor-and-maidenhead.html",
    "councils/202-camden.html",
    "councils/942-cumberland.html",
    "regions/south-east.html",
]
# Data points drawn by plotly.js: scatter markers and bar shapes, inside a chart's SVG.
POINTS_JS = "el => el.querySelectorAll('svg.main-svg .point, svg.main-svg .bars path').length"


@pytest.fixture(scope="session")
def site(materialized_home) -> Path:
    """The built site's ``profiles`` folder (``test_profiles_site.py``)."""
    return materialized_home / "profiles"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("requestfailed", lambda r: page.errors.append(f"request failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith(server) else page.errors.append(f"left the machine: {r.url}"))
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_every_chart_without_errors(page, server, path, tmp_path):
    page.goto(f"{server}/{path}", wait_until="load")
    charts = page.locator("[data-figure]")
    assert charts.count() > 0
    page.wait_for_function("() => [...document.querySelectorAll('[data-figure]')].every(d => d.querySelector('svg.main-svg'))")
    for i in range(charts.count()):
        assert charts.nth(i).evaluate(POINTS_JS) > 0, f"chart {i} of {path} has no data points"
    if path.startswith("councils/"):
        button = page.locator("tr[id$='-16-17-neet'] button.more").first
        button.click()
        chart = page.locator(f"#{button.get_attribute('aria-controls')} .trend-chart")
        chart.locator("svg.main-svg").first.wait_for()
        assert chart.evaluate(POINTS_JS) > 0
        assert button.get_attribute("aria-expanded") == "true"
        assert page.locator("svg.spark circle").count() > 0
    shot = tmp_path / (path.replace("/", "_") + ".png")
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert page.errors == []


@pytest.mark.skipif(not AXE.exists(), reason=f"axe-core not installed at {AXE} "
                    "(npm install --no-save --prefix .tools/node axe-core)")
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violations(page, server, path):
    page.goto(f"{server}/{path}", wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('[data-figure]')].every(d => d.querySelector('svg.main-svg'))")
    page.locator("button.more").first.click() if path.startswith("councils/") else None
    page.add_script_tag(content=AXE.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
