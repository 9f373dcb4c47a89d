"""Fuzzing the release: Hypothesis corrupts small copies of the real files and every outcome must
keep the failure contract (docs/operations.md, "The failure contract"):

- refused: a ``LandingError`` or ``SourceFileError``, or a build whose blocking checks failed,
  whose message names the corrupted file (and its row and column where the corruption has one),
  with the warehouse exactly as it was; or
- loaded: every published value exactly what the file says (``expected`` below states the rule
  independently of the SQL) and no data row lost;
- never any other exception (in a run that would be a traceback on the console).

Each case lands a corrupted copy of a tiny release (a few indicators and councils of the real
``current`` release, built at test time, never committed) and builds, checks and publishes the
core model in process (``build_check_publish``) into a copy of a warehouse holding the tiny
release: one to three seconds a case on a shared 2-core machine. Each test runs as many cases as
draw every kind of corruption it knows at least once (``fuzz``: 25, or 10 for the two slowest),
``PEERDATA_FUZZ_EXAMPLES`` sets another number for every test; the few end-to-end cases on the real
files, pages included, are in ``test_faults_values.py``.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assets.core.checked_build import build_check_publish
from assets.core.sources import SourceFileError
from assets.raw.landing import LandingError, land_release
from assets.sources.config import LocalSource
from base.settings import ReleaseFiles
from pipeline.validate_local import local_problems
from tiny_release import write_tiny_release

FILES = ReleaseFiles()
BDS, DICTIONARY, COUNCILS, NEIGHBOURS = FILES.bds, FILES.dictionary, FILES.councils, FILES.neighbours


def fuzz(examples: int) -> settings:
    """Derandomized (the same cases on every run) with ``examples`` cases, or as many as
    ``PEERDATA_FUZZ_EXAMPLES`` says. Each test's count draws every kind of corruption its strategy
    knows at least once, as ``hypothesis.event`` counts them (``pytest -p no:cacheprovider
    --hypothesis-show-statistics``; the counts are in a comment above each test): 25, or 10 for the
    two slowest tests, whose first 10 cases already do. A change to a test's code (comments aside)
    changes its cases: count again after one."""
    return settings(max_examples=int(os.environ.get("PEERDATA_FUZZ_EXAMPLES", examples)), deadline=None,
                    database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

# The rule a value text follows, written out independently of assets/dbt/macros/value_rules.sql:
# ASCII white space around it is ignored; a plain decimal number (sign, digits, point, exponent)
# is read as that number when it is 0 or between 1e-15 and 1e15 in size; a published symbol
# gets its status; anything else is refused.
SYMBOLS = {"-": "not_available", "c": "confidential", "x": "unavailable", "z": "not_applicable",
           "low": "rounds_to_zero", "u": "low_reliability", "k": "low_figure", "..": "not_recorded"}
DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
REFUSED = "refused"


def expected(text: str | None) -> tuple[str, float | None] | str:
    """(value_status, value) a published cell must have, or REFUSED."""
    if text is None:
        return REFUSED
    cell = text.strip(" \t\n\r\f")
    if DECIMAL.fullmatch(cell):
        number = float(cell)
        mantissa = re.split("[eE]", cell)[0]
        if (number == 0 and not re.search("[1-9]", mantissa)) or 1e-15 <= abs(number) <= 1e15:
            return "ok", number
        return REFUSED
    return (SYMBOLS[cell.lower()], None) if cell.lower() in SYMBOLS else REFUSED


# --- the tiny release and its published warehouse -----------------------------------------------


@dataclass(frozen=True)
class Tiny:
    release: Path  # the tiny release's four files
    warehouse: Path  # a warehouse with the tiny release published
    state: tuple  # warehouse_state(warehouse)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, lait) -> Tiny:
    root = tmp_path_factory.mktemp("fuzz")
    release = write_tiny_release(lait / "current", root / "release")
    warehouse = root / "warehouse.duckdb"
    outcome = build_case(release, root / "base", warehouse)
    assert outcome.published, outcome.message
    return Tiny(release, warehouse, warehouse_state(warehouse))


@dataclass(frozen=True)
class Outcome:
    published: bool
    message: str  # what the user is told when refused


def build_case(release: Path, scratch: Path, warehouse: Path, sources=()) -> Outcome:
    """Land ``release`` and build, check and publish it into ``warehouse``, as the pipeline does.
    Any exception other than the two errors that name a file is left to fail the test."""
    try:
        landed = land_release(str(release), scratch / "raw", FILES)
        with duckdb.connect(str(warehouse)) as con:
            build = build_check_publish(con, landed.path, landed.release_id, FILES, sources)
    except (LandingError, SourceFileError) as exc:
        return Outcome(False, str(exc))
    return Outcome(build.published, "\n".join(o.message for o in build.outcomes if o.failed_blocking))


def warehouse_state(warehouse: Path) -> tuple:
    """Every core table, row for row (the tiny warehouse is small enough to compare whole)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'core' ORDER BY 1").fetchall()]
        return tuple(
            (t, con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM core.{t} AS x").fetchall()[0])
            for t in tables if t != "release_history"
        ) + (con.execute("SELECT list(release_id ORDER BY published_at) FROM core.release_history").fetchall()[0],)


@pytest.fixture
def case(tiny, tmp_path):
    """A fresh copy of the tiny release and of its warehouse for one generated case."""
    counter = iter(range(10**6))

    def new() -> tuple[Path, Path, Path]:
        folder = tmp_path / f"case{next(counter)}"
        shutil.copytree(tiny.release, folder / "release")
        shutil.copy(tiny.warehouse, folder / "warehouse.duckdb")
        return folder / "release", folder, folder / "warehouse.duckdb"

    return new


def assert_contract(tiny: Tiny, release: Path, folder: Path, warehouse: Path, file: str,
                    row: int | None = None, column: str | None = None) -> Outcome:
    """Refused naming ``file`` (and ``row``/``column``) with the warehouse unchanged, or published
    with every value as the file says."""
    outcome = build_case(release, folder, warehouse)
    if not outcome.published:
        assert file in outcome.message, outcome.message
        if row is not None:
            assert f"row {row}," in outcome.message or f"row {row} " in outcome.message, outcome.message
        if column is not None:
            assert column in outcome.message, outcome.message
        assert warehouse_state(warehouse) == tiny.state
    else:
        assert_values_as_the_file_says(release, warehouse)
    return outcome


def assert_values_as_the_file_says(release: Path, warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute("SELECT raw_value, value_status, value FROM core.fact_indicator_value").fetchall()
        kept = con.execute("SELECT count(*) FROM core.fact_indicator_value").fetchall()[0][0]
        quarantined = con.execute("SELECT count(*) FROM core.period_quarantine").fetchall()[0][0]
    for raw, status, value in facts:
        assert expected(raw) == (status, value), f"published {raw!r} as {status} {value!r}"
    assert kept + quarantined == pq.read_metadata(release / BDS).num_rows, "a data row was lost"


# --- value texts ---------------------------------------------------------------------------------

OUT_OF_RANGE = ["1e999", "-1e999", "1e309", "-1e309", "1e400", "1.8e308", "1e16", "-1e16", "1e-999", "1e-16",
                "9" * 400, "0." + "0" * 20 + "1"]
NOT_NUMBERS = ["inf", "-inf", "+inf", "Infinity", "nan", "NaN", "-nan", "0x1A", "0X1p3", "1,234", "1_000", "١٢",
               "１２", "12%", "£5", "1e", "e5", ".", "+", "1.2.3", "--1", "1 2", "\u00a012", "12\u2003", "<b>1</b>",
               "<script>alert(1)</script>"]
value_texts = st.one_of(
    st.sampled_from(OUT_OF_RANGE + NOT_NUMBERS + ["", " ", "\t", "0", "-0", "0e999", "00.000"]),
    st.sampled_from(list(SYMBOLS)).flatmap(lambda s: st.sampled_from([s, s.upper(), f" {s} ", f"\t{s}"])),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-1e15, max_value=1e15).map(str),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.text(max_size=12),
    st.none(),
)


def value_kind(text: str | None) -> str:
    """The kind of fault (or of good value) a drawn text is, for ``hypothesis.event``."""
    if text is None or not text.strip(" \t\n\r\f"):
        return "missing or blank"
    if text in OUT_OF_RANGE:
        return "out of range"
    if text in NOT_NUMBERS:
        return "not a number"
    outcome = expected(text)
    if outcome == REFUSED:
        return "other refused text"
    return "symbol" if outcome[1] is None else "number"


# Of 10 cases, those with a text of each kind (events): other refused text 5, number 4, out of
# range 3, missing or blank 2, symbol 2, not a number 1; 8 refused, 2 loaded. (25 cases drew every
# kind too, in 47 s instead of 25 s on the shared 2-core machine.)
@fuzz(10)
@given(data=st.data())
def test_value_texts_are_refused_by_cell_or_loaded_exactly(tiny, case, data):
    release, folder, warehouse = case()
    table = pq.read_table(release / BDS)
    values = table.column("Values").to_pylist()
    rows = data.draw(st.lists(st.integers(0, len(values) - 1), min_size=1, max_size=3, unique=True), label="rows")
    texts = data.draw(st.lists(value_texts, min_size=len(rows), max_size=len(rows)), label="texts")
    for row, text in zip(rows, texts):
        values[row] = text
    index = table.schema.get_field_index("Values")
    pq.write_table(table.set_column(index, "Values", pa.array(values, pa.string())), release / BDS)
    for text in texts:
        event(f"value: {value_kind(text)}")
    refused = [(row, text) for row, text in zip(rows, texts) if expected(text) == REFUSED]
    event("case: refused" if refused else "case: loaded")
    first = min(refused)[0] + 1 if refused else None  # parquet rows are numbered from 1
    outcome = assert_contract(tiny, release, folder, warehouse, BDS, first, "Values" if refused else None)
    assert outcome.published == (not refused), outcome.message


# --- columns: dropped, renamed, retyped ------------------------------------------------------------

BDS_COLUMNS = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region"]
DICTIONARY_COLUMNS = ["Measure_short", "Topic", "Measure", "Polarity", "dps", "Year_Type", "No_Quartile",
                      "Last Update", "Description"]
RETYPES = {"Values": pa.float64(), "LA Number": pa.string(), "Years": pa.int64(), "Short Desc": pa.int64(),
           "Region": pa.float64()}


# 25 cases: 7 renames, 6 dictionary drops, 4 dictionary renames, 4 drops, 4 retypes (at 15 no
# dictionary drop yet). Cheap: about 0.4 s a case, most refused at landing.
@fuzz(25)
@given(data=st.data())
def test_columns_dropped_renamed_or_retyped_are_refused_naming_the_file_or_loaded_exactly(tiny, case, data):
    release, folder, warehouse = case()
    change = data.draw(st.sampled_from(["drop", "rename", "retype", "dictionary drop", "dictionary rename"]))
    event(f"column: {change}")
    if change.startswith("dictionary"):
        frame = pl.read_csv(release / DICTIONARY, infer_schema=False)
        column = data.draw(st.sampled_from(DICTIONARY_COLUMNS), label="column")
        name = None
        if change == "dictionary drop":
            frame = frame.drop(column)
        else:
            name = data.draw(st.sampled_from([column.lower(), f"{column} ", f" {column}", column + "_2"]), label="name")
            frame = frame.rename({column: name})
        frame.write_csv(release / DICTIONARY)
        outcome = assert_contract(tiny, release, folder, warehouse, DICTIONARY, column=column)
        # every column drawn is required; a header read without the spaces around it is still that column
        assert not outcome.published or (name is not None and name.strip() == column)
        return
    table = pq.read_table(release / BDS)
    column = data.draw(st.sampled_from(BDS_COLUMNS if change != "retype" else list(RETYPES)), label="column")
    index = table.schema.get_field_index(column)
    if change == "drop":
        table = table.remove_column(index)
    elif change == "rename":
        # a name that differs from the column's (for 'Years', replacing spaces changes nothing)
        name = data.draw(st.sampled_from(sorted({column.lower(), column.upper(), f" {column}",
                                                 column.replace(" ", "_")} - {column})))
        table = table.rename_columns([name if i == index else n for i, n in enumerate(table.column_names)])
    else:  # what a publisher's tool does to a column it types: a cell that does not fit becomes null
        with duckdb.connect() as con:
            con.register("t", table)
            target = {"double": "DOUBLE", "string": "VARCHAR", "int64": "BIGINT"}[str(RETYPES[column])]
            table = con.sql(f'SELECT * REPLACE (TRY_CAST("{column}" AS {target}) AS "{column}") FROM t').to_arrow_table()
    pq.write_table(table, release / BDS)
    outcome = assert_contract(tiny, release, folder, warehouse, BDS, column=None if change == "retype" else column)
    assert outcome.published is False or change == "retype"


# --- whole files: truncated, emptied, re-encoded, replaced by HTML ----------------------------------

HTML = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


# 25 cases: 11 truncated, 4 garbage tails, 4 re-encoded, 3 emptied, 3 HTML; 10 of the facts file,
# 8 of the neighbours, 4 of the council list, 3 of the dictionary. Cheap: most refused at landing.
@fuzz(25)
@given(data=st.data())
def test_broken_files_are_refused_naming_the_file(tiny, case, data):
    release, folder, warehouse = case()
    name = data.draw(st.sampled_from([BDS, DICTIONARY, COUNCILS, NEIGHBOURS]), label="file")
    content = (release / name).read_bytes()
    change = data.draw(st.sampled_from(["truncate", "empty", "html", "re-encode", "garbage tail"]), label="change")
    event(f"file: {name}")
    event(f"change: {change}")
    if change == "truncate":
        content = content[: data.draw(st.integers(1, len(content) - 1), label="length")]
    elif change == "empty":
        content = b""
    elif change == "html":
        content = HTML
    elif change == "re-encode":
        if name == DICTIONARY:  # a spreadsheet saving the dictionary as UTF-16 or Windows-1252
            text = content.decode("utf-8").replace("Mortality", "Mortalité £", 1)
            content = text.encode(data.draw(st.sampled_from(["utf-16", "cp1252", "latin-1"])), errors="replace")
        else:  # a binary file saved as text
            content = content.decode("latin-1").encode("utf-16")
    else:
        content += data.draw(st.binary(min_size=1, max_size=64), label="tail")
    (release / name).write_bytes(content)
    outcome = assert_contract(tiny, release, folder, warehouse, name)
    if change in ("empty", "html"):
        assert not outcome.published


# --- rows: duplicated, removed; keys unknown ------------------------------------------------------------

KEY_COLUMNS = {"LA Number": st.one_of(st.integers(-10, 10**6).map(float), st.sampled_from([1e999, float("nan")])),
               "Short Desc": st.text(min_size=1, max_size=8),
               "Years": st.one_of(st.text(max_size=9), st.sampled_from(["2099", "1800", "2024-99", "0"])),
               "LA and Regions": st.text(max_size=12)}


# 25 cases (and 1 invalid): 12 unknown keys (7 Years, 3 LA Number, 2 Short Desc; no LA and
# Regions), 8 duplicates, 6 removals. At 15 no unknown Short Desc: kept at 25.
@fuzz(25)
@given(data=st.data())
def test_rows_duplicated_removed_or_with_unknown_keys_are_refused_by_row_or_loaded_exactly(tiny, case, data):
    release, folder, warehouse = case()
    table = pq.read_table(release / BDS)
    n = table.num_rows
    rows = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True), label="rows")
    change = data.draw(st.sampled_from(["duplicate", "remove", "unknown key"]), label="change")
    event(f"rows: {change}")
    row = column = None
    if change == "duplicate":  # copies appended at the end: the first copy's row is named
        table = pa.concat_tables([table, table.take(rows)])
        row = min(rows) + 1
    elif change == "remove":
        table = table.filter(pa.array([i not in rows for i in range(n)]))
    else:
        column = data.draw(st.sampled_from(list(KEY_COLUMNS)), label="column")
        event(f"unknown key: {column}")
        new = data.draw(st.lists(KEY_COLUMNS[column], min_size=len(rows), max_size=len(rows)), label="keys")
        cells = table.column(column).to_pylist()
        for i, value in zip(rows, new):
            cells[i] = value
        index = table.schema.get_field_index(column)
        table = table.set_column(index, column, pa.array(cells, table.schema.field(column).type))
    pq.write_table(table, release / BDS)
    outcome = assert_contract(tiny, release, folder, warehouse, BDS, row)
    if change == "duplicate":
        assert not outcome.published


# Dictionary rows removed (as the random fuzz of issue 24 did: the pages then failed on a missing
# code): whatever rows go, the release is refused naming the dictionary and every code left with
# values but no definition. 10 cases: one to three of the tiny release's four rows removed.
@fuzz(10)
@given(data=st.data())
def test_dictionary_rows_removed_are_refused_naming_each_code(tiny, case, data):
    release, folder, warehouse = case()
    dictionary = pl.read_csv(release / DICTIONARY, infer_schema=False)
    codes = sorted(set(dictionary["Measure_short"]))
    removed = data.draw(st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes) - 1, unique=True),
                        label="removed")  # all of them: "a header but no rows", tested elsewhere
    event(f"dictionary rows removed: {len(removed)}")
    dictionary.filter(~pl.col("Measure_short").is_in(removed)).write_csv(release / DICTIONARY)
    outcome = assert_contract(tiny, release, folder, warehouse, DICTIONARY)
    assert not outcome.published
    for code in removed:
        assert f"(value {code!r}): indicator has values but no row in the data dictionary ({DICTIONARY})" \
            in outcome.message, outcome.message


# --- the extra sources and validate-local: the same rule for every value --------------------------


# Of 10 cases (and 1 invalid), those with a value of each kind (events): number 6, other refused
# text 4, not a number 3, out of range 2, symbol 2, missing or blank 2; 9 refused, 1 loaded. (25
# cases drew every kind too, in 35 s instead of 24 s.)
@fuzz(10)
@given(texts=st.lists(value_texts, min_size=1, max_size=4))
def test_local_file_values_follow_the_same_rule_in_validate_local_and_the_build(tiny, case, texts):
    release, folder, warehouse = case()
    data, metadata = folder / "north.csv", folder / "north_metadata.csv"
    pl.DataFrame({"council": ["Cumberland"] * len(texts), "indicator": ["NW_FUZZ"] * len(texts),
                  "period": [str(2010 + i) for i in range(len(texts))], "value": texts},
                 schema={k: pl.String for k in ("council", "indicator", "period", "value")}).write_csv(data)
    pl.DataFrame({"code": ["NW_FUZZ"], "name": ["Fuzzed"], "topic": ["Local"], "polarity": ["High"],
                  "year_type": ["calendar"]}).write_csv(metadata)
    read_back = pl.read_csv(data, infer_schema=False)["value"].to_list()  # a blank CSV cell reads as ""
    texts = ["" if t is None else t for t in read_back]
    problems = local_problems(data, metadata, release, FILES)
    refused = {row: text for row, text in enumerate(texts, start=2) if expected(text) == REFUSED}
    for text in texts:
        event(f"value: {value_kind(text)}")
    event("case: refused" if refused else "case: loaded")
    assert {p["row"] for p in problems if p["column"] == "value"} == set(refused), problems
    assert all(p["file"] == "north.csv" for p in problems)
    outcome = build_case(release, folder, warehouse, [LocalSource("north", data, metadata)])
    assert outcome.published == (not refused), outcome.message
    if refused:
        assert f"north.csv row {min(refused)}, column value" in outcome.message, outcome.message
        assert warehouse_state(warehouse) == tiny.state
    else:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            got = con.execute("SELECT raw_value, value_status, value FROM core.fact_indicator_value "
                              "WHERE indicator_code = 'NW_FUZZ' ORDER BY period_label").fetchall()
        assert [(status, value) for _, status, value in got] == [expected(t) for t in texts]
