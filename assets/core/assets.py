"""The core model as one Dagster multi-asset: built aside, checked, then published."""


import dagster as dg

from assets.core.checked_build import build_check_publish
from assets.core.checks import check_specs
from assets.core.models import published_models, published_tables
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

COLUMNS = column_descriptions(("core",))  # each core model's YAML (assets/dbt/models/core/<table>.yml)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["core", model.name],
            deps=[RELEASE_KEY, INSPECTIONS_KEY, *EXTRA_INPUT_KEYS],
            group_name="core",
            kinds={"duckdb"},
            owners=["team:peerdata"],
            description=model.description,
        )
        for model in published_models()
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
    ``data/raw/self-evaluations/<landing_id>/`` with a SHA-256 manifest) are read as text into schema ``src``; the dbt
    models of ``assets/dbt/models/staging`` and ``models/core``, as dbt compiles them, build every table in
    schema ``staging`` (parsing periods, values and codes, and listing each rejected cell); the checks run on the staged tables
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
        for table in published_tables():
            yield dg.MaterializeResult(
                asset_key=["core", table],
                metadata={"release_id": release.release_id,
                          **table_metadata(con, f"core.{table}", descriptions=COLUMNS.get(table))},
            )
        # After the materializations: Dagster attaches a check's result to its asset's latest
        # materialization, which must be this run's (the tables checked), not the previous release's.
        for outcome in build.outcomes:
            yield outcome.result
