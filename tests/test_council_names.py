"""Council names as people write them, resolved against the real council list of the current release.

The spellings below were written from how councils are named in letters, reports and emails,
not from the code; each maps to the LA code it must resolve to (checked against
``la_code_list.xlsx`` by code only). The council list is read the way a local indicator file's
councils are (``assets/sql/sources/council_list.sql``), so this is also what ``validate-local``
accepts.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.core.build import load_area_succession
from assets.core.sources import load_councils
from base.councils import CouncilAbolished, CouncilAmbiguous, CouncilNames, CouncilNotFound
from assets.sources.load import COUNCIL_LIST_SQL
from conftest import LAIT

COUNCIL_LIST = LAIT / "current" / "la_code_list.xlsx"
pytestmark = [pytest.mark.fast, pytest.mark.skipif(not COUNCIL_LIST.is_file(), reason=f"no council list at {COUNCIL_LIST}")]

SPELLINGS = [
    ("Hull", 810), ("Hull City Council", 810), ("Kingston upon Hull", 810), ("City of Kingston upon Hull", 810),
    ("Southend", 882), ("Southend-on-Sea", 882), ("Southend on Sea Borough Council", 882),
    ("Windsor", 868), ("Royal Borough of Windsor & Maidenhead", 868), ("RBWM", 868),
    ("BCP", 839), ("Bournemouth", 839), ("Poole", 839), ("Bournemouth, Christchurch & Poole Council", 839),
    ("Bristol", 801), ("City of Bristol", 801), ("Bristol City Council", 801),
    ("Kingston upon Thames", 314), ("Royal Borough of Kingston upon Thames", 314),
    ("Richmond", 318), ("London Borough of Richmond upon Thames", 318),
    ("Brighton", 846), ("Brighton & Hove", 846), ("Brighton and Hove City Council", 846),
    ("Telford", 894), ("Telford & Wrekin", 894),
    ("Durham", 840), ("County Durham", 840), ("Durham County Council", 840),
    ("Herefordshire", 884), ("Herefordshire Council", 884), ("County of Herefordshire", 884),
    ("St Helens", 342), ("St. Helens", 342), ("Saint Helens", 342),
    ("Stoke", 861), ("Stoke-on-Trent", 861), ("Stoke on Trent City Council", 861),
    ("Redcar", 807), ("Redcar & Cleveland", 807),
    ("Bath", 800), ("Bath & North East Somerset", 800), ("BANES", 800), ("B&NES", 800),
    ("Stockton", 808), ("Stockton-on-Tees", 808),
    ("Newcastle", 391), ("Newcastle upon Tyne", 391),
    ("Blackburn", 889), ("Blackburn with Darwen", 889),
    ("East Riding", 811), ("East Riding of Yorkshire Council", 811),
    ("Leicester City", 856), ("Leicestershire County Council", 855),
    ("Nottingham City Council", 892), ("Nottinghamshire", 891),
    ("Bedford", 822), ("Bedford Borough Council", 822),
    ("City of York", 816), ("York", 816), ("North Yorkshire", 815),
    ("Hammersmith & Fulham", 205), ("Royal Borough of Kensington and Chelsea", 207), ("RBKC", 207),
    ("London Borough of Hackney", 204), ("Royal Borough of Greenwich", 203), ("City of London", 201),
    ("City of Westminster", 213), ("Westminster City Council", 213),
    ("Barking & Dagenham", 301), ("Wirral Council", 344), ("Sefton Metropolitan Borough Council", 343),
    ("Cheshire West & Chester", 896), ("Isle of Wight Council", 921), ("Milton Keynes", 826),
    ("Swindon", 866), ("Wandsworth", 212), ("Solihull", 334), ("Dorset", 838), ("Dorset Council", 838),
    ("Cumberland", 942), ("Westmorland & Furness", 943), ("West Northamptonshire", 941), ("North Northants", None),
]


@pytest.fixture(scope="module")
def councils() -> CouncilNames:
    with duckdb.connect() as con:
        con.execute("ATTACH ':memory:' AS src")
        load_councils(con, Path(COUNCIL_LIST))
        load_area_succession(con)
        return CouncilNames.of(con.sql(COUNCIL_LIST_SQL.read_text()).pl())


@pytest.mark.parametrize("text, code", [s for s in SPELLINGS if s[1] is not None])
def test_real_spellings_resolve_to_their_council(councils, text, code):
    assert councils.resolve(text) == code


def test_the_list_covers_at_least_40_spellings_and_every_code_is_a_current_council(councils):
    resolved = [code for _, code in SPELLINGS if code is not None]
    assert len(resolved) >= 40
    assert set(resolved) <= set(councils.current)


@pytest.mark.parametrize("text, successors", [
    ("Cumbria", ["Cumberland (942)", "Westmorland and Furness (943)"]),
    ("Cumbria County Council", ["Cumberland (942)", "Westmorland and Furness (943)"]),
    ("909", ["Cumberland (942)", "Westmorland and Furness (943)"]),
    ("Northamptonshire", ["North Northamptonshire (940)", "West Northamptonshire (941)"]),
    ("928", ["North Northamptonshire (940)", "West Northamptonshire (941)"]),
    ("Poole (Pre LG)", ["Bournemouth, Christchurch and Poole (839)"]),
    ("Dorset (Pre LG)", ["Dorset (838)"]),
])
def test_an_abolished_council_is_refused_naming_its_successors(councils, text, successors):
    with pytest.raises(CouncilAbolished) as error:
        councils.resolve(text)
    assert repr(text) in str(error.value)
    assert all(s in str(error.value) for s in successors), str(error.value)


def test_a_shared_short_form_offers_the_choice_instead_of_guessing(councils):
    with pytest.raises(CouncilAmbiguous) as error:
        councils.resolve("Kingston")
    message = str(error.value)
    assert "Kingston Upon Hull, City of (810)" in message and "Kingston upon Thames (314)" in message


@pytest.mark.parametrize("text, suggested, not_suggested", [
    ("Windsr", "Windsor and Maidenhead (868)", "Swindon"),
    ("Southampten", "Southampton (852)", "Wandsworth"),
    ("North Northants", "North Northamptonshire (940)", "Cumbria"),
    ("Northampton", "West Northamptonshire (941)", "Cumbria"),
])
def test_an_unknown_name_suggests_close_current_councils(councils, text, suggested, not_suggested):
    with pytest.raises(CouncilNotFound) as error:
        councils.resolve(text)
    assert suggested in str(error.value) and not_suggested not in str(error.value), str(error.value)


def test_a_region_or_the_country_is_not_a_council(councils):
    for text in ["London", "England", "South East"]:
        with pytest.raises(CouncilNotFound):
            councils.resolve(text)
