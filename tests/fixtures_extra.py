"""Extra-source fixtures the tests build: EES tidy CSV files, a worked local indicator file and the
sources YAML that lists them. Row numbers in comments are spreadsheet rows (header = row 1).
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

EES_HEADER = [
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "characteristic",
    "pt_sustained", "num_cohort",
]


def ees(period: str, identifier: str, level: str, region: str = "", old: str = "", new: str = "",
        sustained: str = "", cohort: str = "1", characteristic: str = "Total") -> tuple:
    """One EES row: England's country columns and a region code are filled in as EES does."""
    region_code = "E12000001" if region else ""
    return (period, identifier, level, "E92000001", "England", region_code, region, old, new, "",
            characteristic, sustained, cohort)


ACADEMIC, NATIONAL, REGIONAL, LA = "Academic year", "National", "Regional", "Local authority"
# Academic years (6-digit time_period), every geographic level, every EES symbol.
EES_ACADEMIC_ROWS = [
    ees("202324", ACADEMIC, NATIONAL, sustained="94.1", cohort="600000"),                          # 2
    ees("202324", ACADEMIC, REGIONAL, "North East", sustained="93.2", cohort="27000"),             # 3
    ees("202324", ACADEMIC, REGIONAL, "Yorkshire and the Humber", sustained="x", cohort="55000"),  # 4
    ees("202324", ACADEMIC, REGIONAL, "Inner London", sustained="z", cohort="z"),                  # 5
    ees("202324", ACADEMIC, LA, "North East", "390", "E08000037", "92.5", "1900"),                 # 6 Gateshead
    ees("202324", ACADEMIC, LA, "North East", "391", "E08000021", "c", "2800"),                    # 7 Newcastle
    ees("202324", ACADEMIC, LA, "North East", "392", "E08000022", "low", "2000"),                  # 8 North Tyneside
    ees("202324", ACADEMIC, LA, "North East", "393", "E08000023", "u", "1500"),                    # 9 South Tyneside
    ees("202324", ACADEMIC, LA, "North East", "390", "E08000037", "90.0", characteristic="Boys"),  # 10: filtered out
    ees("202324", ACADEMIC, "Local authority district", "North East", "", "E08000037", "99.9"),   # 11: level dropped
    ees("202223", ACADEMIC, NATIONAL, sustained="93.8", cohort="590000"),                          # 12
    ees("202223", ACADEMIC, LA, "North East", "", "E08000037", "91.0", "1850"),                    # 13: new code only
]

# Calendar and reporting years (4-digit time_period).
EES_CALENDAR_ROWS = [
    ees("2024", "Calendar year", NATIONAL, sustained="12.5"),                          # 2
    ees("2024", "Calendar year", LA, "North East", "805", "E06000001", "14.0"),        # 3 Hartlepool
    ees("2023", "Reporting year", LA, "North East", "806", "E06000002", "13.0"),       # 4 Middlesbrough
]

# Codes that map to nothing and periods that do not fit their time identifier.
EES_BAD_ROWS = [
    ees("202324", ACADEMIC, LA, "North East", "999", "E06000999", "50.0"),   # 2: no council 999
    ees("202324", ACADEMIC, LA, "North East", "", "E06000998", "50.0"),      # 3: new code paired with nothing
    ees("2024", ACADEMIC, NATIONAL, sustained="50.0"),                       # 4: 4 digits for an academic year
    ees("2023", "Week", NATIONAL, sustained="50.0"),                         # 5: unsupported identifier
    ees("202324", ACADEMIC, REGIONAL, "Atlantis", sustained="50.0"),         # 6: not a region
]

SUSTAINED = {
    "column": "pt_sustained", "code": "EES_Sustained", "name": "Sustained destinations after key stage 4",
    "topic": "Key Stage 4", "polarity": "high", "unit": "%", "dps": 1, "year_type": "academic",
    "description": "Pupils in a sustained education, employment or training destination.",
    "source_link": "https://explore-education-statistics.service.gov.uk/find-statistics/ks4-destinations",
}
COHORT = {
    "column": "num_cohort", "code": "EES_Cohort", "name": "Key stage 4 cohort", "topic": "Key Stage 4",
    "polarity": "none", "unit": "Number", "dps": 0, "year_type": "academic",
}
WORKFORCE = {
    "column": "pt_sustained", "code": "EES_Turnover", "name": "Social worker turnover",
    "topic": "Children's Services Workforce", "polarity": "low", "unit": "%", "dps": 1, "year_type": "calendar",
}


def write_csv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def ees_entry(name: str, file: Path, indicators: list[dict], filters: dict | None = None) -> dict:
    return {"name": name, "kind": "ees", "file": str(file), "filters": filters or {"characteristic": "Total"},
            "indicators": indicators}


def local_entry(name: str, data: Path, metadata: Path) -> dict:
    return {"name": name, "kind": "local", "data": str(data), "metadata": str(metadata)}


def write_sources(path: Path, entries: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
    return path


# --- the worked local indicator file ---------------------------------------------------------
# A regional data group's collection summarised by financial year, for 30 councils, five years.
# In every year the 30 values of NW_CAMHS_Wait are a permutation of 1..30, so the type-7
# quartiles are always q25 = 1 + 0.25 * 29 = 8.25, q50 = 15.5, q75 = 22.75. Windsor and
# Maidenhead (868, written "Windsor & Maidenhead") has 2, 5, 9, 14, 25: lower is better, so its
# bands are A, A, B, B, D. No statistical neighbour of 868 is in the group.
TARGET = 868
TARGET_TEXT = "Windsor & Maidenhead"
TARGET_VALUES = [2, 5, 9, 14, 25]
PERIODS = ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
# The other 29 councils as a regional group might type them: names in any case, '&' for 'and',
# punctuation left out, and DfE LA numbers.
OTHER_COUNCILS = [
    ("Gateshead", 390), ("NEWCASTLE UPON TYNE", 391), ("392", 392), ("South Tyneside", 393),
    ("sunderland", 394), ("Hartlepool", 805), ("Middlesbrough", 806), ("Redcar & Cleveland", 807),
    ("Stockton on Tees", 808), ("Durham", 840), ("Darlington", 841), ("Northumberland", 929),
    ("Knowsley", 340), ("Liverpool", 341), ("St Helens", 342), ("Sefton", 343), ("Wirral", 344),
    ("Bolton", 350), ("Bury", 351), ("Manchester", 352), ("Oldham", 353), ("Rochdale", 354),
    ("Salford", 355), ("Stockport", 356), ("Tameside", 357), ("Wigan", 359), ("Halton", 876),
    ("Warrington", 877), ("Lancashire", 888),
]
# NW_Panel: no polarity; one council per symbol in 2024-25.
PANEL_SYMBOLS = {390: "c", 391: "x", 392: "z", 393: "low", 394: "u", 805: "-", 806: "k", 807: ".."}

METADATA_HEADER = ["code", "name", "topic", "polarity", "unit", "dps", "year_type", "no_quartile",
                   "description", "source_link"]
METADATA_ROWS = [
    ("NW_CAMHS_Wait", "Average wait for a first CAMHS appointment", "Regional data group", "Low", "Weeks",
     "1", "Financial", "", "Mean weeks from referral to first appointment.", "https://example.org/collection"),
    ("NW_Panel", "Referrals to the regional placement panel", "Children Looked After", "none", "Number", "0",
     "Financial", "yes", "Referrals in the year.", ""),
]


def camhs_values() -> dict[tuple[int, str], int]:
    """{(LA code, period): value}: the target's values, the others filling 1..30 in list order."""
    values = {}
    for period, target_value in zip(PERIODS, TARGET_VALUES):
        values[(TARGET, period)] = target_value
        rest = [v for v in range(1, 31) if v != target_value]
        for (_, code), value in zip(OTHER_COUNCILS, rest):
            values[(code, period)] = value
    return values


def write_worked_local(folder: Path) -> tuple[Path, Path]:
    """The worked data file and its metadata file, in ``folder``."""
    texts = {code: text for text, code in OTHER_COUNCILS} | {TARGET: TARGET_TEXT}
    rows = [(texts[code], "NW_CAMHS_Wait", period, str(v)) for (code, period), v in camhs_values().items()]
    rows += [(texts[code], "NW_Panel", "2024-25", symbol) for code, symbol in PANEL_SYMBOLS.items()]
    data = write_csv(folder / "north_west_data.csv", ["council", "indicator", "period", "value"], rows)
    metadata = write_csv(folder / "north_west_metadata.csv", METADATA_HEADER, METADATA_ROWS)
    return data, metadata


# --- a region-only local file ------------------------------------------------------------------
# A South East data group's indicator for all 19 South East councils in 2024-25 (higher is
# better), values 1..19 in list order: type-7 quartiles q25 = 1 + 0.25 * 18 = 5.5, q50 = 10,
# q75 = 14.5; Windsor and Maidenhead (868, last) has 19: rank 1 of 19, band A. SE_Pilot covers
# five of them only (fewer than the 8 a regional comparison needs), and one only in 2023-24.
SOUTH_EAST_COUNCILS = [
    ("Bracknell Forest", 867), ("Brighton & Hove", 846), ("Buckinghamshire", 825), ("East Sussex", 845),
    ("Hampshire", 850), ("Isle of Wight", 921), ("Kent", 886), ("Medway", 887), ("Milton Keynes", 826),
    ("Oxfordshire", 931), ("Portsmouth", 851), ("Reading", 870), ("Slough", 871), ("Southampton", 852),
    ("Surrey", 936), ("West Berkshire", 869), ("West Sussex", 938), ("Wokingham", 872), ("Windsor", 868),
]
SOUTH_EAST_TOPIC = "South East data group"
SOUTH_EAST_METADATA = [
    ("SE_Reablement", "Care leavers in touch at 21 (regional collection)", SOUTH_EAST_TOPIC, "High", "%", "1",
     "Financial", "", "Share of care leavers the council is in touch with.", ""),
    ("SE_Pilot", "Pilot measure", SOUTH_EAST_TOPIC, "High", "%", "1", "Financial", "", "Five councils only.", ""),
]


def write_south_east_local(folder: Path) -> tuple[Path, Path]:
    """A region-only data file (every South East council, no other) and its metadata, in ``folder``."""
    rows = [(text, "SE_Reablement", "2024-25", str(value)) for value, (text, _) in enumerate(SOUTH_EAST_COUNCILS, 1)]
    rows += [(text, "SE_Pilot", "2024-25", str(value)) for value, (text, _) in enumerate(SOUTH_EAST_COUNCILS[:5], 1)]
    rows += [(SOUTH_EAST_COUNCILS[0][0], "SE_Pilot", "2023-24", "3")]  # one council only that year
    data = write_csv(folder / "south_east_data.csv", ["council", "indicator", "period", "value"], rows)
    metadata = write_csv(folder / "south_east_metadata.csv", METADATA_HEADER, SOUTH_EAST_METADATA)
    return data, metadata
