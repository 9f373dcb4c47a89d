"""The landed release as a Dagster asset, with a validation check on each of its files."""

from pathlib import Path

import dagster as dg
import duckdb

from assets.core.build import published_release_id
from assets.inputs import LAIT_INPUT, built_from_version, last_version
from assets.raw.landing import LandingError, land_release, latest_landed
from assets.validation.gx_suites import validate_frame
from pipeline.resources import ReleaseSourceResource, WarehouseResource

RELEASE_KEY = dg.AssetKey(["raw", "lait_release"])
CORE_MARKER = dg.AssetKey(["core", "fact_indicator_value"])  # materialized by every core publish
# What to add to a frame position to give the row a person finds in the file (header = row 1).
# The neighbour sheet is reshaped to one row per link, so its rows carry their sheet row and the
# sheet columns of their cells instead (``_sheet_positions``).
ROW_OFFSET = {"bds": 1, "dictionary": 2, "councils": 2, "neighbours": 0}


class LandingConfig(dg.Config):
    """``force``: rebuild from the landed release even when it is already the published one."""

    force: bool = False


@dg.asset(
    key=RELEASE_KEY,
    deps=[LAIT_INPUT],
    group_name="raw",
    kinds={"python", "file"},
    owners=["team:peerdata"],
    output_required=False,
)
def lait_release(
    context: dg.AssetExecutionContext,
    config: LandingConfig,
    warehouse: WarehouseResource,
    source: ReleaseSourceResource,
):
    """The LAIT release files as landed under ``data/raw/<release_id>/``.

    Fetches the four files (long data set, data dictionary, statistical neighbours, council
    list) from ``PEERDATA_SOURCE`` (a folder or a base URL), checks each is the kind of file
    it should be (not empty, not an HTML error page), and keeps them with a SHA-256
    manifest. A release whose hashes equal the last landed one is not landed again, and when
    it is also the release already published in the warehouse (and was built from the version
    of ``inputs/lait_release`` last observed) nothing is materialized, so nothing downstream is
    rebuilt (set ``force`` to rebuild anyway).
    """
    try:
        release = land_release(source.source, warehouse.paths.raw_dir, source.files)
    except LandingError as exc:
        raise dg.Failure(description=str(exc)) from exc
    if (not release.newly_landed and not config.force and release.release_id == _published_release(warehouse)
            and not _input_observed_since(context)):
        behind = _built_before_core(context)
        if not behind:
            context.log.info(f"release {release.release_id} is unchanged and already published: nothing to rebuild")
            return
        context.log.info(f"release {release.release_id} is published, but these were last built before it: {behind}")
    context.log.info(
        f"release {release.release_id} {'landed' if release.newly_landed else 'unchanged, not landed again'}"
    )
    yield dg.MaterializeResult(
        metadata={
            "release_id": release.release_id,
            "newly_landed": release.newly_landed,
            "source": source.source,
            "path": dg.MetadataValue.path(str(release.path)),
            "files": dg.MetadataValue.json(release.manifest["files"]),
        }
    )


def _input_observed_since(context: dg.AssetExecutionContext) -> bool:
    """Whether an input of this asset was observed with another version than it was last built from."""
    for key in context.assets_def.specs_by_key[RELEASE_KEY].deps:
        observed = last_version(context.instance, key.asset_key)
        if observed is not None and observed != built_from_version(context.instance, RELEASE_KEY, key.asset_key):
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


def _published_release(warehouse: WarehouseResource) -> str | None:
    if not Path(warehouse.warehouse_path).exists():
        return None
    with warehouse.connect(read_only=True) as con:
        return published_release_id(con)


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
