"""A council's inspection-risk signal as the pages word it (``assets/profiles/views/risk.py``), on rows
written out by hand."""

from __future__ import annotations

import pytest

from assets.profiles.views.risk import risk_line

pytestmark = pytest.mark.fast

NAMES = {"Work_Force_TO_Rate": "Social worker turnover (%)", "LAC_LongStable%": "Long-term placement stability (%)"}


def name_of(code: str, fallback: str) -> str:
    return NAMES.get(code, fallback)


ROW = {"signal_name": "inspection-risk signal", "likelihood": 0.5365, "likelihood_low": 0.417, "likelihood_high": 0.651,
       "base_rate": 0.375, "rank_national": None, "band": None, "next_inspection_type": "standard",
       "like_this_text": "of the 33 inspections in 2018-2023 with a likelihood like this, 22 were judged requires "
                         "improvement or inadequate; of all 168, 63 (38%)",
       # the mart writes the drivers with the indicators' one names (marts.headline_indicator)
       "drivers": "Social worker turnover (%) (2.6 spreads worse than England, 2025); "
                  "Long-term placement stability (%) (1.1 spreads worse than England, 2025)",
       "driver_codes": "Work_Force_TO_Rate;LAC_LongStable%",
       "rival_sentence": "Knowing whether the inspection is standard or short alone does about as well."}


def test_a_row_in_figures_and_words():
    line = risk_line(ROW, True, "Havering", name_of)
    assert (line["name"], line["text"], line["in_100"], line["interval"], line["base_rate"]) == (
        "Inspection-risk signal", "54 in 100", "54", "42-65", "38 in 100")  # 0.5365, 0.417-0.651, 0.375
    assert line["rank"] is None and line["band"] is None
    assert [(d["name"], d["anchor"]) for d in line["drivers"]] == [
        ("Social worker turnover (%)", "ind-work-force-to-rate"), ("Long-term placement stability (%)", "ind-lac-longstable-pct")]
    # the section's words name the drivers as the mart wrote them: by their one names
    assert line["lines"][1] == ("What drives it: Social worker turnover (%) (2.6 spreads worse than England, 2025); "
                                "Long-term placement stability (%) (1.1 spreads worse than England, 2025).")
    assert line["lines"][0].startswith("A likelihood of 54 in 100")


def test_the_registered_name_and_rank_come_from_the_row():
    line = risk_line(ROW | {"signal_name": "early warning", "rank_national": 5, "band": "higher"}, True, "Havering",
                     name_of)
    assert (line["name"], line["rank"], line["band"]) == ("Early warning", 5, "higher")
    assert line["lines"][0].endswith("; rank 5 in England (1 = most likely).")


def test_no_row_says_why():
    small = risk_line(None, True, "City of London", name_of)
    assert not small["has"] and small["text"] == "\u2013" and small["name"] == "Inspection-risk signal"
    assert small["missing"].startswith("No likelihood is given for City of London: councils with fewer than 2,000")
    unloaded = risk_line(None, False, "City of London", name_of)
    assert unloaded["missing"] == "No inspection-risk signal: Ofsted's inspections are not loaded in this warehouse."
