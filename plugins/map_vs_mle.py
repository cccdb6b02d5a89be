"""MAP versus MLE in linear regression: a Gaussian prior is L2 weight decay, and the data size decides who wins."""

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    features: int = Field(
        3,
        ge=1,
        le=20,
        description="Number of weights d of the linear model y = w·x + ε.",
        json_schema_extra={"description_ko": "선형 모델 y = w·x + ε의 가중치 수 d."},
    )
    noise: float = Field(
        0.5,
        gt=0.0,
        le=5.0,
        description="Noise standard deviation σ of the likelihood.",
        json_schema_extra={"description_ko": "가능도의 잡음 표준편차 σ."},
    )
    prior_std: float = Field(
        0.25,
        gt=0.0,
        le=100.0,
        description="Standard deviation τ of the Gaussian prior w ~ N(μ₀, τ²I).",
        json_schema_extra={"description_ko": "가우시안 사전분포 w ~ N(μ₀, τ²I)의 표준편차 τ."},
    )
    prior_mean: float = Field(
        0.0,
        ge=-10.0,
        le=10.0,
        description="Prior mean μ₀ of every weight (0 gives ordinary weight decay).",
        json_schema_extra={"description_ko": "모든 가중치의 사전분포 평균 μ₀ (0이면 보통의 가중치 감쇠)."},
    )
    true_norm: float = Field(
        2.0,
        gt=0.0,
        le=20.0,
        description="Length ‖w*‖ of the true weight vector that generates the data.",
        json_schema_extra={"description_ko": "데이터를 만드는 실제 가중치 벡터의 길이 ‖w*‖."},
    )
    n_max: int = Field(
        1000,
        ge=1,
        le=100_000,
        description="Largest number of examples in the sweep over n.",
        json_schema_extra={"description_ko": "n을 바꿔 가며 볼 때의 최대 예제 수."},
    )
    steps: int = Field(
        300,
        ge=0,
        le=20_000,
        description="Gradient-descent steps on NLL + (−log prior).",
        json_schema_extra={"description_ko": "음의 로그 가능도 + (−로그 사전확률)에 대한 경사 하강법 스텝 수."},
    )
    mistake: Literal["none", "forget_noise_variance"] = Field(
        "none",
        description="Try a common mistake: take the weight-decay strength as λ = 1/τ² instead of σ²/τ².",
        json_schema_extra={
            "description_ko": "흔한 실수를 재현해 봅니다: 가중치 감쇠 강도를 σ²/τ² 대신 λ = 1/τ²로 둡니다."
        },
    )

    @model_validator(mode="after")
    def _enough_examples_for_the_mle(self):
        # The MLE needs at least as many examples as weights; a smaller n_max used to be raised without a word.
        if self.n_max < self.features:
            raise ValueError(
                f"n_max ({self.n_max}) must be at least features ({self.features}): the MLE of {self.features} "
                "weights needs at least as many examples"
            )
        return self


CLAIMS = [
    ClaimSpec(
        "gaussian_prior_is_weight_decay",
        {
            "en": "The MAP estimate found by gradient descent on the Gaussian NLL plus −log N(w; μ₀, τ²I) equals the closed-form "
            "ridge solution with weight decay λ = σ²/τ²: w = (XᵀX + λI)⁻¹(Xᵀy + λμ₀).",
            "ko": "가우시안 음의 로그 가능도에 −log N(w; μ₀, τ²I)를 더해 경사 하강법으로 찾은 MAP 추정값은 가중치 감쇠 강도 λ = σ²/τ²의 "
            "닫힌 형태 릿지 해 w = (XᵀX + λI)⁻¹(Xᵀy + λμ₀)와 같습니다.",
        },
    ),
    ClaimSpec(
        "few_data_map_near_prior",
        {
            "en": "With the fewest examples (n = d), the MAP estimate is closer to the prior mean than to the MLE.",
            "ko": "예제가 가장 적을 때(n = d) MAP 추정값은 MLE보다 사전분포의 평균에 더 가깝습니다.",
        },
    ),
    ClaimSpec(
        "many_data_map_near_mle",
        {
            "en": "With the most examples (n = n_max), the MAP estimate has moved to the MLE: ‖w_MAP − w_MLE‖ is less than 5% "
            "of ‖w_MLE − μ₀‖.",
            "ko": "예제가 가장 많을 때(n = n_max) MAP 추정값은 MLE 쪽으로 옮겨 가서, ‖w_MAP − w_MLE‖가 ‖w_MLE − μ₀‖의 5%보다 "
            "작습니다.",
        },
    ),
]


def _sizes(d: int, n_max: int) -> list[int]:
    """Example counts from d to n_max, roughly evenly spaced on a log scale."""
    sizes, n = [], d
    while n < n_max:
        sizes.append(n)
        n = max(n + 1, int(round(n * 1.6)))
    sizes.append(max(d, n_max))
    return sizes


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _run(p: Params, ctx, torch) -> None:
    g = ctx.torch_seed()
    dt = torch.float64
    d, sigma, tau = p.features, p.noise, p.prior_std
    n_all = p.n_max
    w_true = torch.randn(d, generator=g, dtype=dt)
    w_true = p.true_norm * w_true / w_true.norm()
    X_all = torch.rand(n_all, d, generator=g, dtype=dt) * 2 - 1
    y_all = X_all @ w_true + sigma * torch.randn(n_all, generator=g, dtype=dt)
    mu0 = torch.full((d,), p.prior_mean, dtype=dt)
    lam = sigma**2 / tau**2
    lam_used = 1.0 / tau**2 if p.mistake == "forget_noise_variance" else lam
    eye = torch.eye(d, dtype=dt)

    def ridge(X, y, lam_):
        return torch.linalg.solve(X.T @ X + lam_ * eye, X.T @ y + lam_ * mu0)

    def mle(X, y):
        return torch.linalg.lstsq(X, y.unsqueeze(1)).solution.squeeze(1)

    # ---- 1. MAP by gradient descent on NLL + (−log prior), written as likelihood and prior, not as a penalty ---
    X, y = X_all, y_all
    prior = torch.distributions.Normal(mu0, torch.full((d,), tau, dtype=dt))
    w = mu0.clone().requires_grad_(True)
    # step 1/L, L = largest eigenvalue of the objective's Hessian XᵀX/σ² + I/τ²
    L = float(torch.linalg.eigvalsh(X.T @ X).max()) / sigma**2 + 1.0 / tau**2
    every = max(1, p.steps // 60)
    for step in range(p.steps + 1):
        obj = -torch.distributions.Normal(X @ w, sigma).log_prob(y).sum() - prior.log_prob(w).sum()
        if step % every == 0 or step == p.steps:
            ctx.point("gradient descent: NLL − log prior", step, float(obj.detach()))
            if step % (every * 10) == 0:
                ctx.progress(
                    0.6 * step / max(1, p.steps),
                    {"en": f"gradient descent step {step}", "ko": f"경사 하강법 스텝 {step}"},
                )
        if step == p.steps:
            break
        (gr,) = torch.autograd.grad(obj, w)
        with torch.no_grad():
            w -= gr / L
    w_gd = w.detach()
    w_ridge = ridge(X, y, lam_used)
    gap = float((w_gd - w_ridge).norm())
    rel = gap / max(float(w_ridge.norm()), 1e-12)
    # the weight decay the descent actually found: at a minimum of ‖y − Xw‖² + λ‖w − μ₀‖², Xᵀ(y − Xw) = λ(w − μ₀)
    dw = w_gd - mu0
    lam_implied = float((X.T @ (y - X @ w_gd)) @ dw) / max(float(dw @ dw), 1e-300)
    ctx.metric("lambda_sigma2_over_tau2", lam)
    ctx.metric("lambda_implied_by_gd_map", lam_implied)
    ctx.metric("lambda_used", lam_used)
    ctx.metric("map_gd_vs_ridge_distance", gap)
    ctx.metric("norm_w_map", float(w_gd.norm()))
    ctx.metric("norm_w_mle", float(mle(X, y).norm()))
    ctx.claim(
        "gaussian_prior_is_weight_decay",
        rel < 1e-6,
        {
            "lambda_used": lam_used,
            "sigma2_over_tau2": lam,
            "gd_steps": p.steps,
            "norm_w_gd": float(w_gd.norm()),
            "norm_w_ridge": float(w_ridge.norm()),
            "relative_distance": rel,
        },
        "‖w_gd − w_ridge‖ / ‖w_ridge‖ < 1e-6",
    )

    # ---- 2. the same prior with n = d … n_max examples ------------------------------------------------------
    rows = []
    sizes = _sizes(d, n_all)
    for k, n in enumerate(sizes):
        Xn, yn = X_all[:n], y_all[:n]
        wm, wl = ridge(Xn, yn, lam), mle(Xn, yn)
        to_prior, to_mle, mle_to_prior = float((wm - mu0).norm()), float((wm - wl).norm()), float((wl - mu0).norm())
        rows.append([n, to_prior, to_mle, mle_to_prior, float((wm - w_true).norm()), float((wl - w_true).norm())])
        ctx.point("‖w_MAP − μ₀‖", n, to_prior)
        ctx.point("‖w_MAP − w_MLE‖", n, to_mle)
        ctx.progress(0.6 + 0.35 * (k + 1) / len(sizes), {"en": f"n = {n}", "ko": f"n = {n}"})
    first, last = rows[0], rows[-1]
    ctx.metric("n_min", first[0])
    ctx.metric("map_to_prior_at_n_min", first[1])
    ctx.metric("map_to_mle_at_n_min", first[2])
    ctx.metric("map_to_mle_at_n_max", last[2])
    ctx.metric("mle_to_prior_at_n_max", last[3])
    ctx.metric("map_mle_fraction_at_n_max", last[2] / max(last[3], 1e-300))
    ctx.claim(
        "few_data_map_near_prior",
        first[1] < first[2],
        {"n": first[0], "dist_map_prior_mean": first[1], "dist_map_mle": first[2], "tau": tau},
        "dist_map_prior_mean < dist_map_mle",
    )
    frac = last[2] / max(last[3], 1e-300)
    ctx.claim(
        "many_data_map_near_mle",
        len(sizes) > 1 and frac < 0.05,
        {"n": last[0], "dist_map_mle": last[2], "dist_mle_prior_mean": last[3], "fraction": frac, "tau": tau},
        {"fraction": "< 0.05", "n": "> d"},
    )

    ctx.table(
        {
            "en": f"Prior N({p.prior_mean:g}, {tau:g}²), noise σ = {sigma:g}, λ = σ²/τ² = {lam:.4g}",
            "ko": f"사전분포 N({p.prior_mean:g}, {tau:g}²), 잡음 σ = {sigma:g}, λ = σ²/τ² = {lam:.4g}",
        },
        ["n", "‖w_MAP − μ₀‖", "‖w_MAP − w_MLE‖", "‖w_MLE − μ₀‖", "‖w_MAP − w*‖", "‖w_MLE − w*‖"],
        rows,
    )
    ctx.text(
        {
            "en": (
                "−log p(w | data) = −log p(data | w) − log p(w) + const. With Gaussian noise the first term is ‖y − Xw‖²/(2σ²), "
                "with a Gaussian prior the second is ‖w − μ₀‖²/(2τ²); multiply by 2σ² and it is least squares plus "
                f"λ‖w − μ₀‖² with λ = σ²/τ² = {lam:.4g}: L2 weight decay (toward μ₀). Gradient descent on the likelihood and "
                f"prior as torch distributions lands on the closed-form ridge solution (relative distance {rel:.1e}).\n\n"
                "The prior's pull stays fixed while the data's grows with n (XᵀX grows like n), so with few examples the MAP "
                "estimate sits near the prior mean and with many it joins the MLE. Try a huge `prior_std` (a flat prior: MAP = "
                "MLE already at n = d) or a tiny one (the prior never lets go), or `mistake = forget_noise_variance`."
            ),
            "ko": (
                "−log p(w | 데이터) = −log p(데이터 | w) − log p(w) + 상수입니다. 잡음이 가우시안 분포이면 첫 항은 ‖y − Xw‖²/(2σ²), "
                "사전분포가 가우시안 분포이면 둘째 항은 ‖w − μ₀‖²/(2τ²)입니다. 2σ²를 곱하면 최소제곱에 λ‖w − μ₀‖²를 더한 것이 되고 "
                f"λ = σ²/τ² = {lam:.4g}입니다. 즉 (μ₀를 향한) L2 가중치 감쇠입니다. 가능도와 사전분포를 torch 분포로 적고 경사 하강법을 "
                f"돌리면 닫힌 형태의 릿지 해에 도달합니다(상대 거리 {rel:.1e}).\n\n"
                "사전분포가 당기는 힘은 그대로이지만 데이터의 힘은 n과 함께 커집니다(XᵀX가 n에 비례해 커짐). 그래서 예제가 적으면 "
                "MAP 추정값은 사전분포의 평균 근처에 있고, 많으면 MLE와 거의 같아집니다. `prior_std`를 아주 크게(평평한 사전분포: "
                "n = d에서 이미 MAP = MLE) 또는 아주 작게(사전분포가 놓아 주지 않음) 해 보고, `mistake = forget_noise_variance`도 "
                "시험해 보세요."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("lambda_sigma2_over_tau2", {"en": "λ = σ²/τ² from the prior", "ko": "사전분포로 정한 λ = σ²/τ²"}),
    MetricSpec(
        "lambda_implied_by_gd_map", {"en": "λ implied by the gradient-descent MAP", "ko": "경사 하강 MAP가 뜻하는 λ"}
    ),
    MetricSpec("lambda_used", {"en": "λ used by ridge", "ko": "릿지가 쓴 λ"}),
    MetricSpec(
        "map_gd_vs_ridge_distance",
        {"en": "Distance between the MAP and ridge solutions", "ko": "MAP 해와 릿지 해의 거리"},
    ),
    MetricSpec("norm_w_map", {"en": "‖w_MAP‖", "ko": "‖w_MAP‖"}),
    MetricSpec("norm_w_mle", {"en": "‖w_MLE‖", "ko": "‖w_MLE‖"}),
    MetricSpec("n_min", {"en": "Smallest sample size", "ko": "가장 작은 표본 크기"}),
    MetricSpec(
        "map_to_prior_at_n_min", {"en": "‖w_MAP − μ₀‖ at the smallest n", "ko": "가장 작은 n에서의 ‖w_MAP − μ₀‖"}
    ),
    MetricSpec(
        "map_to_mle_at_n_min", {"en": "‖w_MAP − w_MLE‖ at the smallest n", "ko": "가장 작은 n에서의 ‖w_MAP − w_MLE‖"}
    ),
    MetricSpec("map_to_mle_at_n_max", {"en": "‖w_MAP − w_MLE‖ at n_max", "ko": "n_max에서의 ‖w_MAP − w_MLE‖"}),
    MetricSpec("mle_to_prior_at_n_max", {"en": "‖w_MLE − μ₀‖ at n_max", "ko": "n_max에서의 ‖w_MLE − μ₀‖"}),
    MetricSpec(
        "map_mle_fraction_at_n_max",
        {"en": "‖w_MAP − w_MLE‖ / ‖w_MLE − μ₀‖ at n_max", "ko": "n_max에서의 ‖w_MAP − w_MLE‖ / ‖w_MLE − μ₀‖"},
    ),
)
PLOTS = (
    PanelSpec(
        "descent",
        title={"en": "Gradient descent on NLL − log prior", "ko": "NLL − log 사전확률에 대한 경사 하강"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "NLL − log prior", "ko": "NLL − log 사전확률"},
        series={
            "gradient descent: NLL − log prior": {"en": "gradient descent", "ko": "경사 하강"},
        },
        log_y=True,
    ),
    PanelSpec(
        "distances",
        title={
            "en": "MAP moves from the prior to the MLE as n grows",
            "ko": "n이 커지면 MAP는 사전 평균에서 MLE로 옮겨 갑니다",
        },
        x={"en": "samples n", "ko": "표본 수 n"},
        y={"en": "distance", "ko": "거리"},
        series={
            "‖w_MAP − μ₀‖": {"en": "‖w_MAP − μ₀‖ (to the prior mean)", "ko": "‖w_MAP − μ₀‖ (사전 평균까지)"},
            "‖w_MAP − w_MLE‖": {"en": "‖w_MAP − w_MLE‖ (to the MLE)", "ko": "‖w_MAP − w_MLE‖ (MLE까지)"},
        },
        log_y=True,
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.3 + 1.19*(0.0008*steps + 0.000001*n_max*features)"


plugin = Plugin(
    id="map-vs-mle",
    title={"en": "MAP vs MLE: a prior is weight decay", "ko": "MAP와 MLE: 사전분포는 가중치 감쇠"},
    summary={
        "en": "Linear regression with a Gaussian prior: gradient descent on NLL − log prior lands on the ridge (L2 weight "
        "decay) solution, and as the data grow the MAP estimate leaves the prior mean for the MLE.",
        "ko": "가우시안 사전분포를 둔 선형 회귀: 음의 로그 가능도 − 로그 사전확률에 경사 하강법을 쓰면 릿지(L2 가중치 감쇠) 해에 "
        "도달하고, 데이터가 늘면 MAP 추정값이 사전분포의 평균을 떠나 MLE로 옮겨 갑니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("probability", "mle", "map", "regularisation", "weight-decay"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.0,
)
