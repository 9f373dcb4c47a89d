"""Council profiles, overviews and packs: pure formatting rules, the built site, escaping, PDFs.

Expected values are worked out here from the warehouse with plain SQL and Python, never read
back from the page builders.
"""

from __future__ import annotations

import html
import json
import os
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from assets.profiles import council_partitions_sensor, sync_council_partitions
from assets.profiles.partitions import partition_changes
from assets.profiles.assets import council_page, council_pdf
from assets.profiles.charts import SpinePoint, sparkline_svg, spine_position, spine_strip
from assets.profiles.formatting import direction_arrow, format_change, format_value, plain_words, slug
from assets.profiles.pdf import find_chromium
from base.files import write_atomic
from assets.profiles.build import COUNCIL_WRITTEN, build_index
from assets.profiles.runs import council_files, materialize_profiles, pdf_config
from assets.profiles.data import load_profile_data
from base.site import staging_dir
from assets.profiles.views import CouncilViews
from assets.profiles.views.common import data_years, json_for_html
from assets.profiles.views.peer_group import group_ranks
from assets.profiles.views.region import column_tables
from conftest import LAIT, resources_for
from pipeline.export import build_profile
from pipeline.progress import Stage
from assets.resources import WarehouseResource
from test_profiles_site import warehouse_copy

pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")
WINDSOR = 868
REPO = Path(__file__).resolve().parents[1]
WINDSOR_KEY = "868-windsor-and-maidenhead"  # the partition key: code and name, as the UI shows it


@pytest.fixture(scope="session")
def site(materialized_home) -> Path:
    """The home of the built site: warehouse and every profile page (``test_profiles_site.py``)."""
    return materialized_home


@pytest.fixture(scope="module")
def con(site):
    connection = duckdb.connect(str(site / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


def councils(con) -> dict[int, tuple[str, str]]:
    rows = con.execute("SELECT area_code, area_name, region_name FROM core.dim_area "
                       "WHERE area_kind = 'la' AND is_current").fetchall()
    return {code: (name, region) for code, name, region in rows}


def page_text(path: Path) -> str:
    """The page's visible text, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text()))


# ---- pure rules ---------------------------------------------------------------------------

@pytest.mark.fast
@pytest.mark.parametrize("value, dps, pct, expected", [
    (2.25, 1, False, "2.3"),                    # half away from zero, not banker's rounding
    (1.1000000000000001, 2, False, "1.10"),     # float artefacts of the release disappear
    (-0.04, 1, False, "0.0"),                   # no negative zero
    (-2.35, 1, False, "-2.4"),
    (1234.5, 0, False, "1,235"),
    (61.5, 1, True, "61.5%"),
    (None, 1, False, "\u2013"),
])
@pytest.mark.fast
def test_format_value(value, dps, pct, expected):
    assert format_value(value, dps, pct) == expected


@pytest.mark.fast
def test_format_change_signs_and_percentage_points():
    assert format_change(5.44, 1, True) == "+5.4 pp"
    assert format_change(-8.0, 1, False) == "-8.0"
    assert format_change(0.01, 1, False) == "0.0"


@pytest.mark.fast
def test_plain_words_drop_the_statistical_jargon():
    assert plain_words("slightly rising over 5 years (less than half the national inter-quartile range)") == \
        "slightly rising over 5 years (small beside the differences between councils)"
    assert plain_words("no trend: only 2 consecutive periods with a value (4 needed)") == "too few years for a trend (2 of 4)"
    assert plain_words("worsening, sustained over 5 years") == "worsening, sustained over 5 years"


@pytest.mark.fast
def test_direction_arrow_shows_the_movement_not_the_judgement():
    assert direction_arrow(-5.0, "improving") == "\u2193"
    assert direction_arrow(3.0, "worsening") == "\u2191"
    assert direction_arrow(0.0, "no change") == "\u2192"
    assert direction_arrow(None, "not comparable") == ""


@pytest.mark.fast
def test_spine_position_puts_best_on_the_right_for_both_polarities():
    assert spine_position(2.5, 0.0, 10.0, "high") == 25.0
    assert spine_position(2.5, 0.0, 10.0, "low") == 75.0
    assert spine_position(5.0, 5.0, 5.0, "high") is None


@pytest.mark.fast
def test_sparkline_has_a_point_per_value_and_a_gap_for_missing():
    svg = str(sparkline_svg([1.0, 2.0, None, 3.0, 4.0], "a & b"))
    assert svg.count("<circle") == 4
    assert svg.count("<polyline") == 2
    assert "<title>a &amp; b</title>" in svg


@pytest.mark.fast
def test_spine_strip_places_the_marks_worst_left_best_right():
    point = SpinePoint(council=100.0, england=0.0, neighbours=None, box=(25.0, 75.0), band="A")
    strip = str(spine_strip(point))
    assert 'class="sp sp-A"' in strip  # the council's dot takes band A's colour
    assert "--c:100;" in strip and "--e:0" in strip  # the council at the best end, England at the worst
    assert "--l:25;--w:50;" in strip  # the middle half of councils: from 25 to 75
    assert "--n:" not in strip  # no neighbour mean, no diamond
    assert 'aria-hidden="true"' in strip  # the row's cells say it in words
    assert str(spine_strip(None)) == ""


@pytest.mark.fast
def test_each_indicator_has_one_topic_in_service_order_with_a_readable_name():
    from assets.profiles.services import is_count, primary_topics, topic

    chosen = primary_topics([("All Pupil Absence & Exclusions", "CINPermAbsent"), ("Children in Need", "CINPermAbsent"),
                             ("Children Looked After", "CareLeaverEET"), ("Contextual\\Other", "EALPri")])
    assert chosen["CINPermAbsent"].name == "Children in need"  # help and protection comes before education
    assert chosen["CareLeaverEET"].service_area == "care_leavers"
    assert chosen["EALPri"].name == "Pupils and languages" and "\\" not in chosen["EALPri"].name
    assert topic("A new topic\\Thing").name == "A new topic and Thing"  # an unknown topic still builds
    assert is_count("Number of children") and is_count("Spend") and not is_count("Rate per 10,000")


@pytest.mark.fast
def test_data_years_says_which_year_most_figures_are_for():
    # the end years of "2025", "2025 (prov)", "2024-25 (OT)", "2023/24", "2016", "2025 (Rev)" and a series with none
    years = data_years([2025, 2025, 2025, 2024, 2016, 2025, None])
    assert years == {"most": 2025, "share": 67, "oldest": 2016, "n": 6}  # 4 of 6 end in 2025 (2024-25 does)


@pytest.mark.fast
def test_group_ranks_best_first_with_ties():
    assert group_ranks([3.0, 5.0, 5.0, None], "higher is better") == ["3 of 3", "1 of 3", "1 of 3", ""]
    assert group_ranks([3.0, 5.0], "lower is better") == ["1 of 2", "2 of 2"]
    assert group_ranks([3.0, 5.0], "no judgement of better or worse") == ["", ""]


@pytest.mark.fast
def test_slug_is_file_safe():
    assert slug("Bristol, City of") == "bristol-city-of"
    assert slug("Windsor & Maidenhead") == "windsor-and-maidenhead"


@pytest.mark.fast
def test_region_tables_keep_service_areas_together_and_fit_the_screen():
    columns = [{"area": area, "code": str(i)} for i, area in enumerate(
        ["help_and_protection"] * 3 + ["children_in_care"] * 3 + ["care_leavers"] * 2 + ["education"] * 8)]
    tables = [[c["code"] for c in t["columns"]] for t in column_tables(columns)]
    # 3 + 3 fit in 7; care leavers would make 8, so they start the next table; education (8) stands alone
    assert tables == [["0", "1", "2", "3", "4", "5"], ["6", "7"], [str(i) for i in range(8, 16)]]
    assert column_tables(columns)[0]["areas"] == "Help and protection, Children in care"


@pytest.mark.fast
def test_json_for_html_cannot_close_its_script_element():
    text = str(json_for_html({"t": "</script><script>alert(1)</script>"}))
    assert "<" not in text and ">" not in text


@pytest.mark.fast
def test_write_atomic_leaves_the_old_file_when_the_move_fails(tmp_path, monkeypatch):
    target = write_atomic(tmp_path / "page.html", "old")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # readable like any new file, not 0600

    def fail(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


# ---- the built site --------------------------------------------------------------------------

def test_every_current_council_has_a_profile_naming_it_and_its_neighbours(site, con):
    profiles = site / "profiles"
    neighbours: dict[int, list[str]] = {}
    for code, name in con.execute(
            "SELECT n.area_code, a.area_name FROM core.dim_stat_neighbour n "
            "JOIN core.dim_area a ON a.area_code = n.neighbour_code").fetchall():
        neighbours.setdefault(code, []).append(name)
    current = councils(con)
    pages = sorted((profiles / "councils").glob("*.html"))
    assert len(pages) == len(current) == 153
    for code, (name, _) in current.items():
        text = page_text(profiles / "councils" / f"{code}-{slug(name)}.html")
        assert f"{name} at a glance" in text
        assert len(neighbours[code]) == 10
        for neighbour in neighbours[code]:
            assert neighbour in text, (name, neighbour)


def test_file_counts_match_regions_and_peer_groups(site, con):
    profiles = site / "profiles"
    regions = {region for _, region in councils(con).values()}
    groups = con.execute("SELECT count(DISTINCT group_name) FROM marts.peer_group").fetchall()[0][0]
    assert len(list((profiles / "regions").glob("*.html"))) == len(regions) == 9
    assert len(list((profiles / "peer-groups").glob("*.html"))) == groups == 6 + 49  # the example, one suggested set per region
    assert (profiles / "index.html").exists()
    assert len(list(profiles.rglob("plotly.min.js"))) == 1


def test_pages_make_no_request_off_the_machine(site):
    for page in [*(site / "profiles" / "councils").glob("86*.html"), *(site / "profiles" / "regions").glob("*.html")]:
        source = page.read_text()
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', source), page.name
        assert '<script src="../assets/profile.js" defer>' in source  # plotly.js only when a chart is opened
        assert "plotly.min.js" not in source


def test_profile_values_match_the_marts(site, con):
    """Windsor and Maidenhead's row for 16-17 NEET: value, neighbour mean (n), rank, band, trend."""
    value, sn_mean, sn_n, rank, rank_n, band, period = con.execute(
        "SELECT b.value, b.sn_mean, b.sn_n, b.rank, b.rank_n, b.quartile_band, b.period_label "
        "FROM marts.benchmark b JOIN marts.trend t USING (indicator_code, area_code) "
        "WHERE b.indicator_code = '16-17 NEET' AND b.area_code = ? AND b.period_label = t.latest_period", [WINDSOR]).fetchall()[0]
    label = con.execute("SELECT trend_label FROM marts.trend WHERE indicator_code = '16-17 NEET' AND area_code = ?",
                        [WINDSOR]).fetchall()[0][0]

    def one_dp(x: float) -> str:  # the dictionary gives no dps for this indicator: 1 is used
        return str(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    source = (site / "profiles" / "councils" / "868-windsor-and-maidenhead.html").read_text()
    row = re.search(r'<tr id="ind-16-17-neet".*?</tr>', source, re.S).group(0)
    text = " ".join(page_text_fragment(row).split())
    assert f"{period} {one_dp(value)}% {one_dp(sn_mean)}% ({sn_n})" in text
    assert f"{rank} of {rank_n}" in text
    quarter = {"A": "best quarter", "B": "second quarter", "C": "third quarter", "D": "worst quarter"}[band]
    assert f"{band} {quarter}" in text
    assert plain_words(html.unescape(label)) in text
    assert len(re.findall(r'<tr id="ind-16-17-neet"', source)) == 1  # once on the page


def page_figure(source: str, element_id: str) -> dict:
    """The Plotly figure the page holds as JSON in ``<script id=element_id>``."""
    return json.loads(re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', source, re.S).group(1))


def test_methods_page_charts_and_states_the_backtest_of_the_warehouse(site, con):
    """The methods page's ROC curves and calibration bars are the backtest marts' rows, and its
    sentences give every AUC and 95% interval in hundredths, worked out here from the marts."""
    source = (site / "profiles" / "methods.html").read_text()
    roc = page_figure(source, "backtest-roc")
    drawn = {(t["meta"]["split"], t["meta"]["method"]): (t["x"], t["y"]) for t in roc["data"] if "meta" in t}
    expected: dict[tuple[str, str], tuple[list, list]] = {}
    for split, method, fpr, tpr in con.execute(
            "SELECT split, method, fpr, tpr FROM marts.backtest_roc ORDER BY split, method, fpr, tpr").fetchall():
        xs, ys = expected.setdefault((split, method), ([], []))
        xs.append(fpr)
        ys.append(tpr)
    assert {("test", "early_warning"), ("test", "band_d_share"), ("fit", "early_warning")} <= set(expected)
    assert drawn.keys() == expected.keys()
    for key, (xs, ys) in expected.items():
        assert drawn[key][0] == pytest.approx(xs) and drawn[key][1] == pytest.approx(ys), key

    bars = {t["meta"]["split"]: dict(zip(t["x"], zip(t["y"], t["text"]))) for t in page_figure(source, "backtest-calibration")["data"]}
    rates = con.execute("SELECT split, score_band, avg(is_ri_or_inadequate::INTEGER), count(*) "
                        "FROM marts.backtest_inspection WHERE score_band IS NOT NULL GROUP BY ALL").fetchall()
    assert len(rates) == 6
    for split, band, rate, n in rates:
        shown, label = bars[split][f"{band} score"]
        assert shown == pytest.approx(rate) and label == f"n={n}"

    text = " ".join(page_text(site / "profiles" / "methods.html").split())
    aucs = con.execute("SELECT split, method, value, ci_low, ci_high, n FROM marts.backtest_summary "
                       "WHERE metric = 'auc'").fetchall()
    assert len(aucs) >= 4
    years = dict(((split, f"{lo}-{hi}") for split, lo, hi in con.execute(
        "SELECT split, min(year(inspection_end_date)), max(year(inspection_end_date)) FROM marts.backtest_inspection "
        "GROUP BY split").fetchall()))
    for split, method, value, low, high, n in aucs:
        words = f"{round(100 * value)} times in 100 (95% interval {round(100 * low)}-{round(100 * high)})"
        assert words in text, (split, method, words)
        if method == "early_warning":
            assert f"On the {n} inspections of {years[split]}" in text

    # the registered inspection-risk selection: its ROC curves and reliability points are the
    # marts' rows, and every candidate's cross-validated AUC is in the words
    risk_roc = {t["meta"]["candidate"]: (t["x"], t["y"]) for t in page_figure(source, "risk-roc")["data"] if "meta" in t}
    for candidate in {c for (c,) in con.execute("SELECT DISTINCT candidate FROM marts.risk_roc").fetchall()}:
        points = con.execute("SELECT fpr, tpr FROM marts.risk_roc WHERE candidate = ? ORDER BY point",
                             [candidate]).fetchall()
        assert risk_roc[candidate] == (pytest.approx([p[0] for p in points]), pytest.approx([p[1] for p in points]))
    fifths = con.execute("SELECT mean_likelihood, observed_share FROM marts.risk_calibration WHERE role = 'chosen' "
                         "ORDER BY bin").fetchall()
    drawn = next(t for t in page_figure(source, "risk-calibration")["data"] if t["mode"] == "lines+markers+text")
    assert drawn["x"] == pytest.approx([f[0] for f in fifths]) and drawn["y"] == pytest.approx([f[1] for f in fifths])
    for label, kind, cv_auc in con.execute("SELECT label, kind, cv_auc FROM marts.risk_model_selection").fetchall():
        if kind == "rival":
            assert f"{label} {round(100 * cv_auc)} times in 100" in text


def test_methods_page_says_when_the_warehouse_has_no_backtest(materialized_home, tmp_path):
    home = warehouse_copy(materialized_home, tmp_path / "home")
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as write:
        for table in ("backtest_roc", "backtest_summary", "backtest_inspection"):
            write.execute(f"DROP TABLE IF EXISTS marts.{table}")
    with duckdb.connect(str(warehouse), read_only=True) as read:
        views = CouncilViews(load_profile_data(read, [WINDSOR]))
    build_index(views, tmp_path / "site")
    text = page_text(tmp_path / "site" / "methods.html")
    assert "The backtest is not available" in text
    assert "backtest-roc" not in (tmp_path / "site" / "methods.html").read_text()


def page_text_fragment(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_stale_indicators_are_marked(site, con):
    stale = con.execute("SELECT count(*) FROM marts.trend WHERE area_code = ? AND stale", [WINDSOR]).fetchall()[0][0]
    shown = con.execute(  # each indicator with data in the dictionary, once
        "SELECT count(DISTINCT t.indicator_code) FROM marts.trend t JOIN core.indicator_topic USING (indicator_code) "
        "JOIN core.dim_indicator i USING (indicator_code) WHERE i.has_data AND t.area_code = ? AND t.stale",
        [WINDSOR]).fetchall()[0][0]
    assert stale > 0
    source = (site / "profiles" / "councils" / "868-windsor-and-maidenhead.html").read_text()
    assert len(re.findall(r'<tr id="ind-[^"]+" class="[^"]*\bstale\b', source)) == shown


def test_council_pages_are_under_400_kb_and_each_indicator_appears_once(site, con):
    sizes = [p.stat().st_size for p in (site / "profiles" / "councils").glob("*.html")]
    assert len(sizes) == 153 and max(sizes) < 400_000
    indicators = con.execute("SELECT count(DISTINCT indicator_code) FROM core.indicator_topic "
                             "JOIN core.dim_indicator USING (indicator_code) WHERE has_data").fetchone()[0]
    source = (site / "profiles" / "councils" / "868-windsor-and-maidenhead.html").read_text()
    rows = re.findall(r'<tr id="ind-([^"]+)"', source)
    assert len(rows) == len(set(rows)) == indicators
    definitions = (site / "profiles" / "definitions.html").read_text()
    assert len(re.findall(r'<dt id="def-', definitions)) == indicators
    assert "Contextual\\Other" not in page_text(site / "profiles" / "councils" / "868-windsor-and-maidenhead.html")


def test_counts_are_not_set_beside_other_areas_totals(site, con):
    """A count indicator's row shows the council's value and no neighbour, region or England figure."""
    code, england = con.execute(
        "SELECT t.indicator_code, b.england_value FROM marts.trend t JOIN core.dim_indicator i USING (indicator_code) "
        "JOIN marts.benchmark b ON b.indicator_code = t.indicator_code AND b.area_code = t.area_code "
        "AND b.period_label = t.latest_period WHERE t.area_code = ? AND i.has_data AND i.unit = 'Number of children' "
        "AND b.england_value > 1000 ORDER BY 1 LIMIT 1", [WINDSOR]).fetchone()
    source = (site / "profiles" / "councils" / "868-windsor-and-maidenhead.html").read_text()
    anchor = "ind-" + slug(code.replace("%", " pct"))
    row = page_text_fragment(re.search(rf'<tr id="{anchor}".*?</tr>', source, re.S).group(0))
    assert "not set beside other areas' totals" in row
    assert f"{england:,.0f}" not in row


def test_a_description_with_a_script_tag_renders_as_text(materialized_home, tmp_path):
    home = warehouse_copy(materialized_home, tmp_path / "home")
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as writer:
        writer.execute("UPDATE core.dim_indicator SET description = '<script>alert(\"x\")</script> & more' "
                       "WHERE indicator_code = '16-17 NEET'")
        writer.execute("UPDATE marts.indicator_name SET indicator_name = 'Name </script><script>alert(2)</script>' "
                       "WHERE indicator_code = '16-17 NEET'")  # the name the pages give it
    resource = WarehouseResource(home=str(home), warehouse_path=str(warehouse))
    page = build_profile("Windsor and Maidenhead", resource)
    source = page.read_text()
    assert "<script>alert" not in source
    assert source.count("<script") == 1  # the page script only
    with resource.connect(read_only=True) as con:
        views = CouncilViews(load_profile_data(con, None))
    definitions = build_index(views, home / "profiles")[1].read_text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in definitions
    assert "<script>alert" not in definitions
    trends = (home / "profiles" / "councils" / "trends" / "868.js").read_text()  # the trend chart's title: its name
    assert "</script>" not in trends and "\\u003c/script\\u003e" in trends


def partitioned_copy(materialized_home: Path, lait: Path, tmp_path: Path) -> tuple[Path, dict, dg.DagsterInstance, list[str]]:
    """A private copy of the built home, its resources, and an ephemeral instance that knows the
    council partitions (their keys returned), for a test that materializes council assets."""
    home = warehouse_copy(materialized_home, tmp_path / "home")
    resources = resources_for(home, lait / "current")
    instance = dg.DagsterInstance.ephemeral()
    return home, resources, instance, sync_council_partitions(instance, resources["warehouse"])


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium on this machine: PDFs are skipped by design")
def test_pdf_of_one_council_opens_and_has_numbered_pages(materialized_home, lait, tmp_path):
    home, resources, instance, _ = partitioned_copy(materialized_home, lait, tmp_path)
    result = dg.materialize([council_pdf], resources=resources, instance=instance, partition_key=WINDSOR_KEY)
    assert result.success
    # Written into the build of the site in progress; readers see it once the overviews publish it.
    assert not (home / "profiles" / "pdf" / "868-windsor-and-maidenhead.pdf").exists()
    pdf = staging_dir(home / "profiles") / "pdf" / "868-windsor-and-maidenhead.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(pdf)
    pages = len(reader.pages)
    assert 1 <= pages <= 12  # the pre-visit pack
    first = reader.pages[0].extract_text()
    assert "Windsor and Maidenhead" in first and f"page 1 of {pages}" in first
    assert f"page {pages} of {pages}" in reader.pages[-1].extract_text()
    assert abs(float(reader.pages[0].mediabox.width) - 595) < 2  # A4 portrait: 595 x 842 points
    assert abs(float(reader.pages[0].mediabox.height) - 842) < 2
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        short = {e["code"]: e["short_name"] for e in yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())}
        strengths = [short[c] for (c,) in con.execute("SELECT indicator_code FROM marts.strengths_weaknesses "  # the headline set's
                                                      "WHERE area_code = ? AND kind = 'strength'", [WINDSOR]).fetchall()]
        neighbours = [n for (n,) in con.execute("SELECT a.area_name FROM core.dim_stat_neighbour n JOIN core.dim_area a "
                                                 "ON a.area_code = n.neighbour_code WHERE n.area_code = ?", [WINDSOR]).fetchall()]
        signal_name = con.execute("SELECT signal_name FROM marts.risk_signal WHERE area_code = ?", [WINDSOR]).fetchall()[0][0]
    for section in ("Ofsted's last judgement", signal_name.capitalize(), "Strengths and areas for development",
                    "Statistical neighbours and peer groups"):
        assert section in text
    assert "Every indicator, by service area" not in text  # the full tables are the appendix edition
    assert all(" ".join(name.split())[:40] in text for name in strengths + neighbours)
    definitions = pypdf.PdfReader(pdf.parent / "definitions.pdf")
    assert "Indicator definitions" in definitions.pages[0].extract_text() and len(definitions.pages) > 5


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium on this machine: PDFs are skipped by design")
def test_the_full_tables_edition_is_printed_on_request(materialized_home, lait, tmp_path):
    home, resources, instance, _ = partitioned_copy(materialized_home, lait, tmp_path)
    written: list[Path] = []  # what `peerdata materialize`'s progress bar is moved on by
    COUNCIL_WRITTEN.append(written.append)
    try:
        result = dg.materialize([council_page, council_pdf], resources=resources, instance=instance,
                                partition_key="201-city-of-london", run_config=pdf_config(appendix=True))
    finally:
        COUNCIL_WRITTEN.remove(written.append)
    assert result.success
    pypdf = pytest.importorskip("pypdf")
    built = staging_dir(home / "profiles") / "pdf"  # the build in progress, published by the overviews
    # The bar counts each file once, the files the run produced, and its total is that count:
    # the council's page, its pack, its tables edition and definitions.pdf.
    produced = sorted([*built.glob("*.pdf"), *(built.parent / "councils").glob("*.html")])
    assert [p.name for p in produced] == ["201-city-of-london.html", "201-city-of-london-tables.pdf",
                                          "201-city-of-london.pdf", "definitions.pdf"]
    assert sorted(written) == produced
    assert council_files(1, pdf=True, appendix=True) == len(produced)
    tables = pypdf.PdfReader(built / "201-city-of-london-tables.pdf")
    text = "\n".join(page.extract_text() for page in tables.pages)
    assert "Every indicator, by service area" in text and "Help and protection" in text
    assert (built / "201-city-of-london.pdf").exists()


def test_pdfs_are_not_reported_as_built_without_chromium(materialized_home, lait, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on PATH
    monkeypatch.delenv("PEERDATA_CHROMIUM", raising=False)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    home, resources, instance, _ = partitioned_copy(materialized_home, lait, tmp_path)
    result = dg.materialize([council_page, council_pdf], resources=resources, instance=instance,
                            partition_key=WINDSOR_KEY)
    assert result.success  # the rest of the run goes on
    built = [e.asset_key for e in result.get_asset_materialization_events()]
    assert built == [council_page.key]  # a PDF not printed is never reported as built
    assert instance.get_materialized_partitions(council_pdf.key) == set()
    assert instance.get_materialized_partitions(council_page.key) == {WINDSOR_KEY}
    # What `peerdata materialize` prints for the stage: one council, its page but no PDF.
    line = Stage("council pages and PDFs", result).line()
    assert "1 council built (council_page 1, council_pdf 0)" in line
    logged = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert any("PDF profiles NOT built: no Chromium found" in message for message in logged)
    assert not (home / "profiles" / "pdf").exists() and not (staging_dir(home / "profiles") / "pdf").exists()


@pytest.mark.parametrize("chromium", [True, False])
def test_progress_bar_total_is_the_files_the_profile_run_writes(site, con, tmp_path, monkeypatch, chromium):
    """The total handed to the CLI's bar: a page per council, and when Chromium can print them,
    a pack and a tables edition per council and definitions.pdf; none without Chromium."""
    if chromium and find_chromium() is None:
        pytest.skip("no Chromium on this machine")
    if not chromium:
        monkeypatch.setenv("PATH", str(tmp_path))
        monkeypatch.delenv("PEERDATA_CHROMIUM", raising=False)
        monkeypatch.delenv("BROWSER_PATH", raising=False)
    stages = []

    def record(name, _start, total=None):  # the runs are not started: only what the bar is told
        stages.append((name, total))
        return type("Result", (), {"success": True})()

    materialize_profiles(dg.DagsterInstance.ephemeral(), resources_for(site, LAIT / "current"), pdf=True,
                         appendix=True, run=record)
    n = len(councils(con))
    assert stages == [("council pages and PDFs", n + (2 * n + 1 if chromium else 0)), ("overviews", None)]


def test_council_partitions_follow_the_current_councils(site, con):
    """New councils are added and abolished ones removed, by the sensor and by the sync helper."""
    assert partition_changes(["1", "2"], ["2", "3"]) == (["3"], ["1"])
    resources = resources_for(site, LAIT / "current")
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("council", ["909"])  # Cumbria, abolished
    context = dg.build_sensor_context(instance=instance, resources={"warehouse": resources["warehouse"]})
    result = council_partitions_sensor(context)
    added, deleted = result.dynamic_partitions_requests
    names = councils(con)
    expected = [f"{code}-{slug(names[code][0])}" for code in sorted(names)]
    assert WINDSOR_KEY in expected
    assert sorted(added.partition_keys) == sorted(expected)
    assert deleted.partition_keys == ["909"]
    assert sync_council_partitions(instance, resources["warehouse"]) == expected
    assert set(instance.get_dynamic_partitions("council")) == set(expected)


def test_each_council_partition_carries_its_own_page(materialized_home, lait, tmp_path):
    """Two council partitions built in one run: each materialization names its own file, its size
    on disk (in the site being built) and the release it shows, not the run's whole batch."""
    home, resources, instance, keys = partitioned_copy(materialized_home, lait, tmp_path)
    keys = keys[:2]
    result = dg.materialize([council_page], resources=resources, instance=instance, tags={
        "dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]})
    assert result.success
    by_partition = {m.partition: m.metadata for m in result.asset_materializations_for_node("profiles__council_page")}
    assert sorted(by_partition) == sorted(keys)
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        held = con.execute("SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1").fetchone()[0]
    for key, metadata in by_partition.items():
        page = staging_dir(home / "profiles") / "councils" / f"{key}.html"  # published whole by the overviews
        assert metadata["file"].value == f"councils/{key}.html"
        assert metadata["bytes"].value == page.stat().st_size
        assert metadata["release_id"].value == held
        assert "file_count" not in metadata and "preview" not in metadata


def test_element_ids_are_unique_on_every_council_page(site):
    """Indicator codes such as ``LAC_ceased_SGO`` and ``LAC_ceased_SGO%`` keep separate anchors."""
    for page in (site / "profiles" / "councils").glob("8*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text())
        assert len(ids) == len(set(ids)), page.name


def headline_short_names() -> dict[str, str]:
    """The headline set's one name per indicator, as written in pipeline/headline_indicators.yaml."""
    return {e["code"]: e["short_name"] for e in yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())}


def add_contract_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The contract's tables (CONTRACT.md) replaced by values chosen here: two inspections of
    Windsor and Maidenhead, a two-indicator headline set, a risk-signal row and one concern."""
    con.execute("""
        CREATE OR REPLACE TABLE core.inspection AS SELECT * FROM (VALUES
            (868, 868, 'Windsor and Maidenhead', DATE '2019-01-07', DATE '2019-01-18', DATE '2019-03-01', 'standard',
             'requires improvement', 3, 'requires improvement', 'good', 'requires improvement', 'good', 'x.csv', 1),
            (868, 868, 'Windsor and Maidenhead', DATE '2022-10-03', DATE '2022-10-14', DATE '2022-12-01', 'standard',
             'good', 2, 'good', 'good', 'good', 'requires improvement', 'x.csv', 2)
        ) AS t(area_code, current_area_code, local_authority, inspection_start_date, inspection_end_date,
               publication_date, inspection_type, overall_effectiveness, overall_grade, impact_of_leaders,
               help_and_protection, in_care, care_leavers, source_file, source_row)""")
    con.execute("""
        CREATE OR REPLACE TABLE marts.headline_indicator AS SELECT * FROM (VALUES
            ('16-17 NEET', 'education', 5, 1, 'Young people not in education, employment or training.', '', 'low'),
            ('LAC_LongStable%', 'children_in_care', 2, 1, 'Stable long-term placements.', '', 'high')
        ) AS t(indicator_code, service_area, service_order, position, reason, indicator_name, polarity)""")
    # a signal the registered rule called an early warning, ranked 17th, driven by placement stability
    # (named in the drivers' words as the mart writes them: by the headline set's one name)
    stability = headline_short_names()["LAC_LongStable%"]
    con.execute(f"""
        CREATE OR REPLACE TABLE marts.risk_signal AS SELECT * FROM (VALUES
            (868, 'Windsor and Maidenhead', 'early warning', 0.4249::DOUBLE, 0.31::DOUBLE, 0.556::DOUBLE, 0.375::DOUBLE,
             'of the 40 inspections in 2018-2023 with a likelihood like this, 22 were judged requires improvement or inadequate; of all 168, 63 (38%)',
             '{stability} (1.4 spreads worse than England, 2025)', 'LAC_LongStable%', 'short',
             'Knowing whether the inspection is standard or short alone does about as well (cross-validated AUC 0.74 against 0.77).',
             'middle', 17::BIGINT)
        ) AS t(area_code, area_name, signal_name, likelihood, likelihood_low, likelihood_high, base_rate, like_this_text,
               drivers, driver_codes, next_inspection_type, rival_sentence, band, rank_national)""")
    con.execute("""
        CREATE OR REPLACE TABLE marts.concerns AS SELECT * FROM (VALUES
            (868, 1, 'LAC_LongStable%', 'Long Term Placement Stability (%)', 'children_in_care',
             'Placement stability fell from 70% to 55% over three years while neighbours stayed near 68%.')
        ) AS t(area_code, concern_rank, indicator_code, indicator_name, service_area, sentence)""")


def test_first_screen_shows_the_inspection_headline_set_and_the_risk_signal(materialized_home, tmp_path):
    home = warehouse_copy(materialized_home, tmp_path / "home")
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as writer:
        add_contract_tables(writer)
    page = build_profile("868", WarehouseResource(home=str(home), warehouse_path=str(warehouse)))
    source = page.read_text()
    summary = " ".join(page_text_fragment(re.search(r'<section id="summary".*?</section>', source, re.S).group(0)).split())
    assert "Good Inspection of children's services (ILACS) ended October 2022; the one before: requires improvement" in summary
    assert "Care leavers: requires improvement" in summary
    # the mart's row in words: 0.4249 is 42 in 100, 0.31-0.556 is 31-56, the base rate 0.375 is 38 in 100
    assert "Early warning 42 in 100 (middle band)" in summary
    assert ("Likelihood that the next inspection finds requires improvement or inadequate; 95% interval 31-56; "
            "all councils 38 in 100; rank 17 in England.") in summary
    assert "Knowing whether the inspection is standard or short alone does about as well" in summary
    assert "Learnt from Ofsted's judgements of 2018-2023 (inspections to 14 Oct 2022)." in summary  # the file's newest
    section = " ".join(page_text_fragment(re.search(r'<section id="risk-signal".*?</section>', source, re.S).group(0)).split())
    assert section.startswith("Early warning: 42 in 100, rank 17 in England")
    assert "of the 40 inspections in 2018-2023 with a likelihood like this, 22 were judged" in section
    assert "next inspection is taken as short" in section
    # a signal the rule does not allow to rank or to call an early warning: its own name, no rank
    with duckdb.connect(str(warehouse)) as writer:
        writer.execute("UPDATE marts.risk_signal SET signal_name = 'inspection-risk signal', rank_national = NULL, band = NULL")
    unranked = page_text(build_profile("868", WarehouseResource(home=str(home), warehouse_path=str(warehouse))))
    unranked = " ".join(unranked.split())
    assert "Inspection-risk signal 42 in 100" in unranked and "Early warning" not in unranked
    assert "rank 17" not in unranked and "in England (1 = most likely)" not in unranked and "band)" not in unranked
    assert "The headline indicators against all councils, neighbours and England" in summary
    # the headline set in its service order (children in care before education), each linked to its row
    links = re.findall(r'<ol class="hl">.*?</ol>', source, re.S)[0]
    assert re.findall(r'href="#(ind-[^"]+)"', links) == ["ind-lac-longstable-pct", "ind-16-17-neet"]
    short = headline_short_names()
    # the driving indicator, linked to its row by its one name; the section gives the mart's words
    assert f'Driven by: <a href="#ind-lac-longstable-pct">{short["LAC_LongStable%"]}</a>.' in source
    assert f'{short["LAC_LongStable%"]} (1.4 spreads worse than England, 2025)' in section
    assert "Placement stability fell from 70% to 55% over three years" in page_text(page)
    # The phone's compact chart of the headline set: bands, and better or worse than the
    # neighbours' mean and England, worked out here from the marts' values and polarities.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            SELECT b.quartile_band,
                   sign(t.latest_value - b.sn_mean) * CASE i.polarity WHEN 'high' THEN 1 ELSE -1 END,
                   sign(t.latest_value - b.england_value) * CASE i.polarity WHEN 'high' THEN 1 ELSE -1 END
            FROM marts.trend t JOIN core.dim_indicator i USING (indicator_code)
            JOIN marts.benchmark b ON b.indicator_code = t.indicator_code AND b.area_code = t.area_code
                AND b.period_label = t.latest_period
            WHERE t.area_code = 868 AND t.indicator_code IN (SELECT indicator_code FROM marts.headline_indicator)
                AND b.quartile_band IS NOT NULL""").fetchall()
    assert len(rows) == 2
    bands = " · ".join(f"{b} {sum(r[0] == b for r in rows)}" for b in "ABCD")
    against = lambda i: f"{sum(r[i] > 0 for r in rows)} better, {sum(r[i] < 0 for r in rows)} worse"  # noqa: E731
    assert f"Headline indicators All councils {bands} Neighbours {against(1)} England {against(2)}" in summary
