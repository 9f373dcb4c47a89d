"""The marts: benchmark, trend, flags, summaries, peer groups and release changes, in schema ``marts``.

Every mart is its own Dagster asset (``marts/<table>``, with its description and checks), and
all of them are computed by one subsettable multi-asset, ``marts``, in one step on one warehouse
connection: each selected mart in dependency order, in its own transaction (``build``), each
followed by its checks. A run of all the marts pays for one step, one connection and one
checkpoint instead of one of each per mart and per check. Every rule is written once, in the SQL
file named after the table, and described for analysts in ``docs/methods.md``.
(No ``from __future__ import annotations`` here: Dagster reads the ``context`` annotation.)
"""

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import dagster as dg
import duckdb

from assets.marts.build import write_mart
from assets.marts.checks import checks_of, evaluate, mart_check_specs
from assets.marts.keys import core, mart
from assets.metadata import table_metadata
from pipeline.resources import WarehouseResource

GROUP = "marts"


def load_peer_group_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve ``pipeline/peer_groups.yaml`` into the temporary table ``peer_group_row``."""
    # Imported here: Polars and YAML are not needed to load the definitions.
    from assets.marts.peer_groups import PEER_GROUPS_FILE, PeerGroupError, peer_group_rows

    try:
        rows = peer_group_rows(con, PEER_GROUPS_FILE)
    except PeerGroupError as exc:
        raise dg.Failure(description=str(exc)) from exc
    con.execute("CREATE OR REPLACE TEMP TABLE peer_group_row "
                "(group_name VARCHAR, region_name VARCHAR, area_code INTEGER, area_name VARCHAR)")
    con.executemany("INSERT INTO peer_group_row VALUES (?, ?, ?, ?)", rows)


@dataclass(frozen=True)
class Mart:
    """One mart: its table, the tables it reads, the SQL files that write it, and what it is.

    ``description`` says what the table holds and how it is computed (it is the asset's
    description in the Dagster UI); ``prepare`` runs first, on the same connection, for a mart
    whose input is not in the warehouse.
    """

    table: str
    deps: tuple[dg.AssetKey, ...]
    sql_files: tuple[str, ...]
    description: str
    prepare: Callable[[duckdb.DuckDBPyConnection], None] | None = None

    @property
    def key(self) -> dg.AssetKey:
        return mart(self.table)

    def build(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.prepare is not None:
            self.prepare(con)
        write_mart(con, *self.sql_files)


# In build order: every mart comes after the marts it reads.
MARTS = (
    Mart(
        "peer_group", (core("dim_area"),), ("peer_group.sql",),
        """Named peer groups of current councils, one row per (group_name, area_code, area_name).

        How: ``pipeline/peer_groups.yaml`` lists each group's councils by name or LA code; each is
        resolved with ``resolve_council`` (case, '&'/'and', punctuation and spacing ignored; current
        councils only). A name that matches no current council fails the run with the close matches.""",
        prepare=load_peer_group_rows,
    ),
    Mart(
        "benchmark",
        (core("fact_indicator_value"), core("dim_area"), core("dim_indicator"), core("dim_stat_neighbour")),
        ("benchmark.sql",),
        """One row per indicator, current council and period, with every comparator and the band.

        How (``assets/sql/marts/benchmark.sql``): the national population is the current councils
        with a numeric value; cut points are R type-7 quantiles over it; low polarity bands
        [q0,q25]/(q25,q50]/(q50,q75]/(q75,q100] are A/B/C/D and high polarity D/C/B/A; rank 1 = best,
        ties take the lowest rank; no band or rank (``not_compared_reason``) when polarity is none,
        the indicator is No_Quartile or fewer than 20 councils have a value. England, region and
        Inner/Outer London values are the published rows; ``sn_mean``/``sn_median`` over the
        neighbours with a value (null when fewer than 5); ``type_mean`` over the same council type;
        gaps are signed so that positive means better.""",
    ),
    Mart(
        "trend", (mart("benchmark"), core("dim_indicator")), ("trend.sql",),
        """One row per indicator and current council with data: latest change and multi-year trend.

        How (``assets/sql/marts/trend.sql``): change = latest minus previous numeric value when the
        periods are consecutive (end years 1 apart), else ``not comparable`` with the reason;
        direction uses a no-change threshold of half a unit of the last published decimal place
        (1 dp when the dictionary gives none). Over the last up to 5 consecutive numeric periods
        (at least 4): Theil-Sen slope, ``trend_material`` when |slope x (points - 1)| >= half the
        national IQR of the latest period, ``trend_robust`` when every leave-one-out slope keeps the
        sign; a plain-language label; ``stale`` when the latest period ends more than 2 years
        before the newest period of any indicator.""",
    ),
    Mart(
        "decline_flags", (mart("trend"), mart("benchmark")), ("flag_candidate.sql", "decline_flags.sql"),
        """The early warning: one row per decline flag with severity 1-3, since_period and evidence.

        How (``assets/sql/marts/flag_candidate.sql``, polar and non-stale indicators only):
        ``sustained_decline`` (last 3 consecutive changes all worse), ``worsening_trend`` (material
        and robust worsening Theil-Sen trend), ``band_drop`` (band fell 2+ within the last 3 years,
        or fell into D), ``falling_behind_neighbours`` (not worse than the neighbour mean two years
        ago, now worse by at least a quarter of the national IQR), ``worst_quartile_and_worsening``
        (band D and worse than the previous period).""",
    ),
    Mart(
        "improvement_flags", (mart("trend"), mart("benchmark")), ("flag_candidate.sql", "improvement_flags.sql"),
        """The mirror of the decline flags: one row per sustained-improvement flag, with evidence.

        How: the same SQL as ``decline_flags`` with the sense reversed: ``sustained_improvement``,
        ``improving_trend``, ``band_rise`` (rose 2+ bands or into A), ``pulling_ahead_of_neighbours``
        and ``best_quartile_and_improving``.""",
    ),
    Mart(
        "flag_history", (mart("decline_flags"), mart("improvement_flags")), ("flag_history.sql",),
        """The decline and improvement flags of every release the marts were built from.

        How (``assets/sql/marts/flag_history.sql``): the rows of the current release (latest in
        ``core.release_history``) are replaced by the current flags; rows of earlier releases are
        kept, so the summary can say which flags are new and which cleared.""",
    ),
    Mart(
        "council_summary", (mart("trend"), mart("flag_history"), core("indicator_topic")), ("council_summary.sql",),
        """Per current council and topic (and 'All topics'): coverage, bands, flags and early warning.

        How (``assets/sql/marts/council_summary.sql``): counts of indicators with data, latest
        bands and flags; early-warning score = polar non-stale indicators with a decline flag /
        polar non-stale indicators; rank on the score in the region and nationally (1 = most
        warnings); new and cleared flags against the previous release in ``marts.flag_history``.""",
    ),
    Mart(
        "strengths_weaknesses",
        (mart("trend"), mart("benchmark"), mart("decline_flags"), mart("improvement_flags")),
        ("strengths_weaknesses.sql",),
        """Per current council, 3 strengths and 3 areas for development, each with its reason.

        How (``assets/sql/marts/strengths_weaknesses.sql``): strengths are band A with no decline
        flag, best percentile first; areas for development are band D or a decline flag of
        severity 2+, most severe flag then worst percentile first; picks are spread over service
        areas (social care, education, SEND, health, finance, workforce, youth justice).""",
    ),
    Mart(
        "release_changes",
        (core("fact_indicator_value"), core("dim_indicator"), core("dim_area"), mart("flag_history")),
        ("release_changes.sql",),
        """What changed since the previous release, one row per change (empty for a first release).

        How (``assets/sql/marts/release_changes.sql``), comparing ``core.fact_indicator_value`` with
        ``core.previous_fact_indicator_value`` and the two releases' flags in ``marts.flag_history``:
        ``new_indicator`` / ``dropped_indicator`` (values in one release only), ``new_period`` /
        ``dropped_period`` (a period of an indicator in both releases, with values in one only),
        ``revised_value`` (same indicator, area and period in both, value differing by more than
        1e-9 or status changed, or an area added or removed in a period published in both) and
        ``flag_raised`` / ``flag_cleared`` (decline and improvement flags in one release only).""",
    ),    Mart(
        "lines_of_enquiry",
        (mart("strengths_weaknesses"), mart("release_changes")),
        ("lines_of_enquiry.sql",),
        """Per current council, up to 5 questions a peer team could ask on a visit, each with its evidence.

        How (``assets/sql/marts/lines_of_enquiry.sql``): positions 1-3 ask what explains each area
        for development of ``marts.strengths_weaknesses`` and what the plan is; 4 asks what made
        the first strength work; 5, when high-severity decline flags were raised since the
        previous release (``marts.release_changes``), what lies behind them. Each row carries
        its evidence sentence, its kind (concern, strength, change) and the indicator it is about.""",
    ),
)


@dg.multi_asset(
    name="marts",
    specs=[
        dg.AssetSpec(
            m.key, deps=list(m.deps), description=inspect.cleandoc(m.description),
            group_name=GROUP, kinds={"duckdb"}, owners=["team:peerdata"],
        )
        for m in MARTS
    ],
    check_specs=mart_check_specs(),
    can_subset=True,
    pool="duckdb_writer",
)
def marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> Iterator:
    """The selected marts, in dependency order, each followed by its checks, on one connection.

    How: each selected mart is written by its SQL files in one transaction (a reader sees the
    previous table or the new one) and reported with its row count and a preview; then its
    selected checks (``assets/sql/marts/checks.sql``) run on it. All checks are blocking: when
    one fails, the run stops there and no mart after it is written. A run of checks alone (the
    weekly checks) opens the warehouse read-only and rebuilds nothing.
    """
    selected, checks = context.selected_asset_keys, context.selected_asset_check_keys
    with warehouse.connect(read_only=not selected) as con:
        for m in MARTS:
            if m.key in selected:
                context.log.info(f"building marts.{m.table}")
                m.build(con)
                yield dg.MaterializeResult(asset_key=m.key, metadata=table_metadata(con, f"marts.{m.table}"))
            results = [evaluate(con, name) for name in checks_of(m.table)
                       if dg.AssetCheckKey(m.key, name) in checks]
            yield from results
            failed = [r.check_name for r in results if not r.passed]
            if failed:
                raise dg.Failure(
                    description=f"marts.{m.table} failed its blocking check(s) {', '.join(failed)}; "
                    "the marts after it in this run were not rebuilt."
                )
