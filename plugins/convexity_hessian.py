"""Convexity through Hessians: sympy derivatives, eigenvalues, and an autograd cross-check."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, Plugin


class Params(BaseModel):
    n_samples: int = Field(
        20,
        ge=2,
        le=200,
        description="Data points in the linear-regression MSE.",
        json_schema_extra={"description_ko": "선형 회귀 MSE에 쓰는 데이터 점 개수."},
    )
    ridge: float = Field(
        0.0,
        ge=-5.0,
        le=5.0,
        description="Coefficient λ of the penalty λ‖w‖² added to the MSE (negative is not a real regulariser: try it).",
        json_schema_extra={
            "description_ko": "MSE에 더하는 벌점 λ‖w‖²의 계수 λ (음수는 진짜 규제 항이 아닙니다: 직접 해 보세요)."
        },
    )
    point_w1: float = Field(
        0.0,
        ge=-3.0,
        le=3.0,
        description="w₁ of the point where the Hessian of (w₁w₂ − 1)² is examined.",
        json_schema_extra={"description_ko": "(w₁w₂ − 1)²의 헤세 행렬을 살펴볼 점의 w₁ 좌표."},
    )
    point_w2: float = Field(
        0.0, ge=-3.0, le=3.0, description="w₂ of that point.", json_schema_extra={"description_ko": "그 점의 w₂ 좌표."}
    )
    n_classes: int = Field(
        3,
        ge=2,
        le=5,
        description="Number of classes (logits) for the softmax loss.",
        json_schema_extra={"description_ko": "소프트맥스 손실의 클래스(로짓) 수."},
    )
    output_loss: Literal["cross_entropy", "squared_error"] = Field(
        "cross_entropy",
        description="Loss on the softmax output: cross-entropy, or squared error against the one-hot target.",
        json_schema_extra={
            "description_ko": "소프트맥스 출력에 대한 손실: 교차 엔트로피, 또는 원-핫 타깃과의 제곱 오차."
        },
    )
    freeze_hidden: bool = Field(
        False,
        description="Treat the hidden layer of the small net as fixed and differentiate only w.r.t. the output weights.",
        json_schema_extra={
            "description_ko": "작은 신경망의 은닉층을 고정된 것으로 보고 출력 가중치에 대해서만 미분합니다."
        },
    )
    n_points: int = Field(
        8,
        ge=1,
        le=40,
        description="Random points where the Hessians are evaluated.",
        json_schema_extra={"description_ko": "헤세 행렬을 계산할 무작위 점의 개수."},
    )
    autograd_dtype: Literal["float64", "float32"] = Field(
        "float64",
        description="Precision of the torch autograd cross-check.",
        json_schema_extra={"description_ko": "torch autograd 교차 검증의 정밀도."},
    )
    tolerance: float = Field(
        1e-8,
        ge=0.0,
        le=1.0,
        description="Largest accepted |sympy − autograd| Hessian entry.",
        json_schema_extra={"description_ko": "헤세 행렬 원소의 |sympy − autograd|로 허용되는 최댓값."},
    )


CLAIMS = [
    ClaimSpec(
        "mse_convex",
        {
            "en": "The (ridge-)regularised MSE of linear regression has a constant Hessian in (b, w₁, w₂), (2/n)X̃ᵀX̃ + 2λ·diag(0, 1, 1) (X̃ is X with a column of ones for the bias, which is not penalised), with no negative eigenvalue: it is convex in the weights.",
            "ko": "(릿지) 규제를 더한 선형 회귀 MSE의 (b, w₁, w₂)에 대한 헤세 행렬은 상수 (2/n)X̃ᵀX̃ + 2λ·diag(0, 1, 1)이고(X̃는 X에 편향을 위한 1의 열을 붙인 행렬이며, 편향에는 벌점을 주지 않습니다), 음의 고윳값이 없습니다: 가중치에 대해 볼록입니다.",
        },
    ),
    ClaimSpec(
        "linear_net_saddle",
        {
            "en": "For the two-weight linear net loss (w₁w₂ − 1)², the examined point is a saddle: zero gradient and Hessian eigenvalues of both signs (±2 at the default point, the origin), so the loss is not convex.",
            "ko": "두 가중치 선형망 손실 (w₁w₂ − 1)²에서 살펴본 점은 안장점입니다: "
            "기울기가 0이고 헤세 행렬 고윳값의 부호가 서로 다릅니다(기본값인 원점에서 ±2). 따라서 이 손실은 볼록이 아닙니다.",
        },
    ),
    ClaimSpec(
        "ce_convex_in_logits",
        {
            "en": "The loss on the softmax output is convex in the logits: for cross-entropy the Hessian is diag(p) − ppᵀ, which is positive semidefinite at every sampled point.",
            "ko": "소프트맥스 출력에 대한 손실이 로짓에 대해 볼록입니다: 교차 엔트로피의 헤세 행렬은 diag(p) − ppᵀ이며, 모든 표본점에서 양의 준정부호입니다.",
        },
    ),
    ClaimSpec(
        "net_not_convex_in_weights",
        {
            "en": "The logistic loss of a one-hidden-layer tanh net is not convex in its weights: some point has a negative Hessian eigenvalue.",
            "ko": "은닉층이 하나인 tanh 신경망의 로지스틱 손실은 가중치에 대해 볼록이 아닙니다: 헤세 행렬 고윳값이 음수인 점이 존재합니다.",
        },
    ),
    ClaimSpec(
        "sympy_matches_autograd",
        {
            "en": "The symbolic (sympy) Hessians agree with torch.autograd.functional.hessian at the sampled points, up to the tolerance.",
            "ko": "기호 미분(sympy)으로 구한 헤세 행렬이 표본점에서 torch.autograd.functional.hessian의 결과와 허용 오차 안에서 일치합니다.",
        },
    ),
]


def run(p: Params, ctx) -> None:
    import numpy as np
    import sympy as sp
    import torch

    rng = ctx.rng()
    tdtype = torch.float64 if p.autograd_dtype == "float64" else torch.float32
    diffs: dict[str, float] = {}

    def autograd_diff(name, sym_fn, torch_fn, points):
        """Max |H_sympy − H_autograd| over points."""
        worst = 0.0
        for pt in points:
            hs = np.asarray(sym_fn(*pt), dtype=float)
            ht = torch.autograd.functional.hessian(torch_fn, torch.tensor(pt, dtype=tdtype)).double().numpy()
            worst = max(worst, float(np.max(np.abs(hs - ht))))
        diffs[name] = worst
        return worst

    # ---- 1. linear-regression MSE --------------------------------------------------------
    ctx.progress(0.02, {"en": "MSE Hessian", "ko": "MSE의 헤세 행렬"})
    X = rng.normal(size=(p.n_samples, 2))
    y = X @ np.array([1.5, -0.7]) + 0.3 + 0.2 * rng.normal(size=p.n_samples)
    w = sp.symbols("b w1 w2")
    mse = (
        sum((w[0] + w[1] * float(X[i, 0]) + w[2] * float(X[i, 1]) - float(y[i])) ** 2 for i in range(p.n_samples))
        / p.n_samples
    )
    mse = mse + p.ridge * (w[1] ** 2 + w[2] ** 2)
    H_mse = sp.hessian(sp.expand(mse), w)
    constant = not (H_mse.free_symbols & set(w))
    eig_mse = np.linalg.eigvalsh(np.array(H_mse.evalf(), dtype=float))
    ctx.metric("mse_min_eigenvalue", eig_mse.min())
    ctx.metric("mse_max_eigenvalue", eig_mse.max())
    ctx.claim(
        "mse_convex",
        constant and eig_mse.min() >= -1e-10,
        {"hessian_constant": constant, "min_eigenvalue": float(eig_mse.min()), "max_eigenvalue": float(eig_mse.max())},
        "Hessian independent of w and min eigenvalue >= -1e-10",
    )
    Xt = torch.tensor(X, dtype=tdtype)
    yt = torch.tensor(y, dtype=tdtype)

    def mse_torch(v):
        r = v[0] + Xt @ v[1:] - yt
        return (r**2).mean() + p.ridge * (v[1:] ** 2).sum()

    pts3 = [tuple(rng.normal(size=3)) for _ in range(p.n_points)]
    autograd_diff("mse", sp.lambdify(w, H_mse, "numpy"), mse_torch, pts3)

    # ---- 2. two-weight linear net --------------------------------------------------------
    ctx.progress(0.2, {"en": "linear net (w1*w2 - 1)^2", "ko": "선형 신경망 (w1*w2 - 1)^2"})
    w1, w2 = sp.symbols("w1 w2")
    f = (w1 * w2 - 1) ** 2
    H_lin = sp.hessian(f, (w1, w2))
    grad_lin = [sp.diff(f, s) for s in (w1, w2)]
    at = {w1: p.point_w1, w2: p.point_w2}
    H_at = np.array(H_lin.subs(at).evalf(), dtype=float)
    g_at = np.array([float(g.subs(at)) for g in grad_lin])
    eig_lin = np.linalg.eigvalsh(H_at)
    gnorm = float(np.linalg.norm(g_at))
    ctx.metric("linear_net_eig_min", eig_lin.min())
    ctx.metric("linear_net_eig_max", eig_lin.max())
    ctx.metric("linear_net_grad_norm", gnorm)
    ctx.claim(
        "linear_net_saddle",
        gnorm < 1e-9 and eig_lin.min() < -1e-9 and eig_lin.max() > 1e-9,
        {
            "point": [p.point_w1, p.point_w2],
            "grad_norm": gnorm,
            "eig_min": float(eig_lin.min()),
            "eig_max": float(eig_lin.max()),
        },
        "grad_norm < 1e-9 and eig_min < 0 < eig_max",
    )
    pts2 = [(p.point_w1, p.point_w2)] + [tuple(rng.normal(size=2)) for _ in range(p.n_points)]
    autograd_diff("linear_net", sp.lambdify((w1, w2), H_lin, "numpy"), lambda v: (v[0] * v[1] - 1) ** 2, pts2)

    # ---- 3. softmax loss in the logits ---------------------------------------------------
    ctx.progress(0.4, {"en": "softmax loss in the logits", "ko": "로짓에 대한 소프트맥스 손실"})
    K = p.n_classes
    z = sp.symbols(f"z0:{K}")
    S = sum(sp.exp(zk) for zk in z)
    probs = [sp.exp(zk) / S for zk in z]
    if p.output_loss == "cross_entropy":
        L_logit = -z[0] + sp.log(S)  # true class 0
    else:
        L_logit = sum((probs[k] - (1 if k == 0 else 0)) ** 2 for k in range(K))
    H_logit = sp.hessian(L_logit, z)
    identity_ok = True
    if p.output_loss == "cross_entropy":
        pv = sp.Matrix(probs)
        identity_ok = sp.simplify(H_logit - (sp.diag(*probs) - pv * pv.T)) == sp.zeros(K, K)
    H_logit_fn = sp.lambdify(z, H_logit, "numpy")
    ptsK = [tuple(3.0 * rng.normal(size=K)) for _ in range(max(p.n_points, 1) * 5)]
    min_eig_logit = min(float(np.linalg.eigvalsh(np.asarray(H_logit_fn(*pt), dtype=float)).min()) for pt in ptsK)
    ctx.metric("logit_hessian_min_eigenvalue", min_eig_logit)
    obs = {"loss": p.output_loss, "points": len(ptsK), "min_eigenvalue": min_eig_logit}
    if p.output_loss == "cross_entropy":
        obs["hessian_equals_diag_p_minus_ppT"] = bool(identity_ok)
    ctx.claim(
        "ce_convex_in_logits",
        bool(identity_ok) and min_eig_logit >= -1e-10,
        obs,
        "min eigenvalue >= -1e-10 at every point",
    )

    def logit_torch(v):
        if p.output_loss == "cross_entropy":
            return -torch.log_softmax(v, 0)[0]
        onehot = torch.zeros(K, dtype=v.dtype)
        onehot[0] = 1
        return ((torch.softmax(v, 0) - onehot) ** 2).sum()

    autograd_diff("softmax_loss", H_logit_fn, logit_torch, ptsK[: p.n_points])

    # ---- 4. one-hidden-layer net in its weights ------------------------------------------
    ctx.progress(0.6, {"en": "one-hidden-layer net", "ko": "은닉층 하나짜리 신경망"})
    xs = [-1.5, -0.5, 0.7, 1.8]
    ts = [-1, 1, 1, -1]  # labels ±1
    a1, a2, v1, v2 = sp.symbols("a1 a2 v1 v2")  # hidden weights a, output weights v
    xs_, ts_ = sp.symbols("x t")
    # Loss of one example (x, t); the data loss is the mean over the examples, and so is its Hessian.
    ex_loss = sp.log(1 + sp.exp(-ts_ * (v1 * sp.tanh(a1 * xs_) + v2 * sp.tanh(a2 * xs_))))
    variables = (v1, v2) if p.freeze_hidden else (a1, a2, v1, v2)
    H_ex = sp.hessian(ex_loss, variables)
    H_ex_fn = sp.lambdify((a1, a2, v1, v2, xs_, ts_), H_ex, "numpy")

    def H_net_fn(*w4):
        return sum(np.asarray(H_ex_fn(*w4, x, t), dtype=float) for x, t in zip(xs, ts)) / len(xs)

    ptsN = [(0.0, 0.0, 0.0, 0.0)] + [tuple(1.5 * rng.normal(size=4)) for _ in range(p.n_points)]
    eigs_net = [float(np.linalg.eigvalsh(np.asarray(H_net_fn(*pt), dtype=float)).min()) for pt in ptsN]
    i_min = int(np.argmin(eigs_net))
    ctx.metric("net_min_eigenvalue", eigs_net[i_min])
    ctx.claim(
        "net_not_convex_in_weights",
        eigs_net[i_min] < -1e-6,
        {
            "differentiated_wrt": [str(s) for s in variables],
            "points": len(ptsN),
            "min_eigenvalue": eigs_net[i_min],
            "at_point": [round(float(c), 4) for c in ptsN[i_min]],
        },
        "some point with min eigenvalue < -1e-6",
    )
    xt = torch.tensor(xs, dtype=tdtype)
    tt = torch.tensor(ts, dtype=tdtype)

    def net_torch_full(v):
        out = v[2] * torch.tanh(v[0] * xt) + v[3] * torch.tanh(v[1] * xt)
        return torch.nn.functional.softplus(-tt * out).mean()

    if p.freeze_hidden:

        def checks(pt):
            fixed = torch.tensor(pt[:2], dtype=tdtype)
            return (lambda vv: net_torch_full(torch.cat([fixed, vv]))), pt[2:]

        worst = 0.0
        for pt in ptsN:
            fn, sub = checks(pt)
            hs = np.asarray(H_net_fn(*pt), dtype=float)
            ht = torch.autograd.functional.hessian(fn, torch.tensor(sub, dtype=tdtype)).double().numpy()
            worst = max(worst, float(np.max(np.abs(hs - ht))))
        diffs["net"] = worst
    else:
        autograd_diff("net", H_net_fn, net_torch_full, ptsN)

    # ---- 5. cross-check ------------------------------------------------------------------
    ctx.progress(0.9, {"en": "autograd cross-check", "ko": "자동 미분으로 교차 확인"})
    max_diff = max(diffs.values())
    ctx.metric("max_abs_diff_sympy_autograd", max_diff)
    ctx.claim(
        "sympy_matches_autograd",
        max_diff <= p.tolerance,
        {"dtype": p.autograd_dtype, **{f"max_diff_{k}": v for k, v in diffs.items()}},
        f"max |H_sympy - H_autograd| <= {p.tolerance:g}",
    )

    ctx.table(
        {"en": "Hessian eigenvalues", "ko": "헤세 행렬의 고윳값"},
        [
            {"en": "function", "ko": "함수"},
            {"en": "smallest eigenvalue", "ko": "최소 고윳값"},
            {"en": "largest / note", "ko": "최대 고윳값 / 비고"},
            {"en": "max |sympy − autograd|", "ko": "|sympy − autograd|의 최댓값"},
        ],
        [
            [
                {"en": "MSE (linear regression)", "ko": "MSE (선형 회귀)"},
                float(eig_mse.min()),
                float(eig_mse.max()),
                diffs["mse"],
            ],
            [
                {
                    "en": f"(w1·w2 − 1)² at ({p.point_w1:g}, {p.point_w2:g})",
                    "ko": f"({p.point_w1:g}, {p.point_w2:g})에서의 (w1·w2 − 1)²",
                },
                float(eig_lin.min()),
                float(eig_lin.max()),
                diffs["linear_net"],
            ],
            [
                {
                    "en": f"softmax {p.output_loss} in logits (min over {len(ptsK)} points)",
                    "ko": f"로짓에 대한 softmax {p.output_loss} (점 {len(ptsK)}개 중 최솟값)",
                },
                min_eig_logit,
                "—",
                diffs["softmax_loss"],
            ],
            [
                {
                    "en": f"1-hidden-layer net (min over {len(ptsN)} points)",
                    "ko": f"은닉층 1개인 신경망 (점 {len(ptsN)}개 중 최솟값)",
                },
                eigs_net[i_min],
                "—",
                diffs["net"],
            ],
        ],
    )
    ctx.text(
        {
            "en": (
                "A twice-differentiable function is convex exactly when its Hessian is positive semidefinite everywhere; "
                "one point with a negative eigenvalue is enough to prove it is **not** convex.\n\n"
                "- The MSE of linear regression has the same Hessian everywhere, (2/n)X̃ᵀX̃ (X̃: X with a column of ones for the bias), "
                "plus 2λ·diag(0, 1, 1) with the ridge penalty, which leaves the bias alone: never a negative eigenvalue for λ ≥ 0.\n"
                "- (w₁w₂ − 1)² is the simplest deep linear net. At the origin the gradient is 0 and the eigenvalues are +2 and −2: "
                "a saddle point, not a minimum.\n"
                "- Cross-entropy is convex in the **logits** (Hessian diag(p) − ppᵀ), but the same loss is not convex in the "
                "**weights** of a network with a hidden layer. Freeze the hidden layer and the problem becomes logistic regression "
                "on fixed features, which is convex again.\n"
                "- Try `output_loss = squared_error`: squared error on softmax probabilities is not convex in the logits."
            ),
            "ko": (
                "두 번 미분 가능한 함수는 모든 점에서 헤세 행렬이 양의 준정부호일 때, 그리고 그때에만 볼록입니다. "
                "고윳값이 음수인 점이 하나만 있어도 볼록이 **아님**이 증명됩니다.\n\n"
                "- 선형 회귀 MSE의 헤세 행렬은 어디서나 같은 (2/n)X̃ᵀX̃이고(X̃는 X에 편향을 위한 1의 열을 붙인 행렬), 릿지 벌점이 있으면 "
                "편향은 건드리지 않는 2λ·diag(0, 1, 1)이 더해집니다. λ ≥ 0이면 음의 고윳값이 없습니다.\n"
                "- (w₁w₂ − 1)²은 가장 단순한 깊은 선형망입니다. 원점에서 기울기는 0이고 고윳값은 +2와 −2입니다. "
                "최솟점이 아니라 안장점입니다.\n"
                "- 교차 엔트로피는 **로짓**에 대해 볼록(헤세 행렬 diag(p) − ppᵀ)이지만, 은닉층이 있는 신경망의 **가중치**에 대해서는 "
                "볼록이 아닙니다. 은닉층을 고정하면 고정된 특성 위의 로지스틱 회귀가 되어 다시 볼록해집니다.\n"
                "- `output_loss = squared_error`로 바꿔 보세요. 소프트맥스 확률에 대한 제곱 오차는 로짓에 대해 볼록이 아닙니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec(
        "mse_min_eigenvalue",
        {"en": "Smallest Hessian eigenvalue of linear-regression MSE", "ko": "선형 회귀 MSE 헤세 행렬의 최소 고윳값"},
    ),
    MetricSpec(
        "mse_max_eigenvalue",
        {"en": "Largest Hessian eigenvalue of linear-regression MSE", "ko": "선형 회귀 MSE 헤세 행렬의 최대 고윳값"},
    ),
    MetricSpec(
        "linear_net_eig_min",
        {
            # The point is a parameter (point_w1, point_w2): "at the origin" was said of any point.
            "en": "Smallest Hessian eigenvalue of the two-layer linear net at the examined point",
            "ko": "살펴본 점에서 2층 선형 신경망 헤세 행렬의 최소 고윳값",
        },
    ),
    MetricSpec(
        "linear_net_eig_max",
        {
            "en": "Largest Hessian eigenvalue of the two-layer linear net at the examined point",
            "ko": "살펴본 점에서 2층 선형 신경망 헤세 행렬의 최대 고윳값",
        },
    ),
    MetricSpec(
        "linear_net_grad_norm",
        {
            "en": "Gradient norm of the linear net at the examined point",
            "ko": "살펴본 점에서 선형 신경망의 기울기 노름",
        },
    ),
    MetricSpec(
        "logit_hessian_min_eigenvalue",
        {
            "en": "Smallest Hessian eigenvalue of softmax cross-entropy in the logits",
            "ko": "로짓에 대한 소프트맥스 교차 엔트로피 헤세 행렬의 최소 고윳값",
        },
    ),
    MetricSpec(
        "net_min_eigenvalue",
        {
            "en": "Most negative Hessian eigenvalue found for the tanh net",
            "ko": "tanh 신경망에서 찾은 가장 작은 헤세 행렬 고윳값",
        },
    ),
    MetricSpec(
        "max_abs_diff_sympy_autograd",
        {
            "en": "Largest |sympy − autograd| Hessian entry difference",
            "ko": "sympy와 autograd 헤세 행렬 성분의 최대 차이",
        },
    ),
)
PLOTS = ()
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.8 + 0.003*n_samples + 0.1*n_points"


plugin = Plugin(
    id="convexity-hessian",
    title={"en": "Convexity and the Hessian", "ko": "볼록성과 헤세 행렬"},
    summary={
        "en": "Symbolic Hessians and their eigenvalues: convex MSE, a saddle in a linear net, cross-entropy convex in logits but not in weights.",
        "ko": "기호 미분으로 구한 헤세 행렬과 고윳값: 볼록한 MSE, 선형망의 안장점, 로짓에는 볼록하지만 가중치에는 볼록하지 않은 교차 엔트로피.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("optimization", "convexity", "hessian", "sympy"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=2.0,
)
