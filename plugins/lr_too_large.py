"""Gradient descent on a quadratic: converges for lr < 2/L and diverges for lr > 2/L."""

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin, SeriesFamily


class Params(BaseModel):
    curvature: float = Field(
        4.0,
        ge=0.01,
        le=1000.0,
        description="Largest Hessian eigenvalue L of the quadratic (the others lie between L/10 and L).",
        json_schema_extra={"description_ko": "이차 함수의 헤세 행렬 최대 고윳값 L (나머지 고윳값은 L/10과 L 사이)."},
    )
    dim: int = Field(
        10, ge=2, le=100, description="Number of parameters.", json_schema_extra={"description_ko": "파라미터 수."}
    )
    n_lrs: int = Field(
        12,
        ge=2,
        le=40,
        description="Number of learning rates in the sweep, evenly spaced from 0.55·(2/L) to 1.5·(2/L).",
        json_schema_extra={
            "description_ko": "탐색할 학습률 개수. 0.55·(2/L)부터 1.5·(2/L)까지 균등한 간격으로 둡니다."
        },
    )
    steps: int = Field(
        200,
        ge=1,
        le=2000,
        description="Gradient-descent steps per learning rate.",
        json_schema_extra={"description_ko": "학습률마다 수행하는 경사 하강법 스텝 수."},
    )
    momentum: float = Field(
        0.0,
        ge=0.0,
        le=0.95,
        description="Heavy-ball momentum β (the 2/L limit is for plain gradient descent, β = 0).",
        json_schema_extra={
            "description_ko": "헤비볼(heavy-ball) 모멘텀 β (2/L 한계는 모멘텀이 없는 일반 경사 하강법, 즉 β = 0일 때의 값)."
        },
    )
    tolerance: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Relative tolerance for the boundary estimated from the sweep versus 2/L.",
        json_schema_extra={"description_ko": "탐색으로 추정한 경계를 2/L과 비교할 때의 상대 허용 오차."},
    )


CLAIMS = [
    ClaimSpec(
        "below_converge",
        {
            "en": "On a quadratic with a positive-definite Hessian whose largest eigenvalue is L, gradient descent converges "
            "for every learning rate below 2/L: "
            "each eigen-direction shrinks by |1 − lr·λ| < 1 per step.",
            "ko": "헤세 행렬이 양의 정부호이고 가장 큰 고윳값이 L인 2차 함수에서 경사 하강법은 2/L보다 작은 모든 학습률에서 "
            "수렴합니다. 각 고유 방향이 한 "
            "스텝마다 |1 − lr·λ| < 1 배로 줄어들기 때문입니다.",
        },
    ),
    ClaimSpec(
        "above_diverge",
        {
            "en": "For every learning rate above 2/L, gradient descent diverges: along the top eigenvector |1 − lr·L| > 1, "
            "so the error grows each step.",
            "ko": "2/L보다 큰 모든 학습률에서 경사 하강법은 발산합니다. 가장 큰 고유벡터 방향에서 |1 − lr·L| > 1 이므로 오차가 "
            "스텝마다 커집니다.",
        },
    ),
    ClaimSpec(
        "boundary_at_2_over_L",
        {
            "en": "The stability boundary found by the sweep (between the largest converging and the smallest diverging "
            "learning rate) is at 2/L.",
            "ko": "스윕으로 찾은 안정성 경계(수렴하는 가장 큰 학습률과 발산하는 가장 작은 학습률 사이)는 2/L에 "
            "있습니다.",
        },
    ),
]


STATUS_KO = {"converged": "수렴", "diverged": "발산", "neither": "수렴도 발산도 아님"}


def run(params: Params, ctx) -> None:
    import math

    import torch

    g = ctx.torch_seed()
    dt = torch.float64
    d = params.dim
    Lp = params.curvature
    eig = torch.linspace(Lp / 10, Lp, d, dtype=dt)
    Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=dt))
    H = Q @ torch.diag(eig) @ Q.T
    H = (H + H.T) / 2
    L = float(torch.linalg.eigvalsh(H).max())  # measured curvature
    crit = 2.0 / L
    w0 = torch.randn(d, generator=g, dtype=dt)

    def f(w):
        return 0.5 * float(w @ H @ w)

    f0 = f(w0)
    factors = [0.55 + 0.95 * i / (params.n_lrs - 1) for i in range(params.n_lrs)]
    beta = params.momentum
    rows, outcome = [], {}
    every = min(20, max(1, params.steps // 50))
    for j, fac in enumerate(factors):
        lr = fac * crit
        w, v = w0.clone(), torch.zeros(d, dtype=dt)
        name = f"lr = {fac:.2f}·(2/L)"
        ctx.point(name, 0, math.log10(f0))
        fw = f0
        for t in range(1, params.steps + 1):
            v = beta * v - lr * (H @ w)  # H w is the gradient of ½ wᵀHw
            w = w + v
            if t % every == 0 or t == params.steps:
                fw = f(w)
                ctx.point(name, t, math.log10(max(fw, 1e-300)))
                if fw > 1e30:  # clearly diverged: stop before overflowing
                    break
        ratio = fw / f0
        status = "converged" if ratio < 1e-3 else ("diverged" if ratio > 1.0 else "neither")
        outcome[lr] = status
        rows.append([fac, lr, {"en": status, "ko": STATUS_KO[status]}, ratio, t])
        ctx.progress(
            (j + 1) / len(factors),
            {"en": f"lr {j + 1}/{len(factors)}: {status}", "ko": f"학습률 {j + 1}/{len(factors)}: {STATUS_KO[status]}"},
        )

    below = [lr for lr in outcome if lr < crit * (1 - 1e-9)]
    above = [lr for lr in outcome if lr > crit * (1 + 1e-9)]
    below_ok = [outcome[lr] == "converged" for lr in below]
    above_ok = [outcome[lr] == "diverged" for lr in above]
    conv = [lr for lr, s in outcome.items() if s == "converged"]
    div = [lr for lr, s in outcome.items() if s == "diverged"]
    if conv and div and max(conv) < min(div):
        boundary = (max(conv) + min(div)) / 2
    else:
        boundary = float("nan")
    rel = abs(boundary - crit) / crit if boundary == boundary else float("inf")

    ctx.metric("L", L)
    ctx.metric("two_over_L", crit)
    ctx.metric("estimated_boundary", boundary if boundary == boundary else -1.0)
    ctx.metric("boundary_rel_error", rel if rel != float("inf") else -1.0)
    ctx.metric("n_converged", len(conv))
    ctx.metric("n_diverged", len(div))

    ctx.claim(
        "below_converge",
        len(below) > 0 and all(below_ok),
        {"lrs_below_2_over_L": len(below), "converged": sum(below_ok), "momentum": beta, "steps": params.steps},
        "all lrs < 2/L converge (loss ratio < 1e-3)",
    )
    ctx.claim(
        "above_diverge",
        len(above) > 0 and all(above_ok),
        {"lrs_above_2_over_L": len(above), "diverged": sum(above_ok), "momentum": beta},
        "all lrs > 2/L diverge (loss ratio > 1)",
    )
    ctx.claim(
        "boundary_at_2_over_L",
        rel <= params.tolerance,
        {
            "estimated_boundary": boundary if boundary == boundary else None,
            "two_over_L": crit,
            "relative_error": rel if rel != float("inf") else None,
        },
        f"relative_error <= {params.tolerance:g}",
    )
    ctx.table(
        {
            "en": f"Learning-rate sweep (L = {L:.4g}, 2/L = {crit:.4g}, momentum {beta:g})",
            "ko": f"학습률 스윕 (L = {L:.4g}, 2/L = {crit:.4g}, 모멘텀 {beta:g})",
        },
        [
            "lr / (2/L)",
            "lr",
            {"en": "outcome", "ko": "결과"},
            {"en": "final loss / initial loss", "ko": "최종 손실 / 초기 손실"},
            {"en": "steps run", "ko": "실행한 스텝 수"},
        ],
        rows,
    )
    ctx.text(
        {
            "en": (
                f"The loss is ½wᵀHw with Hessian eigenvalues between {L / 10:.3g} and L = {L:.3g}. One gradient step "
                "multiplies the component along each eigenvector of eigenvalue λ by (1 − lr·λ). For the steepest "
                f"direction that factor stays inside (−1, 1) only while lr < 2/L = {crit:.4g}. Just below, the loss "
                "zig-zags but shrinks; just above, the zig-zag grows without bound — look at the curves on either side of "
                "1.00·(2/L). The sweep only brackets the boundary, so its estimate is as fine as the spacing of the "
                "learning rates.\n\nThe flat directions are not the problem: the largest curvature alone sets the limit. "
                'Add `momentum` and the limit moves to 2(1 + β)/L, so some of the "too large" rates converge.'
            ),
            "ko": (
                f"손실은 ½wᵀHw이고 헤세 행렬 고윳값은 {L / 10:.3g}에서 L = {L:.3g} 사이에 있습니다. 경사 하강 한 스텝은 고윳값 λ인 "
                "고유벡터 방향의 성분에 (1 − lr·λ)를 곱합니다. 가장 가파른 방향에서 이 인자가 (−1, 1) 안에 머무는 것은 "
                f"lr < 2/L = {crit:.4g}일 때뿐입니다. 바로 아래에서는 손실이 지그재그로 움직이면서도 줄어들고, 바로 위에서는 "
                "지그재그가 한없이 커집니다. 1.00·(2/L) 양쪽의 곡선을 보세요. 스윕은 경계를 "
                "양쪽에서 둘러쌀 뿐이므로, 추정의 정밀도는 학습률 간격만큼입니다.\n\n평평한 방향은 문제가 아닙니다. 가장 큰 곡률 하나가 "
                '한계를 정합니다. `momentum`을 더하면 한계가 2(1 + β)/L로 옮겨 가서 "너무 큰" 학습률 일부도 수렴합니다.'
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("L", {"en": "Largest curvature L", "ko": "최대 곡률 L"}),
    MetricSpec("two_over_L", {"en": "Stability limit 2/L", "ko": "안정 한계 2/L"}),
    MetricSpec("estimated_boundary", {"en": "Measured divergence boundary", "ko": "측정한 발산 경계"}),
    MetricSpec(
        "boundary_rel_error", {"en": "Relative error of the boundary against 2/L", "ko": "2/L에 대한 경계의 상대 오차"}
    ),
    MetricSpec("n_converged", {"en": "Learning rates that converged", "ko": "수렴한 학습률 수"}),
    MetricSpec("n_diverged", {"en": "Learning rates that diverged", "ko": "발산한 학습률 수"}),
)
PLOTS = (
    PanelSpec(
        "loss",
        title={"en": "Loss for learning rates around 2/L", "ko": "2/L 근처 학습률별 손실"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "log10 loss", "ko": "log10 손실"},
        # One series per learning rate, named by its factor of 2/L (n_lrs decides how many).
        families=(SeriesFamily("lr = {factor}·(2/L)", {"en": "lr = {factor}·(2/L)", "ko": "학습률 = {factor}·(2/L)"}),),
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.1 + 0.00001*steps*n_lrs*(1 + dim/10)"


plugin = Plugin(
    id="lr-too-large",
    title={"en": "When the learning rate is too large", "ko": "학습률이 너무 클 때"},
    summary={
        "en": "Sweep learning rates around 2/L for gradient descent on a quadratic with curvature L: below 2/L it "
        "converges, above it diverges.",
        "ko": "곡률이 L인 2차 함수에서 경사 하강법의 학습률을 2/L 근처로 바꿔 가며 실행합니다. 2/L 아래에서는 수렴하고, 위에서는 발산합니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("optimisation", "gradient-descent", "learning-rate"),
    api_version="1.2",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.5,
)
