"""Rendering to files, in one place: the Jinja2 environment, atomic writes and the shared assets.

Templates live in ``templates/`` (one per page kind) with autoescaping on, so every text that
comes from the data files is escaped. Files are written to a temporary file beside the target
and moved into place with ``os.replace``: a reader, or a failed run, never sees half a page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from base.files import write_atomic
from base.settings import REPO_ROOT

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = TEMPLATES / "static"
READING = REPO_ROOT / "docs" / "reading-profiles.md"
METHODS = REPO_ROOT / "docs" / "methods.md"


@cache
def environment() -> jinja2.Environment:
    import jinja2  # imported here: loading the Dagster definitions renders nothing

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def write_page(path: Path, template: str, **context: object) -> Path:
    return write_atomic(path, render(template, **context))


def print_css() -> Markup:
    """The stylesheet inlined into print pages (our own file, so marked safe)."""
    return Markup((STATIC / "profile.css").read_text())


PLOTLY_BUNDLE = STATIC / "vendor" / "plotly-basic.min.js"


def plotly_js() -> bytes:
    """plotly.js's basic partial bundle (scatter and bar: all the pages draw; 1.2 MB, not the full
    4.8 MB), vendored in ``static/vendor`` (never a CDN; see its README)."""
    return PLOTLY_BUNDLE.read_bytes()


def markdown_html(path: Path) -> Markup:
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    return Markup(markdown.render(path.read_text()) if path.exists() else "")


def methods_html(backtest: dict | None) -> str:
    """The methods page: how to read a profile in plain English (``docs/reading-profiles.md``),
    how the scores fared against Ofsted's judgements (``backtest``, from
    ``views.CouncilViews.methods``: ROC and calibration charts and the AUCs in words; None when
    the warehouse has no backtest), then how every number is worked out (``docs/methods.md``)."""
    return render("methods.html", reading=markdown_html(READING), backtest=backtest,
                  methods=markdown_html(METHODS), root="")


def ship_assets(profiles_dir: Path) -> list[Path]:
    """Write the shared files once: plotly.min.js, the stylesheet, the page script.

    A file whose content is unchanged is not rewritten.
    """
    wanted = {
        profiles_dir / "assets" / "plotly.min.js": plotly_js(),
        profiles_dir / "assets" / "profile.css": (STATIC / "profile.css").read_bytes(),
        profiles_dir / "assets" / "profile.js": (STATIC / "profile.js").read_bytes(),
    }
    written = []
    for path, content in wanted.items():
        if not path.exists() or path.read_bytes() != content:
            write_atomic(path, content)
        written.append(path)
    return written
