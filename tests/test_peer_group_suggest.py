"""Suggested peer groups: the grouping worked out by hand on small made-up regions."""

from __future__ import annotations

import pytest
import yaml

from pipeline.peer_group_suggest import Member, SuggestError, group_sizes, suggest, suggested_yaml, why

pytestmark = pytest.mark.fast


@pytest.mark.parametrize("n, sizes", [(2, [2]), (5, [5]), (6, [3, 3]), (9, [3, 3, 3]), (10, [4, 3, 3]),
                                      (11, [4, 4, 3]), (33, [3] * 11)])
def test_triads_with_a_quartet_or_two_for_the_rest(n, sizes):
    assert group_sizes(n) == sizes
    assert sum(group_sizes(n)) == n


def test_a_region_of_one_council_has_no_group():
    with pytest.raises(SuggestError, match="too few"):
        group_sizes(1)


# A made-up region of six: two outstanding, two good, one requires improvement, one inadequate.
REGION = [Member(1, "Ash", "UA", 1), Member(2, "Birch", "SC", 1), Member(3, "Cedar", "UA", 2),
          Member(4, "Damson", "MD", 2), Member(5, "Elm", "UA", 3), Member(6, "Fir", "SC", 4)]


def names(groups):
    return [[m.name for m in g] for g in groups]


def test_mixed_judgements_deal_the_councils_back_and_forth_in_order_of_judgement():
    # In order of grade then type: Birch (1, SC), Ash (1, UA), Damson (2, MD), Cedar (2, UA), Elm (3), Fir (4).
    # Dealt 1, 2, 2, 1, 1, 2: group 1 gets Birch, Cedar, Elm; group 2 gets Ash, Damson, Fir.
    groups = suggest(REGION, "judgement")
    assert names(groups) == [["Birch", "Cedar", "Elm"], ["Ash", "Damson", "Fir"]]
    assert [sorted(m.grade for m in g) for g in groups] == [[1, 2, 3], [1, 2, 4]]  # each spans the judgements
    assert why(groups[1]) == "Ofsted: 1 outstanding, 1 good, 1 inadequate; types: 1 unitary authority, " \
                             "1 metropolitan district, 1 county council"


def test_mixed_types_deal_in_order_of_type():
    # In order of type then grade: Damson (MD), Birch, Fir (SC), Ash, Cedar, Elm (UA): dealt 1, 2, 2, 1, 1, 2.
    assert names(suggest(REGION, "type")) == [["Damson", "Ash", "Cedar"], ["Birch", "Fir", "Elm"]]


def test_similar_keeps_each_type_together_and_a_type_of_fewer_than_three_joins_the_last_group():
    region = REGION + [Member(7, "Gum", "UA", 2), Member(8, "Hazel", "UA", 1)]
    # Unitaries (Ash 1, Hazel 1, Cedar 2, Gum 2, Elm 3): one group of five; SC (2) and MD (1) join it.
    assert names(suggest(region, "similar")) == [["Ash", "Hazel", "Cedar", "Gum", "Elm", "Damson", "Birch", "Fir"]]
    region = REGION + [Member(n, f"U{n}", "UA", 2) for n in range(7, 10)] + [Member(10, "S3", "SC", 3)]
    # Unitaries: Ash, Cedar, U7, U8, U9, Elm (six: two triads); counties Birch, S3, Fir (one triad); Damson joins the last.
    assert names(suggest(region, "similar")) == [["Birch", "S3", "Fir"], ["Ash", "Cedar", "U7"], ["U8", "U9", "Elm", "Damson"]]


def test_the_yaml_is_a_list_of_groups_marked_suggested_with_their_reason():
    text = suggested_yaml("Made-up", "judgement", suggest(REGION, "judgement"), "lait-x", year=2026)
    assert text.startswith("# Suggested peer groups for Made-up (--mix judgement), from release lait-x")
    entries = yaml.safe_load(text)
    assert [(e["name"], e["region"], e["suggested"], e["councils"]) for e in entries] == [
        ("Made-up 2026 suggested triad 1", "Made-up", True, ["Birch", "Cedar", "Elm"]),
        ("Made-up 2026 suggested triad 2", "Made-up", True, ["Ash", "Damson", "Fir"]),
    ]
    assert entries[0]["why"].startswith("Ofsted: 1 outstanding, 1 good, 1 requires improvement")


def test_an_unknown_mix_is_refused():
    with pytest.raises(SuggestError, match="--mix 'random' is not one of judgement, type, similar"):
        suggest(REGION, "random")
