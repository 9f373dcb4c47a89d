"""The marts: benchmark, trend, flags, summaries and peer groups, in schema ``marts``.

Each asset runs its SQL file(s) from ``assets/sql/marts`` in one transaction (see ``build``)
and reports its row count and a preview. Every rule is written once, in the SQL file named
after the table, and described for analysts in ``docs/methods.md``.
"""

from __future__ import annotations

import dagster as dg

from assets.marts.build import write_mart
from assets.metadata import table_metadata
from pipeline.resources import WarehouseResource

GROUP = "marts"


def core(table: str) -> dg.AssetKey:
    return dg.AssetKey(["core", table])


def mart(table: str) -> dg.AssetKey:
    return dg.AssetKey(["marts", table])


def mart_asset(table: str, deps: list[dg.AssetKey]):
    """The decorator every mart shares: key ``marts/<table>``, group, kind, pool and owners."""
    return dg.asset(
        key=mart(table),
        deps=deps,
        group_name=GROUP,
        kinds={"duckdb"},
        owners=["team:peerdata"],
        pool="duckdb_writer",
    )


def materialize_sql(warehouse: WarehouseResource, table: str, *sql_files: str) -> dg.MaterializeResult:
    """Write ``marts.<table>`` from ``sql_files`` and report its rows and a preview."""
    with warehouse.connect() as con:
        write_mart(con, *sql_files)
        return dg.MaterializeResult(metadata=table_metadata(con, f"marts.{table}"))


@mart_asset("peer_group", deps=[core("dim_area")])
def peer_group(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Named peer groups of current councils, one row per (group_name, area_code, area_name).

    How: ``pipeline/peer_groups.yaml`` lists each group's councils by name or LA code; each is
    resolved with ``resolve_council`` (case, '&'/'and', punctuation and spacing ignored; current
    councils only). A name that matches no current council fails the run with the close matches.
    """
    # Imported here: Polars and YAML are not needed to load the definitions.
    from assets.marts.peer_groups import PEER_GROUPS_FILE, PeerGroupError, peer_group_rows

    with warehouse.connect() as con:
        try:
            rows = peer_group_rows(con, PEER_GROUPS_FILE)
        except PeerGroupError as exc:
            raise dg.Failure(description=str(exc)) from exc
        con.execute("CREATE OR REPLACE TEMP TABLE peer_group_row (group_name VARCHAR, area_code INTEGER, area_name VARCHAR)")
        con.executemany("INSERT INTO peer_group_row VALUES (?, ?, ?)", rows)
        write_mart(con, "peer_group.sql")
        return dg.MaterializeResult(metadata=table_metadata(con, "marts.peer_group"))


@mart_asset(
    "benchmark",
    deps=[core("fact_indicator_value"), core("dim_area"), core("dim_indicator"), core("dim_stat_neighbour")],
)
def benchmark(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per indicator, current council and period, with every comparator and the band.

    How (``assets/sql/marts/benchmark.sql``): the national population is the current councils
    with a numeric value; cut points are R type-7 quantiles over it; low polarity bands
    [q0,q25]/(q25,q50]/(q50,q75]/(q75,q100] are A/B/C/D and high polarity D/C/B/A; rank 1 = best,
    ties take the lowest rank; no band or rank (``not_compared_reason``) when polarity is none,
    the indicator is No_Quartile or fewer than 20 councils have a value. England, region and
    Inner/Outer London values are the published rows; ``sn_mean``/``sn_median`` over the
    neighbours with a value (null when fewer than 5); ``type_mean`` over the same council type;
    gaps are signed so that positive means better.
    """
    return materialize_sql(warehouse, "benchmark", "benchmark.sql")


@mart_asset("trend", deps=[mart("benchmark"), core("dim_indicator")])
def trend(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per indicator and current council with data: latest change and multi-year trend.

    How (``assets/sql/marts/trend.sql``): change = latest minus previous numeric value when the
    periods are consecutive (end years 1 apart), else ``not comparable`` with the reason;
    direction uses a no-change threshold of half a unit of the last published decimal place
    (1 dp when the dictionary gives none). Over the last up to 5 consecutive numeric periods
    (at least 4): Theil-Sen slope, ``trend_material`` when |slope x (points - 1)| >= half the
    national IQR of the latest period, ``trend_robust`` when every leave-one-out slope keeps the
    sign; a plain-language label; ``stale`` when the latest period ends more than 2 years
    before the newest period of any indicator.
    """
    return materialize_sql(warehouse, "trend", "trend.sql")


@mart_asset("decline_flags", deps=[mart("trend"), mart("benchmark")])
def decline_flags(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The early warning: one row per decline flag with severity 1-3, since_period and evidence.

    How (``assets/sql/marts/flag_candidate.sql``, polar and non-stale indicators only):
    ``sustained_decline`` (last 3 consecutive changes all worse), ``worsening_trend`` (material
    and robust worsening Theil-Sen trend), ``band_drop`` (band fell 2+ within the last 3 years,
    or fell into D), ``falling_behind_neighbours`` (not worse than the neighbour mean two years
    ago, now worse by at least a quarter of the national IQR), ``worst_quartile_and_worsening``
    (band D and worse than the previous period).
    """
    return materialize_sql(warehouse, "decline_flags", "flag_candidate.sql", "decline_flags.sql")


@mart_asset("improvement_flags", deps=[mart("trend"), mart("benchmark")])
def improvement_flags(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The mirror of the decline flags: one row per sustained-improvement flag, with evidence.

    How: the same SQL as ``decline_flags`` with the sense reversed: ``sustained_improvement``,
    ``improving_trend``, ``band_rise`` (rose 2+ bands or into A), ``pulling_ahead_of_neighbours``
    and ``best_quartile_and_improving``.
    """
    return materialize_sql(warehouse, "improvement_flags", "flag_candidate.sql", "improvement_flags.sql")


@mart_asset("flag_history", deps=[mart("decline_flags"), mart("improvement_flags")])
def flag_history(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The decline and improvement flags of every release the marts were built from.

    How (``assets/sql/marts/flag_history.sql``): the rows of the current release (latest in
    ``core.release_history``) are replaced by the current flags; rows of earlier releases are
    kept, so the summary can say which flags are new and which cleared.
    """
    return materialize_sql(warehouse, "flag_history", "flag_history.sql")


@mart_asset("council_summary", deps=[mart("trend"), mart("flag_history"), core("indicator_topic")])
def council_summary(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Per current council and topic (and 'All topics'): coverage, bands, flags and early warning.

    How (``assets/sql/marts/council_summary.sql``): counts of indicators with data, latest
    bands and flags; early-warning score = polar non-stale indicators with a decline flag /
    polar non-stale indicators; rank on the score in the region and nationally (1 = most
    warnings); new and cleared flags against the previous release in ``marts.flag_history``.
    """
    return materialize_sql(warehouse, "council_summary", "council_summary.sql")


@mart_asset(
    "strengths_weaknesses",
    deps=[mart("trend"), mart("benchmark"), mart("decline_flags"), mart("improvement_flags")],
)
def strengths_weaknesses(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Per current council, 3 strengths and 3 areas for development, each with its reason.

    How (``assets/sql/marts/strengths_weaknesses.sql``): strengths are band A with no decline
    flag, best percentile first; areas for development are band D or a decline flag of
    severity 2+, most severe flag then worst percentile first; picks are spread over service
    areas (social care, education, SEND, health, finance, workforce, youth justice).
    """
    return materialize_sql(warehouse, "strengths_weaknesses", "strengths_weaknesses.sql")


MART_ASSETS = [
    peer_group, benchmark, trend, decline_flags, improvement_flags, flag_history,
    council_summary, strengths_weaknesses,
]
