"""The publication calendar (pipeline/publication_calendar.yaml) against dates written by hand.

Each expected date is the first day of the month after the release's real publication day in
that year (from the DfE release pages, written here by hand), for an indicator whose dictionary
topic and year type are also written here, not read from the release."""

from __future__ import annotations

from datetime import date

import pytest

from assets.marts.publication_calendar import CalendarError, collection_of, read_calendar

pytestmark = pytest.mark.fast

CALENDAR = read_calendar()

# (indicator code, dictionary topics, Year_Type, period end year) -> (collection, counts as public from)
CASES = [
    # Children in need 2023 (year to 31 March 2023), published Thursday 26 October 2023.
    ("ReReferral", {"Child Protection"}, "Financial Year", 2023, "children_in_need", date(2023, 12, 1)),
    ("CIN", {"Children in Need"}, "Annual", 2023, "children_in_need", date(2023, 12, 1)),
    # Children looked after 2023 (care leavers included), published 16 November 2023.
    ("CareLeaverAcc", {"Children Looked After"}, "Financial Year", 2023, "children_looked_after", date(2024, 1, 1)),
    # Children's social work workforce, census 30 September 2022, published 23 February 2023.
    ("Work_Force_TO_Rate", {"Children's Services Workforce"}, "Annual (end of Sept)", 2022,
     "social_work_workforce", date(2023, 3, 1)),
    # Key stage 4 2022/23 revised, published 1 February 2024.
    ("AVG_Attain8_Score", {"Key Stage 4"}, "Academic Year", 2023, "key_stage_4", date(2024, 3, 1)),
    # Key stage 2 2022/23 revised, published December 2023.
    ("KS2RWM_Expected_STD", {"Key Stage 2"}, "Academic Year", 2023, "key_stage_2", date(2024, 1, 1)),
    # EHC plans 2023 (plans issued in calendar year 2022), published 15 June 2023.
    ("SEN_EHC_Excpt_20wks", {"Children with SEN"}, "Calendar Year", 2022, "ehc_plans", date(2023, 7, 1)),
    # Listed under two topics: the code pattern decides (outcomes for children looked after).
    ("LAC_Pers_Abs", {"Children Looked After", "All Pupil Absence & Exclusions"}, "Academic Year", 2023,
     "cin_cla_outcomes", date(2024, 4, 1)),
]


@pytest.mark.parametrize(("code", "topics", "year_type", "end_year", "collection", "public_from"), CASES)
def test_collections_publish_on_the_dates_written_by_hand(code, topics, year_type, end_year, collection,
                                                          public_from):
    found = collection_of(code, topics, year_type, CALENDAR)
    assert found is not None and found.name == collection
    assert found.available_from(end_year) == public_from


def test_an_indicator_of_no_collection_keeps_the_old_rule():
    assert collection_of("FirstYJS", {"Youth Offending"}, "Calendar Year", CALENDAR) is None


def test_a_malformed_calendar_names_the_file_and_every_entry(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text("""
- collection: a
  release: A
  usual_publication: May
  period_end: "03-31"
  available_from: "13-01"
  years_after_end: 0
  topics: [X]
- collection: b
  release: B
  usual_publication: May
  period_end: "03-31"
  available_from: "05-01"
  years_after_end: 0
""")
    with pytest.raises(CalendarError) as raised:
        read_calendar(path)
    message = str(raised.value)
    assert "calendar.yaml, entry 1, available_from: '13-01'" in message
    assert "calendar.yaml, entry 2 (b): needs codes or topics" in message
