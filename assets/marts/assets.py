"""The marts: benchmark, trend, signals, early warning, summaries, peer groups and release changes, in schema ``marts``.

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
from assets.marts.columns import column_descriptions
from assets.marts.keys import core, mart
from assets.core.build import published_release_id
from assets.metadata import table_metadata, tag_run_with_release
from assets.resources import WarehouseResource

GROUP = "marts"
SQL_DIR = "assets/sql/marts"
COLUMNS = column_descriptions()


def load_temp_rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...],
                   read: Callable[[], list[tuple]], error: type[Exception]) -> None:
    """Put the rows ``read()`` returns into the temporary table ``table`` (``columns``: its column
    definitions, "name TYPE"). An ``error`` raised by ``read`` (a bad YAML file) fails the run with its message."""
    try:
        rows = read()
    except error as exc:
        raise dg.Failure(description=str(exc)) from exc
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({', '.join(columns)})")
    con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", rows)


def load_peer_group_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve ``pipeline/peer_groups.yaml`` into the temporary table ``peer_group_row``."""
    # Imported here: Polars and YAML are not needed to load the definitions.
    from assets.marts.peer_groups import PEER_GROUPS_FILE, PeerGroupError, peer_group_rows

    load_temp_rows(con, "peer_group_row",
                   ("group_name VARCHAR", "region_name VARCHAR", "area_code INTEGER", "area_name VARCHAR"),
                   lambda: peer_group_rows(con, PEER_GROUPS_FILE), PeerGroupError)


def load_headline_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Read ``pipeline/headline_indicators.yaml`` into the temporary table ``headline_row``."""
    from assets.marts.headline import HeadlineError, headline_rows

    load_temp_rows(con, "headline_row", ("indicator_code VARCHAR", "service_area VARCHAR", "service_order INTEGER",
                                         "position INTEGER", "reason VARCHAR"),
                   lambda: headline_rows(con), HeadlineError)


def load_calendar_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Match every indicator to its collection of ``pipeline/publication_calendar.yaml`` (temporary table ``publication_row``)."""
    from assets.marts.publication_calendar import ROW_COLUMNS, CalendarError, calendar_rows

    load_temp_rows(con, "publication_row", ROW_COLUMNS, lambda: calendar_rows(con), CalendarError)


def load_inspection_rows(con: duckdb.DuckDBPyConnection) -> None:
    """``core.inspection`` (or an empty table of its shape) as the temporary table ``inspection_row``."""
    from assets.marts.backtest import load_inspection_rows as load

    load(con)


def load_auc_rows(con: duckdb.DuckDBPyConnection) -> None:
    """The AUCs with their bootstrap intervals, into the temporary table ``backtest_auc``."""
    from assets.marts.backtest import load_auc_rows as load

    load(con)


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

    def definition_metadata(self) -> dict:
        """The asset's column schema (names and descriptions, before any build) and its SQL files."""
        schema = dg.TableSchema(columns=[
            dg.TableColumn(column, description=text) for column, text in COLUMNS[self.table].items()])
        return {"dagster/column_schema": schema,
                "sql": dg.MetadataValue.text(", ".join(f"{SQL_DIR}/{name}" for name in self.sql_files))}

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
        the indicator is No_Quartile or fewer than 20 councils have a value. An indicator whose
        councils are all in one region is compared within it (from 8 councils; the population is
        named in ``comparison_population``, e.g. 'South East councils'). England, region and
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
        "headline_indicator", (core("dim_indicator"),), ("headline_indicator.sql",),
        """The curated headline set: the indicators that drive the early warning, strengths and areas for development.

        How: ``pipeline/headline_indicators.yaml`` lists ``{code, service_area, reason}``; each code must be
        an indicator of the release and each service area one of the eight; joined to the dictionary's
        name and polarity. Indicators with no polarity are context: described, never judged.""",
        prepare=load_headline_rows,
    ),
    Mart(
        "series_position", (mart("benchmark"), core("dim_indicator"), core("fact_indicator_value")),
        ("series_position.sql",),
        """One row per compared period of a polar indicator and council: its position against England.

        How (``assets/sql/marts/series_position.sql``): position = gap to England / (national IQR /
        1.349); available_from = the day the collection's figures count as public
        (``pipeline/publication_calendar.yaml``; 12 months after the period for an unlisted indicator);
        is_pandemic = academic years ending 2020 or 2021; tie_share = share of councils with the same value.""",
        prepare=load_calendar_rows,
    ),
    Mart(
        "series_signal",
        (mart("series_position"), mart("trend"), mart("benchmark"), mart("headline_indicator")),
        ("signal_current.sql", "signal_rule.sql", "series_signal.sql"),
        """One signal per council and indicator, as of the current release, with its reason and a sentence.

        How (``assets/sql/marts/signal_rule.sql``): concern = worse than England by half a national
        spread at the latest and previous periods and further behind England than 2-4 years before by
        more than the indicator's noise (1.4826 x median absolute 2-year move of all councils), and
        worse than the neighbours' mean; strength = the mirror, not slipping back; cannot_judge with
        the reason (small council, out of date, pandemic year, too few periods); context for
        indicators with no polarity. Pandemic years and provisional figures are never a base.""",
    ),
    Mart(
        "council_summary", (mart("trend"), mart("series_signal"), core("indicator_topic")), ("council_summary.sql",),
        """Per current council and topic (and 'All topics'): coverage, latest bands, concerns and strengths.

        How (``assets/sql/marts/council_summary.sql``): counts of indicators with data, polar
        non-stale indicators, latest bands A-D, and series whose signal (``marts.series_signal``) is
        concern or strength, on every indicator and on the headline set. The early-warning score
        and its ranks are in ``marts.early_warning``.""",
    ),
    Mart(
        "signal_history", (mart("series_signal"),), ("signal_history.sql",),
        """The headline concerns and strengths of every release the marts were built from.

        How (``assets/sql/marts/signal_history.sql``): the rows of the current release (latest in
        ``core.release_history``) are replaced by the headline concerns and strengths of
        ``marts.series_signal`` (indicator, council, signal, latest period, sentence); rows of other
        releases are kept, so ``marts.release_changes`` can say which were raised and which cleared.""",
    ),
    Mart(
        "concerns", (mart("series_signal"), mart("headline_indicator")), ("concerns.sql",),
        """Per council, its concerns on headline indicators, ranked, each in one plain sentence.

        How (``assets/sql/marts/concerns.sql``): headline series whose signal is concern; rank 1 = the
        largest fall against England in noise units, then the furthest behind England.""",
    ),
    Mart(
        "backtest_inspection", (mart("series_position"), mart("headline_indicator"), core("inspection")),
        ("signal_inspection.sql", "signal_headline.sql", "signal_rule.sql", "score_rule.sql", "backtest_inspection.sql"),
        """One row per Ofsted ILACS inspection: the early-warning score as of its start date, and the judgement.

        How (``assets/sql/marts/score_rule.sql``): only figures published by the start date
        (available_from); score = mean shortfall against England of the headline indicators (in
        national spreads, clamped to 3) + half the mean fall in noise units; split fit (ended before
        2022-01-01) / test; score bands at the fit split's terciles. Empty without core.inspection.""",
        prepare=load_inspection_rows,
    ),
    Mart(
        "backtest_summary", (mart("backtest_inspection"),), ("backtest_summary.sql",),
        """ROC AUC (bootstrap 95% interval) for fit and test, against two naive baselines, and calibration.

        How (``assets/marts/backtest.py``, ``assets/sql/marts/backtest_summary.sql``): AUC of
        requires improvement / inadequate against good / outstanding for the score, the share of
        headline indicators in band D and the previous judgement; 2,000 bootstrap resamples, seed
        14; outcome rate by score band.""",
        prepare=load_auc_rows,
    ),
    Mart(
        "backtest_roc", (mart("backtest_inspection"),), ("backtest_roc.sql",),
        """The ROC curve of the early-warning score and the two baselines, per split, for the methods page.

        How (``assets/sql/marts/backtest_roc.sql``): for each distinct figure v, tpr = share of the
        requires improvement / inadequate inspections with a figure >= v, fpr = the same among good /
        outstanding; plus (0, 0).""",
    ),
    Mart(
        "backtest_flag", (mart("series_position"), mart("headline_indicator")),
        ("signal_yearly.sql", "signal_headline.sql", "signal_rule.sql", "backtest_flag.sql"),
        """Did flagged series go on to worsen against England? Flagged vs not flagged, as of each 1 September.

        How (``assets/sql/marts/backtest_flag.sql``): the signal rule as of 1 September 2018 onwards
        on the headline series, each followed to its next compared period; worsened = lower position
        there; share worsened per group and date, and the lift flagged / not flagged.""",
    ),
    Mart(
        "backtest_persistence", (mart("series_position"), mart("headline_indicator")), ("backtest_persistence.sql",),
        """Why a concern does not foresee a further fall: how a move against England is followed, per headline indicator.

        How (``assets/sql/marts/backtest_persistence.sql``): in every headline series, each run of
        three successive compared periods (no provisional or pandemic year) gives the move against
        England into the middle period and the move out of it; per split (fit: the middle figure
        public before 2022) and indicator, and for all together: their correlation, and the share
        of moves out that fell after a fall and after a rise.""",
    ),
    Mart(
        "early_warning",
        (mart("series_position"), mart("headline_indicator"), mart("backtest_inspection"), core("fact_indicator_value")),
        ("signal_current.sql", "signal_headline.sql", "signal_rule.sql", "score_rule.sql", "score_rank.sql",
         "early_warning.sql"),
        """Per council, the early-warning score as of the current release, its ranks, band and track record.

        How (``assets/sql/marts/early_warning.sql``): the score of ``score_rule.sql`` on every figure of
        the release; rank 1 = most warning; band by the backtest's fit-split cut points; outcome_text
        counts the inspected councils in the same band judged requires improvement or inadequate.""",
    ),
    Mart(
        "strengths_weaknesses",
        (mart("series_signal"), mart("concerns"), mart("headline_indicator"), mart("trend"), core("indicator_topic")),
        ("strengths_weaknesses.sql",),
        """Per current council, 3 strengths and 3 areas for development from the headline set, each with its reason.

        How (``assets/sql/marts/strengths_weaknesses.sql``): strengths are headline series with the
        signal strength, furthest ahead of England first; areas for development are the concerns in
        rank order, then headline series worse than England twice running; spread over service areas.""",
    ),
    Mart(
        "service_area_evidence",
        (mart("series_signal"), mart("headline_indicator"), mart("trend"), core("dim_indicator"), core("dim_area"),
         core("inspection")),
        ("service_area_evidence.sql",),
        """Per current council and service area: what the published data say, by a written rule.

        How (``assets/sql/marts/service_area_evidence.sql``): over the headline series with a polarity
        that the signal could judge, counts of best and worst quarters, positions against England,
        concerns, strengths and sustained trends; the figure furthest behind England and the one
        furthest ahead, in words; Ofsted's latest sub-judgement for the area (help and protection,
        children in care, care leavers; impact of leaders for workforce). data_view: area for
        development (a concern, Ofsted requires improvement or inadequate, or half the figures in the
        worst quarter), strength (a strength signal, half in the best quarter or Ofsted outstanding,
        with none in the worst quarter and Ofsted good or better), else secure; none when nothing is
        judged. data_direction: improving / declining by the majority of sustained trends, else stable.""",
    ),
    Mart(
        "self_evaluation_check", (mart("service_area_evidence"), core("self_evaluation")),
        ("self_evaluation_check.sql",),
        """Per council and service area it gave its view of: its own view beside the data, and one sentence.

        How (``assets/sql/marts/self_evaluation_check.sql``): the council's view and direction
        (``core.self_evaluation``) against ``marts.service_area_evidence``: rates higher than the data,
        direction differs, rates lower, agrees, or data cannot judge; ranked most serious first
        (the rosier the council's view, the higher), with the figure that tells most.""",
    ),
    Mart(
        "region_theme",
        (mart("series_signal"), mart("headline_indicator"), mart("benchmark"), core("dim_area"), core("dim_indicator")),
        ("region_theme.sql",),
        """The themes that run across each region: headline indicators where many of its councils are flagged.

        How (``assets/sql/marts/region_theme.sql``): per region and headline indicator with a polarity, the
        councils with a concern or in the worst quarter among those judged; a theme when at least 3 and
        40% are, or when the region's own figure is worse than England's by half a national spread and
        half a spread further behind than 2-4 years before; with the councils, the region's figure and
        England's, ranked by the share flagged.""",
    ),
    Mart(
        "learn_from",
        (mart("concerns"), mart("strengths_weaknesses"), mart("series_signal"), mart("trend"), core("dim_area"),
         core("dim_stat_neighbour"), core("inspection")),
        ("learn_from.sql",),
        """Per council's concern and area for development, up to three councils to learn from on the same indicator.

        How (``assets/sql/marts/learn_from.sql``): councils whose series is a strength, or a sustained
        improving trend that gained on England; the same region first, then statistical neighbours,
        then the same type; strengths before improvements, then the furthest ahead of England; with
        their figures and Ofsted's latest overall judgement.""",
    ),
    Mart(
        "release_changes",
        (core("fact_indicator_value"), core("dim_indicator"), core("dim_area"), mart("signal_history"),
         mart("series_signal")),
        ("release_changes.sql",),
        """What changed since the previous release, one row per change (empty for a first release).

        How (``assets/sql/marts/release_changes.sql``), comparing ``core.fact_indicator_value`` with
        ``core.previous_fact_indicator_value``, and the two releases' signals in ``marts.signal_history``:
        ``new_indicator`` / ``dropped_indicator`` (values in one release only), ``new_period`` /
        ``dropped_period`` (a period of an indicator in both releases, with values in one only),
        ``revised_value`` (same indicator, area and period in both, value differing by more than
        1e-9 or status changed, or an area added or removed in a period published in both) and
        ``concern_raised`` / ``concern_cleared`` / ``strength_raised`` / ``strength_cleared``
        (a headline concern or strength in one release only, with its sentence and the series'
        signal now).""",
    ),
    Mart(
        "lines_of_enquiry",
        (mart("concerns"), mart("strengths_weaknesses"), mart("release_changes"), core("inspection")),
        ("lines_of_enquiry.sql",),
        """Per current council, a short list of questions a peer team could ask on a visit, each with its evidence.

        How (``assets/sql/marts/lines_of_enquiry.sql``): up to 3 on what explains a concern
        (``marts.concerns``, then the other areas for development of
        ``marts.strengths_weaknesses``) and what the plan is; one on Ofsted's last judgement
        (``core.inspection``) when it was requires improvement or inadequate, or when the council
        has concerns; one on what made the first strength work; a concern raised since the previous
        release (``marts.release_changes``) is asked as new, and the first such concern not asked
        about above gets its own question. Each row carries its
        evidence sentence, its kind (concern, inspection, strength, change) and the indicator it
        is about.""",
        prepare=load_inspection_rows,
    ),
)


@dg.multi_asset(
    name="marts",
    specs=[
        dg.AssetSpec(
            m.key, deps=list(m.deps), description=inspect.cleandoc(m.description), metadata=m.definition_metadata(),
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
        tag_run_with_release(context, published_release_id(con))
        for m in MARTS:
            if m.key in selected:
                context.log.info(f"building marts.{m.table}")
                m.build(con)
                yield dg.MaterializeResult(asset_key=m.key, metadata=table_metadata(
                    con, f"marts.{m.table}", descriptions=COLUMNS[m.table]))
            results = [evaluate(con, name) for name in checks_of(m.table)
                       if dg.AssetCheckKey(m.key, name) in checks]
            yield from results
            failed = [r.check_name for r in results if not r.passed]
            if failed:
                raise dg.Failure(
                    description=f"marts.{m.table} failed its blocking check(s) {', '.join(failed)}; "
                    "the marts after it in this run were not rebuilt."
                )
