"""Whether the first iteration's early-warning score may carry a national rank: only where the
registered selection (``marts.risk_model_selection``) chose it with a cross-validated AUC of at
least 0.75 (docs/methods.md, "Inspection-risk signal: pre-registration"). Never without that table.
"""

from __future__ import annotations

import duckdb

SCORE_CANDIDATE = "current_score"


def score_cv_auc(con: duckdb.DuckDBPyConnection) -> tuple[float | None, bool]:
    """(the score's cross-validated AUC, whether a national rank of it may be shown)."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'marts' "
                         "AND table_name = 'risk_model_selection'").fetchall()[0][0]
    if not exists:
        return None, False
    row = con.execute("SELECT cv_auc, is_chosen FROM marts.risk_model_selection WHERE candidate = ?",
                      [SCORE_CANDIDATE]).fetchall()
    if not row:
        return None, False
    cv_auc, chosen = row[0]
    return cv_auc, bool(chosen) and cv_auc >= 0.75
