"""Inline math in cards reads as Unicode in the terminal."""

import pytest

from studyml.content.mathtext import latex_to_unicode, render_math


@pytest.mark.parametrize(
    "latex, shown",
    [
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
        # Operator names and relations are spaced like words, not glued to their neighbours (issue 11).
        (r"-\sum_k y_k \log p_k", "-∑ₖ yₖ log pₖ"),
        (r"k\log p", "k log p"),
        (r"\log\sigma_j^2", "log σⱼ²"),
        (r"\log(1 - D(G(z)))", "log(1 - D(G(z)))"),
        (r"\log_2 x", "log₂ x"),
        (r"\log\sum_k e^{z_k}", "log ∑ₖ e^(zₖ)"),
        (r"z \sim \mathcal{N}(0, I)", "z ∼ 𝒩(0, I)"),
        (r"z\sim\mathcal{N}(0, I)", "z ∼ 𝒩(0, I)"),
        (r"\log p(x) \geq \mathbb{E}_{q_\phi(z \mid x)}[\log p(x \mid z)]", "log p(x) ≥ 𝔼_(qᵩ(z|x))[log p(x | z)]"),
        (r"x \in \mathbb{R}^n", "x ∈ ℝⁿ"),
        # Greek subscripts: a Unicode form where there is one (φ), else the letter itself, never a raw _θ.
        (r"\nabla_\theta J(\theta)", "∇θ J(θ)"),
        (r"p_\theta(x \mid z)", "pθ(x | z)"),
        (r"\mathcal{N}(\mu_\phi(x), \mathrm{diag}\,\sigma_\phi^2(x))", "𝒩(μᵩ(x), diag σᵩ²(x))"),
        (r"\max_\theta f", "max_θ f"),  # after an operator the mark stays, or θ would merge into f
        (r"x_\mathrm{in}", "x_in"),
        # Superscripts: capitals, Greek and * where Unicode has them; a group keeps its grouping once.
        (r"y^{LS}", "y^LS"),
        (r"\alpha^{A}", "αᴬ"),
        (r"h^{(0)\top}", "h⁽⁰⁾ᵀ"),
        (r"D^*(x)", "D*(x)"),
        (r"e^{\ln 3}", "e^(ln 3)"),
        (r"PE_{(pos, 2i)}", "PE_(pos,2i)"),
        (r"\frac{\partial L}{\partial W_2}", "∂L/∂W₂"),
        (r"\partial L/\partial W_2 = \delta\,h^\top", "∂L/∂W₂ = δ hᵀ"),
    ],
)
def test_formulas(latex, shown):
    assert latex_to_unicode(latex) == shown


def test_markdown_keeps_text_and_escaped_dollars():
    assert render_math(r"Cost is $\frac{1}{n}\sum_i L_i$ and costs \$5.") == "Cost is 1/n ∑ᵢ Lᵢ and costs $5."


def test_a_lone_dollar_is_not_math():
    assert render_math("It costs $5 per card.") == "It costs $5 per card."


@pytest.mark.parametrize(
    "latex, shown",
    [
        (r"\log\frac{p}{1-p}", "log(p/(1-p))"),  # read as (log p)/(1-p)
        (r"\log \frac{a}{b}", "log(a/b)"),
        (r"\exp\frac12", "exp(1/2)"),
        (r"\log(\frac{p}{1-p})", "log(p/(1-p))"),  # the fraction's trailing space: log(p/(1-p) )
        (r"\frac{1}{2}\log\frac{1}{2\pi}", "1/2 log(1/(2π))"),
        (r"\log\frac{a}{\frac{b}{c}}", "log(a/(b/c))"),
    ],
)
def test_a_fraction_that_is_a_functions_argument_is_shown_whole(latex, shown):
    assert latex_to_unicode(latex) == shown


@pytest.mark.parametrize(
    "latex,shown",
    [
        # A denominator of two factors lost its meaning with the bar: 1/2σ² reads as σ²/2, 1/τη as η/τ.
        (r"\frac{1}{2\sigma^2}", "1/(2σ²)"),
        (r"\frac{1}{\tau\eta}", "1/(τη)"),
        (r"\frac{\lVert y-Xw\rVert^2}{2\sigma^2}", "(‖y-Xw‖²)/(2σ²)"),  # and no space inside the norm's bars
        (r"\frac{a}{\sigma_{x}\sigma_{y}}", "a/(σₓσ_y)"),
        # One factor stays bare, and a group is not bracketed twice.
        (r"\frac{1}{n_{in}}", "1/nᵢₙ"),
        (r"\frac{\sigma^2}{n}", "σ²/n"),
        (r"\frac{dL}{dx}", "dL/dx"),
        (r"\frac{\partial L}{\partial W}", "∂L/∂W"),
        (r"\frac{1}{\sqrt{d_k}}", "1/√(dₖ)"),
        (r"\frac{1}{0.5}", "1/0.5"),
        (r"\frac{\eta}{\sqrt{v}+\epsilon}", "η/(√(v)+ϵ)"),
        (r"\frac{n!}{k!(n-k)!}", "n!/(k!(n-k)!)"),
        (r"(\frac12, \frac14, \frac14)", "(1/2, 1/4, 1/4)"),  # was (1/2 , 1/4 , 1/4)
        (r"\lVert w\rVert_2", "‖w‖₂"),  # was ‖ w‖₂
    ],
)
def test_a_fraction_keeps_its_meaning_once_its_bar_is_a_slash(latex, shown):
    assert latex_to_unicode(latex) == shown
