"""Validate in-memory frames against Great Expectations suites kept as JSON files.

A suite lives in ``expectations/<name>.json`` in GX Core 1.x's own serialized form::

    {"name": "raw_bds",
     "notes": "what the suite guards",
     "expectations": [
        {"type": "expect_column_values_to_not_be_null",
         "kwargs": {"column": "Years"},
         "meta": {"blocking": true, "why": "every value needs a period"}}]}

``meta.blocking`` (default true) says whether a failure should stop the pipeline; a
non-blocking failure is a warning. ``meta.why`` is quoted in failure messages. A value known
only when the suite runs (e.g. the council codes of the landed council list) is written as a GX
suite parameter, ``{"$PARAMETER": "council_codes"}``, and given to ``validate_frame``.

GX is imported lazily (it takes seconds) with analytics off, and runs in one ephemeral
context per process with a pandas data source: nothing is written to disk.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import Any

from assets.validation.frames import batches

REPO_ROOT = Path(__file__).resolve().parents[2]
SUITES_DIR = REPO_ROOT / "expectations"
SAMPLE_SIZE = 5

# BASIC returns the unexpected counts and the first SAMPLE_SIZE unexpected values; SUMMARY also
# their rows (index), for more GX work per expectation, so it is asked only of the expectations
# that have unexpected values. Neither materialises every unexpected value as COMPLETE would.
_COUNTS = {"result_format": "BASIC", "partial_unexpected_count": SAMPLE_SIZE}
_ROWS = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
# The batch definition's execution engine holds one batch at a time: validate one frame at a time.
_LOCK = threading.Lock()

# How a failed row-level expectation reads: "column X has 3 <phrase>".
_ROW_PHRASES = {
    "expect_column_values_to_not_be_null": "missing values",
    "expect_column_values_to_be_null": "values that should be empty",
    "expect_column_values_to_be_in_set": "values outside the allowed set {value_set}",
    "expect_column_values_to_match_regex": "values not matching {regex}",
    "expect_column_values_to_match_regex_list": "values matching none of {regex_list}",
    "expect_column_values_to_match_strftime_format": "values that are not dates written {strftime_format}",
    "expect_column_values_to_be_unique": "values that occur more than once",
    "expect_column_values_to_be_between": "values outside {min_value}..{max_value}",
    "expect_column_values_to_be_in_type_list": "values not of type {type_list}",
    "expect_compound_columns_to_be_unique": "rows sharing the same key",
    "expect_select_column_values_to_be_unique_within_record": (
        "rows where these columns hold the same value"
    ),
    "expect_column_pair_values_a_to_be_greater_than_b": "rows where {column_A} is before {column_B}",
}


@dataclass
class ExpectationOutcome:
    """The result of one expectation, reduced to what a person needs to act on it.

    ``sample`` holds up to five ``(row, value)`` pairs for the first unexpected rows: row
    is the frame position plus the caller's ``row_offset``; value is the cell, or a dict
    of cells for multi-column expectations. ``column`` names the checked columns, or for
    a frame reshaped from its file the file columns of the sampled cells. ``error`` is set
    when GX could not evaluate the expectation (for example its column is missing).
    """

    expectation_type: str
    column: str | None
    success: bool
    blocking: bool
    unexpected_count: int | None
    unexpected_percent: float | None
    sample: list[tuple[int | None, Any]]
    observed: Any
    kwargs: dict
    why: str = ""
    condition: str | None = None
    error: str | None = None

    def evidence(self) -> str:
        """Short proof of a failure: sample rows, missing columns, observed value or error."""
        if self.success:
            return ""
        if self.error:
            return f"could not be evaluated: {self.error.rstrip('.')}"
        if self.expectation_type == "expect_table_columns_to_match_set":
            missing = sorted(set(self.kwargs["column_set"]) - set(self.observed or []))
            return f"missing {_show_list(missing)}"
        if self.sample:
            shown = ", ".join(
                f"row {row} {_show(value)}" if row is not None else _show(value)
                for row, value in self.sample
            )
            return shown + (", ..." if (self.unexpected_count or 0) > len(self.sample) else "")
        return f"observed {_show(self.observed)}"

    def describe(self, source_label: str) -> str:
        """One readable paragraph saying what failed, where, how often and on which rows."""
        if self.column is None:
            target = "table"
        else:
            target = f"columns ({self.column})" if "," in self.column else f"column {self.column}"
        if self.error:
            text = f"{target}: {self.expectation_type} {self.evidence()}"
        elif self.expectation_type == "expect_table_columns_to_match_set":
            text = f"required columns are {self.evidence()}"
        elif self.unexpected_count is not None:
            template = _ROW_PHRASES.get(
                self.expectation_type, f"rows failing {self.expectation_type}"
            )
            shown = _ShownKwargs((k, _show(v)) for k, v in self.kwargs.items())
            phrase = template.format_map(shown)
            where = f" among rows where {self.condition}" if self.condition else ""
            percent = f"{self.unexpected_percent:.3g}% of rows; " if self.unexpected_percent else ""
            text = (
                f"{target} has {self.unexpected_count} {phrase}{where} "
                f"({percent}sample: {self.evidence()})"
            )
        else:
            settings = ", ".join(
                f"{k}={_show(v)}" for k, v in self.kwargs.items() if k != "column"
            )
            text = f"{target} failed {self.expectation_type} ({settings}); {self.evidence()}"
        prefix = "" if self.blocking else "Warning (non-blocking): "
        why = f" Why it matters: {self.why}." if self.why else ""
        return f"{prefix}{source_label}: {text}.{why}"


@dataclass
class ValidationReport:
    """All outcomes of one suite run on one frame; ``success`` is true when all passed."""

    suite: str
    source_label: str
    success: bool
    outcomes: list[ExpectationOutcome]

    @property
    def failures(self) -> list[ExpectationOutcome]:
        """Every failed expectation, blocking or not."""
        return [o for o in self.outcomes if not o.success]

    @property
    def blocking_failures(self) -> list[ExpectationOutcome]:
        """Failed expectations marked blocking: these should stop the pipeline."""
        return [o for o in self.failures if o.blocking]

    def failure_message(self) -> str:
        """One paragraph per failed expectation, blocking ones first."""
        if self.success:
            return (
                f"{self.source_label}: all {len(self.outcomes)} expectations "
                f"of suite {self.suite} passed."
            )
        ordered = sorted(self.failures, key=lambda o: not o.blocking)
        return "\n\n".join(o.describe(self.source_label) for o in ordered)

    def to_metadata(self) -> dict:
        """Counts and a markdown table of every expectation, as Dagster metadata values."""
        from dagster import MetadataValue

        failures = self.failures
        return {
            "suite": MetadataValue.text(self.suite),
            "source": MetadataValue.text(self.source_label),
            "expectations": MetadataValue.int(len(self.outcomes)),
            "passed": MetadataValue.int(len(self.outcomes) - len(failures)),
            "failed": MetadataValue.int(len(failures)),
            "blocking_failures": MetadataValue.int(len(self.blocking_failures)),
            "unexpected_rows": MetadataValue.int(sum(o.unexpected_count or 0 for o in failures)),
            "results": MetadataValue.md(self._markdown_table()),
        }

    def _markdown_table(self) -> str:
        lines = [
            "| # | expectation | column | result | unexpected | sample |",
            "|---|---|---|---|---|---|",
        ]
        for number, o in enumerate(self.outcomes, start=1):
            if o.success:
                status = "pass"
            elif o.error:
                status = "ERROR"
            else:
                status = "FAIL" if o.blocking else "warn"
            cells = [
                str(number),
                o.expectation_type,
                o.column or "(table)",
                status,
                "" if o.unexpected_count is None else str(o.unexpected_count),
                o.evidence(),
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(lines)


def load_suite(name: str) -> dict:
    """Read ``expectations/<name>.json`` as a plain dict."""
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def validate_frame(
    suite_name: str,
    frame: Any,
    source_label: str,
    row_offset: int = 1,
    row_numbers: Sequence[int] | None = None,
    cell_columns: Mapping[str, Sequence[str]] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> ValidationReport:
    """Validate a pandas or polars frame, or an Arrow table, against the named suite.

    ``source_label`` names what was validated (a file path or a table such as
    ``core.dim_area``). Row numbers in samples are the frame position plus
    ``row_offset``: 1 numbers data rows from 1; 2 gives the line of a file with one
    header row (row 2 is the first data row). For frames reshaped from their file,
    ``row_numbers`` holds the file row of each frame position instead, and
    ``cell_columns`` maps a frame column to the file column holding each position's
    cell, so that a failure names the columns a person finds in the file.
    GX validates the expectations sharing a row condition together, on the columns they
    read (``frames.batches``). ``parameters`` gives the suite parameters its expectations name.
    """
    spec = load_suite(suite_name)
    configurations = _configurations(suite_name, spec)
    by_position = {}
    for positions, part in batches(spec["expectations"], frame):
        by_position |= _results(part, suite_name, [configurations[i] for i in positions], parameters)
    outcomes = [
        _outcome(entry, by_position[i], row_offset, row_numbers, cell_columns or {})
        for i, entry in enumerate(spec["expectations"])
    ]
    return ValidationReport(
        suite=suite_name,
        source_label=source_label,
        success=all(o.success for o in outcomes),
        outcomes=outcomes,
    )


def _results(
    frame: Any, name: str, configurations: list, parameters: Mapping[str, Any] | None = None
) -> dict[int, Any]:
    """GX's result of each expectation on a pandas frame, by position in the suite: counts for
    all, then again with rows for those with unexpected values (see ``_COUNTS``)."""
    by_position = _validate(frame, _suite(name, configurations), _COUNTS, parameters)
    unexpected = [c for c in configurations if (by_position[int(c.id)].result or {}).get("partial_unexpected_list")]
    if unexpected:
        by_position |= _validate(frame, _suite(name, unexpected), _ROWS, parameters)
    return by_position


def _validate(frame: Any, suite, result_format: dict, parameters: Mapping[str, Any] | None = None) -> dict[int, Any]:
    """Run a GX suite on a pandas frame through the process-wide batch definition; results by id.

    The validator loads (and fingerprints) the frame once; ``Batch.validate`` would load it twice.
    """
    from great_expectations.validator.v1_validator import Validator

    validator = Validator(
        batch_definition=_batch_definition(),
        batch_parameters={"dataframe": frame},
        result_format=result_format,
    )
    with _LOCK:
        result = validator.validate_expectation_suite(suite, dict(parameters) if parameters else None)
    return {int(r.expectation_config.id): r for r in result.results}


@lru_cache(maxsize=1)
def _batch_definition():
    """The process-wide GX batch definition over an in-memory pandas frame."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("peerdata").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole")


def _configurations(name: str, spec: dict) -> list:
    """The GX configuration of each expectation of a suite dict; its id is its position in the file.

    GX silently drops expectations it cannot build, so each one is built first to
    raise a ValueError naming the faulty entry instead.
    """
    _batch_definition()  # imports GX and opens the context suites need
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    configs = []
    for i, entry in enumerate(spec["expectations"]):
        config = ExpectationConfiguration(**{**entry, "id": str(i)})
        try:
            config.to_domain_obj()
        except Exception as error:
            raise ValueError(
                f"suite {name}, expectation {i} ({entry.get('type')}): {error}"
            ) from error
        configs.append(config)
    return configs


def _suite(name: str, configurations: list):
    """A GX suite of some expectation configurations of the suite ``name``."""
    import great_expectations as gx

    return gx.ExpectationSuite(name=name, expectations=configurations)


def _outcome(
    entry: dict,
    result,
    row_offset: int,
    row_numbers: Sequence[int] | None,
    cell_columns: Mapping[str, Sequence[str]],
) -> ExpectationOutcome:
    """Reduce one GX validation result to an ExpectationOutcome."""
    from great_expectations.expectations.row_conditions import deserialize_row_condition

    kwargs = entry.get("kwargs", {})
    meta = entry.get("meta", {})
    details = result.result or {}
    values = details.get("partial_unexpected_list") or []
    index = [int(i) for i in details.get("partial_unexpected_index_list") or []]
    if len(index) == len(values):
        rows = [int(row_numbers[i]) if row_numbers is not None else i + row_offset for i in index]
    else:
        rows = [None] * len(values)
    columns = kwargs.get("column_list") or [
        kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs
    ]
    if kwargs.get("column") in cell_columns and index and len(index) == len(values):
        columns = _file_columns(cell_columns[kwargs["column"]], index, details.get("unexpected_count"))
    condition = kwargs.get("row_condition")
    return ExpectationOutcome(
        expectation_type=entry["type"],
        column=", ".join(columns) or None,
        success=bool(result.success),
        blocking=bool(meta.get("blocking", True)),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        sample=[(row, _plain(value)) for row, value in zip(rows, values)],
        observed=_plain(details.get("observed_value")),
        kwargs=kwargs,
        why=meta.get("why", ""),
        condition=repr(deserialize_row_condition(condition)) if condition else None,
        error=_exception_message(result.exception_info),
    )


def _file_columns(by_position: Sequence[str], index: list[int], unexpected: int | None) -> list[str]:
    """The file columns of the sampled cells, in order; "..." when more rows failed than
    were sampled (their columns are not known)."""
    columns = list(dict.fromkeys(str(by_position[i]) for i in index))
    return columns + ["..."] if (unexpected or 0) > len(index) else columns


def _exception_message(info: dict | None) -> str | None:
    """The first exception message in GX's exception_info (flat or keyed by metric)."""
    if not info:
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info["raised_exception"] else None
    messages = (_exception_message(v) for v in info.values() if isinstance(v, dict))
    return next((m for m in messages if m), None)


def _plain(value: Any) -> Any:
    """Numpy scalars to python and NaN/NA/NaT to None, recursively through lists and dicts."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    import pandas as pd

    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def _show(value: Any) -> str:
    """A short human rendering of a cell: strings quoted, nulls as (empty)."""
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        return f"the {value['$PARAMETER']} given to the suite"
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k}={_show(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list):
        return _show_list(value)
    return str(value)


def _show_list(values: list) -> str:
    return "[" + ", ".join(_show(v) for v in values) + "]"


class _ShownKwargs(dict):
    """Rendered expectation kwargs for phrase templates; an absent bound reads "any"."""

    def __missing__(self, key: str) -> str:
        return "any"
