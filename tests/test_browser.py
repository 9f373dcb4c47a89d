"""What people see: profiles and an overview in headless Chromium (Debian's, driven by Playwright).

Pages are served from a local ``http.server`` on 127.0.0.1. For every kind of page (three
council profiles, a regional overview, a peer-group pack, the index, the definitions and the
methods): no console errors, nothing wider than the window at 1366 px and at 390 px (every
folded table opened), a screenshot is written, and axe-core finds no serious or critical
accessibility violation. A council page draws an indicator's trend chart on demand (plotly.js
loaded only then) and a link from its first screen opens the folded topic it points into; the
region table sorts; the index finds a council as the reader types.

Playwright's own browser download is never used: ``executable_path`` is the system Chromium.
axe-core is not vendored: ``make test`` installs it with
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
from base.settings import REPO_ROOT

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}"),
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (Debian package chromium)"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
AXE = Path(os.environ.get("AXE_CORE_JS", REPO_ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
PAGES = [  # every kind of page
    "councils/868-windsor-and-maidenhead.html",
    "councils/202-camden.html",
    "councils/201-city-of-london.html",
    "regions/south-east.html",
    "peer-groups/south-east-2018-19-triad-3.html",
    "index.html",
    "definitions.html",
    "methods.html",
]
WIDTHS = [1366, 390]
# Data points drawn by plotly.js: scatter markers and bar shapes, inside a chart's SVG.
POINTS_JS = "el => el.querySelectorAll('svg.main-svg .point, svg.main-svg .bars path').length"


@pytest.fixture(scope="module")
def server(materialized_home):
    """The address of the built site: the home folder is served, as a reader opens ``profiles/``
    beside ``.profiles-builds/`` (the index page loads ``../.profiles-builds/warehouse.js``)."""
    handler = functools.partial(QuietHandler, directory=str(materialized_home))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/profiles"
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


def new_page(browser, server, width: int, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("requestfailed", lambda r: page.errors.append(f"request failed: {r.url}"))
    machine = server.removesuffix("/profiles")
    page.on("request", lambda r: None if r.url.startswith(machine) else page.errors.append(f"left the machine: {r.url}"))
    return context, page


@pytest.fixture
def page(browser, server):
    context, page = new_page(browser, server, 1366)
    yield page
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways(browser, server, path, width, tmp_path):
    """Nothing is wider than the window, on a desktop and on a phone (a wide table scrolls in its box)."""
    context, page = new_page(browser, server, width)
    page.goto(f"{server}/{path}", wait_until="load")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # every folded table too
    if path == "methods.html":  # its backtest charts are drawn once plotly.js has loaded
        page.wait_for_selector(".plotly-figure .main-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot = tmp_path / (path.replace("/", "_") + f"-{width}.png")
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert page.errors == []
    context.close()


# The first screen of a council page answers five questions (data-q on each item's card): Ofsted's
# last judgement, the headline set against neighbours and England, the inspection-risk signal and
# what drives it, three strengths, what changed since the previous release (one line, with no heading
# and nothing to link to, when there is no previous release: issue 22).
FIVE_QUESTIONS = ["ofsted", "headline", "risk", "strengths", "changes"]
FIRST_SCREEN_JS = """() => [...document.querySelectorAll('[data-q]')].filter(el => el.offsetParent !== null).map(el => ({
    q: el.dataset.q, top: el.getBoundingClientRect().top + scrollY,
    line: el.tagName === 'P', text: el.textContent,
    heading: (el.querySelector('h3') || el).getBoundingClientRect().bottom + scrollY,
    links: [...el.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1)),
    missing: [...el.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
             .filter(id => !document.getElementById(id))}))"""


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("councils/")] + ["councils/311-havering.html"])
def test_first_screen_answers_the_five_questions(browser, server, path, width, height):
    """Each item starts, its heading whole, within the window's first screen, and links down to
    its detail (a target that exists on the page). Havering has the most concerns."""
    context, page = new_page(browser, server, width, height)
    page.goto(f"{server}/{path}", wait_until="load")
    screen = page.evaluate("innerHeight")
    items = page.evaluate(FIRST_SCREEN_JS)
    first = {}
    for item in items:  # the first visible item of each question (the headline's spine list follows its chart)
        first.setdefault(item["q"], item)
    assert sorted(first) == sorted(FIVE_QUESTIONS)
    for q, item in first.items():
        assert item["top"] < screen and item["heading"] <= screen, (q, item, screen)
        if item["line"]:  # the one line said when there is no previous release
            assert q == "changes" and "nothing to compare with" in item["text"], (q, item)
        else:
            assert item["links"] and not item["missing"], (q, item)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.errors == []
    context.close()


def test_council_page_draws_a_trend_chart_on_demand_and_links_open_their_topic(page, server):
    page.goto(f"{server}/councils/868-windsor-and-maidenhead.html", wait_until="load")
    assert page.evaluate("typeof Plotly") == "undefined"  # plotly.js is not loaded until a chart is asked for
    assert page.locator(".sp i").count() > 100  # the spine strips are drawn without it
    row = page.locator("tr#ind-16-17-neet")
    assert not row.is_visible()  # its topic is folded
    page.locator("#summary a[href^='#ind-']").first.click()  # a concern or strength on the first screen
    target = page.evaluate("location.hash.slice(1)")
    assert page.locator(f"tr#{target}").is_visible()  # its topic opened
    page.evaluate("document.querySelector('tr#ind-16-17-neet').closest('details').open = true")
    button = row.locator("button.tc")
    button.click()
    chart = page.locator("tr#ind-16-17-neet + tr.chart-row .trend-chart")
    chart.locator("svg.main-svg").first.wait_for()
    assert chart.evaluate(POINTS_JS) > 0
    assert button.get_attribute("aria-expanded") == "true"
    assert page.errors == []


def test_region_table_sorts_by_a_column(page, server):
    page.goto(f"{server}/regions/south-east.html", wait_until="load")
    table = page.locator("table.sortable").first
    names = lambda: table.locator("tbody th").all_inner_texts()  # noqa: E731
    # the signal's rank is shown only where the registered rule allows it ('–' otherwise:
    # docs/methods.md, "Inspection-risk signal"); the councils come most likely first, so their ranks ascend
    ranks = lambda: [int(t) for t in table.locator("tbody td:nth-child(3)").all_inner_texts() if t.isdigit()]  # noqa: E731
    assert ranks() == sorted(ranks())
    table.locator("thead button", has_text="Council").click()
    assert len(names()) == 19 and names() == sorted(names(), key=str.lower)
    assert table.locator("thead th").first.get_attribute("aria-sort") == "ascending"
    table.locator("thead button", has_text="Rank in England").click()
    assert ranks() == sorted(ranks())
    assert page.errors == []


def test_index_finds_a_council_as_you_type(page, server):
    page.goto(f"{server}/index.html", wait_until="load")
    page.locator("#find").fill("windsor & maid")
    visible = page.locator("#councils li:not([hidden])")
    assert visible.count() == 1 and "Windsor and Maidenhead" in visible.first.inner_text()
    assert page.locator("#find-count").inner_text() == "1 council"
    page.locator("#find").fill("")
    assert page.locator("#councils li:not([hidden])").count() == 153
    assert page.errors == []


@pytest.mark.skipif(not AXE.exists(), reason=f"axe-core not installed at {AXE} "
                    "(npm install --no-save --prefix .tools/node axe-core)")
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violations(page, server, path):
    page.goto(f"{server}/{path}", wait_until="load")
    if path.startswith("councils/"):  # a topic opened, with a trend chart drawn
        page.evaluate("document.querySelector('tr#ind-16-17-neet').closest('details').open = true")
        page.locator("tr#ind-16-17-neet button.tc").click()
        page.locator("tr.chart-row svg.main-svg").first.wait_for()
    page.add_script_tag(content=AXE.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
