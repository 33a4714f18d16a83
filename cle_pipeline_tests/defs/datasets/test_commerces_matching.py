"""The parts of the shop matching: the candidate index and the one-to-one assignment."""

from cle_pipeline.defs.datasets.commerces.matching import (
    CandidateIndex,
    Match,
    Places,
    assign,
    house_number,
)


def test_the_strongest_evidence_wins_and_each_side_is_used_once():
    candidates = [
        Match(0, 0, "distance", 1.0, 20.0),
        Match(0, 1, "adresse", 0.9, 90.0),  # same address beats a closer place
        Match(1, 1, "adresse", 1.0, 5.0),  # a better name for element 1
        Match(2, 0, "nom", 1.0, None),
    ]
    assert assign(candidates) == [
        Match(0, 0, "distance", 1.0, 20.0),
        Match(1, 1, "adresse", 1.0, 5.0),
    ]


def test_candidates_are_the_neighbours_or_the_namesakes_and_those_at_the_address():
    osm = Places(
        names=[["boulangerie martin"], ["pharmacie"], ["boulangerie martin"]],
        streets=["rue sadi carnot", "rue sadi carnot", "place du calvaire"],
        numbers=["20", "22", "1"],
        points=[(1.0250, 49.2850), (1.0252, 49.2851), (1.0300, 49.2700)],
    )
    index = CandidateIndex(osm)
    # Placed: the elements around it (not the namesake 2 km away).
    assert index.candidates(["boulangerie martin"], (1.0251, 49.2850), ("", None)) == [0, 1]
    # Not placed: its namesakes, and whatever is at its address.
    assert index.candidates(["boulangerie martin"], None, ("rue sadi carnot", "22")) == [0, 1, 2]
    assert index.candidates([], None, ("place du calvaire", "1")) == [2]


def test_house_numbers_keep_their_digits():
    assert [house_number(v) for v in ("20", "20 bis", "20B", " 7", "bis", None)] == [
        "20",
        "20",
        "20",
        "7",
        None,
        None,
    ]
