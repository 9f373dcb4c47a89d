"""What a failed ``peerdata materialize`` left behind, told truthfully at the end of the run.

A run can fail before anything is published (the warehouse is unchanged), or after the core
model was published (a mart, a check or a page failed): then the warehouse holds the new
release while the pages still show the one they were built from (``base.site``).
"""

from __future__ import annotations

from assets.core.build import published_release_id
from base.site import lag_lines
from base.warehouse import WarehouseFile


def warehouse_state(warehouse: WarehouseFile) -> tuple[str | None, object]:
    """(the release the warehouse holds, when it was last published); (None, None) before any."""
    if not warehouse.path.exists():
        return None, None
    with warehouse.connect(read_only=True) as con:
        held = published_release_id(con)
        published_at = con.execute("SELECT max(published_at) FROM core.release_history").fetchall()[0][0] if held else None
    return held, published_at


def failed_run_outcome(warehouse: WarehouseFile, before: tuple[str | None, int]) -> list[str]:
    """Lines saying which release the warehouse holds now, which the pages show, and what to run."""
    held, published_at = warehouse_state(warehouse)
    if (held, published_at) == before:
        lines = ["the warehouse is unchanged: " + (f"it still holds release {held}" if held else "nothing is published yet")]
    else:
        lines = [f"the warehouse now holds release {held}: this run published it before the failure"]
    lines += lag_lines(warehouse.paths.profiles_dir, held)
    return lines + ["fix the cause shown above, then run `peerdata materialize` again"]
