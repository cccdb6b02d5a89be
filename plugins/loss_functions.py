"""Loss functions with a sigmoid output: MSE saturates when confidently wrong, cross-entropy does not; MSE is a Gaussian NLL."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    wrong_logit: float = Field(
        6.0,
        ge=0.0,
        le=20.0,
        description="How confidently wrong the model is: the target is 1 and the logit is z = −wrong_logit (0 = undecided).",
        json_schema_extra={
            "description_ko": "모델이 얼마나 확신에 차서 틀렸는지: 타깃은 1이고 로짓은 z = −wrong_logit입니다 (0이면 반반)."
        },
    )
    ratio: float = Field(
        10.0,
        gt=1.0,
        le=1e6,
        description="How many times larger the cross-entropy gradient must be than the MSE gradient at that logit.",
        json_schema_extra={
            "description_ko": "그 로짓에서 교차 엔트로피 기울기가 MSE 기울기보다 몇 배 이상 커야 하는지."
        },
    )
    n: int = Field(
        200,
        ge=0,
        le=100_000,
        description="Regression examples for the MSE / Gaussian NLL comparison.",
        json_schema_extra={"description_ko": "MSE와 가우시안 음의 로그 가능도를 비교할 회귀 예제 수."},
    )
    sigma: float = Field(
        0.5,
        gt=0.0,
        le=10.0,
        description="Noise standard deviation σ of the Gaussian likelihood.",
        json_schema_extra={"description_ko": "가우시안 가능도의 잡음 표준편차 σ."},
    )
    noise_model: Literal["fixed", "input_dependent"] = Field(
        "fixed",
        description="Variance of the Gaussian likelihood: one fixed σ² for every example, or σ² that grows with |x| "
        "(then the NLL is a weighted MSE, not MSE).",
        json_schema_extra={
            "description_ko": "가우시안 가능도의 분산: 모든 예제에 같은 σ², 또는 |x|와 함께 커지는 σ² "
            "(이 경우 음의 로그 가능도는 MSE가 아니라 가중 MSE가 됩니다)."
        },
    )


CLAIMS = [
    ClaimSpec(
        "mse_saturates_ce_does_not",
        {
            "en": "With a sigmoid output and target 1, at a confidently wrong logit the cross-entropy gradient ∂L/∂z is many "
            "times larger than the MSE gradient: MSE's gradient σ′(z)·2(σ(z)−1) vanishes with σ′(z), cross-entropy's "
            "σ(z)−1 does not.",
            "ko": "시그모이드 출력에 타깃이 1일 때, 확신에 차서 틀린 로짓에서는 교차 엔트로피의 기울기 ∂L/∂z가 MSE의 기울기보다 "
            "몇 배나 큽니다. MSE의 기울기 σ′(z)·2(σ(z)−1)은 σ′(z)와 함께 사라지지만, 교차 엔트로피의 기울기 σ(z)−1은 "
            "사라지지 않습니다.",
        },
    ),
    ClaimSpec(
        "mse_is_gaussian_nll",
        {
            "en": "On the data, the mean Gaussian negative log-likelihood with a fixed σ equals MSE/(2σ²) plus the constant "
            "½·log(2πσ²) for every candidate model, so both pick the same model. (A numerical check of that identity by two "
            "independent code paths: the NLL from torch.distributions.Normal.log_prob, the MSE from F.mse_loss.)",
            "ko": "데이터에서 σ가 고정된 가우시안 분포의 평균 음의 로그 가능도는 모든 후보 모델에 대해 MSE/(2σ²)에 상수 "
            "½·log(2πσ²)를 더한 값과 같으므로, 두 기준은 같은 모델을 고릅니다. (이 항등식을 서로 독립된 두 계산 경로로 "
            "수치 확인합니다: 음의 로그 가능도는 torch.distributions.Normal.log_prob로, MSE는 F.mse_loss로 구합니다.)",
        },
    ),
]


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _run(p: Params, ctx, torch) -> None:
    import math

    F = torch.nn.functional
    g = ctx.torch_seed()
    dt = torch.float64

    # ---- 1. gradients w.r.t. the logit, by autograd, over a sweep of logits (target y = 1) ------------------
    ctx.progress(
        0.02,
        {"en": "gradients of MSE and cross-entropy over the logit", "ko": "로짓에 대한 MSE와 교차 엔트로피의 기울기"},
    )
    z = torch.linspace(-12.0, 12.0, 97, dtype=dt)
    z = torch.cat([z, torch.tensor([-p.wrong_logit], dtype=dt)]).requires_grad_(True)
    y = torch.ones_like(z)
    mse = ((torch.sigmoid(z) - y) ** 2).sum()  # each entry is one example: the sum keeps per-logit gradients
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="sum")
    (g_mse,) = torch.autograd.grad(mse, z)
    (g_ce,) = torch.autograd.grad(ce, z)
    z = z.detach()
    for i in range(len(z) - 1):
        ctx.point("|∂MSE/∂z|", float(z[i]), abs(float(g_mse[i])))
        ctx.point("|∂CE/∂z|", float(z[i]), abs(float(g_ce[i])))
    gm, gc = abs(float(g_mse[-1])), abs(float(g_ce[-1]))
    r = gc / gm if gm > 0 else float("inf")
    s = 1.0 / (1.0 + math.exp(p.wrong_logit))  # σ(−a), for the closed forms shown next to autograd
    ctx.metric("logit", -p.wrong_logit)
    ctx.metric("mse_grad_at_wrong_logit", gm)
    ctx.metric("ce_grad_at_wrong_logit", gc)
    ctx.metric("grad_ratio_ce_over_mse", r)
    ctx.metric("grad_ratio_closed_form", 1.0 / (2.0 * s * (1.0 - s)))
    ctx.claim(
        "mse_saturates_ce_does_not",
        r >= p.ratio,
        {"logit": -p.wrong_logit, "sigmoid": s, "abs_grad_mse": gm, "abs_grad_ce": gc, "ratio_ce_over_mse": r},
        f"ratio_ce_over_mse >= {p.ratio:g}",
    )
    ctx.progress(
        0.4, {"en": "MSE and Gaussian NLL on regression data", "ko": "회귀 데이터에서 MSE와 가우시안 음의 로그 가능도"}
    )

    # ---- 2. MSE versus Gaussian NLL for a family of candidate lines ----------------------------------------
    x = torch.rand(p.n, generator=g, dtype=dt) * 4 - 2
    scale = p.sigma * (0.2 + torch.abs(x)) if p.noise_model == "input_dependent" else torch.full_like(x, p.sigma)
    t = 1.5 * x + 0.5 + scale * torch.randn(p.n, generator=g, dtype=dt)
    slopes = torch.linspace(0.0, 3.0, 61, dtype=dt)
    mses, nlls, diffs = [], [], []
    for k, w in enumerate(slopes):
        pred = w * x + 0.5
        m = float(F.mse_loss(pred, t)) if p.n else float("nan")
        # the likelihood the learner would write: each target ~ N(prediction, σ²) (σ per example if input-dependent)
        nll = float(-torch.distributions.Normal(pred, scale).log_prob(t).mean()) if p.n else float("nan")
        mses.append(m)
        nlls.append(nll)
        diffs.append(nll - m / (2 * p.sigma**2))
        ctx.point("MSE/(2σ²) + ½log(2πσ²)", float(w), m / (2 * p.sigma**2) + 0.5 * math.log(2 * math.pi * p.sigma**2))
        ctx.point("Gaussian NLL", float(w), nll)
        if k % 10 == 0:
            ctx.progress(0.4 + 0.5 * k / len(slopes), {"en": f"slope {float(w):.2f}", "ko": f"기울기 {float(w):.2f}"})
    const = 0.5 * math.log(2 * math.pi * p.sigma**2)
    finite = p.n > 0
    spread = (max(diffs) - min(diffs)) if finite else float("nan")
    const_err = (max(abs(d - const) for d in diffs)) if finite else float("nan")
    i_mse = min(range(len(slopes)), key=lambda i: mses[i]) if finite else -1
    i_nll = min(range(len(slopes)), key=lambda i: nlls[i]) if finite else -1
    ctx.metric("nll_minus_scaled_mse_spread", spread)
    ctx.metric("nll_minus_scaled_mse_mean", sum(diffs) / len(diffs) if finite else float("nan"))
    ctx.metric("half_log_2pi_sigma2", const)
    ctx.metric("argmin_slope_mse", float(slopes[i_mse]) if finite else float("nan"))
    ctx.metric("argmin_slope_nll", float(slopes[i_nll]) if finite else float("nan"))
    ctx.claim(
        "mse_is_gaussian_nll",
        finite and const_err < 1e-9 and i_mse == i_nll,
        {
            "n": p.n,
            "noise_model": p.noise_model,
            "spread_of_nll_minus_mse_over_2sigma2": spread if finite else None,
            "max_abs_diff_from_half_log_2pi_sigma2": const_err if finite else None,
            "argmin_slope_mse": float(slopes[i_mse]) if finite else None,
            "argmin_slope_nll": float(slopes[i_nll]) if finite else None,
        },
        {"max_abs_diff_from_half_log_2pi_sigma2": "< 1e-9", "argmin": "the same slope", "n": "> 0"},
    )

    step = len(z) // 8
    ctx.table(
        {
            "en": "Gradient of the loss w.r.t. the logit z (target 1), by autograd",
            "ko": "로짓 z에 대한 손실의 기울기 (타깃 1), autograd로 계산",
        },
        ["z", "σ(z)", "∂MSE/∂z", "∂CE/∂z", "|CE| / |MSE|"],
        [
            [
                float(z[i]),
                float(torch.sigmoid(z[i])),
                float(g_mse[i]),
                float(g_ce[i]),
                abs(float(g_ce[i])) / max(abs(float(g_mse[i])), 1e-300),
            ]
            for i in list(range(0, len(z) - 1, step)) + [len(z) - 1]
        ],
    )
    ctx.text(
        {
            "en": (
                f"At z = {-p.wrong_logit:g} the model says P(y=1) = {s:.4f}, but y = 1. Cross-entropy's gradient is "
                f"σ(z) − 1 = {-gc:.4f}, a full-size push. MSE's is 2(σ(z) − 1)·σ(z)(1 − σ(z)) = {-gm:.2e}: the sigmoid's "
                f"slope σ′(z) multiplies it and is almost 0 in the flat tail, so the ratio is {r:.1f} (= 1/(2σ(1−σ))). "
                "The log in cross-entropy undoes the exp in the sigmoid — the reason classifiers pair sigmoid/softmax "
                "outputs with cross-entropy.\n\n"
                f"For regression, −log N(t; ŷ, σ²) = (t − ŷ)²/(2σ²) + ½log(2πσ²). Averaged over {p.n} examples, the NLL minus "
                f"MSE/(2σ²) is the same number, {const:.6f}, for all 61 candidate slopes: minimising MSE is maximum likelihood "
                "under Gaussian noise of fixed variance. Try `noise_model = input_dependent`: the NLL then weights each squared "
                "error by 1/σ(x)², and the two criteria part ways."
            ),
            "ko": (
                f"z = {-p.wrong_logit:g}에서 모델은 P(y=1) = {s:.4f}라고 하지만 정답은 y = 1입니다. 교차 엔트로피의 기울기는 "
                f"σ(z) − 1 = {-gc:.4f}로 제대로 밀어 줍니다. MSE의 기울기는 2(σ(z) − 1)·σ(z)(1 − σ(z)) = {-gm:.2e}입니다. "
                f"시그모이드의 기울기 σ′(z)가 곱해지는데, 평평한 꼬리에서는 거의 0이므로 비율이 {r:.1f}(= 1/(2σ(1−σ)))가 됩니다. "
                "교차 엔트로피의 로그가 시그모이드의 지수를 상쇄하기 때문이며, 분류기가 시그모이드·소프트맥스 출력을 교차 엔트로피와 "
                "함께 쓰는 이유입니다.\n\n"
                f"회귀에서 −log N(t; ŷ, σ²) = (t − ŷ)²/(2σ²) + ½log(2πσ²)입니다. 예제 {p.n}개에 대해 평균하면, 음의 로그 가능도에서 "
                f"MSE/(2σ²)를 뺀 값이 후보 기울기 61개 모두에서 같은 수 {const:.6f}입니다. 즉 MSE를 최소화하는 것은 분산이 고정된 "
                "가우시안 잡음 아래의 최대 가능도 추정입니다. `noise_model = input_dependent`로 바꿔 보세요. 그러면 음의 로그 가능도가 각 제곱 "
                "오차에 1/σ(x)²의 가중치를 주므로 두 기준이 달라집니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("logit", {"en": "Logit z of the wrong prediction", "ko": "틀린 예측의 로짓 z"}),
    MetricSpec("mse_grad_at_wrong_logit", {"en": "|∂MSE/∂z| at the wrong logit", "ko": "틀린 로짓에서의 |∂MSE/∂z|"}),
    MetricSpec("ce_grad_at_wrong_logit", {"en": "|∂CE/∂z| at the wrong logit", "ko": "틀린 로짓에서의 |∂CE/∂z|"}),
    MetricSpec(
        "grad_ratio_ce_over_mse", {"en": "Gradient ratio CE / MSE (measured)", "ko": "기울기 비율 CE / MSE (측정값)"}
    ),
    MetricSpec(
        "grad_ratio_closed_form",
        {"en": "Gradient ratio CE / MSE (closed form)", "ko": "기울기 비율 CE / MSE (닫힌 형태)"},
    ),
    MetricSpec(
        "nll_minus_scaled_mse_spread",
        {"en": "Spread of NLL − (MSE/(2σ²) + constant)", "ko": "NLL − (MSE/(2σ²) + 상수)의 퍼짐"},
    ),
    MetricSpec("nll_minus_scaled_mse_mean", {"en": "Mean of NLL − MSE/(2σ²)", "ko": "NLL − MSE/(2σ²)의 평균"}),
    MetricSpec("half_log_2pi_sigma2", {"en": "½·log(2πσ²)", "ko": "½·log(2πσ²)"}),
    MetricSpec("argmin_slope_mse", {"en": "Slope minimising MSE", "ko": "MSE를 최소화하는 기울기"}),
    MetricSpec(
        "argmin_slope_nll", {"en": "Slope minimising the Gaussian NLL", "ko": "가우시안 NLL을 최소화하는 기울기"}
    ),
)
PLOTS = (
    PanelSpec(
        "gradients",
        title={"en": "Gradient with respect to the logit", "ko": "로짓에 대한 기울기"},
        x={"en": "logit z", "ko": "로짓 z"},
        y={"en": "|gradient|", "ko": "|기울기|"},
        series={
            "|∂MSE/∂z|": {"en": "squared error", "ko": "제곱 오차"},
            "|∂CE/∂z|": {"en": "cross-entropy", "ko": "교차 엔트로피"},
        },
    ),
    PanelSpec(
        "nll",
        title={
            "en": "Gaussian NLL is scaled MSE plus a constant",
            "ko": "가우시안 NLL은 MSE의 배수에 상수를 더한 것입니다",
        },
        x={"en": "slope", "ko": "기울기"},
        y={"en": "loss", "ko": "손실"},
        series={
            "MSE/(2σ²) + ½log(2πσ²)": {"en": "MSE/(2σ²) + ½log(2πσ²)", "ko": "MSE/(2σ²) + ½log(2πσ²)"},
            "Gaussian NLL": {"en": "Gaussian NLL", "ko": "가우시안 NLL"},
        },
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.1 + 125*(0.000002*n)"


plugin = Plugin(
    id="loss-functions",
    title={"en": "Loss functions: MSE vs cross-entropy", "ko": "손실 함수: MSE와 교차 엔트로피"},
    summary={
        "en": "Autograd gradients of MSE and cross-entropy through a sigmoid over a sweep of logits: MSE stalls when the "
        "model is confidently wrong, cross-entropy does not. Then MSE as the Gaussian negative log-likelihood.",
        "ko": "시그모이드를 거친 MSE와 교차 엔트로피의 기울기를 여러 로짓에 대해 autograd로 계산합니다. 모델이 확신에 차서 틀리면 "
        "MSE는 멈추지만 교차 엔트로피는 멈추지 않습니다. 이어서 MSE가 가우시안 음의 로그 가능도임을 확인합니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("loss-functions", "cross-entropy", "mle"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=0.5,
)
