"""Charts: small functions that take rows and return the marks of a spine strip or a sparkline.

Nothing on a council page needs a script to be seen: sparklines are inline SVG and spine strips
are one element placed by the stylesheet, so a page is ready when its HTML is, and the PDF needs
no browser call per image. Plotly charts are drawn in the browser by ``static/profile.js`` with
the site's plotly.js: an indicator's trend on demand, and the methods page's backtest figures
(built here, as Plotly figures, from the backtest marts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
from markupsafe import Markup

from assets.profiles.formatting import is_missing


@dataclass(frozen=True)
class SpinePoint:
    """One indicator on a spine chart, with every position on the 0 (worst) .. 100 (best) scale."""

    council: float
    england: float | None
    neighbours: float | None
    box: tuple[float, float]
    band: str


def spine_position(value: float | None, q0: float, q100: float, polarity: str) -> float | None:
    """Where ``value`` sits between the worst (0) and best (100) council's value."""
    if is_missing(value) or q100 == q0:
        return None
    share = (value - q0) / (q100 - q0)
    return round(100 * (share if polarity == "high" else 1 - share), 2)


def spine_point(row: dict) -> SpinePoint | None:
    """The spine-chart point of one latest-period row of the profile, or None if not banded."""
    if row.get("quartile_band") is None or row.get("q0") is None:
        return None
    pos = {key: spine_position(row[key], row["q0"], row["q100"], row["polarity"])
           for key in ("latest_value", "england_value", "sn_mean", "q25", "q75")}
    if pos["latest_value"] is None:
        return None
    return SpinePoint(
        council=pos["latest_value"],
        england=pos["england_value"],
        neighbours=pos["sn_mean"],
        box=tuple(sorted((pos["q25"], pos["q75"]))),
        band=row["quartile_band"],
    )


def spine_strip(point: SpinePoint | None) -> Markup:
    """One indicator's spine chart as a strip for a table row, drawn by the stylesheet (no script).

    Worst council on the left, best on the right: a hairline for the range of councils, a grey
    box for the middle half, a black bar for England, an open blue diamond for the neighbour
    mean and a dot coloured by band for the council. The positions (0..100) are custom
    properties of one element (about 100 bytes a row, where an SVG took 500 and a Plotly chart
    per topic kept the page from being ready for seconds); ``profile.css`` places the marks.
    The row's cells give the values and the band in words, so the strip is hidden from
    assistive technology. Empty when the row has no band.
    """
    if point is None:
        return Markup("")
    low, high = point.box
    marks = [f"--l:{low:.0f}", f"--w:{max(high - low, 0.5):.0f}", f"--c:{point.council:.0f}"]
    if point.england is not None:
        marks.append(f"--e:{point.england:.0f}")
    if point.neighbours is not None:
        marks.append(f"--n:{point.neighbours:.0f}")
    return Markup(f'<span class="sp sp-{point.band}" style="{";".join(marks)}" aria-hidden="true"><b></b><i></i></span>')


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

    lines = polylines(values, xy)
    centres = [xy(i, v).split(",") for i, v in points]
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="1.4"/>' for x, y in centres[:-1])
    end_x, end_y = centres[-1]
    return Markup(
        f'<svg class="spark" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{Markup.escape(label)}</title><g>{lines}{dots}</g>"
        f'<circle class="last" cx="{end_x}" cy="{end_y}" r="2.6"/></svg>'
    )


def polylines(values: Sequence[float | None], xy, css_class: str = "") -> str:
    """SVG polylines through the known values, a gap wherever a period has none."""
    segments, current, previous = [], [], None
    for i, v in enumerate(values):
        if is_missing(v):
            continue
        if previous is not None and i != previous + 1 and current:
            segments.append(current)
            current = []
        current.append(xy(i, v))
        previous = i
    segments.append(current)
    attribute = f' class="{css_class}"' if css_class else ""
    return "".join(f'<polyline{attribute} points="{" ".join(s)}"/>' for s in segments if len(s) > 1)


def trend_multiple_svg(council: Sequence[float | None], england: Sequence[float | None], label: str,
                       width: int = 160, height: int = 44) -> Markup:
    """One small multiple of the print pack: the council's series (solid, last point dotted) and
    England's (dashed) on one scale, periods evenly spaced; ``label`` is its accessible name.
    Empty when the council has fewer than two values."""
    known = [v for v in (*council, *england) if not is_missing(v)]
    if sum(not is_missing(v) for v in council) < 2:
        return Markup("")
    low, high = min(known), max(known)
    span, last = (high - low) or 1.0, max(len(council) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{3 + i * (width - 6) / last:.1f},{height - 3 - (v - low) * (height - 6) / span:.1f}"

    end = next((i, v) for i, v in reversed(list(enumerate(council))) if not is_missing(v))
    end_x, end_y = xy(*end).split(",")
    return Markup(
        f'<svg class="multiple" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{Markup.escape(label)}</title>{polylines(england, xy, 'eng')}{polylines(council, xy, 'own')}"
        f'<circle class="own" cx="{end_x}" cy="{end_y}" r="2.2"/></svg>'
    )


METHOD_NAMES = {"early_warning": "First-iteration score", "band_d_share": "Share of headline indicators in band D",
                "previous_judgement": "Previous judgement alone"}
METHOD_COLOURS = {"early_warning": "#000000", "band_d_share": "#0072B2", "previous_judgement": "#D55E00"}
SPLIT_DASH = {"fit": "dot", "test": "solid"}
SCORE_BANDS = ("lower", "middle", "higher")
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 12, "color": "#1a1a1a"}


def _layout(height: int, **axes: object) -> dict:
    """Shared layout: no title (the page's heading names the chart), the legend below the plot."""
    return {"template": "none", "height": height, "font": FONT, "margin": {"l": 56, "r": 12, "t": 12, "b": 50},
            "legend": {"orientation": "h", "x": 0, "y": -0.16, "yanchor": "top"},
            "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff", **axes}


def roc_figure(roc: pl.DataFrame, split_names: dict[str, str]) -> go.Figure:
    """The ROC curves of ``marts.backtest_roc`` (split, method, fpr, tpr): one line per method and
    split (test solid, fit dotted), with the diagonal a coin toss would follow."""
    traces = [go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="A coin toss", hoverinfo="skip",
                         line={"color": "#999999", "width": 1})]
    for (split, method), rows in roc.sort(["split", "method", "fpr", "tpr"]).group_by(
            ["split", "method"], maintain_order=True):
        traces.append(go.Scatter(
            x=rows["fpr"].to_list(), y=rows["tpr"].to_list(), mode="lines+markers",
            name=f"{METHOD_NAMES.get(method, method)}, {split_names.get(split, split)}",
            line={"color": METHOD_COLOURS.get(method, "#666666"), "dash": SPLIT_DASH.get(split, "solid"), "width": 2},
            marker={"size": 4}, meta={"split": split, "method": method},
            hovertemplate="%{y:.0%} of RI/inadequate, %{x:.0%} of good/outstanding<extra></extra>"))
    return _roc_figure(traces)


def calibration_figure(rates: pl.DataFrame, split_names: dict[str, str]) -> go.Figure:
    """Calibration: per split, the share of inspections judged requires improvement or inadequate
    in each score band (``marts.backtest_summary`` metric 'outcome_rate'), n written on each bar."""
    traces = []
    for split, rows in rates.group_by("split", maintain_order=True):
        by_band = {r["score_band"]: r for r in rows.iter_rows(named=True)}
        bands = [b for b in SCORE_BANDS if b in by_band]
        traces.append(go.Bar(
            x=[f"{b} score" for b in bands], y=[by_band[b]["value"] for b in bands],
            text=[f"n={by_band[b]['n']}" for b in bands], textposition="outside",
            name=split_names.get(split[0], split[0]), meta={"split": split[0]},
            marker={"color": "#000000" if split[0] == "test" else "#9a9a9a"},
            hovertemplate="%{y:.0%} judged RI or inadequate (%{text})<extra></extra>"))
    return go.Figure(traces, _layout(
        380, barmode="group",
        xaxis={"fixedrange": True},
        yaxis={"title": {"text": "Judged RI or inadequate"}, "range": [0, 1.05], "tickformat": ".0%",
               "fixedrange": True}))


RISK_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")


def risk_roc_figure(roc: pl.DataFrame, labels: dict[str, str], signal: str) -> go.Figure:
    """The ROC curves of the out-of-fold likelihoods (``marts.risk_roc``): the signal in black, each
    rival in its own colour, and the coin-toss diagonal."""
    traces = [go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="A coin toss", hoverinfo="skip",
                         line={"color": "#999999", "width": 1})]
    rivals = [c for c in roc["candidate"].unique(maintain_order=True).to_list() if c != signal]
    for candidate in [signal, *rivals]:
        rows = roc.filter(pl.col("candidate") == candidate).sort("point")
        colour = "#000000" if candidate == signal else RISK_COLOURS[rivals.index(candidate) % len(RISK_COLOURS)]
        traces.append(go.Scatter(
            x=rows["fpr"].to_list(), y=rows["tpr"].to_list(), mode="lines", name=labels.get(candidate, candidate),
            line={"color": colour, "width": 3 if candidate == signal else 1.5}, meta={"candidate": candidate},
            hovertemplate="%{y:.0%} of RI/inadequate, %{x:.0%} of good/outstanding<extra></extra>"))
    return _roc_figure(traces)



def _roc_figure(traces: list) -> go.Figure:
    """ROC curves on the methods page's axes: false alarms across, warned RI/inadequate up."""
    return go.Figure(traces, _layout(
        520,
        xaxis={"title": {"text": "Good/outstanding warned (false alarms)"}, "range": [0, 1], "tickformat": ".0%",
               "fixedrange": True},
        yaxis={"title": {"text": "RI or inadequate warned"}, "range": [0, 1], "tickformat": ".0%", "fixedrange": True}))

def risk_calibration_figure(bins: pl.DataFrame) -> go.Figure:
    """Reliability (``marts.risk_calibration``, the chosen method): per fifth of the out-of-fold
    likelihoods, the mean likelihood against the share judged requires improvement or inadequate;
    a calibrated method lies on the diagonal."""
    rows = bins.filter(pl.col("role") == "chosen").sort("bin")
    return go.Figure([
        go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="Perfectly calibrated", hoverinfo="skip",
                   line={"color": "#999999", "width": 1}),
        go.Scatter(x=rows["mean_likelihood"].to_list(), y=rows["observed_share"].to_list(), mode="lines+markers+text",
                   name="Each fifth of the inspections", text=[f"n={n}" for n in rows["inspections"]],
                   textposition="top left", line={"color": "#000000", "width": 2}, marker={"size": 8},
                   hovertemplate="likelihood %{x:.0%}: %{y:.0%} judged RI or inadequate (%{text})<extra></extra>"),
    ], _layout(
        420,
        xaxis={"title": {"text": "Likelihood given (out of fold)"}, "range": [0, 1], "tickformat": ".0%",
               "fixedrange": True},
        yaxis={"title": {"text": "Judged RI or inadequate"}, "range": [0, 1], "tickformat": ".0%", "fixedrange": True}))
