"""The one rule for value texts (``parse_number`` and ``number_problem`` in
``assets/dbt/macros/value_rules.sql``): a finite number in range is read exactly, anything else
is refused with a reason. Expected values are written out by hand, not taken from the code."""

from __future__ import annotations

import duckdb
import pytest

from assets.core.models import value_rules_sql

pytestmark = pytest.mark.fast

ACCEPTED = {  # text -> the number it says
    "12": 12.0, " 12 ": 12.0, "-3.5": -3.5, "+0.25": 0.25, ".5": 0.5, "7.": 7.0, "0": 0.0, "-0": 0.0,
    "0.000": 0.0, "0e999": 0.0, "1.1000000000000001": 1.1000000000000001, "16012355892": 16012355892.0,
    "\t12\r\n": 12.0, "1e15": 1e15, "-1e15": -1e15, "1e-15": 1e-15, "2.5E3": 2500.0, "0.00078": 0.00078,
}
OUT_OF_RANGE = ["1e999", "-1e999", "1e309", "-1e309", "1.7976931348623157e308", "1e16", "-2e15", "1e-999", "1e-16",
                "4.9e-324"]
NOT_NUMBERS = ["inf", "-inf", "Infinity", "nan", "NaN", "0x10", "1,234", "1_000", "１２", "12%", "£5", "1e", "e5", "\u00a012", "12\u2003",
               "", " ", "-", "..", "1.2.3", "--1", "1 2"]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    connection.execute(value_rules_sql())
    yield connection
    connection.close()


def parse(con, text):
    return con.execute("SELECT parse_number(?), number_problem(?)", [text, text]).fetchall()[0]


@pytest.mark.parametrize("text", ACCEPTED)
def test_a_number_in_range_is_read_exactly(con, text):
    assert parse(con, text) == (ACCEPTED[text], None)


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_a_number_out_of_range_is_refused_with_its_reason(con, text):
    value, problem = parse(con, text)
    assert value is None
    assert problem.startswith("a number out of range")


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_a_text_that_is_no_number_is_refused(con, text):
    assert parse(con, text) == (None, "not a number")


def test_a_null_is_no_number(con):
    assert parse(con, None) == (None, "not a number")


@pytest.mark.parametrize("text,code", [("301", 301), ("301.0", 301), (" 3.01e2 ", 301), ("301.5", None),
                                       ("1e999", None), ("inf", None), ("1e10", None), ("", None), ("NA", None)])
def test_an_la_number_is_a_whole_number_that_fits_a_code(con, text, code):
    assert con.execute("SELECT area_number(?)", [text]).fetchall()[0][0] == code


@pytest.mark.parametrize("text,key", [("-", "-"), (" C ", "c"), ("\tLOW\n", "low"), ("..", ".."), ("\u00a0c", "\u00a0c")])
def test_a_symbol_is_looked_up_without_case_and_white_space(con, text, key):
    assert con.execute("SELECT symbol_key(?)", [text]).fetchall()[0][0] == key
