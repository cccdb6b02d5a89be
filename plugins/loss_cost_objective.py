"""Loss, cost and objective on one batch: per-example losses, their mean, and the regularised objective."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    batch: int = Field(
        32,
        ge=2,
        le=4096,
        description="Number of examples m in the batch.",
        json_schema_extra={"description_ko": "배치 안의 예제 수 m."},
    )
    features: int = Field(
        5,
        ge=1,
        le=50,
        description="Number of input features (weights) of the linear model.",
        json_schema_extra={"description_ko": "선형 모델의 입력 특성(가중치) 수."},
    )
    lam: float = Field(
        0.1,
        ge=0.0,
        le=100.0,
        description="Weight-decay strength λ in objective = cost + λ‖w‖².",
        json_schema_extra={"description_ko": "목적 함수 = 비용 + λ‖w‖²에서의 가중치 감쇠 강도 λ."},
    )
    noise: float = Field(
        0.5,
        ge=0.0,
        le=5.0,
        description="Standard deviation of the label noise.",
        json_schema_extra={"description_ko": "레이블 잡음의 표준편차."},
    )
    reduction: Literal["mean", "sum"] = Field(
        "mean",
        description="How the loss function reduces the per-example losses to the cost ('sum' is a common mistake).",
        json_schema_extra={"description_ko": "손실 함수가 예제별 손실을 비용으로 집계하는 방식 ('sum'은 흔한 실수)."},
    )
    steps: int = Field(
        200,
        ge=1,
        le=5000,
        description="Gradient-descent steps used to minimise the cost and the objective.",
        json_schema_extra={"description_ko": "비용과 목적 함수를 최소화하는 데 쓰는 경사 하강법 스텝 수."},
    )


CLAIMS = [
    ClaimSpec(
        "cost_is_mean_loss",
        {
            "en": "The cost J(w) is the average of the per-example losses over the batch: J = (1/m) Σᵢ L(f(xᵢ; w), yᵢ).",
            "ko": "비용 J(w)는 배치에 대한 예제별 손실의 평균입니다: J = (1/m) Σᵢ L(f(xᵢ; w), yᵢ).",
        },
    ),
    ClaimSpec(
        "descent_stops_where_penalty_balances_cost",
        {
            "en": "Gradient descent on the objective stops where the cost is not at its minimum: there the gradient of the "
            "cost alone is not zero but is balanced by the penalty's, ∇J(w) = −2λw (within 0.1%). The optimiser minimises "
            "the objective, not the cost.",
            "ko": "목적 함수에 대한 경사 하강법이 멈추는 곳에서 비용은 최소가 아닙니다. 그곳에서 비용만의 기울기는 0이 아니라 "
            "벌점의 기울기와 균형을 이룹니다: ∇J(w) = −2λw (0.1% 이내). 옵티마이저가 최소화하는 것은 비용이 아니라 목적 함수입니다.",
        },
    ),
    ClaimSpec(
        "regularised_optimum_shrinks",
        {
            "en": "With λ > 0 the minimiser of the objective differs from the minimiser of the cost: the L2 penalty shrinks "
            "the weights towards zero (smaller ‖w‖), at the price of a higher cost.",
            "ko": "λ > 0 이면 목적 함수의 최소점은 비용의 최소점과 다릅니다. L2 벌점이 가중치를 0 쪽으로 줄이고(‖w‖가 작아짐), "
            "그 대가로 비용은 높아집니다.",
        },
    ),
]


def run(params: Params, ctx) -> None:
    import torch
    import torch.nn.functional as F

    g = ctx.torch_seed()
    m, d, lam = params.batch, params.features, params.lam
    dt = torch.float64

    X = torch.randn(m, d, generator=g, dtype=dt)
    w_true = torch.randn(d, generator=g, dtype=dt)
    y = X @ w_true + params.noise * torch.randn(m, generator=g, dtype=dt)
    w0 = torch.randn(d, generator=g, dtype=dt)  # the model's current weights

    # ---- loss, cost, objective at the current weights --------------------------------------------------------
    ctx.progress(0.05, {"en": "loss vector, cost and objective", "ko": "손실 벡터, 비용, 목적 함수"})
    pred = X @ w0
    losses = F.mse_loss(pred, y, reduction="none")  # one number per example
    cost = F.mse_loss(pred, y, reduction=params.reduction)  # what the training loop would minimise
    penalty = lam * (w0**2).sum()
    objective = cost + penalty
    mean_loss = losses.mean()

    cost_gap = abs(float(cost - mean_loss))
    ctx.metric("cost", float(cost))
    ctx.metric("mean_of_losses", float(mean_loss))
    ctx.metric("penalty", float(penalty))
    ctx.metric("objective", float(objective))
    ctx.claim(
        "cost_is_mean_loss",
        cost_gap <= 1e-12 * max(1.0, float(mean_loss)),
        {"cost": float(cost), "mean_of_losses": float(mean_loss), "reduction": params.reduction, "abs_gap": cost_gap},
        "abs_gap <= 1e-12 · max(1, mean)",
    )
    pen = float(penalty)

    # ---- minimisers: closed form and gradient descent -------------------------------------------------------
    A = X.T @ X / m
    rhs = X.T @ y / m
    w_cost = torch.linalg.solve(A, rhs) if torch.linalg.matrix_rank(A) == d else torch.linalg.lstsq(A, rhs).solution
    w_obj = torch.linalg.solve(A + lam * torch.eye(d, dtype=dt), rhs) if lam > 0 else w_cost.clone()

    # full-batch gradient descent on both, from the current weights, with step 1/L (L = largest curvature)
    L_max = float(torch.linalg.eigvalsh(2 * A).max()) + 2 * lam
    lr = 1.0 / L_max
    wc = w0.clone().requires_grad_(True)
    wo = w0.clone().requires_grad_(True)
    for step in range(params.steps):
        for which, wv in (("cost", wc), ("objective", wo)):
            r = X @ wv - y
            jc = (r**2).mean()
            val = jc + (lam * (wv**2).sum() if which == "objective" else 0.0)
            (gr,) = torch.autograd.grad(val, wv)
            with torch.no_grad():
                wv -= lr * gr
            if step % max(1, params.steps // 50) == 0 or step == params.steps - 1:
                ctx.point(f"minimising the {which}: value", step, float(val.detach()))
        if step % max(1, params.steps // 20) == 0:
            ctx.progress(
                0.1 + 0.85 * step / params.steps,
                {"en": f"gradient descent step {step}", "ko": f"경사 하강법 스텝 {step}"},
            )

    def J(wv):
        return float(((X @ wv - y) ** 2).mean())

    # Where descent on the objective stopped: the gradient of the cost alone there, against the penalty's pull 2λw.
    w_end = wo.detach().clone().requires_grad_(True)
    (cost_grad,) = torch.autograd.grad(((X @ w_end - y) ** 2).mean(), w_end)
    pull = 2 * lam * w_end.detach()
    cost_grad_norm = float(cost_grad.norm())
    # relative to the larger of the two, so that both being ~0 (no penalty) does not count as a balance
    imbalance = float((cost_grad + pull).norm()) / max(float(pull.norm()), cost_grad_norm, 1e-300)
    ctx.metric("cost_gradient_norm_at_descent_end", cost_grad_norm)
    ctx.metric("cost_gradient_plus_penalty_pull_relative", imbalance)
    ctx.claim(
        "descent_stops_where_penalty_balances_cost",
        cost_grad_norm > 1e-6 and imbalance <= 1e-3,
        {
            "cost_gradient_norm": cost_grad_norm,
            "penalty_pull_norm_2_lambda_w": float(pull.norm()),
            "relative_imbalance": imbalance,
            "lambda": lam,
            "steps": params.steps,
        },
        {"cost_gradient_norm": "> 1e-6", "‖∇J(w) + 2λw‖ / max(‖∇J(w)‖, ‖2λw‖)": "<= 1e-3"},
    )

    norm_cost, norm_obj = float(w_cost.norm()), float(w_obj.norm())
    dist = float((w_obj - w_cost).norm())
    gd_gap = max(float((wc.detach() - w_cost).norm()), float((wo.detach() - w_obj).norm()))
    ctx.metric("norm_w_cost_min", norm_cost)
    ctx.metric("norm_w_objective_min", norm_obj)
    ctx.metric("distance_between_minimisers", dist)
    ctx.metric("cost_at_cost_min", J(w_cost))
    ctx.metric("cost_at_objective_min", J(w_obj))
    ctx.metric("gd_distance_to_closed_form", gd_gap)
    ctx.claim(
        "regularised_optimum_shrinks",
        dist > 1e-6 and norm_obj < norm_cost and J(w_obj) > J(w_cost),
        {
            "norm_w_cost_min": norm_cost,
            "norm_w_objective_min": norm_obj,
            "distance": dist,
            "cost_at_cost_min": J(w_cost),
            "cost_at_objective_min": J(w_obj),
        },
        {"distance": "> 1e-6", "norms": "‖w_obj‖ < ‖w_cost‖", "cost": "J(w_obj) > J(w_cost)"},
    )

    show = min(m, 8)
    ctx.table(
        {"en": f"Per-example losses (first {show} of {m})", "ko": f"샘플별 손실 ({m}개 중 처음 {show}개)"},
        [
            {"en": "example", "ko": "샘플"},
            {"en": "prediction", "ko": "예측"},
            {"en": "target", "ko": "타깃"},
            {"en": "loss (pred − y)²", "ko": "손실 (pred − y)²"},
        ],
        [[i, float(pred[i]), float(y[i]), float(losses[i])] for i in range(show)],
    )
    ctx.table(
        {"en": "Loss → cost → objective", "ko": "손실 → 비용 → 목적 함수"},
        [{"en": "quantity", "ko": "항목"}, {"en": "formula", "ko": "식"}, {"en": "value", "ko": "값"}],
        [
            [{"en": "cost J(w)", "ko": "비용 J(w)"}, f"F.mse_loss(..., reduction='{params.reduction}')", float(cost)],
            [{"en": "mean of the losses", "ko": "손실의 평균"}, "(1/m) Σ lossᵢ", float(mean_loss)],
            [{"en": "penalty", "ko": "벌점"}, "λ‖w‖²", pen],
            [{"en": "objective", "ko": "목적 함수"}, "J(w) + λ‖w‖²", float(objective)],
            [
                {"en": "‖w‖ at the cost minimum", "ko": "비용 최소점에서의 ‖w‖"},
                {"en": "least squares", "ko": "최소제곱"},
                norm_cost,
            ],
            [
                {"en": "‖w‖ at the objective minimum", "ko": "목적 함수 최소점에서의 ‖w‖"},
                {"en": "ridge", "ko": "릿지"},
                norm_obj,
            ],
        ],
    )
    ctx.text(
        {
            "en": (
                f"A **loss** scores one example — the vector has {m} entries. The **cost** is their mean, "
                f"{float(mean_loss):.4f}. The **objective** is what the optimiser actually minimises: cost + λ‖w‖² = "
                f"{float(cost):.4f} + {pen:.4f}.\n\nWhen λ > 0 the penalty pulls on the weights, so the two minimisers differ: "
                f"‖w‖ is {norm_cost:.3f} at the cost minimum but {norm_obj:.3f} at the objective minimum, which has a "
                f"slightly higher cost ({J(w_obj):.4f} vs {J(w_cost):.4f}). Where gradient descent on the objective stops, the cost's "
                f"own gradient is not 0 but {cost_grad_norm:.3g}, cancelled by the penalty's pull 2λw. "
                f'Try `reduction = sum` — the "cost" is then '
                "m times larger, which silently rescales the learning rate and the relative weight of λ. With `lam = 0` "
                "the objective is just the cost."
            ),
            "ko": (
                f"**손실**은 예제 하나를 채점합니다. 손실 벡터에는 값이 {m}개 있습니다. **비용**은 그 평균으로 "
                f"{float(mean_loss):.4f}입니다. **목적 함수**는 옵티마이저가 실제로 최소화하는 양으로, 비용 + λ‖w‖² = "
                f"{float(cost):.4f} + {pen:.4f}입니다.\n\nλ > 0 이면 벌점이 가중치를 끌어당기므로 두 최소점은 다릅니다. ‖w‖는 비용의 "
                f"최소점에서 {norm_cost:.3f}, 목적 함수의 최소점에서 {norm_obj:.3f}이고, 후자의 비용이 조금 더 높습니다"
                f"({J(w_obj):.4f} 대 {J(w_cost):.4f}). 목적 함수에 대한 경사 하강법이 멈춘 곳에서 비용 자체의 기울기는 0이 아니라 "
                f"{cost_grad_norm:.3g}이고, 이를 벌점이 당기는 힘 2λw가 상쇄합니다. "
                f'`reduction = sum`을 시도해 보세요. 그러면 "비용"이 m배 커져서 '
                "학습률과 λ의 상대적 비중이 모르는 사이에 바뀝니다. `lam = 0`이면 목적 함수는 비용 그 자체입니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("cost", {"en": "Cost (mean loss)", "ko": "비용 (손실의 평균)"}),
    MetricSpec("mean_of_losses", {"en": "Mean of the per-example losses", "ko": "샘플별 손실의 평균"}),
    MetricSpec("penalty", {"en": "Penalty λ‖w‖²", "ko": "벌점 λ‖w‖²"}),
    MetricSpec("objective", {"en": "Objective (cost + penalty)", "ko": "목적 함수 (비용 + 벌점)"}),
    MetricSpec("norm_w_cost_min", {"en": "‖w‖ at the cost's minimiser", "ko": "비용 최소점의 ‖w‖"}),
    MetricSpec("norm_w_objective_min", {"en": "‖w‖ at the objective's minimiser", "ko": "목적 함수 최소점의 ‖w‖"}),
    MetricSpec(
        "distance_between_minimisers", {"en": "Distance between the two minimisers", "ko": "두 최소점 사이의 거리"}
    ),
    MetricSpec("cost_at_cost_min", {"en": "Cost at the cost's minimiser", "ko": "비용 최소점에서의 비용"}),
    MetricSpec(
        "cost_at_objective_min", {"en": "Cost at the objective's minimiser", "ko": "목적 함수 최소점에서의 비용"}
    ),
    MetricSpec(
        "cost_gradient_norm_at_descent_end",
        {
            "en": "‖∇ cost‖ where descent on the objective ends",
            "ko": "목적 함수에 대한 경사 하강법이 끝난 곳의 ‖비용의 기울기‖",
        },
    ),
    MetricSpec(
        "cost_gradient_plus_penalty_pull_relative",
        {"en": "‖∇ cost + 2λw‖ / ‖2λw‖ there", "ko": "그곳의 ‖비용의 기울기 + 2λw‖ / ‖2λw‖"},
    ),
    MetricSpec(
        "gd_distance_to_closed_form",
        {"en": "Gradient descent's distance to the closed form", "ko": "경사 하강법 결과와 닫힌 해의 거리"},
    ),
)
PLOTS = (
    PanelSpec(
        "descent",
        title={"en": "Gradient descent on the cost and on the objective", "ko": "비용과 목적 함수에 대한 경사 하강법"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "value being minimised", "ko": "최소화하는 값"},
        series={
            "minimising the cost: value": {"en": "cost", "ko": "비용"},
            "minimising the objective: value": {"en": "objective", "ko": "목적 함수"},
        },
    ),
)
# Seconds: fitted to the run's CPU time at the defaults and the maxima (issue 12; within 2x of both).
ESTIMATE = "0.1 + steps*(0.0005 + 0.0000000014*batch*features)"


plugin = Plugin(
    id="loss-cost-objective",
    title={"en": "Loss, cost and objective", "ko": "손실, 비용, 목적 함수"},
    summary={
        "en": "On one batch of a linear regression: the per-example loss vector, the cost (its mean) and the objective "
        "(cost + λ‖w‖²), and how the penalty moves the minimiser. Try the common mistake `reduction = sum`.",
        "ko": "선형 회귀의 한 배치에서 예제별 손실 벡터, 비용(그 평균), 목적 함수(비용 + λ‖w‖²)를 계산하고, 벌점이 최소점을 "
        "어떻게 옮기는지 봅니다. 흔한 실수 `reduction = sum`도 시험해 보세요.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("loss-functions", "regularisation", "optimisation"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.5,
)
