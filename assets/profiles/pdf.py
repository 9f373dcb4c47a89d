"""PDF profiles: the print edition of each council profile, printed by one headless Chromium.

The print editions are ``templates/council.html`` rendered with ``print=True`` from the same
``CouncilViews.council`` content as the HTML page. The pre-visit pack (``appendix=False``, a
few pages) holds the five questions, the lines of enquiry, the concerns with their evidence,
strengths and areas for development, the headline set with a spine strip per indicator and
the neighbours; the full tables edition (``appendix=True``, optional) every indicator by
service area. Spine strips are drawn by the stylesheet (``charts.spine_strip``), so no browser
call is made for an image. Scripts, links and trend charts are left out; definitions are the
same for every council and are printed once, to ``definitions.pdf``.

``write_pdfs`` starts one Chromium for the whole batch (Kaleido's, DevTools over a pipe)
with ``PRINT_TABS`` blank tab(s). Each page's HTML is handed to a free tab with
``Page.setDocumentContent`` (no file, no navigation) and printed with ``Page.printToPDF`` on
A4 with "page n of N" in the footer, while a worker thread builds the next council's page.
The PDF is not tagged and has no outline: tagging took about a third of the print time
(``bench/profiling/pdf.md``); the HTML profile is the accessible edition.

Each peer group's pack is printed too (``write_group_pdfs``, by the overviews step): the
members side by side and their headline indicators, to ``pdf/peer-groups/<slug>.pdf``. The
HTML pages link their PDF when this machine prints them (``pdfs_expected``).

Chromium is looked up as ``PEERDATA_CHROMIUM``, ``BROWSER_PATH`` or ``chromium`` /
``chromium-browser`` / ``google-chrome`` on PATH; when none is found, ``find_chromium`` returns
None and callers skip PDFs with a message. Kaleido is imported only here, lazily.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from assets.profiles.build import council_written
from assets.profiles.formatting import slug
from assets.profiles.render import print_css, render
from assets.profiles.views import CouncilViews
from base.files import write_atomic
from base.settings import pdfs_wanted

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TABS = 1
A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "marginTop": 0.5, "marginBottom": 0.6,
      "marginLeft": 0.4, "marginRight": 0.4}
PRINT_OPTIONS = {**A4, "printBackground": True, "displayHeaderFooter": True, "headerTemplate": "<span></span>",
                 "generateTaggedPDF": False, "generateDocumentOutline": False}
FOOTER = ('<div style="font: 8px Arial, sans-serif; width: 100%; text-align: center; color: #333;">'
          '{title} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
NO_CHROMIUM = ("PDF profiles NOT built: no Chromium found. Install it (as root: apt-get install chromium; "
               "or run `make chromium`), or set PEERDATA_CHROMIUM to a Chromium executable, then run "
               "`make run` again. The HTML profiles are built all the same.")


def find_chromium() -> str | None:
    """The Chromium executable to use, or None when there is none on this machine."""
    for configured in (os.environ.get("PEERDATA_CHROMIUM"), os.environ.get("BROWSER_PATH")):
        if configured and Path(configured).exists():
            return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def pdfs_expected() -> bool:
    """Whether this machine prints the PDFs (wanted, ``PEERDATA_PDFS``, and a Chromium found), so
    the HTML pages link them."""
    return pdfs_wanted() and find_chromium() is not None


def group_pdf_path(profiles_dir: Path, group_name: str) -> Path:
    return profiles_dir / "pdf" / "peer-groups" / f"{slug(group_name)}.pdf"


class PrintBrowser:
    """One headless Chromium with ``tabs`` blank tabs, each printing one HTML document at a time.

    One tab by default: on this 2-core machine a second tab printed no faster (the browser's
    other processes and the Python thread building the next page already use the second core)
    and its renderer held another ~450 MB while printing, past the 2 GB budget of a full run
    (``bench/profiling/pdf.md``).
    """

    def __init__(self, chromium: str, tabs: int = PRINT_TABS):
        import kaleido  # lazily: only PDF builds need it

        # Kaleido's browser (a choreographer Browser with its one image tab): kept open for the run.
        self._browser = kaleido.Kaleido(path=chromium, n=1, mathjax=False)
        self.tabs = tabs
        self._free: asyncio.Queue = asyncio.Queue()

    async def __aenter__(self) -> PrintBrowser:
        await self._browser.open()
        for _ in range(self.tabs):
            tab = await self._browser.create_tab("")
            tree = _result(await tab.send_command("Page.getFrameTree"), "opening a print tab")
            self._free.put_nowait((tab, tree["frameTree"]["frame"]["id"]))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._browser.close()

    async def pdf(self, html: str, title: str) -> bytes:
        """``html`` printed on A4, ``title`` and the page number in every page's footer."""
        tab, frame = await self._free.get()
        try:
            # Sent back to back: the tab runs them in order, with no round trip in between.
            loaded, printed = await asyncio.gather(
                tab.send_command("Page.setDocumentContent", params={"frameId": frame, "html": html}),
                tab.send_command("Page.printToPDF",
                                 params={**PRINT_OPTIONS, "footerTemplate": FOOTER.format(title=_escape(title))}),
            )
        finally:
            self._free.put_nowait((tab, frame))
        _result(loaded, f"loading {title}")
        return base64.b64decode(_result(printed, f"printing {title}")["data"])


def _result(response: dict, doing: str) -> dict:
    if "error" in response:
        raise RuntimeError(f"{doing} failed: {response['error']}")
    return response["result"]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def print_pages(views: CouncilViews, codes: list[int], paths_for: Callable[[int, bool], Path],
                definitions: Path, appendix: bool = False) -> Iterator[tuple[Path, str, str]]:
    """(target, footer title, print HTML) of the definitions and of each council's pre-visit pack
    (and, when ``appendix``, its full tables edition), built one at a time."""
    common = {"root": "", "print": True, "release": views.data.release, "print_css": print_css()}
    yield definitions, "Indicator definitions", render("definitions.html", d=views.definitions(), **common)
    for code in codes:
        council = views.council(code)
        yield (paths_for(code, False), f"{council['name']}: pre-visit pack",
               render("council.html", p=council, appendix=False, **common))
        if appendix:
            yield (paths_for(code, True), f"{council['name']}: every indicator",
                   render("council.html", p=council, appendix=True, **common))


def group_print_pages(views: CouncilViews, profiles_dir: Path) -> Iterator[tuple[Path, str, str]]:
    """(target, footer title, print HTML) of each peer group's pack, built one at a time."""
    common = {"root": "", "print": True, "release": views.data.release, "print_css": print_css()}
    for group in views.peer_group_names():
        yield (group_pdf_path(profiles_dir, group), f"{group}: peer-group pack",
               render("peer_group.html", g=views.peer_group(group), **common))


def write_pdfs(views: CouncilViews, codes: list[int], paths_for: Callable[[int, bool], Path], definitions: Path,
               chromium: str, appendix: bool = False) -> list[Path]:
    """Print the pre-visit pack of each council in ``codes`` (and its full tables when ``appendix``)
    and the shared ``definitions`` PDF; returns the files."""
    return print_documents(print_pages(views, codes, paths_for, definitions, appendix), chromium)


def write_group_pdfs(views: CouncilViews, profiles_dir: Path, chromium: str) -> list[Path]:
    """Print every peer group's pack under ``profiles_dir/pdf/peer-groups``; returns the files."""
    return print_documents(group_print_pages(views, profiles_dir), chromium, written=lambda path: path)


def print_documents(pages: Iterator[tuple[Path, str, str]], chromium: str,
                    written: Callable[[Path], Path] = council_written) -> list[Path]:
    """Print each (target, footer title, HTML) of ``pages`` with one Chromium, telling ``written``
    of each file (the council files' progress bar by default); returns the files.

    Pages are built in a worker thread, so the event loop keeps feeding the browser's tabs
    while the next page is built; no more than one built page waits for a free tab.
    """

    async def run() -> list[Path]:
        loop = asyncio.get_running_loop()
        async with PrintBrowser(chromium) as browser:

            async def print_to(target: Path, title: str, html: str) -> Path:
                return written(write_atomic(target, await browser.pdf(html, title)))

            printing: list[asyncio.Task] = []
            while (page := await loop.run_in_executor(None, next, pages, None)) is not None:
                printing.append(asyncio.create_task(print_to(*page)))
                pending = [t for t in printing if not t.done()]
                if len(pending) > browser.tabs:
                    await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            return list(await asyncio.gather(*printing))

    return asyncio.run(run())
