"""A new release arrives: 2025-07-22 is landed and built, then ``current``, as the sensors run it.

Each step runs the jobs the definitions give the daemon (``refresh_all``, then what the run
status sensors request: ``council_profiles`` over every council partition, then
``overview_pages``) on a test instance. The "changed since the previous release" mart is
checked against a second, independent comparison of the two published parquet files.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import polars as pl
import pytest
import yaml
from conftest import failure_text, resources_for

from assets.profiles.formatting import slug
from pipeline.definitions import defs
from pipeline.export import export_council
from pipeline.sensors import overviews_after_profiles, profiles_after_refresh

OLD, NEW = "2025-07-22", "current"
WINDSOR = 868
REPO = Path(__file__).resolve().parents[1]


# The headline concerns and strengths as a release's marts judge them, read straight from
# marts.series_signal (not from the history the pipeline keeps of it).
SIGNALS = ("SELECT signal, indicator_code, area_code FROM marts.series_signal "
           "WHERE signal IN ('concern', 'strength') AND indicator_code IN (SELECT indicator_code FROM marts.headline_indicator)")


def run_job(name: str, instance: dg.DagsterInstance, resources: dict, tags: dict | None = None,
            asset_selection: list | None = None) -> dg.ExecuteInProcessResult:
    job = defs.resolve_job_def(name)
    if asset_selection is not None:
        job = job.get_subset(asset_selection=set(asset_selection))
    result = job.execute_in_process(instance=instance, resources=resources, tags=tags, raise_on_error=False)
    assert result.success, failure_text(result)
    return result


def after(sensor, instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult, resources: dict | None = None):
    """What ``sensor`` answers to the successful run of ``result``."""
    run = instance.get_run_by_id(result.run_id)
    event = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS)
    with dg.build_run_status_sensor_context(sensor_name=sensor.name, dagster_instance=instance, dagster_run=run,
                                            dagster_event=event, resources=resources) as context:
        return sensor(context)


def released(instance: dg.DagsterInstance, home: Path, release: Path, build_profiles: bool = True) -> dict:
    """Run ``refresh_all`` on ``release`` and, when the sensors ask for them (and ``build_profiles``),
    the profile runs."""
    resources = resources_for(home, release)
    refresh = run_job("refresh_all", instance, resources)
    answer = after(profiles_after_refresh, instance, refresh, {"warehouse": resources["warehouse"]})
    if isinstance(answer, dg.SkipReason):
        return {"refresh": refresh, "skip": answer}
    add, _ = answer.dynamic_partitions_requests
    instance.add_dynamic_partitions(add.partitions_def_name, list(add.partition_keys))
    (request,) = answer.run_requests
    if not build_profiles:
        return {"refresh": refresh, "request": request, "partitions": add}
    pages = run_job("council_profiles", instance, resources, tags=request.tags, asset_selection=request.asset_selection)
    overview_request = after(overviews_after_profiles, instance, pages)
    run_job("overview_pages", instance, resources, tags=overview_request.tags)
    return {"refresh": refresh, "request": request, "partitions": add}


@pytest.fixture(scope="module")
def releases(tmp_path_factory, lait) -> dict:
    home = tmp_path_factory.mktemp("new_release") / "home"
    with pytest.MonkeyPatch.context() as env, dg.instance_for_test() as instance:
        env.setenv("PEERDATA_PDFS", "off")  # the PDFs have their own tests
        first = released(instance, home, lait / OLD, build_profiles=False)  # no test reads its pages
        with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
            first_signals = set(con.execute(SIGNALS).fetchall())
            first_release = con.execute("SELECT release_id FROM core.release_history").fetchall()[0][0]
        second = released(instance, home, lait / NEW)
        unchanged = released(instance, home, lait / NEW)
        workbook = export_council(WINDSOR, "xlsx", home.parent / "export", resources_for(home, lait / NEW)["warehouse"])
    con = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    yield {"home": home, "workbook": workbook, "con": con, "first": first, "second": second, "unchanged": unchanged,
           "first_signals": first_signals, "first_release": first_release}
    con.close()


def published(lait: Path, release: str) -> str:
    return (f"SELECT \"Short Desc\" AS code, \"Years\" AS period, \"LA Number\" AS la, \"LA and Regions\" AS name, "
            f"\"Values\" AS v FROM read_parquet('{lait / release / 'bds_long_0.parquet'}') WHERE \"Years\" <> '0'")


def independent(lait: Path, sql: str) -> set:
    """``sql`` over the two published files as ``old`` and ``new``, without the pipeline."""
    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE old AS {published(lait, OLD)}")
        con.execute(f"CREATE TABLE new AS {published(lait, NEW)}")
        return set(con.execute(sql).fetchall())


def changes(con, change: str, columns: str) -> set:
    return set(con.execute(f"SELECT {columns} FROM marts.release_changes WHERE change = ?", [change]).fetchall())


def test_the_sensor_requests_every_council_profile_after_a_rebuild_and_nothing_when_unchanged(releases):
    con = releases["con"]
    councils = [f"{code}-{slug(name)}" for code, name in con.execute(
        "SELECT area_code, area_name FROM core.dim_area WHERE area_kind = 'la' AND is_current ORDER BY area_code").fetchall()]
    request = releases["second"]["request"]
    assert (request.tags["dagster/asset_partition_range_start"], request.tags["dagster/asset_partition_range_end"]) \
        == (councils[0], councils[-1])
    assert sorted(releases["first"]["partitions"].partition_keys) == councils
    assert "rebuilt no mart" in releases["unchanged"]["skip"].skip_message
    assert releases["unchanged"]["refresh"].get_asset_materialization_events() == []


def test_new_indicators_and_periods_match_the_published_files(releases, lait):
    con = releases["con"]
    new_codes = independent(lait, "SELECT DISTINCT code FROM new EXCEPT SELECT DISTINCT code FROM old")
    assert len(new_codes) == 13
    assert changes(con, "new_indicator", "indicator_code") == new_codes
    assert changes(con, "dropped_indicator", "indicator_code") == independent(
        lait, "SELECT DISTINCT code FROM old EXCEPT SELECT DISTINCT code FROM new")
    both = "code IN (SELECT code FROM old) AND code IN (SELECT code FROM new)"
    # A label in one file only is paired with one in the other file only with the same years: on
    # these two releases the same text before the status suffix (`2018 (Revised)` ~ `2018 (Rev)`).
    only = f"""
        new_only AS (SELECT DISTINCT code, period FROM new WHERE {both}
                     EXCEPT SELECT DISTINCT code, period FROM old),
        old_only AS (SELECT DISTINCT code, period FROM old WHERE {both}
                     EXCEPT SELECT DISTINCT code, period FROM new),
        pair AS (SELECT n.code, n.period AS now, o.period AS before,
                        regexp_extract(lower(n.period), '\\((rev|revised|prov)\\)', 1) AS s_now,
                        regexp_extract(lower(o.period), '\\((rev|revised|prov)\\)', 1) AS s_before
                 FROM new_only n JOIN old_only o ON n.code = o.code
                  AND split_part(n.period, ' ', 1) = split_part(o.period, ' ', 1))"""
    pairs = independent(lait, f"WITH {only} SELECT code, now, before, s_now, s_before FROM pair")
    relabelled = {(c, n, b) for c, n, b, s_now, s_before in pairs if s_now[:3] == s_before[:3]}
    status_changed = {(c, n, b) for c, n, b, s_now, s_before in pairs if s_now[:3] != s_before[:3]}
    assert (len(relabelled), len(status_changed)) == (35, 4)  # 39 of the 63 periods missing by label
    assert changes(con, "relabelled_period", "indicator_code, period_label, previous_period_label") == relabelled
    assert changes(con, "period_status_changed", "indicator_code, period_label, previous_period_label") == status_changed
    new_periods = independent(lait, f"WITH {only} SELECT * FROM new_only")
    assert new_periods and changes(con, "new_period", "indicator_code, period_label") \
        == new_periods - {(c, n) for c, n, _ in relabelled | status_changed}
    dropped = independent(lait, f"WITH {only} SELECT * FROM old_only")
    assert len(dropped) == 63
    assert changes(con, "dropped_period", "indicator_code, period_label") \
        == dropped - {(c, b) for c, _, b in relabelled | status_changed}


def test_revised_values_match_the_published_files(releases, lait):
    revised = independent(lait, """
        SELECT n.code, CAST(n.la AS INTEGER), n.period, TRY_CAST(o.v AS DOUBLE), TRY_CAST(n.v AS DOUBLE)
        FROM new n JOIN old o USING (code, period, la, name)
        WHERE TRY_CAST(n.v AS DOUBLE) <> TRY_CAST(o.v AS DOUBLE)""")
    found = releases["con"].execute("""
        SELECT indicator_code, area_code, period_label, previous_value, value FROM marts.release_changes
        WHERE change IN ('revised_value', 'precision_changed') AND previous_status = 'ok' AND value_status = 'ok'
          AND period_label = previous_period_label""").fetchall()
    assert len(revised) > 30_000
    assert set(found) == revised and len(found) == len(revised)


def published_decimals(text: str, dps: int | None) -> int:
    """Decimals of a published figure: of its shortest writing (16.100000000000001 is 16.1), at least dps."""
    written = repr(round(float(text), 10))
    decimals = 0 if written.endswith(".0") else len(written.split(".")[1]) if "." in written else 0
    return max(decimals, dps or 0)


def test_windsor_values_only_given_more_decimals_are_apart_from_revisions(releases, lait):
    """Worked out in Python from the two files' texts and the new dictionary's dps: 22 of Windsor's
    values that differ under the same label are the same figure to the less precise one's decimals."""
    dictionary = pl.read_csv(lait / NEW / "lait_data_dictionary.csv", infer_schema_length=0)
    dps = {code: int(d) for code, d in zip(dictionary["Measure_short"], dictionary["dps"]) if d and d.isdigit()}
    rows = independent(lait, f"""
        SELECT n.code, n.period, o.v, n.v FROM new n JOIN old o USING (code, period, la)
        WHERE n.la = {WINDSOR} AND TRY_CAST(n.v AS DOUBLE) <> TRY_CAST(o.v AS DOUBLE)""")
    precise = set()
    for code, period, before, now in rows:
        d_before, d_now = published_decimals(before, dps.get(code)), published_decimals(now, dps.get(code))
        least = min(d_before, d_now)
        if d_before != d_now and least >= 1 and abs(float(now) - float(before)) <= 0.5 * 10 ** -least + 1e-9:
            precise.add((code, period))
    # 174 numbers differ; with 7 changes of status (a figure now suppressed, or the reverse) that is
    # the 181 values the mart listed as revised under the same label before precision was told apart.
    assert (len(precise), len(rows)) == (22, 174)
    assert releases["con"].execute(
        "SELECT count(*) FROM marts.release_changes WHERE change IN ('revised_value', 'precision_changed') "
        "AND area_code = ? AND period_label = previous_period_label", [WINDSOR]).fetchall() == [(181,)]
    found = releases["con"].execute(
        "SELECT indicator_code, period_label FROM marts.release_changes WHERE change = 'precision_changed' "
        "AND area_code = ? AND period_label = previous_period_label", [WINDSOR]).fetchall()
    assert set(found) == precise and len(found) == 22


def signal_changes(releases) -> dict[str, set]:
    """The concerns and strengths raised and cleared, worked out from the two releases' series_signal."""
    now, before = set(releases["con"].execute(SIGNALS).fetchall()), releases["first_signals"]
    return {f"{signal}_{change}": {(i, a) for s_, i, a in rows if s_ == signal}
            for signal in ("concern", "strength")
            for change, rows in (("raised", now - before), ("cleared", before - now))}


def test_concerns_and_strengths_raised_and_cleared_are_the_difference_of_the_two_releases_signals(releases):
    con = releases["con"]
    expected = signal_changes(releases)
    assert expected["concern_raised"] and expected["concern_cleared"]  # the real releases differ both ways
    for change, pairs in expected.items():
        assert changes(con, change, "indicator_code, area_code") == pairs, change
    assert {r for (r,) in con.execute("SELECT DISTINCT compared_with_release FROM marts.release_changes").fetchall()} \
        == {releases["first_release"]}
    # A cleared concern says what the series' signal is now; it is no longer a concern.
    now = con.execute("SELECT DISTINCT signal_now FROM marts.release_changes WHERE change = 'concern_cleared'").fetchall()
    assert ("concern",) not in now
    # The history holds both releases' signals, each once (the unchanged rebuild replaced nothing twice).
    history = con.execute("SELECT release_id, signal, indicator_code, area_code FROM marts.signal_history").fetchall()
    assert len(history) == len(set(history))
    first = {(s_, i, a) for r, s_, i, a in history if r == releases["first_release"]}
    assert first == releases["first_signals"]


def test_the_new_concerns_are_lines_of_enquiry(releases):
    con = releases["con"]
    raised = signal_changes(releases)["concern_raised"]
    lines = con.execute("SELECT area_code, indicator_code, question, evidence FROM marts.lines_of_enquiry "
                        "WHERE indicator_code IS NOT NULL").fetchall()
    asked_as_new = {(i, a) for a, i, q, _ in lines if q.startswith("What lies behind the new concern on")}
    assert asked_as_new <= raised
    assert {a for _, a in asked_as_new} == {a for _, a in raised}  # every council with a new concern is asked
    for area, indicator, question, evidence in lines:
        if (indicator, area) in raised:  # a new concern asked about is asked about as new
            assert (indicator, area) in asked_as_new and evidence.startswith(
                f"New since LAIT release {releases['first_release']}: "), question


def test_profiles_and_overviews_say_which_release_they_show_and_what_changed(releases):
    con, home = releases["con"], releases["home"]
    release = con.execute("SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1").fetchall()[0][0]
    previous = releases["first_release"]
    assert release != previous
    expected = signal_changes(releases)
    # The council with the most new concerns (its first screen names them all).
    area = max({a for _, a in expected["concern_raised"]},
               key=lambda a: (sum(x == a for _, x in expected["concern_raised"]), -a))
    (name, region_name) = con.execute("SELECT area_name, region_name FROM core.dim_area WHERE area_code = ?",
                                      [area]).fetchall()[0]
    # Concerns are raised on the headline set, named on the pages by their short names.
    short = {e["code"]: e["short_name"] for e in yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())}
    new = sorted(short[i] for i, a in expected["concern_raised"] if a == area)
    cleared = sum(a == area for _, a in expected["concern_cleared"])

    council = (home / "profiles" / "councils" / f"{area}-{slug(name)}.html").read_text()
    assert f"LAIT release {release}" in council
    card = council.split("Since the previous release</h3>")[1].split("</div>")[0]
    first_screen = html.unescape(re.sub(r"<[^>]+>", "", card))
    words = f"{len(new)} new concern{'s' if len(new) > 1 else ''}: {'; '.join(new)}."
    assert words in first_screen and f"compared with release {previous}" in first_screen
    if cleared:
        assert f"{cleared} concern{'s' if cleared > 1 else ''} cleared." in first_screen
    for code in (i for i, a in expected["concern_raised"] if a == area):  # each name links to its row
        anchor = f"ind-{slug(code.replace('%', ' pct'))}"
        assert f'href="#{anchor}"' in council and f'id="{anchor}"' in council
    region = (home / "profiles" / "regions" / f"{slug(region_name)}.html").read_text()
    assert f"LAIT release {release}" in region and f"Compared with release {previous}" in region
    row = re.search(rf">{re.escape(html.escape(name))}</a></th>((?:<td class=\"num\">\d+</td>)+)</tr>",
                    region.split('id="changes-h"')[1]).group(1)
    assert re.findall(r"\d+", row)[:2] == [str(len(new)), str(cleared)]
    assert f"New concerns for {html.escape(name)}" in region
    index = (home / "profiles" / "index.html").read_text()
    assert f"LAIT release {release}" in index and "13 new indicators" in index


def test_the_council_export_has_its_changes(releases):
    # the sheets' named tables, their headers in words: what changed, then what changed no value
    sheet = pl.concat([pl.read_excel(releases["workbook"], table_name=table).select("Change", "Indicator code")
                       for table in ("Changes", "Relabels_and_decimals")]).rename(
        {"Change": "change", "Indicator code": "indicator_code"})
    con = releases["con"]
    expected = con.execute("SELECT change, count(*) FROM marts.release_changes WHERE area_code = ? OR area_code IS NULL "
                           "GROUP BY ALL", [WINDSOR]).fetchall()
    assert dict(sheet.group_by("change").len().iter_rows()) == dict(expected)
    for change, pairs in signal_changes(releases).items():
        assert set(sheet.filter(pl.col("change") == change)["indicator_code"]) == {i for i, a in pairs if a == WINDSOR}


def test_pages_after_a_second_release_stay_small_and_list_only_the_headline_revisions(releases):
    """With a previous release loaded, a council has a hundred or more revised values: the page
    lists those of its headline indicators (read here from the YAML file) and counts the rest, so
    every council and region page stays under 400 KB."""
    profiles = releases["home"] / "profiles"
    pages = sorted((profiles / "councils").glob("*.html")) + sorted((profiles / "regions").glob("*.html"))
    assert len(pages) == 153 + 9
    largest = max(pages, key=lambda p: p.stat().st_size)
    assert largest.stat().st_size < 400 * 1024, largest.name
    headline = [entry["code"] for entry in yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())]
    con = releases["con"]
    revised, headline_revised = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE indicator_code IN (SELECT unnest(?))) FROM marts.release_changes "
        "WHERE change = 'revised_value' AND area_code = ?", [headline, WINDSOR]).fetchall()[0]
    assert revised > 50 and headline_revised < revised
    page = (profiles / "councils" / f"{WINDSOR}-windsor-and-maidenhead.html").read_text()
    section = page[page.index('id="changes"'):]
    section = section[:section.index("</section>")]
    table = re.search(r"<caption>Published values of .*?</tbody>", section, re.S)
    shown = len(re.findall(r"<tr><th scope=\"row\">", table.group(0))) if table else 0
    assert shown == headline_revised
    assert f"of the {revised} values revised" in section if headline_revised else f"{revised} published values" in section


def test_every_check_of_the_second_release_is_attached_to_its_own_materialization(releases):
    """Dagster attaches a check's result to its asset's latest materialization: the core checks of
    the April run must be about the April tables, not the July run's (as 11 of 12 were)."""
    refresh = releases["second"]["refresh"]
    evaluations = refresh.get_asset_check_evaluations()
    core = [e for e in evaluations if e.asset_key.path[0] == "core"]
    assert len(core) >= 12
    assert {e.asset_key.to_user_string(): e.target_materialization_data.run_id for e in evaluations} \
        == {e.asset_key.to_user_string(): refresh.run_id for e in evaluations}


def windsor_changes_by_hand(lait: Path) -> dict[str, int]:
    """What changed for Windsor between the two published files, worked out in Polars from their
    texts alone: periods missing by label paired by the year before the status suffix (relabelled:
    the same status; else a status change), Windsor's values compared across the pairs and the
    periods of both files (a number that differs, a value now suppressed or the reverse, a row
    added or removed), and among the differing numbers those only given to more or fewer decimals
    (published_decimals, at least the new dictionary's dps: the same figure at the fewer decimals)."""
    def read(release: str) -> pl.DataFrame:
        return (pl.read_parquet(lait / release / "bds_long_0.parquet")
                .select(code="Short Desc", period="Years", la="LA Number", v="Values").filter(pl.col("period") != "0"))
    old, new = read(OLD), read(NEW)
    both = set(old["code"]) & set(new["code"])
    labels = {name: {(c, p) for c, p in frame.select("code", "period").unique().iter_rows() if c in both}
              for name, frame in (("old", old), ("new", new))}
    status = lambda label: (re.search(r"\((rev|revised|prov)\)", label.lower()) or [None, ""])[1][:3]  # noqa: E731
    pairs = [(c, before, now) for c, now in labels["new"] - labels["old"] for c2, before in labels["old"] - labels["new"]
             if c == c2 and now.split(" ")[0] == before.split(" ")[0]]
    # each period of both files: its label in the old file -> its label in the new one
    label_now = {(c, p): p for c, p in labels["old"] & labels["new"]} | {(c, b): n for c, b, n in pairs}
    matched_now = {(c, n) for (c, _), n in label_now.items()}
    windsor: dict[tuple[str, str], dict[str, str]] = {}
    for c, p, v in old.filter(pl.col("la") == WINDSOR).select("code", "period", "v").iter_rows():
        if (c, p) in label_now:
            windsor.setdefault((c, label_now[(c, p)]), {})["old"] = v
    for c, p, v in new.filter(pl.col("la") == WINDSOR).select("code", "period", "v").iter_rows():
        if (c, p) in matched_now:
            windsor.setdefault((c, p), {})["new"] = v
    dictionary = pl.read_csv(lait / NEW / "lait_data_dictionary.csv", infer_schema_length=0)
    dps: dict[str, int] = {}
    for code, d in zip(dictionary["Measure_short"], dictionary["dps"]):
        if d and d.isdigit():
            dps[code] = max(dps.get(code, 0), int(d))
    number = lambda text: float(text) if text is not None and re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", text) else None  # noqa: E731
    revised = precise = 0
    for (code, _), values in windsor.items():
        before, now = values.get("old"), values.get("new")
        x, y = number(before), number(now)
        if x is not None and y is not None:
            if abs(x - y) <= 1e-9:
                continue
            d_before, d_now = published_decimals(before, dps.get(code)), published_decimals(now, dps.get(code))
            least = min(d_before, d_now)
            if d_before != d_now and least >= 1 and abs(y - x) <= 0.5 * 10 ** -least + 1e-9:
                precise += 1
                continue
        elif before == now:
            continue
        revised += 1
    return {"revised": revised, "precise": precise, "relabelled": sum(status(b) == status(n) for _, b, n in pairs),
            "status_changed": sum(status(b) != status(n) for _, b, n in pairs)}


def test_windsor_page_and_workbook_show_revisions_apart_from_relabels_and_decimals(releases, lait):
    """The council page's "What changed" and the workbook count Windsor's real revisions apart from
    what changed no value, as worked out from the published files (windsor_changes_by_hand)."""
    by_hand = windsor_changes_by_hand(lait)
    # 22 under the same label (test above) and 2 across a relabel (2023 (Revised) -> 2023 (Rev): 13.7 now 13.66)
    assert (by_hand["revised"], by_hand["precise"], by_hand["relabelled"], by_hand["status_changed"]) == (159, 24, 35, 4)
    page = (releases["home"] / "profiles" / "councils" / f"{WINDSOR}-windsor-and-maidenhead.html").read_text()
    section = page[page.index('id="changes"'):]
    section = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section[:section.index("</section>")])).split())
    assert f"of the {by_hand['revised']} values revised" in section or f"{by_hand['revised']} published values" in section
    assert (f"Not counted as revisions: {by_hand['precise']} figures of Windsor and Maidenhead only gained or lost "
            "decimals") in section
    assert (f"39 periods of the release were relabelled ({by_hand['relabelled']} renamed, such as "
            in section) and f"; {by_hand['status_changed']} changed status, such as " in section
    assert "none of these changed a value" in section
    # the workbook: revisions on Changes, the rest on Relabels and decimals, the About sheet counts both
    book = openpyxl.load_workbook(releases["workbook"])
    changes = pl.read_excel(releases["workbook"], table_name="Changes")["Change"].to_list()
    apart = pl.read_excel(releases["workbook"], table_name="Relabels_and_decimals")["Change"].to_list()
    assert changes.count("revised_value") == by_hand["revised"]
    assert not {"precision_changed", "relabelled_period", "period_status_changed"} & set(changes)
    assert (apart.count("precision_changed"), apart.count("relabelled_period"), apart.count("period_status_changed")) \
        == (by_hand["precise"], by_hand["relabelled"], by_hand["status_changed"])
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=3, max_row=12) if row[0].value}
    assert about["Changes since then"].startswith(f"{by_hand['revised']} values revised in ")
    assert (f"{by_hand['precise']} values only given to more or fewer decimals, {by_hand['relabelled']} periods "
            f"relabelled and {by_hand['status_changed']} whose status changed") in about["Changes since then"]
