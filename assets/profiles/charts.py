"""Charts: small functions that take rows and return a Plotly figure (as a plain dict) or an SVG.

Figures are plain dicts in Plotly's JSON schema rather than ``go.Figure`` objects: the pages
build thousands of them and the dicts skip Plotly's per-property validation; plotly.js in the
browser takes them as they are. Sparklines, and the spine strips of the print profile, are
inline SVG written here, so a table row needs no script (and the PDF no browser call) to show
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from assets.profiles.formatting import BAND_COLOURS, OKABE_ITO, is_missing

FONT = {"family": "Arial, Helvetica, sans-serif", "size": 12, "color": "#1a1a1a"}
ROW_PX = 24
SPINE_MARGIN = {"l": 300, "r": 20, "t": 10, "b": 40}
BOX_COLOUR = "#c8c8c8"


@dataclass(frozen=True)
class SpinePoint:
    """One indicator on a spine chart, with every position on the 0 (worst) .. 100 (best) scale."""

    label: str
    council: float
    england: float | None
    neighbours: float | None
    box: tuple[float, float]
    band: str
    hover: str


def spine_position(value: float | None, q0: float, q100: float, polarity: str) -> float | None:
    """Where ``value`` sits between the worst (0) and best (100) council's value."""
    if is_missing(value) or q100 == q0:
        return None
    share = (value - q0) / (q100 - q0)
    return round(100 * (share if polarity == "high" else 1 - share), 2)


def spine_point(row: dict, label: str, hover: str) -> SpinePoint | None:
    """The spine-chart point of one latest-period row of the profile, or None if not banded."""
    if row.get("quartile_band") is None or row.get("q0") is None:
        return None
    pos = {key: spine_position(row[key], row["q0"], row["q100"], row["polarity"])
           for key in ("latest_value", "england_value", "sn_mean", "q25", "q75")}
    if pos["latest_value"] is None:
        return None
    return SpinePoint(
        label=label,
        council=pos["latest_value"],
        england=pos["england_value"],
        neighbours=pos["sn_mean"],
        box=tuple(sorted((pos["q25"], pos["q75"]))),
        band=row["quartile_band"],
        hover=hover,
    )


def spine_figure(points: Sequence[SpinePoint], council_name: str) -> dict:
    """Worst (left) to best (right) across councils: middle-half box, England, neighbours, council.

    The key is written beside the chart in HTML (``_macros.spine_key``), so the figure has no legend.
    """
    # Rows are positions 0..n-1 labelled by tick text, so two indicators whose shortened
    # names coincide still get a row each.
    labels = list(range(len(points)))

    def marker_trace(name: str, xs: list, symbol: str, colour, size: int, line: dict, **extra) -> dict:
        return {
            "type": "scatter", "mode": "markers", "name": name, "x": xs, "y": labels,
            "marker": {"symbol": symbol, "color": colour, "size": size, "line": line},
            "hoverinfo": "skip", **extra,
        }

    data = [
        {"type": "bar", "orientation": "h", "name": "Middle half of councils", "y": labels,
         "x": [p.box[1] - p.box[0] for p in points], "base": [p.box[0] for p in points],
         "marker": {"color": BOX_COLOUR}, "width": 0.55, "hoverinfo": "skip"},
        # Open symbols take their colour from the line, not the fill.
        marker_trace("England", [p.england for p in points], "line-ns-open", "#000000", 16,
                     {"color": "#000000", "width": 3}),
        marker_trace("Neighbour mean", [p.neighbours for p in points], "diamond-open",
                     OKABE_ITO["blue"], 10, {"color": OKABE_ITO["blue"], "width": 2}),
        marker_trace(council_name, [p.council for p in points], "circle",
                     [BAND_COLOURS[p.band] for p in points], 12, {"color": "#000000", "width": 1.2},
                     text=[p.hover for p in points], hovertemplate="%{text}<extra></extra>"),
    ]
    layout = {
        "height": ROW_PX * len(points) + SPINE_MARGIN["t"] + SPINE_MARGIN["b"],
        "margin": SPINE_MARGIN, "font": FONT, "barmode": "overlay", "showlegend": False,
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
        "xaxis": {"range": [-3, 103], "tickvals": [0, 50, 100],
                  "ticktext": ["Worst council", "Middle", "Best council"],
                  "showgrid": True, "gridcolor": "#e6e6e6", "zeroline": False, "fixedrange": True},
        "yaxis": {"range": [len(points) - 0.5, -0.5], "tickmode": "array", "tickvals": labels,
                  "ticktext": [p.label for p in points], "automargin": True, "fixedrange": True,
                  "showgrid": False, "zeroline": False},
    }
    return {"data": data, "layout": layout}


def spine_strip_svg(point: SpinePoint | None, width: int = 64, height: int = 12) -> Markup:
    """One indicator's spine chart as a strip for a table row (the print profile): worst left, best right.

    The same marks as ``spine_figure`` on a row of its own: a hairline for the range of councils,
    the grey box for the middle half, a black bar for England, an open blue diamond for the
    neighbour mean and a dot coloured by band for the council. Empty when the row has no band.
    The row's cells give the values and the band in words, so the strip is hidden from
    assistive technology.
    """
    if point is None:
        return Markup("")
    inner, mid = width - 6, height / 2

    def x(position: float) -> str:
        return f"{3 + position * inner / 100:.1f}"

    low, high = point.box
    marks = [
        f'<line x1="3" x2="{width - 3}" y1="{mid}" y2="{mid}" stroke="#bbbbbb" stroke-width="0.6"/>',
        f'<rect x="{x(low)}" y="{mid - 3}" width="{max(high - low, 0.5) * inner / 100:.1f}" height="6" fill="{BOX_COLOUR}"/>',
    ]
    if point.england is not None:
        marks.append(f'<line x1="{x(point.england)}" x2="{x(point.england)}" y1="1" y2="{height - 1}" '
                     'stroke="#000000" stroke-width="1.4"/>')
    if point.neighbours is not None:
        cx = float(x(point.neighbours))
        marks.append(f'<path d="M{cx:.1f} {mid - 3.2:.1f}L{cx + 3.2:.1f} {mid}L{cx:.1f} {mid + 3.2:.1f}L{cx - 3.2:.1f} {mid}Z" '
                     f'fill="none" stroke="{OKABE_ITO["blue"]}" stroke-width="1"/>')
    marks.append(f'<circle cx="{x(point.council)}" cy="{mid}" r="3" fill="{BAND_COLOURS[point.band]}" '
                 'stroke="#000000" stroke-width="0.6"/>')
    return Markup(f'<svg class="spine" viewBox="0 0 {width} {height}" aria-hidden="true">{"".join(marks)}</svg>')


def score_bar_figure(names: Sequence[str], scores: Sequence[float | None], title: str) -> dict:
    """Horizontal bars of each council's early-warning score (share of indicators flagged)."""
    values = [None if is_missing(s) else round(100 * s, 1) for s in scores]
    return {
        "data": [{"type": "bar", "orientation": "h", "y": list(names), "x": values,
                  "marker": {"color": OKABE_ITO["vermillion"]}, "name": "Early-warning score",
                  "text": [f"{v:.0f}%" if v is not None else "" for v in values],
                  "textposition": "outside", "cliponaxis": False,
                  "hovertemplate": "%{y}: %{x:.1f}% of indicators flagged<extra></extra>"}],
        "layout": {"height": ROW_PX * len(names) + 80, "margin": {"l": 220, "r": 50, "t": 40, "b": 40},
                   "font": FONT, "title": {"text": title, "font": {"size": 14}},
                   "xaxis": {"title": {"text": "% of polar indicators with a decline flag"},
                             "rangemode": "tozero", "fixedrange": True},
                   "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
                   "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff"},
    }


def sparkline_svg(values: Sequence[float | None], label: str, width: int = 90, height: int = 24) -> Markup:
    """A tiny line of the council's values over time (missing periods leave gaps), last point dotted.

    ``label`` becomes the SVG's accessible name (e.g. "2019 to 2025: 3.1 to 4.6").
    """
    points = [(i, v) for i, v in enumerate(values) if not is_missing(v)]
    if len(points) < 2:
        return Markup("")
    low, high = min(v for _, v in points), max(v for _, v in points)
    span, last = (high - low) or 1.0, max(len(values) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{2 + i * (width - 4) / last:.1f},{height - 3 - (v - low) * (height - 6) / span:.1f}"

    segments, current, previous = [], [], None
    for i, v in points:
        if previous is not None and i != previous + 1 and current:
            segments.append(current)
            current = []
        current.append(xy(i, v))
        previous = i
    segments.append(current)
    lines = "".join(f'<polyline points="{" ".join(s)}"/>' for s in segments if len(s) > 1)
    centres = [xy(i, v).split(",") for i, v in points]
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="1.4"/>' for x, y in centres[:-1])
    end_x, end_y = centres[-1]
    return Markup(
        f'<svg class="spark" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{Markup.escape(label)}</title><g>{lines}{dots}</g>"
        f'<circle class="last" cx="{end_x}" cy="{end_y}" r="2.6"/></svg>'
    )
