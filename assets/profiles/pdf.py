"""PDF profiles: one headless Chromium, through Kaleido, for every static chart and every page.

``write_pdfs`` opens one ``kaleido.Kaleido`` (a choreographer browser) for the whole batch:
it renders each council's stacked spine chart to SVG (one call per council) and, in a second
tab of the same browser, prints the council's print page to an A4 PDF with page numbers
(DevTools ``Page.printToPDF``). No browser is started per image or per council.

Chromium is looked up as ``PEERDATA_CHROMIUM``, ``BROWSER_PATH`` or ``chromium`` /
``chromium-browser`` / ``google-chrome`` on PATH; when none is found, ``find_chromium`` returns
None and callers skip PDFs with a message. Kaleido is imported only here, lazily.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from assets.profiles.charts import stack_figures
from assets.profiles.render import print_css, render, write_atomic
from assets.profiles.static_images import split_svg
from assets.profiles.views import CouncilViews

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_WIDTH_PX = 720
A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "marginTop": 0.5, "marginBottom": 0.6,
      "marginLeft": 0.4, "marginRight": 0.4}
FOOTER = ('<div style="font: 8px Arial, sans-serif; width: 100%; text-align: center; color: #333;">'
          '{title} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
NO_CHROMIUM = ("PDF profiles skipped: no Chromium found (set PEERDATA_CHROMIUM, or install the "
               "Debian package chromium). The HTML profiles are built all the same.")


def find_chromium() -> str | None:
    """The Chromium executable to use, or None when there is none on this machine."""
    for configured in (os.environ.get("PEERDATA_CHROMIUM"), os.environ.get("BROWSER_PATH")):
        if configured and Path(configured).exists():
            return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


class PrintBrowser:
    """One Chromium for a batch: SVG charts through Kaleido, PDFs through ``print_tabs`` DevTools tabs.

    Two print tabs let the browser lay out one council while it prints another (this machine
    has two cores); they are tabs of the same browser, not more browsers.
    """

    def __init__(self, chromium: str, print_tabs: int = 2):
        import kaleido  # lazily: only PDF builds need it

        self._kaleido = kaleido.Kaleido(path=chromium, n=1, mathjax=False)
        self.print_tabs = print_tabs
        self._tabs: asyncio.Queue = asyncio.Queue()

    async def __aenter__(self) -> "PrintBrowser":
        await self._kaleido.open()
        for _ in range(self.print_tabs):
            tab = await self._kaleido.create_tab("")
            await tab.send_command("Page.enable")
            self._tabs.put_nowait(tab)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._kaleido.close()

    async def svg(self, figure: dict) -> bytes:
        return await self._kaleido.calc_fig(figure, opts={"format": "svg", "width": PRINT_WIDTH_PX})

    async def pdf(self, html: Path, title: str) -> bytes:
        tab = await self._tabs.get()
        try:
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.navigate", params={"url": html.as_uri()})
            await loaded
            response = await tab.send_command("Page.printToPDF", params={
                **A4, "printBackground": True, "displayHeaderFooter": True,
                "headerTemplate": "<span></span>", "footerTemplate": FOOTER.format(title=_escape(title)),
            })
        finally:
            self._tabs.put_nowait(tab)
        if "error" in response:
            raise RuntimeError(f"printing {html.name} failed: {response['error']}")
        return base64.b64decode(response["result"]["data"])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def spine_images(browser: PrintBrowser, context: dict) -> dict[str, str]:
    """{topic anchor: base64 SVG} for every topic with a spine chart, from one Kaleido render."""
    topics = [t for t in context["topics"] if t["spine"]]
    if not topics:
        return {}
    stacked, bands = stack_figures([t["spine"] for t in topics], PRINT_WIDTH_PX)
    svg = await browser.svg(stacked)
    return dict(zip((t["anchor"] for t in topics), split_svg(svg, bands)))


def write_pdfs(views: CouncilViews, codes: list[int], paths_for: Callable[[int], Path], definitions: Path,
               chromium: str) -> list[Path]:
    """Print one PDF per council in ``codes`` and the shared ``definitions`` PDF; returns the files.

    While one council prints, the next one's charts render and its page is written.
    """
    release = views.data.release

    async def run() -> list[Path]:
        with tempfile.TemporaryDirectory(prefix="peerdata-print-") as tmp:
            async with PrintBrowser(chromium) as browser:

                async def print_page(name: str, title: str, target: Path, template: str, **context) -> Path:
                    page = Path(tmp) / f"{name}.html"
                    page.write_text(render(template, root="", print=True, scripts=False, release=release,
                                           print_css=print_css(), **context))
                    pdf = await browser.pdf(page, title)
                    page.unlink()
                    return write_atomic(target, pdf)

                async def council(code: int) -> Path:
                    context = views.council(code)
                    return await print_page(str(code), f"{context['name']}: children's services data profile",
                                            paths_for(code), "council.html", p=context,
                                            static_spines=await spine_images(browser, context))

                printing = [asyncio.create_task(print_page("definitions", "Indicator definitions", definitions,
                                                           "definitions.html", d=views.definitions()))]
                for code in codes:
                    printing.append(asyncio.create_task(council(code)))
                    if len(printing) - sum(t.done() for t in printing) > browser.print_tabs:
                        await asyncio.wait([t for t in printing if not t.done()], return_when=asyncio.FIRST_COMPLETED)
                return list(await asyncio.gather(*printing))

    return asyncio.run(run())
