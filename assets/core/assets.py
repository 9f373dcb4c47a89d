"""The core model as one Dagster multi-asset: built aside, checked, then published."""


import dagster as dg

from assets.core.build import PUBLISHED_TABLES
from assets.core.checked_build import build_check_publish
from assets.core.checks import check_specs
from assets.inputs import EXTRA_INPUT_KEYS
from assets.descriptions import column_descriptions
from assets.metadata import table_metadata, tag_run_with_release
from assets.raw.assets import INSPECTIONS_KEY, RELEASE_KEY
from assets.raw.inspection_landing import SELF_EVALUATIONS, land_files, latest_inspections
from assets.raw.landing import LandingError, latest_landed
from assets.resources import (
    InspectionSourceResource,
    ReleaseSourceResource,
    SelfEvaluationSourceResource,
    WarehouseResource,
)

COLUMNS = column_descriptions()  # the core tables the export shows are described there too
TABLE_DESCRIPTIONS = {
    "dim_area": "Every area in the data: councils (current and abolished, with successors), "
    "the 9 regions, Inner/Outer London and England, with normalised region names.",
    "area_succession": "Abolished councils and the councils that replaced them.",
    "dim_indicator": "One row per indicator code with its dictionary settings; copies listed under "
    "two topics are merged by the rules in assets/sql/core/20_dim_indicator.sql.",
    "indicator_topic": "The topic(s) of each indicator.",
    "indicator_conflict": "Settings on which the copies of a duplicated dictionary row disagree, and "
    "what each was resolved to.",
    "dim_stat_neighbour": "Each council's 10 statistical neighbours, ranked, with closeness.",
    "fact_indicator_value": "One row per indicator, area and period: parsed period, numeric value "
    "and the status of any published symbol.",
    "period_quarantine": "Data rows whose period label is not a period, with the reason.",
    "value_status": "What each value status means and the symbol it comes from.",
    "source_problem": "Warnings raised while reading the release (e.g. a dictionary setting that is not a number).",
    "inspection": "One row per Ofsted ILACS inspection: the council as inspected and the current council it "
    "maps to, start, end and publication dates, type, overall grade and sub-judgements, source file and row.",
    "inspection_source": "The landed inspections files the inspections were read from: hash, layout, rows.",
    "self_evaluation": "One row per council and service area a council gave its own view of (strength, secure or "
    "area for development; improving, stable or declining; its evidence beyond the data), with source file and row.",
    "self_evaluation_source": "The landed self-evaluation files the views were read from: hash, rows.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["core", table],
            deps=[RELEASE_KEY, INSPECTIONS_KEY, *EXTRA_INPUT_KEYS],
            group_name="core",
            kinds={"duckdb"},
            owners=["team:peerdata"],
            description=TABLE_DESCRIPTIONS[table],
        )
        for table in PUBLISHED_TABLES.values()
    ],
    check_specs=check_specs(),
    pool="duckdb_writer",
)
def core_model(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    source: ReleaseSourceResource,
    inspections: InspectionSourceResource,
    self_evaluations: SelfEvaluationSourceResource,
):
    """The typed core model of the latest landed release, in schema ``core`` of the warehouse.

    How: the four landed files, the extra indicator sources listed in ``pipeline/sources.yaml``
    (``PEERDATA_EXTRA_SOURCES``), the landed inspection files (``PEERDATA_INSPECTIONS``) and the
    councils' self-evaluations (``PEERDATA_SELF_EVALUATIONS``, landed here under
    ``data/raw/self-evaluations/<landing_id>/`` with a SHA-256 manifest) are read as text into schema ``src``; the SQL files of
    ``assets/sql/core`` build every table in schema ``staging`` (parsing periods, values and
    codes, and recording each rejected cell); the checks run on the staged tables
    (``checked_build``: each part is checked while the next is built); the tables are copied into
    ``core`` in one transaction that commits only when every blocking check passes. A failed
    build leaves the previous core model untouched. Once published, the release is noted for the
    profiles' index page (``base.site.note_warehouse_release``), which says when its pages lag.
    """
    # Imported here: the readers need Polars, which loading the Dagster definitions does not.
    from assets.core.sources import SourceFileError
    from base.site import note_warehouse_release
    from assets.sources.config import read_sources, sources_file_from_env

    release = latest_landed(warehouse.paths.raw_dir)
    if release is None:
        raise dg.Failure(description="No release has been landed yet: run `peerdata fetch` first.")
    tag_run_with_release(context, release.release_id)
    try:
        views = land_files(self_evaluations.source, warehouse.paths.raw_dir, SELF_EVALUATIONS) \
            if self_evaluations.configured else None
    except LandingError as exc:
        raise dg.Failure(description=str(exc)) from exc
    with warehouse.connect() as con:
        try:
            build = build_check_publish(
                con, release.path, release.release_id, source.files, read_sources(sources_file_from_env()),
                on_staged=lambda counts: context.log.info(f"staged release {release.release_id}: {counts}"),
                inspections=latest_inspections(warehouse.paths.raw_dir) if inspections.configured else None,
                self_evaluations=views,
            )
        except SourceFileError as exc:
            raise dg.Failure(description=f"release {release.release_id}: {exc}") from exc
        if not build.published:
            for outcome in build.outcomes:  # about the tables as they were: nothing new was materialized
                yield outcome.result
            raise dg.Failure(
                description=f"release {release.release_id} was not published; the previous core model "
                "is unchanged.\n" + "\n".join(o.message for o in build.outcomes if o.failed_blocking)
            )
        # The index page of the published profiles says when its pages show an older release.
        note_warehouse_release(warehouse.paths.profiles_dir, release.release_id)
        for table in PUBLISHED_TABLES.values():
            yield dg.MaterializeResult(
                asset_key=["core", table],
                metadata={"release_id": release.release_id,
                          **table_metadata(con, f"core.{table}", descriptions=COLUMNS.get(table))},
            )
        # After the materializations: Dagster attaches a check's result to its asset's latest
        # materialization, which must be this run's (the tables checked), not the previous release's.
        for outcome in build.outcomes:
            yield outcome.result
