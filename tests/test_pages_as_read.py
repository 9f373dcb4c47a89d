"""Profiles as a reader reads them (issue 24) and Ofsted's coverage beside every judgement (issue 22).

Each expected value is worked out here, from the source files, the YAML or the warehouse with
plain SQL, never read back from the page builders. The built site is the session's
``materialized_home`` (``conftest.py``).
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

import dagster as dg

from assets.core.checks import inspections_current
from assets.core.inspection_coverage import InspectionCoverage, months_between
from assets.profiles.charts import trend_multiple_svg
from assets.profiles.formatting import slug
from assets.profiles.assets import pdf_path
from assets.profiles.data import load_profile_data
from assets.marts.indicator_names import sort_name, tidy_name
from assets.profiles.pdf import find_chromium, write_group_pdfs, write_pdfs
from assets.profiles.render import print_css, render
from assets.profiles.views import CouncilViews
from conftest import LAIT, OFSTED
from pipeline.status import inspection_coverage_line

pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")
REPO = Path(__file__).resolve().parents[1]
WINDSOR = "councils/868-windsor-and-maidenhead.html"
CITY = "councils/201-city-of-london.html"
SHORT = {e["code"]: e["short_name"] for e in yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())}


@pytest.fixture(scope="module")
def profiles(materialized_home) -> Path:
    return materialized_home / "profiles"


@pytest.fixture(scope="module")
def con(materialized_home):
    connection = duckdb.connect(str(materialized_home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def headline_item(source: str, anchor: str) -> str:
    """The first screen's headline list item that links to ``anchor``."""
    items = re.findall(r"<li>.*?</li>", re.search(r'<ol class="hl">.*?</ol>', source, re.S).group(0), re.S)
    return next(item for item in items if f'href="#{anchor}"' in item)


# ---- pure rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, percentage, expected", [
    ("Percentage of CLA having Dental Checks", True, "Children looked after having Dental Checks (%)"),
    ("% KS4 Destination not sustained", True, "KS4 Destination not sustained (%)"),
    ("Children  in reception year who are overweight or obese", False, "Children in reception year who are overweight or obese"),
    ("Long Term Placement Stability (%)", True, "Long Term Placement Stability (%)"),
])
@pytest.mark.fast
def test_a_dictionary_name_is_tidied_by_hand_worked_examples(raw, percentage, expected):
    assert tidy_name(raw, percentage) == expected


@pytest.mark.fast
def test_names_sort_without_a_leading_percent_or_number():
    names = ["0-10 working days between x", "% of assessments", "Adoptions", "16-17 year olds in training"]
    # read as "adoptions", "assessments", "working days between x", "year olds in training"
    assert sorted(names, key=sort_name) == ["Adoptions", "% of assessments", "0-10 working days between x",
                                           "16-17 year olds in training"]


@pytest.mark.fast
def test_every_headline_indicator_has_a_short_name_free_of_the_dictionary_typo():
    entries = yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())
    assert len(SHORT) == len(entries) and all(0 < len(name) <= 70 for name in SHORT.values())
    assert not any("their adoption and their adoptive" in name for name in SHORT.values())


@pytest.mark.fast
def test_months_between_and_the_six_month_rule_by_hand():
    assert months_between(date(2024, 2, 16), date(2026, 4, 1)) == 25  # 26 calendar months, the 1st before the 16th
    assert months_between(date(2024, 2, 16), date(2024, 8, 16)) == 6
    assert not InspectionCoverage(date(2024, 1, 5), date(2024, 2, 16), date(2024, 8, 16)).out_of_date
    assert InspectionCoverage(date(2024, 1, 5), date(2024, 2, 16), date(2024, 8, 15)).out_of_date is False
    assert InspectionCoverage(date(2024, 1, 5), date(2024, 2, 16), date(2024, 9, 16)).out_of_date


@pytest.mark.fast
def test_the_inspections_check_warns_when_the_file_is_over_six_months_older_than_the_release():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging")
    con.execute("CREATE TABLE staging.dim_indicator AS SELECT DATE '2026-04-01' AS last_update")
    con.execute("CREATE TABLE staging.inspection AS FROM (VALUES (DATE '2023-12-22', DATE '2024-02-16'), "
                "(DATE '2023-06-01', DATE '2023-07-01')) t(inspection_end_date, publication_date)")
    outcome = inspections_current(con)
    assert not outcome.result.passed and not outcome.blocking
    assert outcome.result.severity == dg.AssetCheckSeverity.WARN
    assert "25 months older than the LAIT release of 1 Apr 2026" in outcome.message
    con.execute("UPDATE staging.dim_indicator SET last_update = DATE '2024-08-16'")  # six months exactly
    assert inspections_current(con).result.passed


@pytest.mark.fast
def test_a_small_multiple_draws_the_council_and_england_with_gaps():
    svg = str(trend_multiple_svg([1.0, 2.0, None, 3.0, 4.0], [2.0, 2.0, 2.0, 2.0, 2.0], "x"))
    assert svg.count('<polyline class="own"') == 2 and svg.count('<polyline class="eng"') == 1
    assert trend_multiple_svg([None, 1.0, None], [1.0, 1.0, 1.0], "x") == ""  # one value: no line to draw


# ---- the built site -----------------------------------------------------------------------

def test_windsor_care_leavers_figure_shows_its_year_and_is_tagged_out_of_date(profiles, con):
    # The latest period with a value, and the newest year any indicator has a value for, from the facts.
    latest, latest_end = con.execute("""
        SELECT period_label, period_end_year FROM core.fact_indicator_value
        WHERE area_code = 868 AND indicator_code = 'CareLeavers_LA_NotInTouch' AND value IS NOT NULL
        ORDER BY period_end_year DESC, period_order DESC LIMIT 1""").fetchall()[0]
    newest = con.execute("SELECT max(period_end_year) FROM core.fact_indicator_value WHERE value IS NOT NULL").fetchall()[0][0]
    assert (latest, newest - latest_end > 2) == ("2021", True)  # the case issue 24 names
    item = headline_item((profiles / WINDSOR).read_text(), "ind-careleavers-la-notintouch")
    assert re.search(r'<span class="period">([^<]*)</span>', item).group(1) == latest
    assert "out of date" in text_of(item)
    assert text_of(item).startswith(SHORT["CareLeavers_LA_NotInTouch"])


def test_one_name_per_indicator_on_card_table_and_trend_chart(profiles):
    source = (profiles / WINDSOR).read_text()
    name = SHORT["LAC_LongStable%"]
    card = text_of(headline_item(source, "ind-lac-longstable-pct"))
    row = re.search(r'<tr id="ind-lac-longstable-pct".*?</tr>', source, re.S).group(0)
    trends = (profiles / "councils" / "trends" / "868.js").read_text()
    assert card.startswith(name)
    assert text_of(re.search(r'class="ind-name"[^>]*>(.*?)</a>', row, re.S).group(1)) == name
    assert f'"ind-lac-longstable-pct":{{"t":"{name}"' in trends
    assert "their adoption and their adoptive placement" not in source + trends


def test_rows_within_a_topic_put_the_headline_set_first_then_sort_by_name(profiles):
    source = (profiles / WINDSOR).read_text()
    headline = {f"ind-{slug(c.replace('%', ' pct'))}" for c in SHORT}  # the rows' ids
    topics = re.findall(r'<details class="topic".*?</details>', source, re.S)
    assert len(topics) > 15
    for topic in topics:
        rows = re.findall(r'<tr id="(ind-[^"]+)".*?class="ind-name"[^>]*>(.*?)</a>', topic, re.S)
        flags = [anchor in headline for anchor, _ in rows]
        assert flags == sorted(flags, reverse=True), topic[:120]  # headline rows first
        others = [html.unescape(name) for anchor, name in rows if anchor not in headline]
        # worked out here: the name without a leading "%", "% of", digit or punctuation
        assert others == sorted(others, key=lambda n: re.sub(r"^[\W\d_]*(of\s+)?", "", n).lower()), topic[:120]
    assert not re.search(r'class="ind-name"[^>]*>%', source)  # no name starts with "%"


def test_city_of_london_says_why_it_has_no_strengths_and_what_kind_of_council_it_is(profiles, con):
    (la_type,) = con.execute("SELECT la_type FROM core.dim_area WHERE area_code = 201").fetchall()[0]
    assert la_type == "ILB"  # the council list files it with the Inner London boroughs
    source = (profiles / CITY).read_text()
    assert "None found" not in source and "Inner London borough" not in source
    lede = text_of(re.search(r'<p class="lede">.*?</p>', source, re.S).group(0))
    assert lede.startswith("The City of London Corporation")
    card = text_of(re.search(r'<div class="card[^"]*" data-q="strengths">.*?</div>', source, re.S).group(0))
    assert "No strength can be named" in card and "fewer than 2,000 children" in card


def test_the_methods_page_carries_no_working_note(profiles):
    assert "Until the headline list is built" not in (profiles / "methods.html").read_text()


def test_region_tables_open_with_england_and_the_region(profiles, con):
    source = (profiles / "regions" / "south-east.html").read_text()
    table = next(t for t in re.findall(r"<table class=\"sortable region-table\">.*?</table>", source, re.S)
                 if "Re-referrals" in t)
    comparators = re.search(r'<tbody class="comparators">(.*?)</tbody>', table, re.S).group(1)
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in re.findall(r"<tr>(.*?)</tr>", comparators, re.S)]
    assert [text_of(r[0]) for r in rows] == ["England", "South East"]
    heads = [text_of(h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)]
    column = heads.index(SHORT["ReReferral"])
    # England's and the region's own value for the newest period of the region's councils, from the facts.
    period = con.execute("""
        SELECT max(t.latest_period) FROM marts.trend t JOIN core.dim_area a USING (area_code)
        WHERE t.indicator_code = 'ReReferral' AND a.region_name = 'South East' AND a.is_current""").fetchall()[0][0]
    for row, area in zip(rows, (970, "South East")):
        where = "f.area_code = 970" if area == 970 else "a.area_name = 'South East' AND a.area_kind = 'region'"
        (value,) = con.execute(f"""
            SELECT f.value FROM core.fact_indicator_value f JOIN core.dim_area a USING (area_code)
            WHERE f.indicator_code = 'ReReferral' AND f.period_label = ? AND {where}""", [period]).fetchall()[0]
        assert text_of(row[column]) == f"{value:.1f}% {period}"


def test_every_judgement_carries_the_inspections_files_coverage(profiles, con, materialized_home):
    # Worked out from the source CSV itself: newest inspection end date and report publication date.
    import csv

    with (OFSTED / "ilacs_inspections.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    ended, published = max(r["inspection_end_date"] for r in rows), max(r["publication_date"] for r in rows)
    ended, published = date.fromisoformat(ended), date.fromisoformat(published)
    words = (f"inspections to {ended.day} {ended:%b %Y}, from a file of reports published to "
             f"{published.day} {published:%b %Y}")
    assert words == "inspections to 22 Dec 2023, from a file of reports published to 16 Feb 2024"
    windsor = (profiles / WINDSOR).read_text()
    card = text_of(re.search(r'<div class="card[^"]*" data-q="ofsted">.*?</div>', windsor, re.S).group(0))
    assert words in card and "25 months older than the LAIT release of 1 Apr 2026" in card
    neighbours = text_of(re.search(r'<section id="neighbours".*?</section>', windsor, re.S).group(0))
    assert words in neighbours
    assert words in text_of((profiles / "regions" / "south-east.html").read_text())
    assert words in text_of((profiles / "peer-groups" / "south-east-2018-19-triad-3.html").read_text())
    assert inspection_coverage_line(con) == (f"inspections cover: {words}  WARNING: The file is 25 months older than "
                                             "the LAIT release of 1 Apr 2026: a judgement made since then is not shown.")


def in_100(share: float) -> str:
    """A share as a whole number in 100, rounded half up (0.5365 -> 54)."""
    return str(int(Decimal(repr(100 * share)).quantize(Decimal("1"), ROUND_HALF_UP)))


@pytest.mark.parametrize("page, code", [(WINDSOR, 868), ("councils/311-havering.html", 311)])
def test_the_first_screen_shows_the_councils_risk_signal_from_the_mart(profiles, con, page, code):
    """The card and the section give marts.risk_signal's figures; its calibration bin, rank and name
    are worked out here from marts.risk_calibration, the likelihoods and marts.risk_model_selection."""
    (name, likelihood, low, high, base, rank, band, drivers, like_this) = con.execute("""
        SELECT signal_name, likelihood, likelihood_low, likelihood_high, base_rate, rank_national, band, driver_codes,
               like_this_text FROM marts.risk_signal WHERE area_code = ?""", [code]).fetchall()[0]
    # the inspections "like this": the out-of-fold fifth of the signal whose likelihoods hold this one
    role = con.execute("SELECT CASE WHEN is_chosen THEN 'chosen' ELSE 'signal' END FROM marts.risk_model_selection "
                       "WHERE is_signal").fetchall()[0][0]
    fifths = con.execute("SELECT bin, inspections, judged_ri_or_inadequate, likelihood_to FROM marts.risk_calibration "
                         "WHERE role = ? ORDER BY bin", [role]).fetchall()
    _, inspections, judged, _ = next((f for f in fifths if likelihood <= f[3]), fifths[-1])
    assert like_this.startswith(f"of the {inspections} inspections in 2018-2023 with a likelihood like this, "
                                f"{judged} were judged requires improvement or inadequate")
    # a national rank and the name "early warning" only by the registered rule
    rivals = [a for (a,) in con.execute("SELECT cv_auc FROM marts.risk_model_selection WHERE kind = 'rival'").fetchall()]
    signal_auc, chosen = con.execute("SELECT cv_auc, is_chosen FROM marts.risk_model_selection WHERE is_signal").fetchall()[0]
    allowed = chosen and signal_auc >= 0.75 and all(signal_auc > r for r in rivals)
    assert name == ("early warning" if allowed else "inspection-risk signal")
    higher = con.execute("SELECT count(*) FROM marts.risk_signal WHERE likelihood > ?", [likelihood]).fetchall()[0][0]
    assert rank == (higher + 1 if allowed else None)

    source = (profiles / page).read_text()
    card = text_of(re.search(r'<div class="card" data-q="risk">.*?</div>', source, re.S).group(0))
    card = re.sub(r"\s+([;.])", r"\1", card)  # text_of leaves a space where a link ends before "; "
    heading = name[0].upper() + name[1:]
    assert card.startswith(f"{heading} {in_100(likelihood)} in 100" + (f" ({band} band)" if band else ""))
    assert (f"95% interval {in_100(low)}-{in_100(high)}; all councils {in_100(base)} in 100"
            + (f"; rank {rank} in England." if rank else ".")) in card
    assert "Driven by: " + "; ".join(SHORT[c] for c in drivers.split(";")) + "." in card
    assert "Learnt from Ofsted's judgements of 2018-2023 (inspections to 22 Dec 2023)." in card
    section = text_of(re.search(r'<section id="risk-signal".*?</section>', source, re.S).group(0))
    assert section.startswith(f"{heading}: {in_100(likelihood)} in 100" + (f", rank {rank} in England" if rank else ""))
    assert f"of the {inspections} inspections in 2018-2023 with a likelihood like this, {judged} were judged" in section
    # Windsor and Havering: the three workforce rates (worst quarter in both) drive the signal
    assert set(drivers.split(";")) == {"Work_Force_TO_Rate", "Work_Force_Vac_Rate", "Work_Force_Agecy_Rate"}


def test_region_and_index_list_the_signal_most_likely_first(profiles, con):
    source = (profiles / "regions" / "south-east.html").read_text()
    table = re.findall(r'<table class="sortable region-table">.*?</table>', source, re.S)[0]
    shown = [(text_of(r[0]), text_of(r[1])) for r in (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
                                                        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:])]
    expected = con.execute("""
        SELECT a.area_name, s.likelihood FROM marts.risk_signal s JOIN core.dim_area a USING (area_code)
        WHERE a.region_name = 'South East' ORDER BY s.likelihood DESC, a.area_name""").fetchall()
    assert shown == [(area, in_100(value)) for area, value in expected]
    index = text_of((profiles / "index.html").read_text())
    name, windsor = con.execute("SELECT signal_name, likelihood FROM marts.risk_signal WHERE area_code = 868").fetchall()[0]
    assert f"Windsor and Maidenhead South East · {name} {in_100(windsor)} in 100" in index


def test_since_the_previous_release_is_one_line_when_there_is_none(profiles, con):
    assert con.execute("SELECT count(*) FROM core.previous_release").fetchall()[0][0] == 0
    source = (profiles / WINDSOR).read_text()
    assert "Since the previous release</h3>" not in source
    line = re.search(r'<p class="one-line" data-q="changes">(.*?)</p>', source, re.S).group(1)
    assert "nothing to compare with" in line and "\n" not in line.strip()


def test_pages_ship_the_basic_plotly_bundle(profiles):
    shipped = (profiles / "assets" / "plotly.min.js").read_bytes()
    assert shipped.startswith(b"/**\n* plotly.js (basic - minified)") and len(shipped) < 1_500_000
    # every trace type the pages draw is in it (the trend chart's scatter, the calibration bars)
    script = (REPO / "assets" / "profiles" / "templates" / "static" / "profile.js").read_text()
    charts = (REPO / "assets" / "profiles" / "charts.py").read_text()
    traces = set(re.findall(r'type: "(\w+)", mode', script))  # the trend chart's trace (not its axis type)
    drawn = traces | {t.lower() for t in re.findall(r"go\.([A-Z]\w+)\(", charts) if t != "Figure"}
    assert drawn == {"scatter", "bar"}
    assert all(f'"{trace}"'.encode() in shipped or f"'{trace}'".encode() in shipped for trace in drawn)


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium on this machine: PDFs are skipped by design")
def test_packs_have_trends_no_near_empty_page_and_each_peer_group_has_one(materialized_home, tmp_path, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.setenv("PEERDATA_PDFS", "on")
    site = tmp_path / "profiles"
    with duckdb.connect(str(materialized_home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        views = CouncilViews(load_profile_data(con, None))
        # Havering's headline series with two or more values in their last 10 periods (a line to draw),
        # and a latest value: worked out from the marts with SQL.
        (expected,) = con.execute("""
            WITH h AS (SELECT indicator_code, value,
                              row_number() OVER (PARTITION BY indicator_code ORDER BY period_order DESC) AS back
                       FROM marts.benchmark WHERE area_code = 311)
            SELECT count(*) FROM (SELECT indicator_code FROM h WHERE back <= 10 AND value IS NOT NULL
                                  GROUP BY indicator_code HAVING count(*) >= 2)
            JOIN marts.headline_indicator USING (indicator_code)
            JOIN marts.trend t USING (indicator_code) WHERE t.area_code = 311 AND t.latest_value IS NOT NULL""").fetchall()[0]
        groups = [g for (g,) in con.execute("SELECT DISTINCT group_name FROM marts.peer_group").fetchall()]
    council = views.council(311)
    print_html = render("council.html", p=council, appendix=False, root="", print=True, release=views.data.release,
                        print_css=print_css())
    assert print_html.count('<svg class="multiple"') == expected > 20
    [_, havering] = write_pdfs(views, [311], lambda code, tables: pdf_path(site, code, "Havering", tables),
                               site / "pdf" / "definitions.pdf", find_chromium())
    pages = [page.extract_text() for page in pypdf.PdfReader(havering).pages]
    assert "Trends of the headline indicators" in " ".join(pages)
    assert all(len(text) > 1500 for text in pages), [len(text) for text in pages]  # none empty but its footer
    # the council page links the file the pack was printed to
    assert (site / "councils" / council["pdf_file"]).resolve() == havering.resolve()
    printed = write_group_pdfs(views, site, find_chromium())
    assert sorted(p.name for p in printed) == sorted(f"{slug(g)}.pdf" for g in groups)
    for group, pdf in zip(views.peer_group_names(), printed):
        first = pypdf.PdfReader(pdf).pages[0].extract_text()
        assert group in first and "Headline indicators" in " ".join(
            page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        assert (site / "peer-groups" / views.peer_group(group)["pdf_file"]).resolve() == pdf.resolve()


def test_concern_and_enquiry_sentences_name_the_indicator_as_its_heading_does(profiles, con):
    source = (profiles / "councils" / "311-havering.html").read_text()
    said = " ".join(text_of(re.search(rf'<section id="{s}".*?</section>', source, re.S).group(0))
                    for s in ("risk-signal", "enquiry", "strengths"))
    dictionary = dict(con.execute("SELECT indicator_code, indicator_name FROM core.dim_indicator").fetchall())
    other_names = [dictionary[c] for c in SHORT
                   if dictionary[c] != SHORT[c] and not any(dictionary[c] in s for s in SHORT.values())]
    assert "Percentage of agency social workers" in other_names  # Havering's first concern, by its LAIT name
    assert [n for n in other_names if n in said] == []
    assert "Agency social workers (%) was" in said
