"""Maximum likelihood (symbolic, with sympy) and the KL divergence / cross-entropy identities."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    n: int = Field(
        500,
        ge=5,
        le=100_000,
        description="Number of samples drawn for each distribution.",
        json_schema_extra={"description_ko": "각 분포에서 뽑는 표본 수."},
    )
    mu: float = Field(
        1.5,
        ge=-10.0,
        le=10.0,
        description="True mean of the normal distribution.",
        json_schema_extra={"description_ko": "정규분포의 실제 평균."},
    )
    sigma: float = Field(
        2.0,
        ge=0.1,
        le=10.0,
        description="True standard deviation of the normal distribution.",
        json_schema_extra={"description_ko": "정규분포의 실제 표준편차."},
    )
    k: int = Field(
        4,
        ge=2,
        le=6,
        description="Number of categories of the categorical distribution.",
        json_schema_extra={"description_ko": "범주형 분포의 범주 수."},
    )
    skew: float = Field(
        0.7,
        ge=0.0,
        le=3.0,
        description="True categorical p_k ∝ exp(-skew·k); 0 gives the uniform distribution.",
        json_schema_extra={"description_ko": "실제 범주형 분포 p_k ∝ exp(-skew·k). 0이면 균등 분포가 됩니다."},
    )
    q: Literal["shifted", "uniform", "reversed"] = Field(
        "shifted",
        description="Second distribution q compared with p: p with its categories shifted cyclically by one, "
        "the uniform distribution, or p with its categories in reverse order.",
        json_schema_extra={
            "description_ko": "p와 비교할 두 번째 분포 q: 범주를 순환적으로 한 칸씩 민 p, 균등 분포, 또는 범주 순서를 뒤집은 p."
        },
    )
    mistake: Literal["none", "unbiased_variance", "add_one_counts", "unnormalised_q", "wrong_kl_direction"] = Field(
        "none",
        description="Try a common mistake: compare against a formula that is not the one claimed.",
        json_schema_extra={"description_ko": "흔한 실수를 재현해 봅니다: 주장한 공식이 아닌 다른 공식과 비교합니다."},
    )


CLAIMS = [
    ClaimSpec(
        "normal_mle",
        {
            "en": "For a normal sample, the maximum-likelihood estimates are the sample mean and the variance with 1/n "
            "(not 1/(n−1)): μ̂ = (1/n)Σxᵢ, σ̂² = (1/n)Σ(xᵢ−μ̂)².",
            "ko": "정규분포 표본에서 최대 가능도 추정값은 표본평균과 1/(n−1)이 아닌 1/n으로 나눈 분산입니다: "
            "μ̂ = (1/n)Σxᵢ, σ̂² = (1/n)Σ(xᵢ−μ̂)².",
        },
    ),
    ClaimSpec(
        "categorical_mle",
        {
            "en": "For a categorical sample, maximising the likelihood under the constraint Σp_k = 1 gives the observed "
            "frequencies p̂_k = n_k / n.",
            "ko": "범주형 표본에서 Σp_k = 1 제약 아래 가능도를 최대화하면 관측 빈도 p̂_k = n_k / n 이 됩니다.",
        },
    ),
    ClaimSpec(
        "kl_nonnegative",
        {
            "en": "KL(p‖q) ≥ 0 for every pair of probability distributions (Gibbs' inequality), with equality only when p = q.",
            "ko": "모든 확률분포 쌍에 대해 KL(p‖q) ≥ 0 이며(깁스 부등식), p = q 일 때만 0입니다.",
        },
    ),
    ClaimSpec(
        "kl_asymmetric",
        {
            "en": "KL divergence is not symmetric: for these p and q, KL(p‖q) ≠ KL(q‖p), so it is not a distance metric.",
            "ko": "KL 발산은 대칭이 아닙니다: 이 p와 q에 대해 KL(p‖q) ≠ KL(q‖p) 이므로 거리 함수(metric)가 아닙니다.",
        },
    ),
    ClaimSpec(
        "cross_entropy_decomposition",
        {
            "en": "Cross-entropy decomposes as H(p, q) = H(p) + KL(p‖q); since H(p) does not depend on q, minimising "
            "cross-entropy over q is the same as minimising KL(p‖q).",
            "ko": "교차 엔트로피는 H(p, q) = H(p) + KL(p‖q) 로 분해됩니다. H(p)는 q와 무관하므로 q에 대해 교차 엔트로피를 "
            "최소화하는 것은 KL(p‖q)를 최소화하는 것과 같습니다.",
        },
    ),
]


def _kl(p, q):
    import numpy as np

    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    m = p > 0
    return float(np.sum(p[m] * np.log(p[m] / q[m])))


def _entropy(p):
    import numpy as np

    p = np.asarray(p, dtype=float)
    m = p > 0
    return float(-np.sum(p[m] * np.log(p[m])))


def run(params: Params, ctx) -> None:
    import numpy as np
    import sympy as sp

    rng = ctx.rng()
    mistake = params.mistake
    n = params.n

    # ---- 0. KL over random pairs first: the plot fills while sympy derives the MLEs below --------------
    K = params.k
    ctx.progress(0.0, {"en": "KL of random pairs", "ko": "무작위 분포 쌍의 KL"})
    m_pairs = 500
    kls = []
    for i in range(m_pairs):
        a = rng.dirichlet(np.ones(K))
        if mistake == "unnormalised_q":
            b = rng.gamma(1.0, 1.0, size=K) + 1e-12  # positive weights that do not sum to 1
        else:
            b = rng.dirichlet(np.ones(K)) + 1e-12
            b = b / b.sum()
        kls.append(_kl(a, b))
        if i % 10 == 0:
            ctx.point("KL(p‖q) of random pairs", i, kls[-1])

    # ---- 1. Normal: symbolic MLE from the sufficient statistics S1 = Σx, S2 = Σx² ---------------------
    ctx.progress(0.05, {"en": "deriving the normal MLE with sympy", "ko": "sympy로 정규분포의 MLE 유도"})
    mu, s = sp.symbols("mu s", real=True)  # s = σ²
    N, S1, S2 = sp.symbols("n S1 S2", positive=True)
    loglik = -N / 2 * sp.log(2 * sp.pi * s) - (S2 - 2 * mu * S1 + N * mu**2) / (2 * s)
    sols = sp.solve([sp.diff(loglik, mu), sp.diff(loglik, s)], [mu, s], dict=True)
    sol = sols[0]
    mu_expr, s_expr = sp.simplify(sol[mu]), sp.factor(sp.simplify(sol[s]))
    hess = sp.hessian(loglik, (mu, s)).subs(sol)

    x = rng.normal(params.mu, params.sigma, size=n)
    vals = {N: n, S1: float(x.sum()), S2: float((x**2).sum())}
    mu_hat = float(mu_expr.subs(vals))
    var_hat = float(s_expr.subs(vals))
    h = np.array(hess.subs(vals).evalf(), dtype=float)
    max_eig = float(np.linalg.eigvalsh(h).max())

    ref_mean = float(x.mean())
    ref_var = float(x.var(ddof=1 if mistake == "unbiased_variance" else 0))
    err_mu = abs(mu_hat - ref_mean) / max(1.0, abs(ref_mean))
    err_var = abs(var_hat - ref_var) / ref_var
    tol = 1e-8
    ctx.metric("mu_hat", mu_hat)
    ctx.metric("var_hat", var_hat)
    ctx.metric("var_unbiased", float(x.var(ddof=1)))
    ctx.claim(
        "normal_mle",
        err_mu < tol and err_var < tol and max_eig < 0,
        {
            "sympy_mu_hat": mu_hat,
            "sample_mean": ref_mean,
            "sympy_var_hat": var_hat,
            "compared_variance": ref_var,
            "compared_with": "1/(n-1)" if mistake == "unbiased_variance" else "1/n",
            "rel_err_mu": err_mu,
            "rel_err_var": err_var,
            "hessian_max_eigenvalue": max_eig,
        },
        {"rel_err_mu": f"< {tol:g}", "rel_err_var": f"< {tol:g}", "hessian_max_eigenvalue": "< 0 (a maximum)"},
    )

    # ---- 2. Categorical: Lagrange multiplier ---------------------------------------------------------
    ctx.progress(
        0.3,
        {
            "en": "deriving the categorical MLE with a Lagrange multiplier",
            "ko": "라그랑주 승수로 범주형 분포의 MLE 유도",
        },
    )
    K = params.k
    ps = sp.symbols(f"p1:{K + 1}", positive=True)
    ns = sp.symbols(f"n1:{K + 1}", positive=True)
    lam = sp.Symbol("lambda", real=True)
    lagr = sum(nk * sp.log(pk) for nk, pk in zip(ns, ps)) - lam * (sum(ps) - 1)
    csol = sp.solve([sp.diff(lagr, pk) for pk in ps] + [sum(ps) - 1], list(ps) + [lam], dict=True)[0]

    w = np.exp(-params.skew * np.arange(K))
    p_true = w / w.sum()
    labels = rng.choice(K, size=n, p=p_true)
    counts = np.bincount(labels, minlength=K)
    # sympy's symbols are positive, so substitute counts (empty categories would be 0; the formula still holds)
    sub = {nk: int(c) for nk, c in zip(ns, counts)}
    p_sym = np.array([float(csol[pk].subs(sub)) for pk in ps])
    if mistake == "add_one_counts":
        p_ref = (counts + 1) / (n + K)
    else:
        p_ref = counts / n
    cat_err = float(np.max(np.abs(p_sym - p_ref)))
    ctx.claim(
        "categorical_mle",
        cat_err < 1e-12,
        {
            "sympy_p_hat": [round(v, 6) for v in p_sym],
            "compared_p": [round(float(v), 6) for v in p_ref],
            "compared_with": "(n_k+1)/(n+K)" if mistake == "add_one_counts" else "n_k/n",
            "max_abs_diff": cat_err,
        },
        "max_abs_diff < 1e-12",
    )
    ctx.metric("lambda_hat", float(csol[lam].subs(sub)))

    # ---- 3. KL >= 0 over many random pairs ---------------------------------------------------------------
    ctx.progress(0.55, {"en": "checking KL ≥ 0 on random pairs", "ko": "무작위 분포 쌍에서 KL ≥ 0 확인"})
    p_hat = counts / n
    kls.append(_kl(p_hat, p_true))
    kls.append(_kl(p_true, p_true))
    min_kl = float(min(kls))
    ctx.metric("min_kl_random_pairs", min_kl)
    ctx.metric("kl_phat_ptrue", _kl(p_hat, p_true))
    ctx.claim(
        "kl_nonnegative",
        min_kl >= -1e-12 and abs(_kl(p_true, p_true)) < 1e-12,
        {
            "pairs": m_pairs + 2,
            "min_kl": min_kl,
            "kl_p_p": _kl(p_true, p_true),
            "q_normalised": mistake != "unnormalised_q",
        },
        {"min_kl": ">= -1e-12", "kl_p_p": "== 0 (within 1e-12)"},
    )

    # ---- 4. asymmetry -----------------------------------------------------------------------------------
    ctx.progress(0.75, {"en": "KL asymmetry and cross-entropy", "ko": "KL의 비대칭성과 교차 엔트로피"})
    if params.q == "uniform":
        q = np.full(K, 1.0 / K)
    elif params.q == "reversed":
        q = p_true[::-1].copy()
    else:
        q = np.roll(p_true, 1)
    kl_pq, kl_qp = _kl(p_true, q), _kl(q, p_true)
    ctx.metric("kl_p_q", kl_pq)
    ctx.metric("kl_q_p", kl_qp)
    ctx.compare("kl_asymmetric", "abs_kl_pq_minus_kl_qp", abs(kl_pq - kl_qp), ">", 1e-3)

    # ---- 5. cross-entropy decomposition -----------------------------------------------------------------
    h_p = _entropy(p_true)
    h_pq = float(-np.sum(p_true * np.log(q)))
    kl_used = kl_qp if mistake == "wrong_kl_direction" else kl_pq
    # Monte Carlo: average negative log-likelihood of the samples under q estimates H(p, q)
    nll_q = float(-np.mean(np.log(q[labels])))
    nll_p = float(-np.mean(np.log(p_true[labels])))
    ctx.metric("entropy_p", h_p)
    ctx.metric("cross_entropy_p_q", h_pq)
    ctx.metric("sample_nll_under_q", nll_q)
    ctx.metric("sample_nll_under_p", nll_p)
    gap = abs(h_pq - (h_p + kl_used))
    ctx.claim(
        "cross_entropy_decomposition",
        gap < 1e-10,
        {
            "H(p,q)": h_pq,
            "H(p)": h_p,
            "KL_used": kl_used,
            "KL_direction": "KL(q||p)" if mistake == "wrong_kl_direction" else "KL(p||q)",
            "abs_gap": gap,
            "sample_nll_under_q": nll_q,
        },
        "abs_gap < 1e-10",
    )
    ctx.progress(0.95, {"en": "summarising", "ko": "정리"})

    ctx.table(
        {"en": "Estimates versus truth", "ko": "추정값과 참값"},
        [
            {"en": "quantity", "ko": "항목"},
            {"en": "formula (sympy)", "ko": "식 (sympy)"},
            {"en": "estimate", "ko": "추정값"},
            {"en": "true value", "ko": "참값"},
        ],
        [
            ["μ", str(mu_expr), mu_hat, params.mu],
            ["σ²", str(s_expr), var_hat, params.sigma**2],
            *[[f"p_{k + 1}", str(csol[ps[k]]), float(p_sym[k]), float(p_true[k])] for k in range(K)],
            ["KL(p‖q)", "Σ p log(p/q)", kl_pq, kl_pq],
            ["KL(q‖p)", "Σ q log(q/p)", kl_qp, kl_qp],
        ],
    )
    ctx.text(
        {
            "en": (
                f"Setting the derivatives of the log-likelihood to zero, sympy finds **μ̂ = {mu_expr}** and "
                f"**σ̂² = {s_expr}** (with S1 = Σx, S2 = Σx²), i.e. the sample mean and the variance divided by *n*. "
                f"Here σ̂² = {var_hat:.4f}, while the unbiased estimate (÷(n−1)) is {x.var(ddof=1):.4f}: the MLE is "
                "slightly smaller, and the gap shrinks as n grows.\n\n"
                "For the categorical distribution the Lagrange multiplier gives p̂_k = n_k / n — the MLE is just the "
                f"observed frequency (λ̂ = n).\n\nKL(p‖q) = {kl_pq:.4f} but KL(q‖p) = {kl_qp:.4f}: the order matters. "
                "Try `q = reversed`: reversing the categories is a symmetric swap, and the two directions happen to "
                "agree. Finally, the average negative log-likelihood of the samples under q "
                f"({nll_q:.4f}) estimates the cross-entropy H(p,q) = {h_pq:.4f} = H(p) + KL(p‖q) = {h_p:.4f} + {kl_pq:.4f}."
            ),
            "ko": (
                f"로그 가능도의 도함수를 0으로 두면 sympy가 **μ̂ = {mu_expr}**, **σ̂² = {s_expr}** (S1 = Σx, S2 = Σx²)를 "
                "찾습니다. 즉 표본평균과 *n*으로 나눈 분산입니다. "
                f"여기서 σ̂² = {var_hat:.4f}이고, 불편추정량(÷(n−1))은 "
                f"{x.var(ddof=1):.4f}입니다. MLE가 조금 더 작으며, n이 커질수록 차이는 줄어듭니다.\n\n"
                "범주형 분포에서는 라그랑주 승수법으로 p̂_k = n_k / n 을 얻습니다. "
                "MLE는 곧 관측 빈도입니다(λ̂ = n).\n\n"
                f"KL(p‖q) = {kl_pq:.4f}이지만 KL(q‖p) = {kl_qp:.4f}입니다. 순서가 중요합니다. "
                "`q = reversed`를 골라 보세요. "
                "범주 순서를 뒤집는 것은 대칭적인 맞바꿈이라 두 방향의 값이 우연히 같아집니다. "
                "끝으로, q 아래에서 표본의 "
                f"평균 음의 로그 가능도({nll_q:.4f})는 교차 엔트로피 H(p,q) = {h_pq:.4f} = H(p) + KL(p‖q) = "
                f"{h_p:.4f} + {kl_pq:.4f}의 추정값입니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("mu_hat", {"en": "MLE of the mean μ̂", "ko": "평균의 최대 가능도 추정값 μ̂"}),
    MetricSpec("var_hat", {"en": "MLE of the variance (divides by n)", "ko": "분산의 최대 가능도 추정값 (n으로 나눔)"}),
    MetricSpec("var_unbiased", {"en": "Unbiased variance (divides by n − 1)", "ko": "불편 분산 (n − 1로 나눔)"}),
    MetricSpec("lambda_hat", {"en": "MLE of the rate λ̂", "ko": "비율의 최대 가능도 추정값 λ̂"}),
    MetricSpec(
        "min_kl_random_pairs",
        {"en": "Smallest KL over random pairs", "ko": "무작위 쌍의 최소 KL"},
        {"en": "nats", "ko": "nat"},
    ),
    MetricSpec("kl_phat_ptrue", {"en": "KL(p̂ ‖ p)", "ko": "KL(p̂ ‖ p)"}, {"en": "nats", "ko": "nat"}),
    MetricSpec("kl_p_q", {"en": "KL(p ‖ q)", "ko": "KL(p ‖ q)"}, {"en": "nats", "ko": "nat"}),
    MetricSpec("kl_q_p", {"en": "KL(q ‖ p)", "ko": "KL(q ‖ p)"}, {"en": "nats", "ko": "nat"}),
    MetricSpec("entropy_p", {"en": "Entropy H(p)", "ko": "엔트로피 H(p)"}, {"en": "nats", "ko": "nat"}),
    MetricSpec(
        "cross_entropy_p_q", {"en": "Cross-entropy H(p, q)", "ko": "교차 엔트로피 H(p, q)"}, {"en": "nats", "ko": "nat"}
    ),
    MetricSpec(
        "sample_nll_under_q",
        {"en": "Mean negative log-likelihood under q", "ko": "q에서의 평균 음의 로그 가능도"},
        {"en": "nats", "ko": "nat"},
    ),
    MetricSpec(
        "sample_nll_under_p",
        {"en": "Mean negative log-likelihood under p", "ko": "p에서의 평균 음의 로그 가능도"},
        {"en": "nats", "ko": "nat"},
    ),
)
PLOTS = (
    PanelSpec(
        "kl",
        title={
            "en": "KL divergence of random pairs is never negative",
            "ko": "무작위 쌍의 KL 발산은 음수가 되지 않습니다",
        },
        x={"en": "pair", "ko": "쌍 번호"},
        y={"en": "KL(p‖q) (nats)", "ko": "KL(p‖q) (nat)"},
        series={
            "KL(p‖q) of random pairs": {"en": "KL(p‖q)", "ko": "KL(p‖q)"},
        },
    ),
)
# Seconds: fitted to the run's CPU time at the defaults and the maxima (issue 12; within 2x of both).
ESTIMATE = "0.7 + 0.000001*n"


plugin = Plugin(
    id="mle-kl",
    title={"en": "Maximum likelihood and KL divergence", "ko": "최대 가능도 추정과 KL 발산"},
    summary={
        "en": "Derive the MLE of a normal and a categorical distribution with sympy and check it on seeded data; "
        "then check KL ≥ 0, its asymmetry, and H(p,q) = H(p) + KL(p‖q). Try the common mistakes with `mistake`.",
        "ko": "sympy로 정규분포와 범주형 분포의 MLE를 유도하고 시드로 생성한 데이터에서 확인합니다. 이어서 KL ≥ 0, "
        "비대칭성, H(p,q) = H(p) + KL(p‖q)를 확인합니다. `mistake`로 흔한 실수를 시험해 보세요.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("probability", "information-theory", "mle", "sympy"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.0,
)
