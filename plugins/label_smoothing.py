"""Label smoothing and overlapping classes put a floor above zero under the cross-entropy."""

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    classes: int = Field(
        4, ge=2, le=20, description="Number of classes K.", json_schema_extra={"description_ko": "클래스 수 K."}
    )
    epsilon: float = Field(
        0.1,
        ge=0.0,
        le=0.9,
        description="Label smoothing ε: the target is (1 − ε)·one-hot + ε/K.",
        json_schema_extra={"description_ko": "레이블 스무딩 ε: 타깃은 (1 − ε)·one-hot + ε/K."},
    )
    overlap: float = Field(
        0.0,
        ge=0.0,
        le=0.5,
        description="Fraction of examples whose label is switched to another class (identical inputs, different labels).",
        json_schema_extra={"description_ko": "레이블이 다른 클래스로 바뀌는 예제의 비율 (입력은 같고 레이블만 다름)."},
    )
    per_class: int = Field(
        50,
        ge=1,
        le=200,
        description="Examples per input group.",
        json_schema_extra={"description_ko": "입력 그룹당 예제 수."},
    )
    steps: int = Field(
        300,
        ge=1,
        le=2000,
        description="Full-batch Adam steps.",
        json_schema_extra={"description_ko": "전체 배치 Adam 스텝 수."},
    )
    lr: float = Field(
        0.1, ge=1e-5, le=1.0, description="Adam learning rate.", json_schema_extra={"description_ko": "Adam 학습률."}
    )
    gap_tol: float = Field(
        0.01,
        ge=0.0,
        le=10.0,
        description="How close (in nats) the final loss must come to the theoretical minimum.",
        json_schema_extra={"description_ko": "최종 손실이 이론적 최솟값에 얼마나 가까워야 하는지 (nat 단위)."},
    )


CLAIMS = [
    ClaimSpec(
        "min_above_zero",
        {
            "en": "With label smoothing (ε > 0) or with overlapping classes, the minimum of the cross-entropy is above zero: "
            "it equals the entropy of each input's target distribution (averaged over inputs), so even a perfect model "
            "cannot reach 0.",
            "ko": "레이블 스무딩(ε > 0)을 쓰거나 클래스가 겹치면 교차 엔트로피의 최솟값은 0보다 큽니다. 최솟값은 입력별 타깃 "
            "분포의 엔트로피(입력에 대한 평균)와 같으므로 완벽한 모델도 0에 이를 수 없습니다.",
        },
    ),
    ClaimSpec(
        "approaches_min_from_above",
        {
            "en": "Training drives the loss down towards that minimum but never below it: H(p, q) = H(p) + KL(p‖q) ≥ H(p).",
            "ko": "학습은 손실을 그 최솟값 쪽으로 끌어내리지만 결코 그 아래로 내려가지 않습니다: H(p, q) = H(p) + KL(p‖q) ≥ H(p).",
        },
    ),
]


def _entropy(p) -> float:
    import math

    return -sum(float(v) * math.log(float(v)) for v in p if v > 0)


def run(params: Params, ctx) -> None:
    with ctx.single_thread():
        _run(params, ctx)


def _run(params: Params, ctx) -> None:
    import math

    import torch
    import torch.nn.functional as F

    g = ctx.torch_seed()
    K, eps, n_g = params.classes, params.epsilon, params.per_class
    dt = torch.float64

    # K distinct inputs (one-hot group ids); group k's examples are labelled k, except an `overlap` fraction
    groups = torch.arange(K).repeat_interleave(n_g)
    labels = groups.clone()
    n_switch = int(round(params.overlap * n_g))
    for k in range(K):
        idx = torch.nonzero(groups == k).flatten()[:n_switch]
        others = torch.randint(0, K - 1, (len(idx),), generator=g)
        labels[idx] = others + (others >= k).long()  # any class except k
    X = F.one_hot(groups, K).to(dt)

    # theoretical minimum: Σ_g w_g · H(average smoothed target of group g)
    theory = 0.0
    for k in range(K):
        pi = torch.bincount(labels[groups == k], minlength=K).to(dt) / n_g
        target = (1 - eps) * pi + eps / K
        theory += _entropy(target.tolist()) / K
    # the closed form for no overlap: -(1-ε+ε/K) log(1-ε+ε/K) - (K-1)(ε/K) log(ε/K)
    a, b = 1 - eps + eps / K, eps / K
    closed = 0.0 - (a * math.log(a) if a > 0 else 0.0) - ((K - 1) * b * math.log(b) if b > 0 else 0.0) + 0.0

    model = torch.nn.Linear(K, K).to(dt)
    weights = list(model.parameters())
    # Adam (Kingma & Ba, 2015) written out; torch.optim would pull in the torch.compile machinery on first use
    b1, b2, adam_eps = 0.9, 0.999, 1e-8
    m1 = [torch.zeros_like(p) for p in weights]
    m2 = [torch.zeros_like(p) for p in weights]
    losses = []
    every = max(1, params.steps // 100)
    for step in range(params.steps):
        loss = F.cross_entropy(model(X), labels, label_smoothing=eps)
        grads = torch.autograd.grad(loss, weights)
        with torch.no_grad():
            for p, gr, a1, a2 in zip(weights, grads, m1, m2):
                a1.mul_(b1).add_(gr, alpha=1 - b1)
                a2.mul_(b2).addcmul_(gr, gr, value=1 - b2)
                m_hat = a1 / (1 - b1 ** (step + 1))
                v_hat = a2 / (1 - b2 ** (step + 1))
                p.sub_(params.lr * m_hat / (v_hat.sqrt() + adam_eps))
        losses.append(float(loss.detach()))
        if step % every == 0 or step == params.steps - 1:
            ctx.point("training loss", step, losses[-1])
            ctx.point("theoretical minimum", step, theory)
            ctx.progress(
                (step + 1) / params.steps,
                {"en": f"step {step + 1}/{params.steps}", "ko": f"스텝 {step + 1}/{params.steps}"},
            )
    with torch.no_grad():
        final = float(F.cross_entropy(model(X), labels, label_smoothing=eps))
    losses.append(final)
    lowest = min(losses)

    ctx.metric("theoretical_min", theory)
    ctx.metric("closed_form_no_overlap", closed)
    ctx.metric("final_loss", final)
    ctx.metric("lowest_loss", lowest)
    ctx.metric("gap_to_min", final - theory)

    floor = 1e-3
    ctx.claim(
        "min_above_zero",
        theory > floor and lowest > floor,
        {"theoretical_min": theory, "lowest_loss_seen": lowest, "epsilon": eps, "overlap": params.overlap},
        {"theoretical_min": f"> {floor:g}", "lowest_loss_seen": f"> {floor:g}"},
    )
    ctx.claim(
        "approaches_min_from_above",
        lowest >= theory - 1e-9 and final - theory <= params.gap_tol,
        {"lowest_loss_seen": lowest, "final_loss": final, "theoretical_min": theory, "gap": final - theory},
        {"lowest_loss_seen": ">= theoretical_min (within 1e-9)", "gap": f"<= {params.gap_tol:g}"},
    )
    ctx.table(
        {"en": "Cross-entropy floor", "ko": "교차 엔트로피의 하한"},
        [{"en": "quantity", "ko": "항목"}, {"en": "value (nats)", "ko": "값 (nat)"}],
        [
            [{"en": "theoretical minimum (entropy of the targets)", "ko": "이론적 최솟값 (타깃의 엔트로피)"}, theory],
            [
                {
                    "en": "closed form without overlap: −(1−ε+ε/K)log(1−ε+ε/K) − (K−1)(ε/K)log(ε/K)",
                    "ko": "겹침이 없을 때의 닫힌 형태: −(1−ε+ε/K)log(1−ε+ε/K) − (K−1)(ε/K)log(ε/K)",
                },
                closed,
            ],
            [{"en": "lowest training loss", "ko": "가장 낮은 훈련 손실"}, lowest],
            [{"en": "final training loss", "ko": "최종 훈련 손실"}, final],
        ],
    )
    ctx.text(
        {
            "en": (
                f"Each target is a distribution: with ε = {eps:g} the true class gets {a:.3f} and every other class "
                f"{b:.3f}. Cross-entropy H(p, q) = H(p) + KL(p‖q) is smallest when the model's q equals the target p, and "
                f"then it is the entropy H(p) = {theory:.4f} nats{', not 0' if theory > 1e-3 else ''}. The loss curve descends towards this floor "
                "and never crosses it.\n\nIdentical inputs with different labels (`overlap`) raise the floor "
                "the same way: the best the model can do is predict the label frequencies. Set `epsilon = 0` with no "
                "overlap: the floor drops to 0 and the loss keeps shrinking as the logits grow without bound."
            ),
            "ko": (
                f"각 타깃은 분포입니다. ε = {eps:g}이면 정답 클래스가 {a:.3f}, 나머지 클래스가 각각 {b:.3f}의 확률을 받습니다. "
                "교차 엔트로피 H(p, q) = H(p) + KL(p‖q)는 모델의 q가 타깃 p와 같을 때 가장 작고, 그 값은 "
                f"{'0이 아니라 ' if theory > 1e-3 else ''}엔트로피 H(p) = {theory:.4f} nats입니다. 손실 곡선은 이 바닥을 향해 내려가지만 결코 뚫고 "
                "내려가지 않습니다.\n\n입력이 같은데 레이블이 다른 예제(`overlap`)도 같은 식으로 바닥을 높입니다. 모델이 할 수 있는 "
                "최선은 레이블 빈도를 예측하는 것입니다. "
                "겹침 없이 `epsilon = 0`으로 두면 바닥이 0으로 내려가고, 로짓이 "
                "한없이 커지면서 손실이 계속 줄어듭니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec(
        "theoretical_min",
        {"en": "Lowest possible smoothed loss", "ko": "스무딩된 손실의 이론적 최솟값"},
        {"en": "nats", "ko": "nat"},
    ),
    MetricSpec(
        "closed_form_no_overlap",
        {"en": "Closed-form minimum (no class overlap)", "ko": "닫힌 형태의 최솟값 (클래스 겹침 없음)"},
        {"en": "nats", "ko": "nat"},
    ),
    MetricSpec("final_loss", {"en": "Final training loss", "ko": "최종 훈련 손실"}, {"en": "nats", "ko": "nat"}),
    MetricSpec("lowest_loss", {"en": "Lowest training loss", "ko": "가장 낮은 훈련 손실"}, {"en": "nats", "ko": "nat"}),
    MetricSpec("gap_to_min", {"en": "Gap to the minimum", "ko": "최솟값과의 차이"}, {"en": "nats", "ko": "nat"}),
)
PLOTS = (
    PanelSpec(
        "loss",
        title={"en": "Smoothed loss never reaches 0", "ko": "스무딩된 손실은 0이 되지 않습니다"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "loss (nats)", "ko": "손실 (nat)"},
        series={
            "training loss": {"en": "training loss", "ko": "훈련 손실"},
            "theoretical minimum": {"en": "theoretical minimum", "ko": "이론적 최솟값"},
        },
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.1 + 0.0012*steps*classes*per_class/200"


plugin = Plugin(
    id="label-smoothing",
    title={"en": "Label smoothing: the loss floor above zero", "ko": "레이블 스무딩: 0보다 높은 손실의 바닥"},
    summary={
        "en": "Train a classifier with label smoothing or overlapping classes and watch the cross-entropy approach the "
        "entropy of the targets from above — never 0, never below.",
        "ko": "레이블 스무딩이나 겹치는 클래스로 분류기를 학습시키고, 교차 엔트로피가 타깃의 엔트로피에 위에서 다가가는 것을 "
        "봅니다. 0에도, 그 아래에도 이르지 않습니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("loss-functions", "cross-entropy", "regularisation"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.5,
)
