"""What ``peerdata export`` writes for one council: the sheets, in order, declared once.

Each ``Sheet`` is a query with the council's LA code as ``$code``, the tables it needs (a sheet
whose table is not in the warehouse yet, such as ``marts.concerns`` before it is built, is left
out), the tables whose column descriptions apply to its columns (``column_descriptions`` of
the marts' dbt YAML (``assets/descriptions.py``) first, then ``COLUMNS`` below for columns that are not a mart's),
one line saying what it holds and the note written on it when it is empty. Adding a table to
the export is one more ``Sheet``.
"""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of marts.release_changes that change no value (the Relabels and decimals sheet), as SQL.
NOT_REVISIONS = "('relabelled_period', 'period_status_changed', 'precision_changed')"


@dataclass(frozen=True)
class Sheet:
    name: str
    about: str
    sql: str
    tables: tuple[str, ...]
    empty_note: str
    first_release_note: str | None = None  # on an empty sheet when no earlier release is loaded

    @property
    def table_name(self) -> str:
        """The Excel table's name (no spaces allowed)."""
        return self.name.replace(" ", "_")


SHEETS = (
    Sheet(
        "Summary",
        "Per topic (and all topics): indicators with data, latest bands, and series judged a concern or a strength.",
        "SELECT topic, * EXCLUDE (topic, region_name, area_code, area_name), region_name, area_code, area_name "
        "FROM marts.council_summary WHERE area_code = $code ORDER BY topic = 'All topics' DESC, topic",
        ("marts.council_summary",),
        "No topic summary: the council has no indicator with data.",
    ),
    Sheet(
        "Indicators",
        "Every period of every indicator: the council's value, its comparators, band and rank; "
        "the latest period also carries the change and the trend.",
        """
        SELECT i.indicator_name, b.indicator_code, b.period_label, b.period_end_year, b.value,
               b.england_value, b.region_value, b.subregion_value, b.sn_mean, b.sn_median, b.sn_n,
               b.gap_to_england, b.gap_to_region, b.gap_to_sn, b.quartile_band, b.rank, b.rank_n, b.percentile,
               b.comparison_population, b.not_compared_reason,
               t.previous_period, t.previous_value, t.change, t.direction, t.not_comparable_reason,
               t.trend_slope, t.trend_label, t.stale,
               b.polarity, b.council_type, b.type_mean, b.type_n, b.national_n, b.q0, b.q25, b.q50, b.q75, b.q100,
               b.period_order, b.area_code, b.area_name
        FROM marts.benchmark b
        JOIN marts.indicator_name i USING (indicator_code)
        LEFT JOIN marts.trend t ON t.indicator_code = b.indicator_code AND t.area_code = b.area_code
                                AND t.latest_period = b.period_label
        WHERE b.area_code = $code ORDER BY i.sort_name, b.indicator_code, b.period_order""",
        ("marts.benchmark", "marts.trend", "marts.indicator_name"),
        "No indicator values for this council.",
    ),
    Sheet(
        "Neighbours",
        "The council's 10 statistical neighbours' values in each indicator's latest period for the council.",
        """
        SELECT i.indicator_name, b.indicator_code, b.period_label, n.neighbour_rank, n.closeness,
               b.area_name AS neighbour_name, b.area_code AS neighbour_code, b.value, b.quartile_band,
               b.rank, b.rank_n
        FROM core.dim_stat_neighbour n
        JOIN marts.trend t ON t.area_code = n.area_code
        JOIN marts.benchmark b ON b.area_code = n.neighbour_code AND b.indicator_code = t.indicator_code
                               AND b.period_label = t.latest_period
        JOIN marts.indicator_name i ON i.indicator_code = b.indicator_code
        WHERE n.area_code = $code ORDER BY i.sort_name, b.indicator_code, n.neighbour_rank""",
        ("marts.benchmark", "core.dim_stat_neighbour", "marts.indicator_name", "marts.trend"),
        "No statistical neighbours are listed for this council.",
    ),
    Sheet(
        "Signals",
        "One signal per indicator: concern, strength, no signal, cannot judge (with why) or context, with "
        "the periods, values and positions against England it rests on; headline indicators first.",
        """
        SELECT s.indicator_name, s.signal, s.sentence, s.reason, s.is_headline,
               replace(w.kind, '_', ' ') || ' ' || w.position AS picked_as,
               s.latest_period, s.latest_value, s.england_value, s.sn_mean, s.latest_band, s.latest_percentile,
               s.previous_period, s.previous_value, s.since_period, s.since_value, s.since_england_value,
               s.position_latest, s.position_previous, s.position_since, s.position_change, s.position_noise,
               s.change_in_noise_units, s.pandemic_skipped, s.polarity, s.indicator_code, s.dps
        FROM marts.series_signal s
        LEFT JOIN marts.strengths_weaknesses w USING (area_code, indicator_code)
        WHERE s.area_code = $code
        ORDER BY NOT s.is_headline,
                 list_position(['concern', 'strength', 'no_signal', 'cannot_judge', 'context'], s.signal),
                 s.indicator_name, s.indicator_code""",
        ("marts.series_signal", "marts.strengths_weaknesses"),
        "No signals: the council has no indicator with data.",
    ),
    Sheet(
        "Concerns",
        "The council's concerns, most important first, each in one plain sentence.",
        """
        SELECT concern_rank, indicator_name, indicator_code, service_area, sentence, latest_period, latest_value,
               england_value, sn_mean, since_period
        FROM marts.concerns WHERE area_code = $code ORDER BY concern_rank""",
        ("marts.concerns",),
        "No concerns: no indicator of this council shows a decline judged against England and its neighbours.",
    ),
    Sheet(
        "Learn from",
        "For each concern and area for development, up to three councils to learn from on the same indicator.",
        """
        SELECT indicator_name, need_kind, learn_rank, learn_from_name, relation, offer_kind, latest_period,
               latest_value, england_value, learn_from_ofsted, sentence, indicator_code, learn_from_code
        FROM marts.learn_from WHERE area_code = $code ORDER BY need_kind = 'concern' DESC, indicator_name, learn_rank""",
        ("marts.learn_from",),
        "No council to learn from: the council has no concern or area for development that another council of its "
        "region, its neighbours or its type does well.",
    ),
    Sheet(
        "Self evaluation",
        "The council's own view of each service area beside what the data say, most serious difference first.",
        """
        SELECT seriousness_rank, service_area, our_view, our_direction, data_view, data_direction, agreement, sentence,
               our_evidence, source_file, source_row
        FROM marts.self_evaluation_check WHERE area_code = $code ORDER BY seriousness_rank""",
        ("marts.self_evaluation_check",),
        "No self-evaluation: the council has given none (PEERDATA_SELF_EVALUATIONS).",
    ),
    Sheet(
        "Lines of enquiry",
        "Questions a peer challenge team could ask, with the evidence behind each.",
        """
        SELECT position, question, evidence, evidence_kind, indicator_code
        FROM marts.lines_of_enquiry WHERE area_code = $code ORDER BY position""",
        ("marts.lines_of_enquiry",),
        "No lines of enquiry were drawn for this council.",
    ),
    Sheet(
        "Inspections",
        "Ofsted ILACS inspections of the council (and of the council it replaced), newest first.",
        """
        SELECT inspection_end_date, publication_date, inspection_type, overall_effectiveness, impact_of_leaders,
               help_and_protection, in_care, care_leavers, inspection_start_date, local_authority,
               area_code AS inspected_area_code
        FROM core.inspection
        WHERE current_area_code = $code OR area_code = $code
           OR area_code IN (SELECT predecessor_code FROM core.area_succession WHERE successor_code = $code)
        ORDER BY inspection_end_date DESC""",
        ("core.inspection",),
        "No ILACS inspection of this council is in the inspections file.",
    ),
    Sheet(
        "Definitions",
        "What each indicator measures, its unit, polarity, decimal places and where it comes from.",
        """
        SELECT n.indicator_name, i.indicator_code, string_agg(DISTINCT t.topic, '; ' ORDER BY t.topic) AS topics,
               i.unit, i.polarity, coalesce(i.dps, 1) AS dps, i.year_type, i.description, i.methodology,
               i.source_link, i.last_update, i.next_update, i.no_quartile, i.discontinued, i.source_name,
               n.dictionary_name
        FROM core.dim_indicator i JOIN marts.indicator_name n USING (indicator_code)
        LEFT JOIN core.indicator_topic t USING (indicator_code)
        WHERE i.indicator_code IN (SELECT indicator_code FROM marts.trend WHERE area_code = $code)
        GROUP BY ALL ORDER BY any_value(n.sort_name), i.indicator_code""",
        ("core.dim_indicator", "marts.indicator_name", "core.indicator_topic", "marts.trend"),
        "No indicator has data for this council.",
    ),
    Sheet(
        "Changes",
        "What changed since the previous release: new or dropped indicators and periods, revised values "
        "(revised_value), concerns and strengths raised or cleared. Periods relabelled and values only given "
        "to more or fewer decimals change no value: they are on the next sheet.",
        f"""
        SELECT indicator_name, change, indicator_code, period_label, previous_period_label, previous_value, value,
               previous_status,
               value_status, sentence, signal_now, reason_now, compared_with_release
        FROM marts.release_changes WHERE (area_code = $code OR area_code IS NULL) AND change NOT IN {NOT_REVISIONS}
        ORDER BY change, indicator_code, period_order""",
        ("marts.release_changes",),
        "Nothing changed for this council since the previous release.",
        first_release_note="No changes to list: this is the first release loaded into this warehouse, "
        "so there is no earlier release to compare with.",
    ),
    Sheet(
        "Relabels and decimals",
        "Not revisions: periods relabelled (relabelled_period, such as 2018 (Revised) now 2018 (Rev)) or whose "
        "status changed (period_status_changed, such as provisional to final), and the council's values only "
        "given to more or fewer decimals (precision_changed: the same figure at the fewer decimals, such as "
        "24.6 now 24.62). A value that did change in a relabelled period is a revision, on the Changes sheet.",
        f"""
        SELECT indicator_name, change, indicator_code, period_label, previous_period_label, previous_value, value,
               compared_with_release
        FROM marts.release_changes WHERE (area_code = $code OR area_code IS NULL) AND change IN {NOT_REVISIONS}
        ORDER BY change, indicator_name, indicator_code, period_order""",
        ("marts.release_changes",),
        "No period was relabelled and no value of this council only gained or lost decimals.",
        first_release_note="Nothing to list: this is the first release loaded into this warehouse, "
        "so there is no earlier release to compare with.",
    ),
)

# Columns that are not a mart's column (the core tables', and the export's own): a sheet's column is
# described by its tables' entry in the marts' dbt YAML first, then here, then by any mart's column
# of that name.
COLUMNS = {
    "release_id": "The LAIT release the figures come from (the same in every row; the file name carries it too).",
    "neighbour_rank": "The neighbour's position among the council's 10 statistical neighbours, 1 = closest.",
    "closeness": "How close the DfE's model puts the neighbour (extremely close ... not close).",
    "neighbour_name": "The neighbour's name.",
    "neighbour_code": "The neighbour's LA code.",
    "picked_as": "Picked as one of the council's 3 strengths or 3 areas for development, with its place (empty: not picked).",
    "topics": "The indicator's topics in the data dictionary.",
    "unit": "What the value counts or measures (e.g. %, rate per 10,000).",
    "year_type": "The kind of year of the periods (academic, financial, calendar ...).",
    "description": "What the indicator measures, from the data dictionary.",
    "methodology": "How it is calculated, from the data dictionary.",
    "source_link": "Where the data is published.",
    "last_update": "When the source was last updated.",
    "next_update": "When the source is next due to be updated.",
    "no_quartile": "True when the data dictionary says the indicator is not banded.",
    "discontinued": "True when the indicator is no longer collected.",
    "source_name": "The extra source the indicator comes from (empty for LAIT).",
    "concern_rank": "Order of importance, 1 = most important.",
    "service_area": "The part of the service: help and protection, children in care, care leavers, SEND, "
    "education, health, workforce or finance.",
    "sentence": "The concern in one plain sentence: what changed, compared with whom, since when.",
    "position": "Order on the sheet, 1 = first.",
    "question": "The question to ask.",
    "evidence": "The figures behind it, in words.",
    "evidence_kind": "What the evidence is: a concern, a strength, a change or an inspection.",
    "inspection_start_date": "The first day of the inspection.",
    "inspection_end_date": "The last day of the inspection.",
    "publication_date": "When Ofsted published the report.",
    "inspection_type": "standard or short inspection.",
    "overall_effectiveness": "Ofsted's overall judgement: outstanding, good, requires improvement or inadequate.",
    "impact_of_leaders": "Judgement on the impact of leaders on social work practice.",
    "help_and_protection": "Judgement on the experiences and progress of children who need help and protection.",
    "in_care": "Judgement on the experiences and progress of children in care.",
    "care_leavers": "Judgement on the experiences and progress of care leavers (its own judgement from 2023).",
    "local_authority": "The council's name as Ofsted wrote it.",
    "inspected_area_code": "The LA code of the council inspected (before a reorganisation, the council it replaced).",
}

# Headers a person reads; any other column's header is its name in words ("england_value" -> "England value").
HEADERS = {
    "area_code": "LA code", "area_name": "Council", "indicator_name": "Indicator", "indicator_code": "Indicator code",
    "dictionary_name": "Name in the LAIT data dictionary",
    "period_label": "Period", "period_end_year": "Year ending", "sn_mean": "Stat. neighbours mean",
    "sn_median": "Stat. neighbours median", "sn_n": "Stat. neighbours with a value",
    "gap_to_sn": "Gap to stat. neighbours", "quartile_band": "Band", "rank_n": "Councils ranked",
    "national_n": "Councils with a value", "type_n": "Councils of the type with a value",
    "q0": "Lowest value", "q25": "Lower quartile", "q50": "Median", "q75": "Upper quartile", "q100": "Highest value",
    "dps": "Decimal places", "neighbour_code": "Neighbour's LA code", "neighbour_name": "Neighbour",
    "latest_band": "Latest band", "band_a": "Band A", "band_b": "Band B", "band_c": "Band C", "band_d": "Band D", "compared_with_release": "Compared with release", "release_id": "Release",
    "source_link": "Source", "local_authority": "Council (as Ofsted wrote it)",
    "inspected_area_code": "Inspected council's LA code",
}


def header(column: str) -> str:
    """The header a person reads for ``column``."""
    if column in HEADERS:
        return HEADERS[column]
    words = column.replace("_", " ").replace("england", "England").replace("ofsted", "Ofsted")
    return words[0].upper() + words[1:]
