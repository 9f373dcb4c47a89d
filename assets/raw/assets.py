"""The landed sources as Dagster assets, with a validation check on each of their files.

One step lands both sources, the LAIT release (``raw/lait_release``) and the Ofsted inspection
outcomes (``raw/ilacs_inspections``), and decides once whether anything is to be rebuilt: the
core model reads both, and Dagster skips a step when any asset it depends on was not
materialized, so the two are materialized together or not at all.
"""

from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb

from assets.core.build import published_inspections_id, published_release_id
from assets.metadata import tag_run_with_release
from assets.inputs import INSPECTIONS_INPUT, LAIT_INPUT, built_from_version, last_version
from assets.raw.inspection_landing import land_inspections, landed_files, latest_inspections
from assets.raw.landing import LandedRelease, LandingError, land_release, latest_landed
from assets.validation.gx_suites import validate_frame
from assets.resources import InspectionSourceResource, ReleaseSourceResource, WarehouseResource
from base.settings import stale_after_days

RELEASE_KEY = dg.AssetKey(["raw", "lait_release"])
INSPECTIONS_KEY = dg.AssetKey(["raw", "ilacs_inspections"])
CORE_MARKER = dg.AssetKey(["core", "fact_indicator_value"])  # materialized by every core publish
# What to add to a frame position to give the row a person finds in the file (header = row 1).
# The neighbour sheet is reshaped to one row per link, so its rows carry their sheet row and the
# sheet columns of their cells instead (``_sheet_positions``).
ROW_OFFSET = {"bds": 1, "dictionary": 2, "councils": 2, "neighbours": 0}


class LandingConfig(dg.Config):
    """``force``: rebuild from the landed release even when it is already the published one."""

    force: bool = False


# A release is landed (materialized) only when its files change: the UI shows it fresh while a new
# release has landed within PEERDATA_STALE_AFTER_DAYS days (default 120), warns from three
# quarters of that, and shows it stale beyond; the release_is_fresh check measures the same limit
# on the data's own date (the dictionary's "Last Update").
RELEASE_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(days=stale_after_days()),
                                                   warn_window=timedelta(days=stale_after_days() * 3 / 4))


@dg.multi_asset(
    name="raw__lait_release",
    specs=[
        dg.AssetSpec(
            RELEASE_KEY, deps=[LAIT_INPUT], group_name="raw", kinds={"python", "file"}, owners=["team:peerdata"],
            skippable=True, freshness_policy=RELEASE_FRESHNESS,
            description="The LAIT release files (data set, dictionary, neighbours, council list) as landed "
            "under data/raw/<release_id>/ with a SHA-256 manifest, from PEERDATA_SOURCE.",
        ),
        dg.AssetSpec(
            INSPECTIONS_KEY, deps=[INSPECTIONS_INPUT], group_name="raw", kinds={"python", "file"},
            owners=["team:peerdata"], skippable=True,
            description="The Ofsted ILACS inspection files (one row per inspection, or the overview workbook) "
            "as landed under data/raw/inspections/<landing_id>/ with a SHA-256 manifest, from PEERDATA_INSPECTIONS.",
        ),
    ],
)
def lait_release(
    context: dg.AssetExecutionContext,
    config: LandingConfig,
    warehouse: WarehouseResource,
    source: ReleaseSourceResource,
    inspections: InspectionSourceResource,
):
    """Land the LAIT release and the inspection outcomes, and say whether the core is to be rebuilt.

    The release: the four files (long data set, data dictionary, statistical neighbours, council
    list) from ``PEERDATA_SOURCE`` (a folder or a base URL). The inspections: every ``.csv`` and
    ``.xlsx`` file of ``PEERDATA_INSPECTIONS`` (a file, a folder or a file's URL; ``none`` for
    none). Each file is checked to be the kind of file it should be (not empty, not an HTML error
    page) and kept with a SHA-256 manifest. Files whose hashes equal the last landed ones are not
    landed again, and when both the release and the inspections are also those already
    published in the warehouse (and were built from the versions of ``inputs/lait_release`` and
    ``inputs/inspections`` last observed) nothing is materialized, so nothing downstream is
    rebuilt (set ``force`` to rebuild anyway).
    """
    try:
        release = land_release(source.source, warehouse.paths.raw_dir, source.files)
        landed = land_inspections(inspections.source, warehouse.paths.raw_dir) if inspections.configured else None
    except LandingError as exc:
        raise dg.Failure(description=str(exc)) from exc
    tag_run_with_release(context, release.release_id)
    unchanged = not release.newly_landed and not (landed and landed.newly_landed)
    if (unchanged and not config.force and _published(warehouse) == (release.release_id, _landing_id(landed))
            and not _input_observed_since(context)):
        behind = _built_before_core(context)
        if not behind:
            context.log.info(
                f"release {release.release_id} and inspections {_landing_id(landed)} are unchanged and already "
                "published: nothing to rebuild"
            )
            return
        context.log.info(f"release {release.release_id} is published, but these were last built before it: {behind}")
    context.log.info(
        f"release {release.release_id} {'landed' if release.newly_landed else 'unchanged, not landed again'}; "
        f"inspections {_landing_id(landed)} {'landed' if landed and landed.newly_landed else 'unchanged'}"
    )
    yield dg.MaterializeResult(asset_key=RELEASE_KEY, metadata=_landing_metadata(release, source.source))
    yield dg.MaterializeResult(asset_key=INSPECTIONS_KEY, metadata=_landing_metadata(landed, inspections.source))


def _landing_metadata(landed: LandedRelease | None, source: str) -> dict:
    if landed is None:
        return {"source": source, "files": dg.MetadataValue.json({})}
    return {
        "release_id": landed.release_id,
        "newly_landed": landed.newly_landed,
        "source": source,
        "path": dg.MetadataValue.path(str(landed.path)),
        "files": dg.MetadataValue.json(landed.manifest["files"]),
    }


def _landing_id(landed: LandedRelease | None) -> str | None:
    return landed.release_id if landed else None


def _input_observed_since(context: dg.AssetExecutionContext) -> bool:
    """Whether an input of these assets was observed with another version than it was last built from."""
    for spec in context.assets_def.specs:
        for dep in spec.deps:
            observed = last_version(context.instance, dep.asset_key)
            if observed is not None and observed != built_from_version(context.instance, spec.key, dep.asset_key):
                return True
    return False


def _built_before_core(context: dg.AssetExecutionContext) -> list[str]:
    """Selected assets downstream of the core model whose last build is older than the core's
    (a run killed or failed after publishing the core), as far as this instance knows."""
    core = context.instance.get_latest_materialization_event(CORE_MARKER)
    if core is None:
        return []
    behind = []
    for key in sorted(context.job_def.asset_layer.selected_asset_keys):
        if key.path[0] in ("raw", "core"):
            continue
        event = context.instance.get_latest_materialization_event(key)
        if event is None or event.timestamp < core.timestamp:
            behind.append(key.to_user_string())
    return behind


def _published(warehouse: WarehouseResource) -> tuple[str | None, str | None]:
    """The release and the inspections landing whose core model is in the warehouse."""
    if not Path(warehouse.warehouse_path).exists():
        return None, None
    with warehouse.connect(read_only=True) as con:
        return published_release_id(con), published_inspections_id(con)


def _frame_for(role: str, path) -> object:
    """The file as the frame its suite validates (neighbours: parsed into long form, with the
    sheet row and columns of each link). Columns the suite does not name are not validated."""
    import polars as pl

    from assets.core.sources import load_neighbours

    if role == "bds":
        return _parquet_with_dictionaries(path)
    if role == "dictionary":
        return duckdb.execute(
            "SELECT * FROM read_csv(?, all_varchar = true, header = true)", [str(path)]
        ).df()
    if role == "councils":
        return pl.read_excel(path, engine="calamine", infer_schema_length=0)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA src")
    load_neighbours(con, path)
    return con.execute(
        """
        SELECT source_row, TRY_CAST(area_code AS INTEGER) AS area_code, TRY_CAST(neighbour_code AS INTEGER) AS neighbour_code,
               neighbour_rank, lower(trim(closeness)) AS closeness, area_column, neighbour_column, closeness_column
        FROM src.neighbours
        """
    ).df()


def _parquet_with_dictionaries(path):
    """The parquet file as an Arrow table, text columns read as the dictionaries parquet stores
    them (no re-encoding); the validation keeps as categories those that repeat few values."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = [f.name for f in pq.read_schema(path) if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    return pq.read_table(path, read_dictionary=text)


def _sheet_positions(role: str, frame) -> dict:
    """For the neighbour frame: the sheet row of each link and the sheet column of each cell,
    as ``validate_frame`` takes them; nothing for the files validated as they are laid out."""
    from assets.core.sources import NEIGHBOUR_SHEET_COLUMNS  # imported here, like Polars in _frame_for

    if role != "neighbours":
        return {}
    return {
        "row_numbers": frame["source_row"].tolist(),
        "cell_columns": {column: frame[names].tolist() for column, names in NEIGHBOUR_SHEET_COLUMNS.items()},
    }


def _raw_file_check(role: str) -> dg.AssetChecksDefinition:
    suite = f"raw_{role}"

    @dg.asset_check(
        asset=RELEASE_KEY,
        name=f"{role}_file_valid",
        blocking=True,
        description=f"The landed {role} file can be read and passes expectations/{suite}.json.",
    )
    def check(warehouse: WarehouseResource, source: ReleaseSourceResource) -> dg.AssetCheckResult:
        from pyarrow import ArrowException

        from assets.core.sources import SourceFileError  # imported here, like Polars in _frame_for

        release = latest_landed(warehouse.paths.raw_dir)
        if release is None:
            return dg.AssetCheckResult(passed=False, description="no release has been landed yet")
        path = release.path / getattr(source.files, role)
        try:
            frame = _frame_for(role, path)
        except (SourceFileError, duckdb.Error, OSError, ArrowException) as exc:
            return dg.AssetCheckResult(passed=False, description=f"{path.name}: cannot be read ({exc})")
        report = validate_frame(
            suite, frame, source_label=path.name, row_offset=ROW_OFFSET[role], **_sheet_positions(role, frame)
        )
        return dg.AssetCheckResult(
            passed=report.success,
            description=None if report.success else report.failure_message(),
            metadata={"release_id": release.release_id, **report.to_metadata()},
        )

    return check


raw_file_checks = [_raw_file_check(role) for role in ("bds", "dictionary", "councils", "neighbours")]


@dg.asset_check(
    asset=INSPECTIONS_KEY,
    name="inspections_file_valid",
    blocking=True,
    description="Each landed inspections file can be read (either layout) and passes expectations/raw_inspections.json, "
    "its councils checked against the council list of the landed LAIT release.",
)
def inspections_file_valid(warehouse: WarehouseResource, source: ReleaseSourceResource) -> dg.AssetCheckResult:
    from assets.inspections.read import InspectionFileError
    from assets.inspections.values import GRADES, INSPECTION_TYPES

    landed = latest_inspections(warehouse.paths.raw_dir)
    if landed is None:
        return dg.AssetCheckResult(passed=True, description="no inspections are configured (PEERDATA_INSPECTIONS)")
    release = latest_landed(warehouse.paths.raw_dir)
    if release is None:
        return dg.AssetCheckResult(passed=False, description="no LAIT release has been landed: no council list to check against")
    parameters = {
        "council_codes": _council_codes(release.path / source.files.councils),
        "grades": list(GRADES),
        "inspection_types": list(INSPECTION_TYPES),
    }
    messages, blocking, metadata = [], False, {"landing_id": landed.release_id, "release_id": release.release_id}
    for path in landed_files(landed):
        try:
            report = _inspections_report(path, parameters)
        except InspectionFileError as exc:
            messages.append(str(exc))
            blocking = True
            continue
        if not report.success:
            messages.append(report.failure_message())
            blocking = blocking or bool(report.blocking_failures)
        metadata |= {f"{path.name}: {key}": value for key, value in report.to_metadata().items()}
    # Only a blocking failure stops the run; warnings fail the check with WARN severity, which does not.
    return dg.AssetCheckResult(
        passed=not messages,
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        description="\n\n".join(messages) or None,
        metadata=metadata,
    )


def _inspections_report(path: Path, parameters: dict):
    """The file validated by the suite, its failures named by the file's own rows and columns."""
    from assets.inspections.read import COLUMNS, read_inspection_file

    read = read_inspection_file(path)
    frame = read.frame.select(*COLUMNS, "dates_read")
    renamed = {c: [read.file_column(c)] * frame.height for c in COLUMNS if read.file_column(c) != c}
    return validate_frame(
        "raw_inspections", frame, source_label=path.name,
        row_numbers=read.frame["source_row"].to_list(), cell_columns=renamed, parameters=parameters,
    )


def _council_codes(councils_file: Path) -> list[str]:
    """The LA codes of the councils (current and abolished) in a landed council list, as text."""
    from assets.core.build import load_area_succession
    from assets.core.sources import load_councils
    from assets.sources.load import COUNCIL_LIST_SQL

    con = duckdb.connect()
    con.execute("CREATE SCHEMA src")
    load_councils(con, councils_file)
    load_area_succession(con)
    return [str(code) for (code, *_) in con.execute(COUNCIL_LIST_SQL.read_text()).fetchall()]
