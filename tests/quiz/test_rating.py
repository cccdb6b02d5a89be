"""The rating an answer proposes."""

from studyml.quiz.rating import AGAIN, EASY, GOOD, HARD, propose, typical_ms


def test_wrong_is_again_whatever_the_speed():
    assert propose(False, duration_ms=100, typical=10_000, in_review=True) == AGAIN


def test_right_is_good_and_a_hint_caps_it_at_hard():
    assert propose(True, duration_ms=8_000, typical=10_000) == GOOD
    assert propose(True, hints_used=1, duration_ms=1_000, typical=10_000, in_review=True) == HARD


def test_slow_for_this_learner_is_hard_and_fast_on_a_review_card_is_easy():
    assert propose(True, duration_ms=25_000, typical=10_000) == HARD
    assert propose(True, duration_ms=25_000, typical=20_000) == GOOD  # a slower learner: not slow for them
    assert propose(True, duration_ms=3_000, typical=10_000, in_review=True) == EASY
    assert propose(True, duration_ms=3_000, typical=10_000, in_review=False) == GOOD  # new card: no Easy


def test_without_history_only_a_very_slow_answer_is_hard():
    assert typical_ms([1000] * 4) is None and typical_ms([1000, 2000, 3000, 4000, 5000]) == 3000
    assert propose(True, duration_ms=60_000, typical=None) == GOOD
    assert propose(True, duration_ms=120_000, typical=None) == HARD


def test_a_proposal_says_why_it_is_not_the_plain_rating():
    from studyml.quiz.rating import proposal

    assert proposal(False, duration_ms=200_000) == (AGAIN, None)
    assert proposal(True, duration_ms=8_000, typical=10_000) == (GOOD, None)
    assert proposal(True, hints_used=1, duration_ms=1_000, typical=10_000, in_review=True) == (HARD, "hint")
    assert proposal(True, duration_ms=25_000, typical=10_000) == (HARD, "slow")
    assert proposal(True, duration_ms=3_000, typical=10_000, in_review=True) == (EASY, "fast")
