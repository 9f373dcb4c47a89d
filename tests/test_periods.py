"""Every distinct period label of both real releases, parsed as a person reads it.

The table below is written by hand: for each year type of the data dictionary and each
label the files use, the first and last year the period covers, its kind and its status.
"""

from __future__ import annotations

import duckdb
import pytest

from assets.core.build import build_staging
from base.settings import ReleaseFiles

pytestmark = pytest.mark.fast

# year type | label | start end kind status   ('-' = not a period: quarantined)
EXPECTED = """
Academic Year | 0 | -
Academic Year | 2015-16 | 2015 2016 academic final
Academic Year | 2015/16 | 2015 2016 academic final
Academic Year | 2016 | 2015 2016 academic final
Academic Year | 2016-17 | 2016 2017 academic final
Academic Year | 2016/17 | 2016 2017 academic final
Academic Year | 2017 | 2016 2017 academic final
Academic Year | 2017-18 | 2017 2018 academic final
Academic Year | 2017/18 | 2017 2018 academic final
Academic Year | 2018 | 2017 2018 academic final
Academic Year | 2018 (Rev) | 2017 2018 academic revised
Academic Year | 2018 (Revised) | 2017 2018 academic revised
Academic Year | 2018-19 | 2018 2019 academic final
Academic Year | 2018/19 | 2018 2019 academic final
Academic Year | 2019 | 2018 2019 academic final
Academic Year | 2019 (Rev) | 2018 2019 academic revised
Academic Year | 2019 (Revised) | 2018 2019 academic revised
Academic Year | 2019-20 | 2019 2020 academic final
Academic Year | 2019/20 | 2019 2020 academic final
Academic Year | 2020 | 2019 2020 academic final
Academic Year | 2020 (Final) | 2019 2020 academic final
Academic Year | 2020-21 | 2020 2021 academic final
Academic Year | 2020/21 | 2020 2021 academic final
Academic Year | 2021 | 2020 2021 academic final
Academic Year | 2021 (Final) | 2020 2021 academic final
Academic Year | 2021-22 | 2021 2022 academic final
Academic Year | 2021/22 | 2021 2022 academic final
Academic Year | 2022 | 2021 2022 academic final
Academic Year | 2022 (Rev) | 2021 2022 academic revised
Academic Year | 2022 (Revised) | 2021 2022 academic revised
Academic Year | 2022-23 | 2022 2023 academic final
Academic Year | 2022/23 | 2022 2023 academic final
Academic Year | 2023 | 2022 2023 academic final
Academic Year | 2023 (Rev) | 2022 2023 academic revised
Academic Year | 2023 (Revised) | 2022 2023 academic revised
Academic Year | 2023-24 | 2023 2024 academic final
Academic Year | 2023/24 | 2023 2024 academic final
Academic Year | 2024 | 2023 2024 academic final
Academic Year | 2024 (Rev) | 2023 2024 academic revised
Academic Year | 2024 (Revised) | 2023 2024 academic revised
Academic Year | 2024 (prov) | 2023 2024 academic provisional
Academic Year | 2025 | 2024 2025 academic final
Academic Year | 2025 (Rev) | 2024 2025 academic revised
Academic Year | 2025 (prov) | 2024 2025 academic provisional
Annual | 2016 | 2016 2016 calendar final
Annual | 2017 | 2017 2017 calendar final
Annual | 2018 | 2018 2018 calendar final
Annual | 2019 | 2019 2019 calendar final
Annual | 2020 | 2020 2020 calendar final
Annual | 2021 | 2021 2021 calendar final
Annual | 2022 | 2022 2022 calendar final
Annual | 2023 | 2023 2023 calendar final
Annual | 2024 | 2024 2024 calendar final
Annual | 2025 | 2025 2025 calendar final
Annual (end of Sept) | 2016 | 2016 2016 calendar final
Annual (end of Sept) | 2017 | 2017 2017 calendar final
Annual (end of Sept) | 2018 | 2018 2018 calendar final
Annual (end of Sept) | 2019 | 2019 2019 calendar final
Annual (end of Sept) | 2020 | 2020 2020 calendar final
Annual (end of Sept) | 2021 | 2021 2021 calendar final
Annual (end of Sept) | 2022 | 2022 2022 calendar final
Annual (end of Sept) | 2023 | 2023 2023 calendar final
Annual (end of Sept) | 2024 | 2024 2024 calendar final
Annual (end of Sept) | 2025 | 2025 2025 calendar final
Annual - January | 2016 | 2016 2016 calendar final
Annual - January | 2017 | 2017 2017 calendar final
Annual - January | 2018 | 2018 2018 calendar final
Annual - January | 2019 | 2019 2019 calendar final
Annual - January | 2020 | 2020 2020 calendar final
Annual - January | 2021 | 2021 2021 calendar final
Annual - January | 2022 | 2022 2022 calendar final
Annual - January | 2023 | 2023 2023 calendar final
Annual - January | 2024 | 2024 2024 calendar final
Annual - January | 2025 | 2025 2025 calendar final
Calendar Year | 2014-16 | 2014 2016 rolling final
Calendar Year | 2015-17 | 2015 2017 rolling final
Calendar Year | 2016 | 2016 2016 calendar final
Calendar Year | 2016-18 | 2016 2018 rolling final
Calendar Year | 2017 | 2017 2017 calendar final
Calendar Year | 2017-19 | 2017 2019 rolling final
Calendar Year | 2018 | 2018 2018 calendar final
Calendar Year | 2018-20 | 2018 2020 rolling final
Calendar Year | 2019 | 2019 2019 calendar final
Calendar Year | 2019-21 | 2019 2021 rolling final
Calendar Year | 2020 | 2020 2020 calendar final
Calendar Year | 2020-22 | 2020 2022 rolling final
Calendar Year | 2021 | 2021 2021 calendar final
Calendar Year | 2022 | 2022 2022 calendar final
Calendar Year | 2023 | 2023 2023 calendar final
Calendar Year | 2024 | 2024 2024 calendar final
Financial Year | 2013/14-15/16 | 2013 2016 rolling final
Financial Year | 2014/15-16/17 | 2014 2017 rolling final
Financial Year | 2015/16-17/18 | 2015 2018 rolling final
Financial Year | 2016 | 2015 2016 financial final
Financial Year | 2016-17 | 2016 2017 financial final
Financial Year | 2016-17 (OT) | 2016 2017 financial outturn
Financial Year | 2016/17-18/19 | 2016 2019 rolling final
Financial Year | 2017 | 2016 2017 financial final
Financial Year | 2017-18 | 2017 2018 financial final
Financial Year | 2017-18 (OT) | 2017 2018 financial outturn
Financial Year | 2017/18-19/20 | 2017 2020 rolling final
Financial Year | 2018 | 2017 2018 financial final
Financial Year | 2018-19 | 2018 2019 financial final
Financial Year | 2018-19 (OT) | 2018 2019 financial outturn
Financial Year | 2018/19-20/21 | 2018 2021 rolling final
Financial Year | 2019 | 2018 2019 financial final
Financial Year | 2019-20 | 2019 2020 financial final
Financial Year | 2019-20 (OT) | 2019 2020 financial outturn
Financial Year | 2019/20-21/22 | 2019 2022 rolling final
Financial Year | 2020 | 2019 2020 financial final
Financial Year | 2020-21 | 2020 2021 financial final
Financial Year | 2020-21 (OT) | 2020 2021 financial outturn
Financial Year | 2020/21-22/23 | 2020 2023 rolling final
Financial Year | 2021 | 2020 2021 financial final
Financial Year | 2021-22 | 2021 2022 financial final
Financial Year | 2021-22 (OT) | 2021 2022 financial outturn
Financial Year | 2021/22-23/24 | 2021 2024 rolling final
Financial Year | 2022 | 2021 2022 financial final
Financial Year | 2022-23 | 2022 2023 financial final
Financial Year | 2022-23 (OT) | 2022 2023 financial outturn
Financial Year | 2023 | 2022 2023 financial final
Financial Year | 2023-24 | 2023 2024 financial final
Financial Year | 2023-24 (OT) | 2023 2024 financial outturn
Financial Year | 2024 | 2023 2024 financial final
Financial Year | 2024-25 | 2024 2025 financial final
Financial Year | 2024-25 (OT) | 2024 2025 financial outturn
Financial Year | 2025 | 2024 2025 financial final
Financial Year | 2025-26 | 2025 2026 financial final
"""


def expected_periods() -> dict[tuple[str, str], tuple | None]:
    table = {}
    for line in EXPECTED.strip().splitlines():
        year_type, label, parsed = (part.strip() for part in line.split("|"))
        if parsed == "-":
            table[(year_type, label)] = None
        else:
            start, end, kind, status = parsed.split()
            table[(year_type, label)] = (int(start), int(end), kind, status)
    return table


RELEASES = ["current", "2025-07-22"]


@pytest.fixture(scope="module")
def staged_releases(lait) -> dict[str, duckdb.DuckDBPyConnection]:
    """Each real release staged once for the module, in its own in-memory DuckDB (read-only use)."""
    connections = {}
    for release in RELEASES:
        connections[release] = duckdb.connect()
        build_staging(connections[release], lait / release, ReleaseFiles())
    yield connections
    for con in connections.values():
        con.close()


@pytest.fixture(params=RELEASES)
def staged(request, staged_releases):
    return staged_releases[request.param]


def test_every_label_parses_as_written_by_hand(staged):
    parsed = staged.execute(
        """
        SELECT i.year_type, p.period_label, p.period_start_year, p.period_end_year, p.period_kind,
               p.period_status, p.rejected_reason
        FROM staging.stg_period AS p JOIN staging.dim_indicator AS i USING (indicator_code)
        """
    ).fetchall()
    expected = expected_periods()
    seen = set()
    for year_type, label, start, end, kind, status, rejected in parsed:
        key = (year_type, label)
        seen.add(key)
        assert key in expected, f"label {label!r} ({year_type}) has no hand-written expectation"
        if expected[key] is None:
            assert rejected is not None, f"{label!r} should be quarantined"
        else:
            assert rejected is None, f"{label!r} was rejected: {rejected}"
            assert (start, end, kind, status) == expected[key], label
    assert seen, "no periods parsed"


def test_both_releases_together_use_every_hand_written_label(staged_releases):
    labels = set()
    for con in staged_releases.values():
        labels |= set(
            con.execute(
                "SELECT i.year_type, p.period_label FROM staging.stg_period p JOIN staging.dim_indicator i USING (indicator_code)"
            ).fetchall()
        )
    assert labels == set(expected_periods())


def test_period_order_sorts_each_indicator_without_ties(staged):
    ties = staged.execute(
        """
        SELECT indicator_code, period_order, list(period_label)
        FROM staging.stg_period WHERE rejected_reason IS NULL
        GROUP BY ALL HAVING count(*) > 1
        """
    ).fetchall()
    assert ties == []
