"""Inline math in cards reads as Unicode in the terminal."""

import pytest

from studyml.content.mathtext import latex_to_unicode, render_math


@pytest.mark.parametrize("latex, shown", [
    (r"\frac{2}{n_{in}+n_{out}}", "2/(nᵢₙ+nₒᵤₜ)"),
    (r"\mathrm{Var}(W) = \frac{1}{n_{in}}", "Var(W) = 1/nᵢₙ"),
    (r"\sigma(x)(1-\sigma(x))", "σ(x)(1-σ(x))"),
    (r"\theta_{t+1} = \theta_t - \eta \nabla L", "θₜ₊₁ = θₜ - η∇ L"),
    (r"\frac{1}{1+e^{-x}}", "1/(1+e⁻ˣ)"),
    (r"\operatorname{softmax}(QK^\top/\sqrt{d_k})V", "softmax(QKᵀ/√(dₖ))V"),
    (r"\frac{n-1}{n}\sigma^2", "(n-1)/n σ²"),
    (r"\mathbb{E}_{x \sim p}[f(x)]", "𝔼_(x∼p)[f(x)]"),
    (r"10000^{2i/d_{model}}", "10000^(2i/d_model)"),
    (r"f''(x) \ge 0", "f′′(x) ≥ 0"),
    (r"\tfrac12 x^2", "1/2 x²"),
    (r"\|w\|_2^2", "‖w‖₂²"),
])
def test_formulas(latex, shown):
    assert latex_to_unicode(latex) == shown


def test_markdown_keeps_text_and_escaped_dollars():
    assert render_math(r"Cost is $\frac{1}{n}\sum_i L_i$ and costs \$5.") == "Cost is 1/n ∑ᵢ Lᵢ and costs $5."


def test_a_lone_dollar_is_not_math():
    assert render_math("It costs $5 per card.") == "It costs $5 per card."
