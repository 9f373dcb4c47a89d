"""The service areas, in the order a Director reads the service: one declaration for the headline
set (``pipeline/headline_indicators.yaml``), the self-evaluations and the pages' sections."""

from __future__ import annotations

SERVICE_AREAS = [  # (key, heading), in the order of the profile
    ("help_and_protection", "Help and protection"),
    ("children_in_care", "Children in care"),
    ("care_leavers", "Care leavers"),
    ("send", "Special educational needs and disabilities (SEND)"),
    ("education", "Education"),
    ("health", "Health and wellbeing"),
    ("workforce", "Workforce"),
    ("finance", "Finance"),
    ("context", "Context: the area and its children"),
]
SERVICE_HEADINGS = dict(SERVICE_AREAS)
# The areas a headline indicator or a self-evaluation can be in: every one but the context, which
# describes the area and its children and is never judged. A headline's service_order is its
# area's place here (1 to 8).
JUDGED_AREAS = tuple(key for key, _ in SERVICE_AREAS if key != "context")
