"""Transfer learning: features learned on task A give a related task B a head start from few examples, an unrelated one none."""

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    pretrain_examples: int = Field(
        1000,
        ge=0,
        le=10_000,
        description="Examples of the source task A used for pretraining (0 = no pretraining).",
        json_schema_extra={"description_ko": "사전 학습에 쓰는 원천 과제 A의 예제 수 (0이면 사전 학습 없음)."},
    )
    few_examples: int = Field(
        20,
        ge=1,
        le=1000,
        description="Training examples of the target tasks B and B′.",
        json_schema_extra={"description_ko": "목표 과제 B와 B′의 훈련 예제 수."},
    )
    overlap: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="How much of task A's hidden directions the 'unrelated' task B′ reuses (0 = none, 1 = all, i.e. B′ is related).",
        json_schema_extra={
            "description_ko": "'관련 없는' 과제 B′가 과제 A의 숨은 방향을 얼마나 재사용하는지 (0 = 전혀, 1 = 전부, 즉 B′도 관련 과제)."
        },
    )
    freeze: bool = Field(
        True,
        description="Keep the transferred hidden layer fixed and train only the new output layer.",
        json_schema_extra={"description_ko": "옮겨 온 은닉층을 고정하고 새 출력층만 학습합니다."},
    )
    hidden: int = Field(
        32,
        ge=2,
        le=64,
        description="Hidden units of the one-hidden-layer tanh network.",
        json_schema_extra={"description_ko": "은닉층이 하나인 tanh 신경망의 은닉 유닛 수."},
    )
    steps: int = Field(
        200,
        ge=1,
        le=1000,
        description="Full-batch Adam steps on each target task (the same for both starts).",
        json_schema_extra={"description_ko": "각 목표 과제에서의 전체 배치 Adam 스텝 수 (두 출발점에 같음)."},
    )


CLAIMS = [
    ClaimSpec(
        "transfer_helps_related_task",
        {
            "en": "On task B, which reads the same hidden features as task A, the network that starts from A's learned features "
            "reaches less than half the held-out error of the same network trained from scratch on the same few examples.",
            "ko": "과제 A와 같은 숨은 특성을 읽는 과제 B에서, A에서 학습한 특성으로 출발한 신경망은 같은 적은 예제로 처음부터 "
            "학습한 같은 신경망의 검증 오차의 절반보다 낮은 오차에 도달합니다.",
        },
    ),
    ClaimSpec(
        "no_help_for_unrelated_task",
        {
            "en": "On task B′, built on hidden directions unrelated to task A's, the transferred features give no such head "
            "start: the held-out error with them is at least 80% of the error from scratch.",
            "ko": "과제 A와 무관한 숨은 방향으로 만든 과제 B′에서는 옮겨 온 특성이 그런 이점을 주지 못합니다. 그 특성으로 출발한 "
            "검증 오차가 처음부터 학습한 오차의 80% 이상입니다.",
        },
    ),
]

D_IN, K_LATENT, A_OUTPUTS, N_TEST, PRETRAIN_STEPS = 20, 4, 8, 1000, 300


START_KO = {"from A": "A의 특성에서 출발", "scratch": "처음부터"}


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _run(p: Params, ctx, torch) -> None:
    g = ctx.torch_seed()
    nn = torch.nn

    def directions():
        w = torch.randn(K_LATENT, D_IN, generator=g)
        return 2.0 * w / w.norm(dim=1, keepdim=True)  # unit-variance-ish projections, scaled into tanh's bend

    W_a = directions()
    # B′'s own directions, orthogonal to A's: with Gaussian inputs its features are then independent of A's
    q, _ = torch.linalg.qr(W_a.T)
    W_u = directions()
    W_u = W_u - (W_u @ q) @ q.T
    W_u = 2.0 * W_u / W_u.norm(dim=1, keepdim=True)
    W_b2 = p.overlap * W_a + (1 - p.overlap**2) ** 0.5 * W_u  # B′'s hidden directions
    V_a = torch.randn(A_OUTPUTS, K_LATENT, generator=g)
    v_b = torch.randn(1, K_LATENT, generator=g)
    v_b2 = torch.randn(1, K_LATENT, generator=g)

    def task(W, V, n):
        x = torch.randn(n, D_IN, generator=g)
        return x, torch.tanh(x @ W.T) @ V.T

    # ---- pretraining on task A -------------------------------------------------------------------------------
    init_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=g))
    torch.manual_seed(init_seed)
    body = nn.Sequential(nn.Linear(D_IN, p.hidden), nn.Tanh())
    head_a = nn.Linear(p.hidden, A_OUTPUTS)
    x_a, y_a = task(W_a, V_a, p.pretrain_examples)
    if p.pretrain_examples > 0:
        var_a = y_a.var()
        with torch.no_grad():  # plotted before the optimiser is built: its first construction imports for seconds
            ctx.point(
                "task A: pretraining loss (fraction of variance)",
                0,
                float(((head_a(body(x_a)) - y_a) ** 2).mean() / var_a),
            )
        opt = torch.optim.Adam([*body.parameters(), *head_a.parameters()], lr=1e-2)
        for step in range(1, PRETRAIN_STEPS + 1):
            opt.zero_grad()
            loss = ((head_a(body(x_a)) - y_a) ** 2).mean() / var_a
            loss.backward()
            opt.step()
            if step % 10 == 0:
                ctx.point("task A: pretraining loss (fraction of variance)", step, loss.item())
                ctx.progress(
                    0.3 * step / PRETRAIN_STEPS,
                    {"en": f"pretraining on task A: step {step}", "ko": f"과제 A로 사전 학습: 스텝 {step}"},
                )
    pretrained = {k: v.clone() for k, v in body.state_dict().items()}

    # ---- few-shot training on B and B′, from A's features and from scratch -------------------------------------
    results, trainable = {}, {}
    runs = [("B", W_a, v_b), ("B′", W_b2, v_b2)]
    for i, (name, W, v) in enumerate(runs):
        x_tr, y_tr = task(W, v, p.few_examples)
        x_te, y_te = task(W, v, N_TEST)
        var = float(y_te.var())
        for start in ("from A", "scratch"):
            torch.manual_seed(init_seed + 1 + i)  # the same fresh output layer for both starts
            net_body = nn.Sequential(nn.Linear(D_IN, p.hidden), nn.Tanh())
            if start == "from A":
                net_body.load_state_dict(pretrained)
            net_head = nn.Linear(p.hidden, 1)
            train_body = not (p.freeze and start == "from A")
            params = [*net_head.parameters()] + ([*net_body.parameters()] if train_body else [])
            opt = None  # built after the first plotted point: the first optimiser in a process imports for seconds
            for step in range(p.steps + 1):
                if step % 10 == 0 or step == p.steps:
                    with torch.no_grad():
                        err = float(((net_head(net_body(x_te)) - y_te) ** 2).mean()) / var
                    ctx.point(f"task {name}, {start}: held-out error", step, err)
                if step == p.steps:
                    break
                opt = opt or torch.optim.Adam(params, lr=1e-2)
                opt.zero_grad()
                ((net_head(net_body(x_tr)) - y_tr) ** 2).mean().backward()
                opt.step()
            results[(name, start)] = err
            trainable[start] = sum(q.numel() for q in params)
            done = 2 * i + (start == "scratch") + 1
            ctx.progress(
                0.3 + 0.65 * done / 4, {"en": f"task {name}, {start}", "ko": f"과제 {name}, {START_KO[start]}"}
            )

    rb = results[("B", "from A")] / results[("B", "scratch")]
    rb2 = results[("B′", "from A")] / results[("B′", "scratch")]
    ctx.metric("error_b_transfer", results[("B", "from A")])
    ctx.metric("error_b_scratch", results[("B", "scratch")])
    ctx.metric("error_b_prime_transfer", results[("B′", "from A")])
    ctx.metric("error_b_prime_scratch", results[("B′", "scratch")])
    ctx.metric("trainable_parameters_transfer", trainable["from A"])
    ctx.metric("trainable_parameters_scratch", trainable["scratch"])
    ctx.metric("ratio_b", rb)
    ctx.metric("ratio_b_prime", rb2)
    ctx.claim(
        "transfer_helps_related_task",
        rb < 0.5,
        {
            "error_transfer": results[("B", "from A")],
            "error_scratch": results[("B", "scratch")],
            "ratio": rb,
            "pretrain_examples": p.pretrain_examples,
            "few_examples": p.few_examples,
        },
        "error_transfer / error_scratch < 0.5",
    )
    ctx.claim(
        "no_help_for_unrelated_task",
        rb2 >= 0.8,
        {
            "error_transfer": results[("B′", "from A")],
            "error_scratch": results[("B′", "scratch")],
            "ratio": rb2,
            "overlap": p.overlap,
        },
        "error_transfer / error_scratch >= 0.8",
    )

    ctx.table(
        {
            "en": f"Held-out error (fraction of the target's variance) after {p.steps} steps on {p.few_examples} examples",
            "ko": f"검증 오차 (목표값 분산 대비 비율), 예제 {p.few_examples}개로 {p.steps}스텝 훈련 후",
        },
        [
            {"en": "task", "ko": "과제"},
            {"en": "from A's features", "ko": "A의 특성에서 전이"},
            {"en": "from scratch", "ko": "처음부터"},
            {"en": "ratio", "ko": "비율"},
        ],
        [
            [{"en": "B (related)", "ko": "B (관련 과제)"}, results[("B", "from A")], results[("B", "scratch")], rb],
            [
                {"en": f"B′ (overlap {p.overlap:g})", "ko": f"B′ (겹침 {p.overlap:g})"},
                results[("B′", "from A")],
                results[("B′", "scratch")],
                rb2,
            ],
        ],
    )
    ctx.text(
        {
            "en": (
                f"Task A maps x ∈ ℝ^{D_IN} through {K_LATENT} hidden features tanh(Wx) to {A_OUTPUTS} outputs and has "
                f"{p.pretrain_examples} examples. Task B reads the same hidden features with new weights; task B′ reads "
                f"features along other directions. Both have only {p.few_examples} examples — fewer than the {D_IN} inputs, "
                "so from scratch the network can only memorise them.\n\n"
                f"Starting from A's hidden layer{' (frozen)' if p.freeze else ''}, task B only has to learn how to combine "
                f"features it already has: its error is {rb:.2f} of the scratch error. On B′ the same features are of no use "
                f"(ratio {rb2:.2f}). Try `pretrain_examples = 0`, or `overlap = 1` (B′ becomes related)."
            ),
            "ko": (
                f"과제 A는 x ∈ ℝ^{D_IN}를 숨은 특성 tanh(Wx) {K_LATENT}개를 거쳐 출력 {A_OUTPUTS}개로 보내며, 예제가 "
                f"{p.pretrain_examples}개입니다. 과제 B는 같은 숨은 특성을 새 가중치로 읽고, 과제 B′는 다른 방향의 특성을 읽습니다. "
                f"두 과제 모두 예제가 {p.few_examples}개뿐이라 입력 차원 {D_IN}보다 적으므로, 처음부터 학습하면 예제를 외우는 것밖에 "
                "할 수 없습니다.\n\n"
                f"A의 은닉층에서 출발하면{' (고정)' if p.freeze else ''} 과제 B는 이미 있는 특성을 조합하는 법만 배우면 됩니다. 그 오차는 "
                f"처음부터 학습한 오차의 {rb:.2f}배입니다. B′에서는 같은 특성이 쓸모가 없습니다(비율 {rb2:.2f}). "
                "`pretrain_examples = 0`이나 `overlap = 1`(B′가 관련 과제가 됨)로 바꿔 보세요."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("error_b_transfer", {"en": "Task B error, from A", "ko": "과제 B 오차, A에서 전이"}),
    MetricSpec("error_b_scratch", {"en": "Task B error, from scratch", "ko": "과제 B 오차, 처음부터"}),
    MetricSpec("error_b_prime_transfer", {"en": "Task B′ error, from A", "ko": "과제 B′ 오차, A에서 전이"}),
    MetricSpec("error_b_prime_scratch", {"en": "Task B′ error, from scratch", "ko": "과제 B′ 오차, 처음부터"}),
    MetricSpec(
        "trainable_parameters_transfer", {"en": "Trainable parameters, transfer", "ko": "학습하는 파라미터 수, 전이"}
    ),
    MetricSpec(
        "trainable_parameters_scratch", {"en": "Trainable parameters, scratch", "ko": "학습하는 파라미터 수, 처음부터"}
    ),
    MetricSpec("ratio_b", {"en": "Task B error ratio, transfer / scratch", "ko": "과제 B 오차 비율, 전이 / 처음부터"}),
    MetricSpec(
        "ratio_b_prime", {"en": "Task B′ error ratio, transfer / scratch", "ko": "과제 B′ 오차 비율, 전이 / 처음부터"}
    ),
)
PLOTS = (
    PanelSpec(
        "pretrain",
        title={"en": "Pretraining on task A", "ko": "과제 A 사전 학습"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "loss (fraction of variance)", "ko": "손실 (분산 대비 비율)"},
        series={
            "task A: pretraining loss (fraction of variance)": {"en": "task A", "ko": "과제 A"},
        },
        log_y=True,
    ),
    PanelSpec(
        "few-shot",
        title={"en": "Held-out error on the new tasks", "ko": "새 과제의 검증 오차"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "held-out error", "ko": "검증 오차"},
        series={
            "task B, from A: held-out error": {"en": "task B, from A", "ko": "과제 B, A에서 전이"},
            "task B, scratch: held-out error": {"en": "task B, scratch", "ko": "과제 B, 처음부터"},
            "task B′, from A: held-out error": {"en": "task B′, from A", "ko": "과제 B′, A에서 전이"},
            "task B′, scratch: held-out error": {"en": "task B′, scratch", "ko": "과제 B′, 처음부터"},
        },
        log_y=True,
    ),
)
# Seconds: fitted to the run's CPU time at the defaults and the maxima (issue 12; within 2x of both).
ESTIMATE = "0.5 + 0.000005*pretrain_examples*hidden + 0.00000005*steps*(few_examples + 100)*hidden + 0.0012*steps"


plugin = Plugin(
    id="transfer-learning",
    title={
        "en": "Transfer learning: when pretrained features help",
        "ko": "전이 학습: 사전 학습한 특성이 도움이 될 때",
    },
    summary={
        "en": "Pretrain a small network on a synthetic task A, then learn tasks B (related) and B′ (unrelated) from 20 "
        "examples, from A's features and from scratch.",
        "ko": "합성 과제 A로 작은 신경망을 사전 학습한 뒤, 과제 B(관련)와 B′(무관)를 예제 20개로 학습합니다. A의 특성에서 "
        "출발한 경우와 처음부터 학습한 경우를 비교합니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("transfer-learning", "pretraining", "generalization"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=2.0,
)
