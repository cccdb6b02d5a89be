"""Batch normalisation: batch statistics in training, running statistics in evaluation, and training at a large lr."""

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    momentum: float = Field(
        0.1,
        gt=0.0,
        le=1.0,
        description="BatchNorm momentum: running ← (1 − m)·running + m·batch statistic.",
        json_schema_extra={"description_ko": "BatchNorm 모멘텀: running ← (1 − m)·running + m·배치 통계량."},
    )
    stat_steps: int = Field(
        100,
        ge=1,
        le=2000,
        description="Training-mode batches fed to the BN layer to build its running statistics.",
        json_schema_extra={
            "description_ko": "BN 층의 이동 통계량(running statistics)을 만들기 위해 학습 모드로 넣어 주는 배치 수."
        },
    )
    batch_size: int = Field(
        64,
        ge=2,
        le=512,
        description="Batch size (statistics and training).",
        json_schema_extra={"description_ko": "배치 크기 (통계량 계산과 학습 모두에 사용)."},
    )
    track_running_stats: bool = Field(
        True,
        description="Keep running statistics; if False, eval mode also normalises with the batch statistics.",
        json_schema_extra={
            "description_ko": "이동 통계량을 유지합니다. False이면 평가 모드에서도 배치 통계량으로 정규화합니다."
        },
    )
    lr: float = Field(
        1.0,
        gt=0.0,
        le=5.0,
        description="SGD learning rate for the training comparison (large on purpose).",
        json_schema_extra={"description_ko": "학습 비교에 쓰는 SGD 학습률 (일부러 크게 설정)."},
    )
    train_steps: int = Field(
        150,
        ge=1,
        le=1000,
        description="SGD steps for each network in the comparison.",
        json_schema_extra={"description_ko": "비교에 쓰는 각 신경망의 SGD 스텝 수."},
    )
    depth: int = Field(
        4,
        ge=1,
        le=10,
        description="Hidden layers of the MLP in the comparison.",
        json_schema_extra={"description_ko": "비교에 쓰는 MLP의 은닉층 수."},
    )


CLAIMS = [
    ClaimSpec(
        "train_mode_depends_on_batch",
        {
            "en": "In training mode, BN's output for a given example depends on the other examples in its batch (it is normalised with the batch mean and variance).",
            "ko": "훈련 모드에서 BN이 한 샘플에 내는 출력은 같은 배치에 든 다른 샘플에 따라 달라집니다(배치 평균과 분산으로 정규화하기 때문입니다).",
        },
    ),
    ClaimSpec(
        "eval_mode_independent",
        {
            "en": "In evaluation mode, BN's output for an example is the same whatever batch it is in, and it equals "
            "γ·(x − running mean)/√(running var + ε) + β computed by hand from the running statistics: a fixed affine map "
            "(torch's BatchNorm1d checked against that formula).",
            "ko": "평가 모드에서는 어떤 배치에 들어 있든 BN이 한 샘플에 내는 출력이 같고, 이동 평균 통계로 직접 계산한 "
            "γ·(x − 이동 평균)/√(이동 분산 + ε) + β와 일치합니다. 곧 고정된 아핀 변환입니다(torch의 BatchNorm1d를 이 식과 대조합니다).",
        },
    ),
    ClaimSpec(
        "running_mean_converges",
        {
            "en": "After enough training batches, the running mean (an exponential moving average of batch means) is close to the data mean: within 0.15 standard deviations in every feature.",
            "ko": "훈련 배치를 충분히 거치면 이동 평균(배치 평균의 지수 이동 평균)이 데이터 평균에 가까워집니다: 모든 특성에서 0.15 표준편차 이내입니다.",
        },
    ),
    ClaimSpec(
        "bn_trains_at_high_lr",
        {
            "en": "At this large learning rate, the MLP with BatchNorm reaches a lower training loss than the same MLP without it.",
            "ko": "이 큰 학습률에서는 배치 정규화가 있는 MLP가 없는 같은 MLP보다 더 낮은 훈련 손실에 도달합니다.",
        },
    ),
]

DIVERGED = {"en": "diverged", "ko": "발산"}  # a final loss that is not finite, in the table


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _run(p: Params, ctx, torch) -> None:
    import copy
    import math

    g = ctx.torch_seed()
    n, d = 1024, 10
    scale = torch.linspace(0.5, 5.0, d)
    shift = torch.linspace(-3.0, 3.0, d)
    X = torch.randn(n, d, generator=g) * scale + shift  # unnormalised features: different means and scales
    w = torch.randn(d, generator=g)
    Z = (X - shift) / scale
    y = (Z @ w + 0.5 * torch.sin(3 * Z[:, 0]) > 0).long()
    data_mean = X.mean(0)
    data_std = X.std(0)

    # ---- running statistics ---------------------------------------------------------------
    ctx.progress(0.02, {"en": "running statistics", "ko": "이동 통계"})
    bn = torch.nn.BatchNorm1d(d, momentum=p.momentum, track_running_stats=p.track_running_stats)
    bn.train()
    with torch.no_grad():
        for step in range(1, p.stat_steps + 1):
            bn(X[torch.randint(0, n, (p.batch_size,), generator=g)])
            if p.track_running_stats:
                err = float(((bn.running_mean - data_mean).abs() / data_std).max())
                ctx.point("running_mean_error_in_stds", step, err)
    if p.track_running_stats:
        rm_err = float(((bn.running_mean - data_mean).abs() / data_std).max())
        ctx.metric("running_mean_max_error_in_stds", rm_err)
        ctx.compare("running_mean_converges", "max_j |running_mean_j - mean_j| / std_j", rm_err, "<", 0.15)
    else:
        ctx.claim("running_mean_converges", False, {"track_running_stats": False}, "running statistics must be tracked")

    # ---- the same example in two different batches ----------------------------------------
    ctx.progress(0.1, {"en": "one example, two batches", "ko": "한 샘플, 두 배치"})
    x0 = X[:1]
    others_a = X[torch.randint(0, n, (p.batch_size - 1,), generator=g)]
    # A differently composed batch: only examples of the other class.
    other_class = X[y != y[0]]
    others_b = other_class[torch.randint(0, len(other_class), (p.batch_size - 1,), generator=g)]
    batch_a = torch.cat([x0, others_a])
    batch_b = torch.cat([x0, others_b])
    probe = copy.deepcopy(bn)  # a copy, so the probe does not move the running statistics
    with torch.no_grad():
        probe.train()
        train_diff = float((probe(batch_a)[0] - probe(batch_b)[0]).abs().max())
        probe.eval()
        out_a = probe(batch_a)[0]
        eval_diff = float((out_a - probe(batch_b)[0]).abs().max())
        if p.track_running_stats:  # the affine map the running statistics define, computed here, not by torch's module
            by_hand = (x0[0] - probe.running_mean) / torch.sqrt(
                probe.running_var + probe.eps
            ) * probe.weight + probe.bias
            formula_diff = float((out_a - by_hand).abs().max())
        else:
            formula_diff = None
    ctx.metric("train_mode_output_diff", train_diff)
    ctx.metric("eval_mode_output_diff", eval_diff)
    ctx.compare(
        "train_mode_depends_on_batch", "max |BN(x0 | batch A) - BN(x0 | batch B)| in train mode", train_diff, ">", 1e-3
    )
    ctx.claim(
        "eval_mode_independent",
        eval_diff < 1e-6 and formula_diff is not None and formula_diff < 1e-5,
        {
            "track_running_stats": p.track_running_stats,
            "eval_mode_output_diff": eval_diff,
            "eval_output_minus_running_stats_formula": formula_diff,
        },
        "eval-mode difference between the batches < 1e-6 and |output − formula| < 1e-5",
    )

    # ---- training at a large learning rate --------------------------------------------------
    init_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=g))
    data_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=g))
    finals = {}
    for k, use_bn in enumerate((False, True)):
        name = "with_bn" if use_bn else "without_bn"
        torch.manual_seed(init_seed)
        layers, din = [], d
        for _ in range(p.depth):
            layers.append(torch.nn.Linear(din, 64))
            if use_bn:
                layers.append(torch.nn.BatchNorm1d(64, momentum=p.momentum, track_running_stats=p.track_running_stats))
            layers.append(torch.nn.ReLU())
            din = 64
        model = torch.nn.Sequential(*layers, torch.nn.Linear(din, 2))
        opt = torch.optim.SGD(model.parameters(), lr=p.lr)
        gd = torch.Generator().manual_seed(data_seed)  # same batches for both networks
        for step in range(1, p.train_steps + 1):
            idx = torch.randint(0, n, (p.batch_size,), generator=gd)
            model.train()
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            lv = loss.item()
            ctx.point(f"train_loss:{name}", step, lv if math.isfinite(lv) else 1e6)
            if step % 25 == 0:
                ctx.progress(
                    0.2 + 0.4 * k + 0.4 * step / p.train_steps,
                    {"en": f"{name}: step {step}", "ko": f"{name}: 스텝 {step}"},
                )
        model.eval()
        with torch.no_grad():
            out = model(X)
            full = torch.nn.functional.cross_entropy(out, y).item()
            acc = (out.argmax(1) == y).float().mean().item()
        finals[name] = (full if math.isfinite(full) else math.inf, acc)
        ctx.metric(f"final_loss_{name}", full if math.isfinite(full) else 1e300)
        ctx.metric(f"accuracy_{name}", acc)
    ctx.claim(
        "bn_trains_at_high_lr",
        finals["with_bn"][0] < finals["without_bn"][0],
        {"lr": p.lr, "loss_with_bn": finals["with_bn"][0], "loss_without_bn": finals["without_bn"][0]},
        "loss_with_bn < loss_without_bn",
    )

    ctx.table(
        {"en": "Batch normalisation", "ko": "배치 정규화"},
        [{"en": "quantity", "ko": "항목"}, {"en": "value", "ko": "값"}],
        [
            [
                {"en": "output difference for one example, train mode", "ko": "한 예제의 출력 차이, 훈련 모드"},
                train_diff,
            ],
            [{"en": "output difference for one example, eval mode", "ko": "한 예제의 출력 차이, 평가 모드"}, eval_diff],
            [
                {"en": "max running-mean error (in data stds)", "ko": "이동 평균의 최대 오차 (데이터 표준편차 단위)"},
                rm_err if p.track_running_stats else {"en": "not tracked", "ko": "추적하지 않음"},
            ],
            [
                {"en": f"final loss without BN (lr {p.lr:g})", "ko": f"BN 없는 신경망의 최종 손실 (lr {p.lr:g})"},
                finals["without_bn"][0] if math.isfinite(finals["without_bn"][0]) else DIVERGED,
            ],
            [
                {"en": f"final loss with BN (lr {p.lr:g})", "ko": f"BN 있는 신경망의 최종 손실 (lr {p.lr:g})"},
                finals["with_bn"][0] if math.isfinite(finals["with_bn"][0]) else DIVERGED,
            ],
            [
                {"en": "accuracy without / with BN", "ko": "정확도 (BN 없음 / 있음)"},
                f"{finals['without_bn'][1]:.3f} / {finals['with_bn'][1]:.3f}",
            ],
        ],
    )
    ctx.text(
        {
            "en": (
                "In **training** mode BatchNorm normalises each feature with the mean and variance of the *current batch*, so an "
                "example's output changes when its batchmates change (here: the same example in a mixed batch and in a batch of the "
                "other class). It also updates running averages: running ← (1 − m)·running + m·batch statistic.\n\n"
                "In **evaluation** mode it uses those running averages instead, so each example is processed on its own and the output "
                "is deterministic. Forgetting `model.eval()` at test time is a classic bug. With `momentum = m`, the running mean forgets "
                "its starting value like (1 − m)^steps, so it needs a few times 1/m batches to reach the data mean.\n\n"
                "Normalising the activations also makes the loss much less sensitive to the scale of the weights and inputs, which lets "
                "training use large learning rates. Try `track_running_stats = false` or `stat_steps = 5`."
            ),
            "ko": (
                "**훈련** 모드에서 배치 정규화는 각 특성을 *현재 배치*의 평균과 분산으로 정규화합니다. 그래서 같은 배치에 든 다른 샘플이 "
                "바뀌면 한 샘플의 출력도 바뀝니다(여기서는 같은 샘플을 섞인 배치와 다른 클래스만 있는 배치에 넣어 비교합니다). "
                "동시에 이동 평균도 갱신합니다: running ← (1 − m)·running + m·배치 통계.\n\n"
                "**평가** 모드에서는 그 이동 평균을 대신 쓰므로 샘플이 각자 따로 처리되고 출력이 결정적입니다. 테스트할 때 `model.eval()`을 "
                "빠뜨리는 것은 흔한 버그입니다. `momentum = m`이면 이동 평균은 초깃값을 (1 − m)^steps 비율로 잊어 가므로, 데이터 평균에 "
                "이르려면 1/m의 몇 배만큼의 배치가 필요합니다.\n\n"
                "활성값을 정규화하면 손실이 가중치와 입력의 크기에 훨씬 덜 민감해지므로 큰 학습률로도 훈련할 수 "
                "있습니다. "
                "`track_running_stats = false`나 `stat_steps = 5`로 바꿔 보세요."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec(
        "running_mean_max_error_in_stds",
        {"en": "Largest running-mean error", "ko": "이동 평균의 최대 오차"},
        {"en": "standard deviations", "ko": "표준편차"},
    ),
    MetricSpec(
        "train_mode_output_diff",
        {
            "en": "Output change in train mode (other batch members changed)",
            "ko": "훈련 모드 출력 변화 (배치의 다른 샘플을 바꿨을 때)",
        },
    ),
    MetricSpec(
        "eval_mode_output_diff",
        {
            "en": "Output change in eval mode (other batch members changed)",
            "ko": "평가 모드 출력 변화 (배치의 다른 샘플을 바꿨을 때)",
        },
    ),
    MetricSpec("final_loss_without_bn", {"en": "Final loss without BatchNorm", "ko": "BatchNorm 없는 최종 손실"}),
    MetricSpec("accuracy_without_bn", {"en": "Accuracy without BatchNorm", "ko": "BatchNorm 없는 정확도"}),
    MetricSpec("final_loss_with_bn", {"en": "Final loss with BatchNorm", "ko": "BatchNorm 있는 최종 손실"}),
    MetricSpec("accuracy_with_bn", {"en": "Accuracy with BatchNorm", "ko": "BatchNorm 있는 정확도"}),
)
PLOTS = (
    PanelSpec(
        "running-mean",
        title={"en": "Running mean converging to the true mean", "ko": "참 평균으로 수렴하는 이동 평균"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "error (standard deviations)", "ko": "오차 (표준편차 단위)"},
        series={
            "running_mean_error_in_stds": {"en": "running-mean error", "ko": "이동 평균 오차"},
        },
    ),
    PanelSpec(
        "train-loss",
        title={"en": "Training loss with and without BatchNorm", "ko": "BatchNorm 유무에 따른 훈련 손실"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "loss", "ko": "손실"},
        series={
            "train_loss:without_bn": {"en": "without BatchNorm", "ko": "BatchNorm 없음"},
            "train_loss:with_bn": {"en": "with BatchNorm", "ko": "BatchNorm 있음"},
        },
        log_y=True,
    ),
)
# Seconds: fitted to the run's CPU time at the defaults and the maxima (issue 12; within 2x of both).
ESTIMATE = "0.1 + 0.0005*train_steps*(depth + 1)*(1 + batch_size/700) + 0.001*stat_steps"


plugin = Plugin(
    id="batchnorm",
    title={"en": "Batch normalisation: train vs eval", "ko": "배치 정규화: 훈련 모드와 평가 모드"},
    summary={
        "en": "Batch statistics in training, running statistics in evaluation, and training at a large learning rate with and without BN.",
        "ko": "훈련 때의 배치 통계와 평가 때의 이동 평균 통계, 그리고 큰 학습률에서 배치 정규화가 있을 때와 없을 때의 훈련.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("normalisation", "batchnorm", "training"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=2.0,
)
