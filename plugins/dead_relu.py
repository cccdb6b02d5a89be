"""Dead ReLU units: never active on any training input, so they never receive gradient."""

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    bias_init: float = Field(
        -3.0,
        ge=-10.0,
        le=3.0,
        description="Initial value of every hidden bias.",
        json_schema_extra={"description_ko": "모든 은닉 편향의 초깃값."},
    )
    lr: float = Field(
        0.1, gt=0.0, le=0.3, description="SGD learning rate.", json_schema_extra={"description_ko": "SGD 학습률."}
    )
    steps: int = Field(
        200,
        ge=1,
        le=500,
        description="Full-batch SGD steps.",
        json_schema_extra={"description_ko": "전체 배치 SGD 스텝 수."},
    )
    width: int = Field(
        100,
        ge=4,
        le=400,
        description="Hidden units (with 100, the dead fraction moves in steps of 0.01).",
        json_schema_extra={"description_ko": "은닉 유닛 수 (100이면 죽은 유닛 비율이 0.01 단위로 변함)."},
    )
    n_train: int = Field(
        256,
        ge=16,
        le=2048,
        description="Training inputs (10-dimensional standard normal).",
        json_schema_extra={"description_ko": "학습 입력 수 (10차원 표준 정규분포)."},
    )
    leaky_slope: float = Field(
        0.01,
        gt=0.0,
        le=0.5,
        description="Negative-side slope of the Leaky ReLU.",
        json_schema_extra={"description_ko": "Leaky ReLU의 음수 쪽 기울기."},
    )
    sweep: bool = Field(
        True,
        description="Also plot the dead fraction against bias_init and against the learning rate.",
        json_schema_extra={"description_ko": "죽은 유닛 비율을 bias_init에 대해, 그리고 학습률에 대해서도 그립니다."},
    )


CLAIMS = [
    ClaimSpec(
        "most_units_dead",
        {
            "en": "With this initialisation and learning rate, more than half of the ReLU hidden units are dead after training (their input is ≤ 0 on every training example).",
            "ko": "이 초기화와 학습률에서는 훈련 후 ReLU 은닉 유닛의 절반 이상이 죽어 있습니다(모든 훈련 샘플에서 입력이 0 이하).",
        },
    ),
    ClaimSpec(
        "off_units_frozen_under_relu_move_under_leaky",
        {
            "en": "Units that start off (never positive on any training input) get no gradient in the whole ReLU run: their incoming weights and bias end exactly where they started. The same units under Leaky ReLU, from the same initial weights, do get gradient: every one of them has moved.",
            "ko": "처음부터 꺼져 있는 유닛(어떤 훈련 입력에서도 양수가 되지 않는 유닛)은 ReLU 학습 내내 기울기를 전혀 받지 못해, 들어오는 가중치와 편향이 시작한 값 그대로 끝납니다. 같은 초기 가중치에서 출발한 Leaky ReLU에서는 같은 유닛들이 기울기를 받아, 하나도 빠짐없이 가중치가 움직입니다.",
        },
    ),
    ClaimSpec(
        "dead_units_get_zero_gradient",
        {
            "en": "Dead ReLU units receive exactly zero gradient on their incoming weights and bias, so gradient descent cannot revive them; the same units under Leaky ReLU still get a non-zero gradient.",
            "ko": "죽은 ReLU 유닛은 들어오는 가중치와 편향의 기울기가 정확히 0이어서 경사 하강법으로 되살릴 수 없습니다. 같은 유닛도 Leaky ReLU에서는 0이 아닌 기울기를 받습니다.",
        },
    ),
]


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _run(p: Params, ctx, torch) -> None:
    d = 10
    g = ctx.torch_seed()
    X = torch.randn(p.n_train, d, generator=g)
    a = torch.randn(d, generator=g)
    y = (torch.sin(2 * X @ a / d**0.5) + 0.5 * X[:, 0]).unsqueeze(1)
    init_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=g))

    def train(bias_init, lr, act, record=None):
        """One training run, as a generator: it yields every 5 steps (so runs can take turns) and returns its result."""
        gi = torch.Generator().manual_seed(init_seed)  # same initial weights for every variant
        W1 = (torch.randn(p.width, d, generator=gi) / d**0.5).requires_grad_()
        b1 = torch.full((p.width,), float(bias_init)).requires_grad_()
        W2 = (torch.randn(1, p.width, generator=gi) / p.width**0.5).requires_grad_()
        b2 = torch.zeros(1, requires_grad=True)
        W1_start, b1_start = W1.detach().clone(), b1.detach().clone()
        slope = 0.0 if act == "relu" else p.leaky_slope
        opt = torch.optim.SGD([W1, b1, W2, b2], lr=lr)
        with torch.no_grad():
            dead_init = (X @ W1.T + b1).amax(0) <= 0
        loss_val = float("nan")
        for step in range(1, p.steps + 1):
            opt.zero_grad()
            z = X @ W1.T + b1
            h = torch.nn.functional.leaky_relu(z, slope) if slope > 0 else torch.relu(z)
            loss = ((h @ W2.T + b2 - y) ** 2).mean()
            if not torch.isfinite(loss):
                break
            loss.backward()
            loss_val = loss.item()
            if record and (step % 5 == 0 or step == p.steps):
                ctx.point(record, step, loss_val)
            if step < p.steps:
                opt.step()
            if step % 5 == 0:
                yield
        with torch.no_grad():
            z = X @ W1.T + b1
            inactive = z.amax(0) <= 0  # never positive on any training input
            deriv = torch.where(z > 0, torch.ones_like(z), torch.full_like(z, slope))
            zero_grad_unit = (deriv == 0).all(0)  # derivative 0 on every input: dead
            moved = (W1 - W1_start).abs().sum(1) + (b1 - b1_start).abs()  # how far each unit's incoming weights went
        grad_in = (W1.grad.abs().sum(1) + b1.grad.abs()) if W1.grad is not None else torch.zeros(p.width)
        return {
            "dead": int(zero_grad_unit.sum()) / p.width,
            "inactive": int(inactive.sum()) / p.width,
            "dead_init": int(dead_init.sum()) / p.width,
            "off_init_mask": dead_init,
            "moved": moved,
            "dead_mask": zero_grad_unit,
            "inactive_mask": inactive,
            "grad_in": grad_in.detach(),
            "loss": loss_val,
        }

    # The two networks whose losses are plotted and the sweep's runs take turns, 5 steps each: the loss curves
    # keep growing while the sweep trains (one run after another left the plot still for seconds), and each run
    # is computed exactly as on its own (its own weights, optimizer and generator).
    biases = [-6.0, -5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0] if p.sweep else []
    lrs = [0.01, 0.03, 0.1, 0.2, 0.3] if p.sweep else []
    runs = {
        "relu": train(p.bias_init, p.lr, "relu", record="train_loss:relu"),
        "leaky": train(p.bias_init, p.lr, "leaky", record="train_loss:leaky_relu"),
        **{("bias", b): train(b, p.lr, "relu") for b in biases},
        **{("lr", lr): train(0.0, lr, "relu") for lr in lrs},
    }
    results: dict = {}
    rounds = (p.steps + 4) // 5
    for k in range(rounds + 1):
        for key, run_ in list(runs.items()):
            try:
                next(run_)
            except StopIteration as done:
                results[key] = done.value
                del runs[key]
        if not runs:
            break
        ctx.progress(
            0.05 + 0.9 * (k + 1) / rounds,
            {
                "en": f"ReLU and Leaky ReLU nets{' and the sweeps' if p.sweep else ''}: step {min(5 * (k + 1), p.steps)}",
                "ko": f"ReLU와 Leaky ReLU 신경망{'과 훑기' if p.sweep else ''}: 스텝 {min(5 * (k + 1), p.steps)}",
            },
        )
    relu, leaky = results["relu"], results["leaky"]

    dead_fraction = relu["dead"]
    ctx.metric("dead_fraction", dead_fraction)
    ctx.metric("dead_fraction_at_init", relu["dead_init"])
    ctx.metric("leaky_dead_fraction", leaky["dead"])
    ctx.metric("leaky_inactive_fraction", leaky["inactive"])
    ctx.metric("relu_final_loss", relu["loss"])
    ctx.metric("leaky_final_loss", leaky["loss"])

    ctx.compare("most_units_dead", "dead_fraction", dead_fraction, ">", 0.5)
    # The units that start off: the same units in both runs, since both start from the same weights and biases.
    off = relu["off_init_mask"]
    n_off = int(off.sum())
    relu_moved = float(relu["moved"][off].max()) if n_off else None
    leaky_moved_min = float(leaky["moved"][off].min()) if n_off else None
    leaky_moved_median = float(leaky["moved"][off].median()) if n_off else None
    leaky_still_off = int((off & leaky["inactive_mask"]).sum())
    ctx.metric("relu_off_units_max_weight_change", relu_moved if n_off else 0.0)
    ctx.metric("leaky_off_units_min_weight_change", leaky_moved_min if n_off else 0.0)
    ctx.metric("leaky_off_units_still_off", leaky_still_off / n_off if n_off else 0.0)
    ctx.claim(
        "off_units_frozen_under_relu_move_under_leaky",
        n_off > 0 and relu_moved == 0.0 and leaky_moved_min is not None and leaky_moved_min > 0.0,
        {
            "units_off_at_init": n_off,
            "relu_max_change_of_their_weights": relu_moved,
            "leaky_min_change_of_their_weights": leaky_moved_min,
            "leaky_median_change_of_their_weights": leaky_moved_median,
            "leaky_still_never_positive": leaky_still_off,
        },
        "units off at init > 0, their weights' change == 0 under ReLU and > 0 for every one under Leaky ReLU",
    )
    mask = relu["dead_mask"]
    n_dead = int(mask.sum())
    relu_grad_dead = float(relu["grad_in"][mask].max()) if n_dead else None
    # The same units in the Leaky ReLU run (same init), where they are never positive either.
    both = mask & leaky["inactive_mask"]
    leaky_grad_same = float(leaky["grad_in"][both].min()) if int(both.sum()) else None
    ctx.claim(
        "dead_units_get_zero_gradient",
        n_dead > 0 and relu_grad_dead == 0.0 and leaky_grad_same is not None and leaky_grad_same > 0.0,
        {
            "dead_relu_units": n_dead,
            "max_grad_dead_relu_units": relu_grad_dead,
            "min_grad_same_units_leaky": leaky_grad_same,
        },
        "at least one dead unit, its gradient == 0 under ReLU and > 0 under Leaky ReLU",
    )

    rows = [
        ["ReLU", relu["dead_init"], dead_fraction, relu["inactive"], relu["loss"]],
        [f"Leaky ReLU (α={p.leaky_slope:g})", leaky["dead_init"], leaky["dead"], leaky["inactive"], leaky["loss"]],
    ]
    ctx.table(
        {
            "en": f"Hidden units (width {p.width}), bias_init = {p.bias_init:g}, lr = {p.lr:g}",
            "ko": f"은닉 유닛 (너비 {p.width}), bias_init = {p.bias_init:g}, lr = {p.lr:g}",
        },
        [
            {"en": "activation", "ko": "활성화 함수"},
            {"en": "never positive at init", "ko": "초기화 직후 양수 출력 없음"},
            {"en": "dead (zero gradient) after training", "ko": "훈련 후 죽은 유닛 (기울기 0)"},
            {"en": "never positive after training", "ko": "훈련 후 양수 출력 없음"},
            {"en": "final train MSE", "ko": "최종 훈련 MSE"},
        ],
        rows,
    )
    if n_off:
        ctx.table(
            {
                "en": f"The {n_off} units that start off (never positive on any training input), after {p.steps} steps",
                "ko": f"처음부터 꺼져 있던 유닛 {n_off}개 (어떤 훈련 입력에서도 양수가 아님), {p.steps}스텝 후",
            },
            [
                {"en": "activation", "ko": "활성화 함수"},
                {"en": "largest change of their weights", "ko": "가중치의 최대 변화량"},
                {"en": "smallest change", "ko": "최소 변화량"},
                {"en": "median change", "ko": "변화량의 중앙값"},
                {"en": "still never positive", "ko": "여전히 양수 출력 없음"},
            ],
            [
                [
                    "ReLU",
                    relu_moved,
                    float(relu["moved"][off].min()),
                    float(relu["moved"][off].median()),
                    int((off & relu["inactive_mask"]).sum()),
                ],
                [
                    f"Leaky ReLU (α={p.leaky_slope:g})",
                    float(leaky["moved"][off].max()),
                    leaky_moved_min,
                    leaky_moved_median,
                    leaky_still_off,
                ],
            ],
        )

    for b in biases:
        ctx.point("dead_fraction_vs_bias_init", b, results[("bias", b)]["dead"])
    for lr in lrs:
        ctx.point("dead_fraction_vs_lr(bias_init=0)", lr, results[("lr", lr)]["dead"])

    if n_off:
        median = f"{leaky_moved_median:.2g}"
        here = {
            "en": f"Here the {n_off} units that start off keep their weights exactly under ReLU, and all of them move under "
            f"Leaky ReLU (the median one by {median}, summed over its weights and bias). Moving is not recovering: with "
            f"α = {p.leaky_slope:g}, {leaky_still_off} of the {n_off} are still never positive after {p.steps} steps: the "
            "gradient that reaches them is small, so recovery, where it comes, is slow.",
            "ko": f"여기서 처음부터 꺼져 있던 유닛 {n_off}개는 ReLU에서는 가중치가 조금도 변하지 않고, Leaky ReLU에서는 모두 "
            f"움직입니다(가중치와 편향의 변화량을 합하면 중앙값이 {median}). 그러나 움직인다고 되살아나는 것은 아닙니다. "
            f"α = {p.leaky_slope:g}이면 {p.steps}스텝 뒤에도 {n_off}개 중 {leaky_still_off}개가 여전히 어떤 입력에서도 양수가 "
            "되지 않습니다. 이 유닛들에 닿는 기울기가 작아서, 되살아나더라도 느립니다.",
        }
    else:
        here = {
            "en": "With these settings no unit starts off, so there is nothing to compare.",
            "ko": "이 설정에서는 처음부터 꺼져 있는 유닛이 없어 비교할 것이 없습니다.",
        }
    ctx.text(
        {
            "en": (
                "A ReLU unit whose pre-activation w·x + b is ≤ 0 for **every** training input outputs 0 everywhere and its "
                "derivative is 0 everywhere, so no gradient ever reaches its weights: it is **dead**, and plain gradient descent "
                "cannot bring it back. A strongly negative bias initialisation kills most units from the start "
                "(with the default data, the pre-activation w·x has standard deviation about 1, so with a bias of −5 "
                "nearly every unit is dead). A learning rate that is too large can also kill units during training: one big step "
                "can push a unit's bias far negative.\n\n"
                "Leaky ReLU uses a small slope α on the negative side, so its derivative is never exactly 0: a unit whose input is "
                "negative everywhere still receives a gradient, α times what the same error would send it on the positive side. "
                + here["en"]
            ),
            "ko": (
                "ReLU 유닛의 사전 활성값 w·x + b가 **모든** 훈련 입력에서 0 이하이면 출력도 도함수도 어디서나 0입니다. "
                "그래서 그 가중치에는 기울기가 전혀 전달되지 않습니다. 이런 유닛은 **죽은** 유닛이고, 일반 경사 하강법으로는 되살릴 수 없습니다. "
                "편향을 크게 음수로 초기화하면 처음부터 대부분의 유닛이 죽습니다(기본 데이터에서 w·x의 표준편차는 약 1이므로, "
                "편향이 −5이면 거의 모든 유닛이 죽습니다). 학습률이 너무 커도 훈련 중에 유닛이 죽을 수 있습니다. "
                "큰 한 걸음이 편향을 크게 음수로 밀어낼 수 있기 때문입니다.\n\n"
                "Leaky ReLU는 음수 쪽에 작은 기울기 α를 두므로 도함수가 정확히 0이 되는 일이 없습니다. 입력이 모두 음수인 유닛도 "
                "기울기를 받지만, 같은 오차가 양수 쪽에서 보낼 기울기의 α배뿐입니다. " + here["ko"]
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("dead_fraction", {"en": "Dead ReLU units after training", "ko": "훈련 후 죽은 ReLU 유닛 비율"}),
    MetricSpec(
        "dead_fraction_at_init", {"en": "Dead ReLU units at initialisation", "ko": "초기화 직후 죽은 ReLU 유닛 비율"}
    ),
    MetricSpec(
        "leaky_dead_fraction", {"en": "Dead Leaky ReLU units after training", "ko": "훈련 후 죽은 Leaky ReLU 유닛 비율"}
    ),
    MetricSpec(
        "leaky_inactive_fraction",
        {"en": "Leaky ReLU units on the negative side", "ko": "음수 쪽에 있는 Leaky ReLU 유닛 비율"},
    ),
    MetricSpec(
        "relu_off_units_max_weight_change",
        {
            "en": "Largest weight change of the units off at init, ReLU",
            "ko": "초기화 때 꺼져 있던 유닛의 최대 가중치 변화 (ReLU)",
        },
    ),
    MetricSpec(
        "leaky_off_units_min_weight_change",
        {
            "en": "Smallest weight change of the units off at init, Leaky ReLU",
            "ko": "초기화 때 꺼져 있던 유닛의 최소 가중치 변화 (Leaky ReLU)",
        },
    ),
    MetricSpec(
        "leaky_off_units_still_off",
        {
            "en": "Units off at init still never positive after training, Leaky ReLU",
            "ko": "초기화 때 꺼져 있던 유닛 중 훈련 후에도 양수가 되지 않는 비율 (Leaky ReLU)",
        },
    ),
    MetricSpec("relu_final_loss", {"en": "Final loss with ReLU", "ko": "ReLU의 최종 손실"}),
    MetricSpec("leaky_final_loss", {"en": "Final loss with Leaky ReLU", "ko": "Leaky ReLU의 최종 손실"}),
)
PLOTS = (
    PanelSpec(
        "train-loss",
        title={"en": "Training loss", "ko": "훈련 손실"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "loss", "ko": "손실"},
        series={
            "train_loss:relu": {"en": "ReLU", "ko": "ReLU"},
            "train_loss:leaky_relu": {"en": "Leaky ReLU", "ko": "Leaky ReLU"},
        },
        log_y=True,
    ),
    PanelSpec(
        "dead-vs-bias",
        title={"en": "Dead units against the initial bias", "ko": "초기 편향에 따른 죽은 유닛 비율"},
        x={"en": "initial bias", "ko": "초기 편향"},
        y={"en": "fraction of dead units", "ko": "죽은 유닛 비율"},
        series={
            "dead_fraction_vs_bias_init": {"en": "ReLU", "ko": "ReLU"},
        },
    ),
    PanelSpec(
        "dead-vs-lr",
        title={"en": "Dead units against the learning rate (bias 0)", "ko": "학습률에 따른 죽은 유닛 비율 (편향 0)"},
        x={"en": "learning rate", "ko": "학습률"},
        y={"en": "fraction of dead units", "ko": "죽은 유닛 비율"},
        series={
            "dead_fraction_vs_lr(bias_init=0)": {"en": "ReLU", "ko": "ReLU"},
        },
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.3 + steps*(2 + 13*sweep)*(0.00089 + 0.000000008*width*n_train)"


plugin = Plugin(
    id="dead-relu",
    title={"en": "Dead ReLU units", "ko": "죽은 ReLU 유닛"},
    summary={
        "en": "How negative bias initialisation and large learning rates leave ReLU units dead, and how Leaky ReLU still sends such units a small gradient.",
        "ko": "음수 편향 초기화와 큰 학습률이 ReLU 유닛을 죽이는 과정과, Leaky ReLU가 그런 유닛에도 작은 기울기를 보내는 방식.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("activations", "relu", "initialisation"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=2.5,
)
