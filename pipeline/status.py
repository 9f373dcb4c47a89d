"""``peerdata status``: what release is loaded, when, how big, and which checks last failed."""

from __future__ import annotations

from assets.core.inspection_coverage import inspection_coverage
from base.site import lag_lines
from base.settings import Paths
from base.warehouse import WarehouseFile, table_names


def print_status(paths: Paths) -> int:
    if not paths.warehouse.exists():
        print(f"no warehouse yet at {paths.warehouse}: run `peerdata materialize`")
        return 1
    with WarehouseFile(home=paths.home, path=paths.warehouse).connect(read_only=True) as con:
        tables = sorted(table_names(con, "core", "marts"))
        history = con.execute(
            "SELECT release_id, published_at FROM core.release_history ORDER BY published_at DESC LIMIT 1"
        ).fetchall()
        if history:
            release_id, published_at = history[0]
            print(f"release loaded: {release_id} (published into the warehouse {published_at:%Y-%m-%d %H:%M %Z})")
        if "core.inspection_source" in tables:
            for landing_id, files in con.execute(
                "SELECT any_value(landing_id), string_agg(file, ', ' ORDER BY file_rank) FROM core.inspection_source"
            ).fetchall():
                print(f"inspections loaded: {landing_id} ({files})" if landing_id else "inspections: none configured")
        if (line := inspection_coverage_line(con)) is not None:
            print(line)
        for line in lag_lines(paths.profiles_dir, history[0][0] if history else None):
            print(line)
        # The release the marts compare with: absent before the first publish, empty before a
        # second, different release, unchanged by re-publishing the same one.
        if "core.previous_release" in tables:
            for (previous,) in con.execute("SELECT release_id FROM core.previous_release LIMIT 1").fetchall():
                print(f"previous release: {previous}")
        if "marts.release_changes" in tables:
            print_change_counts(con)
        for table in tables:
            count = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            print(f"  {table:40s} {count:>9,} rows")
    print_failed_checks()
    return 0


# The kinds of marts.release_changes in the order `status` counts them (docs/methods.md).
CHANGE_KINDS = ("new_indicator", "dropped_indicator", "new_period", "dropped_period", "relabelled_period",
                "period_status_changed", "revised_value", "precision_changed", "concern_raised", "concern_cleared",
                "strength_raised", "strength_cleared")


def print_change_counts(con) -> None:
    """What changed since the previous release, counted by kind (every kind, zeros included)."""
    counts = dict(con.execute("SELECT change, count(*) FROM marts.release_changes GROUP BY change").fetchall())
    if not counts:
        return
    print("changes since the previous release:")
    for kind in (*CHANGE_KINDS, *sorted(set(counts) - set(CHANGE_KINDS))):
        print(f"  {kind:40s} {counts.get(kind, 0):>9,}")


def inspection_coverage_line(con) -> str | None:
    """How far the inspections file reaches, with a warning when it is over six months older than
    the LAIT release (``inspection_coverage``); None without inspections."""
    coverage = inspection_coverage(con)
    if coverage is None:
        return None
    warning = coverage.warning()
    return f"inspections cover: {coverage.sentence()}" + (f"  WARNING: {warning}" if warning else "")


def latest_evaluations(instance, check_keys) -> dict:
    """The latest *evaluated* execution of each check (passed or failed): a run in which a check
    was planned but skipped, or is still running, does not hide its last real result."""
    from dagster._core.storage.asset_check_execution_record import COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES

    latest = {}
    for key in check_keys:
        records = instance.event_log_storage.get_asset_check_execution_history(
            key, limit=1, status=COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES)
        if records and records[0].evaluation:
            latest[key] = records[0]
    return latest


def print_failed_checks() -> None:
    """The latest evaluation of every asset check recorded in the Dagster instance, if failed."""
    import os

    import dagster as dg

    if not os.environ.get("DAGSTER_HOME"):
        print("checks: DAGSTER_HOME is not set, no run history to read")
        return
    from pipeline.definitions import defs
    from pipeline.progress import check_state, plural

    with dg.DagsterInstance.get() as instance:
        check_keys = defs.resolve_asset_graph().asset_check_keys
        records = latest_evaluations(instance, check_keys)
        states = {
            key.to_user_string(): (check_state(False, record.evaluation.severity), record.evaluation.description)
            for key, record in records.items() if not record.evaluation.passed
        }
        print_council_files(instance)
    failed = sum(state == "FAILED" for state, _ in states.values())
    print(f"checks: {len(records)} evaluated, {failed} failed, {plural(len(states) - failed, 'warning')}")
    for key, (state, description) in sorted(states.items()):
        print(f"  {state:8s} {key}")
        if description:
            print(f"           {' '.join(description.split())}")


def print_council_files(instance) -> None:
    """How many current councils have their page and their PDF materialized (Dagster's record):
    a PDF skipped for want of Chromium is not counted."""
    from assets.profiles.assets import COUNCIL_PAGE, COUNCIL_PDF
    from assets.profiles.partitions import council_partitions

    councils = set(instance.get_dynamic_partitions(council_partitions.name))
    if not councils:
        return
    built = {key: len(instance.get_materialized_partitions(key) & councils) for key in (COUNCIL_PAGE, COUNCIL_PDF)}
    hint = ""
    if built[COUNCIL_PDF] < len(councils):
        from assets.profiles.pdf import find_chromium

        hint = (" (no Chromium here: `make run` installs it as root, or set PEERDATA_CHROMIUM)" if find_chromium() is None
                else " (`peerdata materialize` without --no-pdf builds them)")
    print(f"council pages: {built[COUNCIL_PAGE]} of {len(councils)} councils materialized; "
          f"PDF profiles: {built[COUNCIL_PDF]} of {len(councils)}{hint}")
