"""Normalisation of text answers, Korean included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyml.quiz.textmatch import matches, normalise


def test_korean_spacing_and_punctuation():
    assert normalise("기울기 소실") == normalise("기울기소실") == normalise("기울기 소실.") == "기울기소실"
    assert normalise("  기울기\u3000소실 !") == "기울기소실"


def test_decomposed_hangul_composes():
    decomposed = "\u1100\u1175\u110b\u116e\u11af\u1100\u1175"  # 기울기 as conjoining jamo
    assert normalise(decomposed) == "기울기"


def test_case_width_and_punctuation():
    assert normalise("Vanishing-Gradient!") == normalise("vanishing gradient") == "vanishinggradient"
    assert normalise("ＲｅＬＵ") == "relu"
    assert normalise("Straße") == normalise("STRASSE")
    assert normalise("“Leaky ReLU”") == "leakyrelu"
    assert normalise("ze\u200bro") == "zero"  # zero-width space


def test_matches():
    accepted = ["vanishing gradient", "기울기 소실"]
    assert matches("Vanishing gradient.", accepted)
    assert matches("기울기소실", accepted)
    assert not matches("exploding gradient", accepted)
    assert not matches("...", accepted)  # nothing left after normalising never matches


@settings(max_examples=500)
@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


def test_a_gloss_in_parentheses_is_read_without_it_but_the_rest_must_match():
    # "에너지 기반 모델(EBM)" was wrong while "에너지 기반 모델" was right.
    accepted = ["에너지 기반 모델", "energy-based model"]
    assert matches("에너지 기반 모델(EBM)", accepted)
    assert matches("energy-based model (에너지 기반 모델)", accepted)
    assert matches("에너지 기반 모델（EBM）", accepted)  # full-width parentheses, as a Korean IME types them
    assert not matches("VAE (energy-based model)", accepted)


@pytest.mark.parametrize(
    "answer, accepted, right",
    [
        ("the KL divergence", ["KL divergence"], True),  # was wrong
        ("The law of large numbers", ["law of large numbers"], True),
        ("law of large numbers", ["the law of large numbers"], True),  # either side
        ("an autoencoder", ["autoencoder"], True),
        ("the vanishing gradient (problem)", ["vanishing gradient"], True),
        ("theta", ["eta"], False),  # a word that starts like one is not an article
        ("the", ["KL divergence"], False),
        ("the exploding gradient", ["vanishing gradient"], False),
    ],
)
def test_a_leading_english_article_is_read_without_it(answer, accepted, right):
    assert matches(answer, accepted) is right


@pytest.mark.parametrize(
    "answer, accepted, right",
    [
        ("EBMs", ["EBM", "energy-based model"], True),  # was wrong while "EBM" was right
        ("energy-based models", ["EBM", "energy-based model"], True),
        ("residual", ["residuals"], True),
        ("the residuals", ["residual"], True),
        ("s", ["ss"], False),  # never down to a letter alone, and not from a non-Latin one
        ("vanishing gradients", ["exploding gradient"], False),
        ("기울기 소실s", ["기울기 소실"], False),
    ],
)
def test_an_english_plural_is_read_as_its_singular_and_back(answer, accepted, right):
    assert matches(answer, accepted) is right
