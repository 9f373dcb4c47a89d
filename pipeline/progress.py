"""A plain summary of a finished in-process run: what was materialized, which checks failed."""

from __future__ import annotations

import dagster as dg


def check_state(passed: bool, severity: dg.AssetCheckSeverity) -> str:
    """'passed', 'FAILED', or 'warning' for a failed check that does not block (WARN severity)."""
    if passed:
        return "passed"
    return "warning" if severity == dg.AssetCheckSeverity.WARN else "FAILED"


def print_run_summary(result: dg.ExecuteInProcessResult) -> None:
    for event in result.get_asset_materialization_events():
        mat = event.step_materialization_data.materialization
        rows = mat.metadata.get("dagster/row_count")
        print(f"  materialized {mat.asset_key.to_user_string():40s}" + (f" {rows.value:>9,} rows" if rows else ""))
    for evaluation in result.get_asset_check_evaluations():
        check = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        print(f"  check {check:75s} {check_state(evaluation.passed, evaluation.severity)}")
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.user_failure_data:
            print(f"\nstep {event.step_key} failed:\n{event.step_failure_data.user_failure_data.description}")
    if result.success and not result.get_asset_materialization_events():
        print("nothing to rebuild: the release is unchanged and already published (use --force to rebuild)")
    print("run succeeded" if result.success else "run FAILED")
