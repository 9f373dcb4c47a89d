"""The order and names the profiles give the service: LAIT topics grouped by service area.

The LAIT dictionary files indicators under 20 topics (``core.indicator_topic``), some of them
under two. A Director reads the service in its own order (help and protection, children in
care, care leavers, SEND, education, health, workforce, finance, then the context), so the
pages group the topics into those service areas, give each topic a readable name, and show an
indicator filed under two topics once, under the first in that order.

Care leavers have no LAIT topic of their own: the Children Looked After indicators whose code
names care leavers (or staying put, or higher education at 19) form the care-leavers area.
"""

from __future__ import annotations

from dataclasses import dataclass

TOPICS = [  # (LAIT topic, service area, readable name), in the order the profile shows them
    ("Children in Need", "help_and_protection", "Children in need"),
    ("Child Protection", "help_and_protection", "Child protection"),
    ("Youth Offending", "help_and_protection", "Youth justice"),
    ("Children Looked After", "children_in_care", "Children looked after"),
    ("Adoption", "children_in_care", "Adoption"),
    ("Care leavers", "care_leavers", "Care leavers"),
    ("Children with SEN", "send", "Special educational needs"),
    ("Early Years", "education", "Early years"),
    ("Foundation Stage", "education", "Early years foundation stage"),
    ("Key Stage 1 and Phonics", "education", "Key stage 1 and phonics"),
    ("Key Stage 2", "education", "Key stage 2"),
    ("Key Stage 4", "education", "Key stage 4"),
    ("Key Stage 5", "education", "Key stage 5"),
    ("Attainment by age 19", "education", "Attainment by age 19"),
    ("Further & Higher Education", "education", "Further and higher education"),
    ("All Pupil Absence & Exclusions", "education", "Absence and exclusions"),
    ("Health and Wellbeing", "health", "Health and wellbeing"),
    ("Children's Services Workforce", "workforce", "Children's social care workforce"),
    ("Children's Service Finance", "finance", "Children's services spending"),
    ("Economic Factors", "context", "Income and young people's activity"),
    ("Contextual\\Other", "context", "Pupils and languages"),
]
TOPIC_ORDER = {topic: n for n, (topic, _, _) in enumerate(TOPICS)}
CARE_LEAVER_WORDS = ("careleaver", "stayingput", "lac_19_he")


@dataclass(frozen=True)
class Topic:
    """A topic as the pages show it: where it sorts, its service area and its readable name."""

    source: str
    service_area: str
    name: str
    order: int


def topic(source: str, indicator_code: str = "") -> Topic:
    """The topic an indicator is shown under, from its LAIT topic (and its code, for care leavers).

    A topic the list does not know yet (a new LAIT topic) goes into the context area under its
    own name with the backslash read as "and", after every known topic, so a new release still
    builds; the list above is where it gets its place.
    """
    if source == "Children Looked After" and indicator_code.lower().replace(" ", "").startswith(CARE_LEAVER_WORDS):
        source = "Care leavers"
    if source in TOPIC_ORDER:
        _, area, name = TOPICS[TOPIC_ORDER[source]]
        return Topic(source, area, name, TOPIC_ORDER[source])
    return Topic(source, "context", source.replace("\\", " and "), len(TOPICS))


def primary_topics(pairs: list[tuple[str, str]]) -> dict[str, Topic]:
    """Each indicator's one topic: of the (LAIT topic, indicator code) pairs, the first in service order."""
    chosen: dict[str, Topic] = {}
    for source, code in pairs:
        candidate = topic(source, code)
        if code not in chosen or candidate.order < chosen[code].order:
            chosen[code] = candidate
    return chosen


COUNT_UNITS = ("number", "total", "entries", "social workers", "starters fte", "leavers fte", "spend")


def is_count(unit: str | None) -> bool:
    """Whether an indicator is a count (or a total of money), which grows with the size of the area.

    A count is never set beside the totals of the region or England: 133 children against
    52,430 says nothing. Rates, shares, averages and unit costs are compared as before.
    """
    return (unit or "").strip().lower().startswith(COUNT_UNITS)
