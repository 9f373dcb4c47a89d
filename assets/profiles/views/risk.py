"""A council's inspection-risk signal (``marts.risk_signal``) as every page kind shows it: the
likelihood in 100 with its interval and the base rate, the national rank and band only where the
mart gives them (the registered rules, docs/methods.md "Inspection-risk signal"), the driving
indicators by their page names, and the sentences of the council page's section."""

from __future__ import annotations

from collections.abc import Callable

from assets.profiles.backtest_words import in_100, risk_signal_lines
from assets.profiles.views.common import indicator_anchor

SIGNAL_NAME = "Inspection-risk signal"


def signal_name(row: dict | None) -> str:
    """What the signal is called: the mart's registered name ("early warning" only when the
    registered rule allows it), capitalised; "Inspection-risk signal" without a row."""
    name = row["signal_name"] if row else SIGNAL_NAME
    return name[0].upper() + name[1:]


def risk_line(row: dict | None, loaded: bool, council_name: str, name_of: Callable[[str, str], str]) -> dict:
    """One council's signal in words and figures; ``loaded``: the warehouse holds the mart;
    ``name_of`` gives an indicator's one name (the mart's drivers are already written with it:
    ``marts.headline_indicator.indicator_name``)."""
    if row is None:
        missing = (f"No likelihood is given for {council_name}: councils with fewer than 2,000 children are not "
                   "scored (one child moves their figures by tens of points)." if loaded else
                   "No inspection-risk signal: Ofsted's inspections are not loaded in this warehouse.")
        return {"name": SIGNAL_NAME, "has": False, "missing": missing, "likelihood": None, "rank": None,
                "band": None, "text": "\u2013", "drivers": [], "lines": []}
    codes = [c for c in (row.get("driver_codes") or "").split(";") if c]
    return {
        "name": signal_name(row), "has": True, "missing": None,
        "likelihood": row["likelihood"], "in_100": in_100(row["likelihood"]),
        "text": f"{in_100(row['likelihood'])} in 100",
        "interval": f"{in_100(row['likelihood_low'])}-{in_100(row['likelihood_high'])}",
        "base_rate": f"{in_100(row['base_rate'])} in 100",
        "rank": row.get("rank_national"), "band": row.get("band"),
        "drivers": [{"code": c, "name": name_of(c, c), "anchor": indicator_anchor(c)} for c in codes],
        "next_type": row["next_inspection_type"],
        "rival": row["rival_sentence"],
        "lines": risk_signal_lines(row, named=False),
    }
