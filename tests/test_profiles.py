"""Council profiles, overviews and packs: pure formatting rules, the built site, escaping, PDFs.

Expected values are worked out here from the warehouse with plain SQL and Python, never read
back from the page builders.
"""

from __future__ import annotations

import html
import os
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.profiles import council_partitions_sensor, sync_council_partitions
from assets.profiles.partitions import partition_changes
from assets.profiles.assets import council_page, council_pdf
from assets.profiles.charts import SpinePoint, sparkline_svg, spine_position, spine_strip_svg
from assets.profiles.formatting import direction_arrow, format_change, format_value, slug
from assets.profiles.pdf import find_chromium
from assets.profiles.render import write_atomic
from assets.profiles.views import group_ranks, json_for_html, shorten
from conftest import LAIT, resources_for
from pipeline.export import build_profile
from pipeline.resources import WarehouseResource
from test_profiles_site import warehouse_copy

pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")
WINDSOR = 868
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

@pytest.mark.parametrize("value, dps, pct, expected", [
    (2.25, 1, False, "2.3"),                    # half away from zero, not banker's rounding
    (1.1000000000000001, 2, False, "1.10"),     # float artefacts of the release disappear
    (-0.04, 1, False, "0.0"),                   # no negative zero
    (-2.35, 1, False, "-2.4"),
    (1234.5, 0, False, "1,235"),
    (61.5, 1, True, "61.5%"),
    (None, 1, False, "\u2013"),
])
def test_format_value(value, dps, pct, expected):
    assert format_value(value, dps, pct) == expected


def test_format_change_signs_and_percentage_points():
    assert format_change(5.44, 1, True) == "+5.4 pp"
    assert format_change(-8.0, 1, False) == "-8.0"
    assert format_change(0.01, 1, False) == "0.0"


def test_direction_arrow_shows_the_movement_not_the_judgement():
    assert direction_arrow(-5.0, "improving") == "\u2193"
    assert direction_arrow(3.0, "worsening") == "\u2191"
    assert direction_arrow(0.0, "no change") == "\u2192"
    assert direction_arrow(None, "not comparable") == ""


def test_spine_position_puts_best_on_the_right_for_both_polarities():
    assert spine_position(2.5, 0.0, 10.0, "high") == 25.0
    assert spine_position(2.5, 0.0, 10.0, "low") == 75.0
    assert spine_position(5.0, 5.0, 5.0, "high") is None


def test_sparkline_has_a_point_per_value_and_a_gap_for_missing():
    svg = str(sparkline_svg([1.0, 2.0, None, 3.0, 4.0], "a & b"))
    assert svg.count("<circle") == 4
    assert svg.count("<polyline") == 2
    assert "<title>a &amp; b</title>" in svg


def test_spine_strip_places_the_marks_worst_left_best_right():
    point = SpinePoint(label="x", council=100.0, england=0.0, neighbours=None, box=(25.0, 75.0), band="A", hover="")
    svg = str(spine_strip_svg(point, width=106, height=12))  # 100 units between the 3-unit margins
    assert 'viewBox="0 0 106 12"' in svg
    assert '<circle cx="103.0"' in svg and 'fill="#009E73"' in svg  # the council, at the best end, band A
    assert '<line x1="3.0" x2="3.0"' in svg  # England, at the worst end
    assert '<rect x="28.0" y="3.0" width="50.0"' in svg  # the middle half of councils
    assert "<path" not in svg  # no neighbour mean, no diamond
    assert str(spine_strip_svg(None)) == ""


def test_group_ranks_best_first_with_ties():
    assert group_ranks([3.0, 5.0, 5.0, None], "higher is better") == ["3 of 3", "1 of 3", "1 of 3", ""]
    assert group_ranks([3.0, 5.0], "lower is better") == ["1 of 2", "2 of 2"]
    assert group_ranks([3.0, 5.0], "no judgement of better or worse") == ["", ""]


def test_shorten_keeps_both_ends_and_slug_is_file_safe():
    text = "Children in need meeting expected KS2 standard in Reading"
    short = shorten(text, 30)
    assert len(short) == 30 and short.startswith("Children in") and short.endswith("in Reading")
    assert slug("Bristol, City of") == "bristol-city-of"
    assert slug("Windsor & Maidenhead") == "windsor-and-maidenhead"


def test_json_for_html_cannot_close_its_script_element():
    text = str(json_for_html({"t": "</script><script>alert(1)</script>"}))
    assert "<" not in text and ">" not in text


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
    assert len(list((profiles / "peer-groups").glob("*.html"))) == groups == 6
    assert (profiles / "index.html").exists()
    assert len(list(profiles.rglob("plotly.min.js"))) == 1


def test_pages_make_no_request_off_the_machine(site):
    for page in [*(site / "profiles" / "councils").glob("86*.html"), *(site / "profiles" / "regions").glob("*.html")]:
        source = page.read_text()
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', source), page.name
        assert '<script src="../assets/plotly.min.js">' in source


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
    row = re.search(r'<tr id="ind-[^"]*-16-17-neet".*?</tr>', source, re.S).group(0)
    text = " ".join(page_text_fragment(row).split())
    assert f"{period} {one_dp(value)}% {one_dp(sn_mean)}% ({sn_n})" in text
    assert f"{rank} of {rank_n}" in text
    assert f"{band}:" in text
    assert html.unescape(label) in text


def page_text_fragment(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_stale_indicators_are_marked(site, con):
    stale = con.execute("SELECT count(*) FROM marts.trend WHERE area_code = ? AND stale", [WINDSOR]).fetchall()[0][0]
    topics = con.execute(
        "SELECT count(*) FROM marts.trend t JOIN core.indicator_topic USING (indicator_code) "
        "WHERE t.area_code = ? AND t.stale", [WINDSOR]).fetchall()[0][0]
    assert stale > 0
    source = (site / "profiles" / "councils" / "868-windsor-and-maidenhead.html").read_text()
    assert source.count('class="stale"') == topics


def test_profile_page_is_under_2_mb(site):
    sizes = [p.stat().st_size for p in (site / "profiles" / "councils").glob("*.html")]
    assert max(sizes) < 2_000_000


def test_a_description_with_a_script_tag_renders_as_text(materialized_home, tmp_path):
    home = warehouse_copy(materialized_home, tmp_path / "home")
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as writer:
        writer.execute("UPDATE core.dim_indicator SET description = '<script>alert(\"x\")</script> & more', "
                       "chart_title = 'Title </script><script>alert(2)</script>' WHERE indicator_code = '16-17 NEET'")
    page = build_profile("Windsor and Maidenhead", WarehouseResource(home=str(home), warehouse_path=str(warehouse)))
    source = page.read_text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in source
    assert "<script>alert" not in source
    assert source.count("<script") == 4  # two JSON blocks, plotly.js and the page script


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium on this machine: PDFs are skipped by design")
def test_pdf_of_one_council_opens_and_has_numbered_pages(materialized_home, lait, tmp_path):
    home = warehouse_copy(materialized_home, tmp_path / "home")
    resources = resources_for(home, lait / "current")
    instance = dg.DagsterInstance.ephemeral()
    sync_council_partitions(instance, resources["warehouse"])
    result = dg.materialize([council_pdf], resources=resources, instance=instance, partition_key=WINDSOR_KEY)
    assert result.success
    pdf = home / "profiles" / "pdf" / "868-windsor-and-maidenhead.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(pdf)
    pages = len(reader.pages)
    assert 10 < pages < 60  # the compact print edition: every indicator, about 30 pages, not 70
    first = reader.pages[0].extract_text()
    assert "Windsor and Maidenhead" in first and f"page 1 of {pages}" in first
    assert f"page {pages} of {pages}" in reader.pages[-1].extract_text()
    assert abs(float(reader.pages[0].mediabox.width) - 595) < 2  # A4 portrait: 595 x 842 points
    assert abs(float(reader.pages[0].mediabox.height) - 842) < 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        topics = [t for (t,) in con.execute("SELECT DISTINCT topic FROM core.indicator_topic t JOIN core.dim_indicator "
                                            "USING (indicator_code) WHERE has_data").fetchall()]
        flags = con.execute("SELECT count(*) FROM marts.decline_flags WHERE area_code = ?", [WINDSOR]).fetchone()[0]
    assert [t for t in topics if t not in text] == []  # every topic has its heading
    for section in ("at a glance", f"Early warning: {flags} decline flags", "Strengths and areas for development",
                    "Topics at a glance", "Every indicator, by topic", "definitions.pdf"):
        assert section in text
    definitions = pypdf.PdfReader(home / "profiles" / "pdf" / "definitions.pdf")
    assert "Indicator definitions" in definitions.pages[0].extract_text() and len(definitions.pages) > 5


def test_pdfs_are_skipped_with_a_message_without_chromium(materialized_home, lait, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on PATH
    monkeypatch.delenv("PEERDATA_CHROMIUM", raising=False)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    home = warehouse_copy(materialized_home, tmp_path / "home")
    resources = resources_for(home, lait / "current")
    instance = dg.DagsterInstance.ephemeral()
    sync_council_partitions(instance, resources["warehouse"])
    result = dg.materialize([council_pdf], resources=resources, instance=instance, partition_key=WINDSOR_KEY)
    assert result.success
    metadata = result.asset_materializations_for_node("profiles__council_pdf")[0].metadata
    assert "no Chromium found" in metadata["skipped"].value
    assert not (home / "profiles" / "pdf").exists()


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
    """Two council partitions built in one run: each materialization names its own file and its
    size on disk, not the run's whole batch."""
    home = warehouse_copy(materialized_home, tmp_path / "home")
    resources = resources_for(home, lait / "current")
    instance = dg.DagsterInstance.ephemeral()
    keys = sync_council_partitions(instance, resources["warehouse"])[:2]
    result = dg.materialize([council_page], resources=resources, instance=instance, tags={
        "dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]})
    assert result.success
    by_partition = {m.partition: m.metadata for m in result.asset_materializations_for_node("profiles__council_page")}
    assert sorted(by_partition) == sorted(keys)
    for key, metadata in by_partition.items():
        page = home / "profiles" / "councils" / f"{key}.html"
        assert metadata["file"].value == f"councils/{key}.html"
        assert metadata["bytes"].value == page.stat().st_size
        assert "file_count" not in metadata and "preview" not in metadata


def test_element_ids_are_unique_on_every_council_page(site):
    """Indicator codes such as ``LAC_ceased_SGO`` and ``LAC_ceased_SGO%`` keep separate anchors."""
    for page in (site / "profiles" / "councils").glob("8*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text())
        assert len(ids) == len(set(ids)), page.name
