"""The dbt unit tests of the rules (``unit_tests`` in ``assets/dbt/models/**/<model>.yml``).

Each gives a model hand-made input rows and the output rows worked out by hand in the YAML's
comments: the signal rule and its noise unit on four councils (a concern, a strength, close to
England, worse but not falling further; the pandemic years skipped), the noise by council size
(a small council's fall within its own noise, a large council's beyond it), and a small council that
is never judged. They need no data: dbt runs them on an empty DuckDB file. (The marts' runs leave
them out: ``assets/marts/assets.py``.)
"""

from __future__ import annotations

import json
import subprocess

from assets.dbt_project import DBT_EXECUTABLE, PROJECT_DIR, dbt_env
from assets.marts.dbt_plugin import DATABASE_ENV


def test_the_rules_unit_tests_pass_on_hand_made_rows(tmp_path):
    result = subprocess.run(
        [DBT_EXECUTABLE, "test", "--select", "test_type:unit", "--project-dir", str(PROJECT_DIR),
         "--target-path", str(tmp_path / "target")],
        env=dbt_env(**{DATABASE_ENV: str(tmp_path / "warehouse.duckdb")}), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    results = [r for r in json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
               if r["unique_id"].startswith("unit_test.")]  # not the on-run-start hook
    passed = {r["unique_id"].split(".")[-1] for r in results if r["status"] == "pass"}
    assert {"signal_rule_by_hand_concern_strength_pandemic_skipped", "signal_rule_noise_by_council_size_by_hand",
            "series_signal_small_council_cannot_be_judged", "self_evaluation_check_by_hand_stable_masking_a_decline"} <= passed
    assert len(passed) == len(results)
