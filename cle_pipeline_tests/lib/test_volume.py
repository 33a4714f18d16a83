"""A dataset's row count against its last release (lib/volume.py)."""

import pytest

from cle_pipeline.lib.volume import VolumeLimit, accepted_datasets, blocking_drop, volume_verdict

HALF = VolumeLimit(0.5, "half")
NONE = VolumeLimit(0.0, "past results never change")


@pytest.mark.parametrize(
    ("rows", "previous", "limit", "blocked"),
    [
        (0, None, HALF, None),  # first release: nothing to compare with
        (0, 0, HALF, None),
        (7, 6, NONE, None),  # growth always passes
        (3, 6, HALF, None),  # exactly the share allowed
        (2, 6, HALF, "6 lignes → 2 : 67% des lignes perdues, plus que les 50% permis (half)"),
        (5, 6, NONE, "6 lignes → 5 : 17% des lignes perdues, plus que les 0% permis"),
        (0, 6, VolumeLimit(1.0, "any"), "6 lignes → 0 : le jeu serait vidé"),
    ],
)
def test_what_blocks(rows, previous, limit, blocked):
    reason = blocking_drop(rows, previous, limit)
    assert reason == blocked or (blocked and reason.startswith(blocked))


def test_a_blocked_drop_says_how_to_accept_it():
    verdict = volume_verdict("bornes_recharge", 0, 6, HALF)
    assert not verdict.passed
    assert verdict.failures.to_dict("records") == [
        {
            "jeu": "bornes_recharge",
            "lignes_avant": 6,
            "lignes": 0,
            "pourquoi_bloque": "6 lignes → 0 : le jeu serait vidé",
            "pour_accepter": "CLE_ACCEPT_DROP=bornes_recharge make demo",
        }
    ]
    assert verdict.metadata() == {
        "rows": 0,
        "previous_rows": 6,
        "max_drop": "50%",
        "limit_reason": "half",
    }


def test_only_the_named_dataset_is_accepted():
    accepted = accepted_datasets(" associations, ,bornes_recharge ")
    assert accepted == {"associations", "bornes_recharge"}
    verdict = volume_verdict("bornes_recharge", 0, 6, HALF, accepted)
    assert verdict.passed
    assert verdict.accepted_drop == "6 lignes → 0, accepté par CLE_ACCEPT_DROP"
    assert not volume_verdict("elus", 0, 33, HALF, accepted).passed


def test_a_passing_build_records_no_acceptance():
    assert volume_verdict("elus", 33, 33, NONE, frozenset({"elus"})).accepted_drop == ""


def test_a_share_outside_0_1_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        VolumeLimit(1.5, "x")
