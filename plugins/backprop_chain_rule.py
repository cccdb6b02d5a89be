"""Backpropagation is the chain rule: sympy, torch autograd and finite differences agree."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    hidden: int = Field(
        2,
        ge=1,
        le=4,
        description="Number of tanh hidden units of the tiny network y = Σ vᵢ tanh(wᵢx + bᵢ) + c.",
        json_schema_extra={"description_ko": "작은 신경망 y = Σ vᵢ tanh(wᵢx + bᵢ) + c의 tanh 은닉 유닛 수."},
    )
    fd_step: float = Field(
        1e-5,
        ge=1e-12,
        le=2.0,
        description="Step h of the central finite difference (f(θ+h) − f(θ−h)) / 2h.",
        json_schema_extra={"description_ko": "중심 유한 차분 (f(θ+h) − f(θ−h)) / 2h의 간격 h."},
    )
    dtype: Literal["float64", "float32"] = Field(
        "float64",
        description="Floating-point precision of the autograd and finite-difference computations.",
        json_schema_extra={"description_ko": "자동 미분(autograd)과 유한 차분 계산에 쓰는 부동소수점 정밀도."},
    )
    autograd_tol: float = Field(
        1e-10,
        ge=0.0,
        le=1.0,
        description="Largest allowed |autograd − sympy| over all parameters.",
        json_schema_extra={"description_ko": "모든 파라미터에 대해 허용되는 |autograd − sympy|의 최댓값."},
    )
    fd_tol: float = Field(
        1e-6,
        ge=0.0,
        le=1.0,
        description="Largest allowed |finite difference − sympy| over all parameters.",
        json_schema_extra={"description_ko": "모든 파라미터에 대해 허용되는 |유한 차분 − sympy|의 최댓값."},
    )
    drop_tanh_factor: bool = Field(
        False,
        description="Try the common mistake: leave the tanh derivative (1 − h²) out of the hand-written chain rule.",
        json_schema_extra={
            "description_ko": "흔한 실수를 재현해 봅니다: 손으로 쓴 연쇄 법칙에서 tanh의 도함수 (1 − h²)를 빠뜨립니다."
        },
    )


CLAIMS = [
    ClaimSpec(
        "autograd_matches_symbolic",
        {
            "en": "Reverse-mode automatic differentiation (backprop) computes the exact gradient: torch autograd agrees with "
            "the symbolic chain-rule derivative up to floating-point rounding.",
            "ko": "역방향 자동 미분(역전파)은 정확한 기울기를 계산합니다: torch autograd는 연쇄 법칙으로 구한 기호 미분과 "
            "부동소수점 반올림 오차 범위 안에서 일치합니다.",
        },
    ),
    ClaimSpec(
        "finite_difference_matches",
        {
            "en": "A central finite difference with a small step approximates the gradient with error O(h²) plus rounding "
            "error of order ε/h, so with a suitable h it agrees with the exact gradient to within the tolerance.",
            "ko": "작은 간격의 중앙 유한 차분은 O(h²)의 절단 오차와 ε/h 규모의 반올림 오차로 기울기를 근사합니다. 따라서 h를 "
            "알맞게 고르면 정확한 기울기와 허용 오차 안에서 일치합니다.",
        },
    ),
    ClaimSpec(
        "chain_rule_product",
        {
            "en": "Each weight's gradient is the product of local derivatives along the path from the loss to that weight, "
            "e.g. ∂L/∂wᵢ = (y − t) · vᵢ · (1 − hᵢ²) · x.",
            "ko": "각 가중치의 기울기는 손실에서 그 가중치까지 경로를 따라 국소 도함수를 곱한 것입니다. 예: "
            "∂L/∂wᵢ = (y − t) · vᵢ · (1 − hᵢ²) · x.",
        },
    ),
]


def run(params: Params, ctx) -> None:
    import sympy as sp
    import torch

    rng = ctx.rng()
    ctx.torch_seed()
    H = params.hidden
    dtype = torch.float64 if params.dtype == "float64" else torch.float32

    # ---- symbolic model ----------------------------------------------------------------------------------
    ctx.progress(0.05, {"en": "symbolic model with sympy", "ko": "sympy로 기호 모델 구성"})
    x, t, c = sp.symbols("x t c", real=True)
    w = sp.symbols(f"w1:{H + 1}", real=True)
    b = sp.symbols(f"b1:{H + 1}", real=True)
    v = sp.symbols(f"v1:{H + 1}", real=True)
    hs = [sp.tanh(w[i] * x + b[i]) for i in range(H)]
    y = sum(v[i] * hs[i] for i in range(H)) + c
    L = (y - t) ** 2 / 2
    names = [str(s) for s in (*w, *b, *v, c)]
    syms = [*w, *b, *v, c]

    values = rng.normal(0.0, 1.0, size=len(syms))
    x0, t0 = float(rng.normal(0.0, 1.0)), float(rng.normal(0.0, 1.0))
    sub = {x: x0, t: t0, **{s: float(val) for s, val in zip(syms, values)}}
    L_sym = float(sp.N(L.subs(sub), 30))

    # ---- torch autograd -----------------------------------------------------------------------------------
    ctx.progress(0.1, {"en": "torch autograd", "ko": "torch 자동 미분"})

    def forward(theta):
        wt, bt, vt, ct = theta[:H], theta[H : 2 * H], theta[2 * H : 3 * H], theta[3 * H]
        h = torch.tanh(wt * x0 + bt)
        yy = (vt * h).sum() + ct
        return 0.5 * (yy - t0) ** 2

    theta = torch.tensor(values, dtype=dtype, requires_grad=True)
    loss = forward(theta)
    loss.backward()
    g_auto = theta.grad.double().tolist()

    # ---- per parameter: the sympy gradient and the central finite difference, plotted as each is ready ------
    hstep = params.fd_step
    g_sym, g_fd = [], []
    with torch.no_grad():
        base = torch.tensor(values, dtype=dtype)
        for i, s in enumerate(syms):
            g_sym.append(float(sp.N(sp.diff(L, s).subs(sub), 30)))
            e = torch.zeros_like(base)
            e[i] = hstep
            g_fd.append(float((forward(base + e) - forward(base - e)) / (2 * hstep)))
            ctx.point("|finite difference − sympy|", i, abs(g_fd[-1] - g_sym[i]))
            ctx.progress(
                0.1 + 0.7 * (i + 1) / len(syms),
                {
                    "en": f"∂L/∂{names[i]}: sympy and finite difference",
                    "ko": f"∂L/∂{names[i]}: sympy와 유한 차분",
                },
            )

    # ---- chain-rule factors computed by hand from the forward values --------------------------------------
    ctx.progress(0.8, {"en": "chain-rule factors", "ko": "연쇄 법칙의 인수"})
    import math

    wv, bv, vv, cv = values[:H], values[H : 2 * H], values[2 * H : 3 * H], values[3 * H]
    hv = [math.tanh(wv[i] * x0 + bv[i]) for i in range(H)]
    yv = sum(vv[i] * hv[i] for i in range(H)) + cv
    dL_dy = yv - t0
    g_chain, factors = [], []
    act = [1.0 if params.drop_tanh_factor else 1 - hv[i] ** 2 for i in range(H)]
    for i in range(H):
        g_chain.append(dL_dy * vv[i] * act[i] * x0)
        factors.append(f"(y−t)·v{i + 1}·(1−h{i + 1}²)·x = {dL_dy:.4f}·{vv[i]:.4f}·{act[i]:.4f}·{x0:.4f}")
    for i in range(H):
        g_chain.append(dL_dy * vv[i] * act[i])
        factors.append(f"(y−t)·v{i + 1}·(1−h{i + 1}²)·1 = {dL_dy:.4f}·{vv[i]:.4f}·{act[i]:.4f}")
    for i in range(H):
        g_chain.append(dL_dy * hv[i])
        factors.append(f"(y−t)·h{i + 1} = {dL_dy:.4f}·{hv[i]:.4f}")
    g_chain.append(dL_dy)
    factors.append(f"(y−t)·1 = {dL_dy:.4f}")

    d_auto = max(abs(a - s) for a, s in zip(g_auto, g_sym))
    d_fd = max(abs(a - s) for a, s in zip(g_fd, g_sym))
    d_chain = max(abs(a - s) for a, s in zip(g_chain, g_sym))
    ctx.metric("loss", L_sym)
    ctx.metric("max_abs_diff_autograd", d_auto)
    ctx.metric("max_abs_diff_finite_difference", d_fd)
    ctx.metric("max_abs_diff_chain_rule", d_chain)
    ctx.metric("grad_norm", math.sqrt(sum(g * g for g in g_sym)))

    ctx.claim(
        "autograd_matches_symbolic",
        d_auto < params.autograd_tol,
        {"max_abs_diff": d_auto, "dtype": params.dtype},
        f"max_abs_diff < {params.autograd_tol:g}",
    )
    ctx.claim(
        "finite_difference_matches",
        d_fd < params.fd_tol,
        {"max_abs_diff": d_fd, "h": hstep, "dtype": params.dtype},
        f"max_abs_diff < {params.fd_tol:g}",
    )
    ctx.claim(
        "chain_rule_product",
        d_chain < 1e-10,
        {"max_abs_diff": d_chain, "tanh_factor_included": not params.drop_tanh_factor},
        "max_abs_diff < 1e-10",
    )
    ctx.table(
        {
            "en": "Gradient of L = ½(y − t)² with respect to each parameter",
            "ko": "각 파라미터에 대한 L = ½(y − t)²의 기울기",
        },
        [
            {"en": "parameter", "ko": "파라미터"},
            "sympy",
            "autograd",
            {"en": "finite difference", "ko": "유한 차분"},
            {"en": "chain-rule factors", "ko": "연쇄 법칙의 인수"},
        ],
        [[names[i], g_sym[i], g_auto[i], g_fd[i], factors[i]] for i in range(len(syms))],
    )
    ctx.text(
        {
            "en": (
                f"The network is y = Σ vᵢ·tanh(wᵢx + bᵢ) + c with loss L = ½(y − t)² at x = {x0:.3f}, t = {t0:.3f}. "
                "Backprop multiplies local derivatives along each path: the loss sends (y − t) back, the output layer "
                "multiplies by vᵢ, tanh by (1 − hᵢ²), and the input to the weight by x — see the last column. "
                f"Autograd matches sympy to {d_auto:.1e}; finite differences, which only approximate, to {d_fd:.1e}.\n\n"
                "Try `fd_step = 1`: the O(h²) truncation error dominates. Try `fd_step = 1e-12`, or `dtype = float32` "
                "with the default step: now rounding error (≈ ε/h) dominates. Gradient checking needs a carefully chosen "
                "h, and double precision. "
                "With `drop_tanh_factor` the hand-written chain rule misses a link and no longer matches."
            ),
            "ko": (
                f"신경망은 y = Σ vᵢ·tanh(wᵢx + bᵢ) + c, 손실은 x = {x0:.3f}, t = {t0:.3f}에서 L = ½(y − t)² 입니다. "
                "역전파는 각 경로를 따라 국소 도함수를 곱합니다. 손실이 (y − t)를 뒤로 보내고, 출력층이 vᵢ를, tanh가 "
                "(1 − hᵢ²)를, 가중치의 입력이 x를 곱합니다. 마지막 열을 보세요. autograd는 sympy와 "
                f"{d_auto:.1e}까지 일치하고, 근사일 뿐인 유한 차분은 {d_fd:.1e}까지 일치합니다.\n\n"
                "`fd_step = 1`을 시도해 보세요. O(h²) 절단 오차가 지배합니다. `fd_step = 1e-12`로 하거나 기본 간격에서 "
                "`dtype = float32`로 바꾸면 이번에는 반올림 오차(≈ ε/h)가 지배합니다. 기울기 검사에는 잘 고른 h와 배정밀도가 필요합니다. "
                "`drop_tanh_factor`를 켜면 손으로 쓴 연쇄 법칙에서 고리 하나가 빠져 더 이상 일치하지 않습니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("loss", {"en": "Loss at the chosen weights", "ko": "선택한 가중치에서의 손실"}),
    MetricSpec(
        "max_abs_diff_autograd",
        {"en": "Largest |autograd − sympy| gradient difference", "ko": "autograd와 sympy 기울기의 최대 차이"},
    ),
    MetricSpec(
        "max_abs_diff_finite_difference",
        {"en": "Largest |finite difference − sympy| gradient difference", "ko": "유한 차분과 sympy 기울기의 최대 차이"},
    ),
    MetricSpec(
        "max_abs_diff_chain_rule",
        {
            "en": "Largest |hand chain rule − sympy| gradient difference",
            "ko": "손으로 쓴 연쇄 법칙과 sympy 기울기의 최대 차이",
        },
    ),
    MetricSpec("grad_norm", {"en": "Gradient norm", "ko": "기울기 노름"}),
)
PLOTS = (
    PanelSpec(
        "fd-error",
        title={"en": "Finite-difference error per parameter", "ko": "파라미터별 유한 차분 오차"},
        x={"en": "parameter index", "ko": "파라미터 번호"},
        y={"en": "|finite difference − exact gradient|", "ko": "|유한 차분 − 정확한 기울기|"},
        series={
            "|finite difference − sympy|": {"en": "finite difference vs sympy", "ko": "유한 차분과 sympy의 차이"},
        },
        log_y=True,
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.3 + 0.05*hidden"


plugin = Plugin(
    id="backprop-chain-rule",
    title={"en": "Backprop is the chain rule", "ko": "역전파는 연쇄 법칙입니다"},
    summary={
        "en": "Differentiate a tiny tanh network three ways — sympy's symbolic chain rule, torch autograd and central "
        "finite differences — and compare. Try a finite-difference step that is too large or too small.",
        "ko": "작은 tanh 신경망을 sympy 기호 연쇄 법칙, torch autograd, 중앙 유한 차분의 세 가지 방법으로 미분해 비교합니다. "
        "너무 크거나 너무 작은 유한 차분 간격도 시험해 보세요.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("backpropagation", "autograd", "calculus", "sympy"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=2.0,
)
