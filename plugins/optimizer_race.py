"""Optimizer race: SGD, momentum, Nesterov, Adagrad, RMSProp and Adam on three 2-D objectives, each lr tuned on a grid."""

from pydantic import BaseModel, Field, model_validator

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    steps: int = Field(
        300,
        ge=1,
        le=1500,
        description="Steps per run (the budget every optimizer gets).",
        json_schema_extra={"description_ko": "실행당 스텝 수 (모든 옵티마이저에 똑같이 주어지는 예산)."},
    )
    n_lrs: int = Field(
        6,
        ge=1,
        le=12,
        description="Learning rates tried per optimizer (log-spaced grid); the best final loss wins.",
        json_schema_extra={
            "description_ko": "옵티마이저마다 시도하는 학습률 개수 (로그 간격 격자). 최종 손실이 가장 낮은 것이 채택됩니다."
        },
    )
    lr_min: float = Field(
        1e-4,
        gt=0.0,
        le=1.0,
        description="Smallest learning rate on the grid.",
        json_schema_extra={"description_ko": "격자에서 가장 작은 학습률."},
    )
    lr_max: float = Field(
        1.0,
        gt=0.0,
        le=10.0,
        description="Largest learning rate on the grid.",
        json_schema_extra={"description_ko": "격자에서 가장 큰 학습률."},
    )
    kappa: float = Field(
        100.0,
        ge=1.0,
        le=10000.0,
        description="Condition number of the quadratic ½(x² + κy²).",
        json_schema_extra={"description_ko": "이차 함수 ½(x² + κy²)의 조건수."},
    )
    momentum: float = Field(
        0.9,
        ge=0.0,
        lt=1.0,
        description="Momentum coefficient for momentum and Nesterov SGD.",
        json_schema_extra={"description_ko": "모멘텀 SGD와 네스테로프 SGD의 모멘텀 계수."},
    )
    rosenbrock_threshold: float = Field(
        1e-2,
        gt=0.0,
        le=10.0,
        description="Final Rosenbrock loss Adam must get below.",
        json_schema_extra={"description_ko": "Adam의 Rosenbrock 최종 손실이 이 값보다 낮아야 합니다."},
    )
    path_points: int = Field(
        60,
        ge=5,
        le=500,
        description="Points kept per optimizer path for the contour plot.",
        json_schema_extra={"description_ko": "등고선 그림용으로 옵티마이저 경로마다 남기는 점의 개수."},
    )

    @model_validator(mode="after")
    def _grid_runs_upwards(self):
        # The grid is log-spaced from lr_min up to lr_max; reversed ends used to be clamped without a word.
        if self.lr_min > self.lr_max:
            raise ValueError(
                f"lr_min ({self.lr_min:g}) must not exceed lr_max ({self.lr_max:g}): the learning-rate grid runs "
                "from lr_min up to lr_max"
            )
        return self


CLAIMS = [
    ClaimSpec(
        "momentum_beats_sgd",
        {
            "en": "On the ill-conditioned quadratic, SGD with momentum reaches a lower loss than plain SGD at the same step budget, each with its best learning rate from the grid.",
            "ko": "조건수가 큰 이차 함수에서, 같은 스텝 예산과 각자 격자에서 고른 최적 학습률로 비교하면 모멘텀 SGD가 일반 SGD보다 더 낮은 손실에 도달합니다.",
        },
    ),
    ClaimSpec(
        "adam_solves_rosenbrock",
        {
            "en": "Adam with its tuned learning rate gets the Rosenbrock function below the threshold within the budget.",
            "ko": "학습률을 조정한 Adam은 예산 안에 로젠브록 함수 값을 임계값 아래로 낮춥니다.",
        },
    ),
    ClaimSpec(
        "adaptive_beats_sgd_on_ill_conditioned",
        {
            "en": "On the axis-aligned ill-conditioned quadratic, per-coordinate step sizes alone beat plain SGD: RMSProp, which "
            "scales each coordinate's step and has no momentum, reaches a lower loss than SGD at equal budget, SGD also trying "
            "its best fixed step 2/(1+κ).",
            "ko": "축에 정렬된, 조건수가 큰 이차 함수에서는 좌표별 보폭 조정만으로도 일반 SGD를 이깁니다. 좌표마다 보폭을 조정하되 "
            "모멘텀이 없는 RMSProp이, 최적의 고정 보폭 2/(1+κ)까지 시도한 SGD보다 같은 예산에서 더 낮은 손실에 도달합니다.",
        },
    ),
]

OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _run(p: Params, ctx, torch) -> None:
    import math

    ctx.torch_seed()  # the race is deterministic; seeding keeps any library randomness reproducible
    kappa = p.kappa

    def quartic(v):
        x, y = v[..., 0], v[..., 1]
        return x**4 - 2 * x**2 + y**4 - 2 * y**2 + 0.5 * x + 0.25 * y + 3.0

    problems = {
        "quartic": (quartic, (0.4, 1.6)),
        "ill_conditioned": (lambda v: 0.5 * (v[..., 0] ** 2 + kappa * v[..., 1] ** 2), (-2.0, 1.0)),
        "rosenbrock": (lambda v: (1 - v[..., 0]) ** 2 + 100 * (v[..., 1] - v[..., 0] ** 2) ** 2, (-1.2, 1.0)),
    }
    # The quartic is separable: its global minimum comes from the real roots of two cubics.
    import numpy as np

    def min_1d(c):  # min of t^4 - 2t^2 + c t
        roots = [r.real for r in np.roots([4.0, 0.0, -4.0, c]) if abs(r.imag) < 1e-9]
        return min(t**4 - 2 * t**2 + c * t for t in roots)

    quartic_min = min_1d(0.5) + min_1d(0.25) + 3.0
    f_star = {"quartic": quartic_min, "ill_conditioned": 0.0, "rosenbrock": 0.0}

    if p.n_lrs == 1:
        lrs = [p.lr_min]
    else:
        lo, hi = math.log10(p.lr_min), math.log10(p.lr_max)
        lrs = [10 ** (lo + (hi - lo) * i / (p.n_lrs - 1)) for i in range(p.n_lrs)]

    def make(name, groups):
        if name == "sgd":
            return torch.optim.SGD(groups, lr=lrs[0])
        if name == "momentum":
            return torch.optim.SGD(groups, lr=lrs[0], momentum=p.momentum)
        if name == "nesterov":
            return torch.optim.SGD(groups, lr=lrs[0], momentum=p.momentum, nesterov=p.momentum > 0)
        if name == "adagrad":
            return torch.optim.Adagrad(groups, lr=lrs[0])
        if name == "rmsprop":
            return torch.optim.RMSprop(groups, lr=lrs[0])
        return torch.optim.Adam(groups, lr=lrs[0])

    best: dict[tuple[str, str], dict] = {}
    total = len(problems) * len(OPTIMIZERS)
    every = max(1, p.steps // 100)  # about 100 points per loss curve, streamed as the run goes
    k = 0
    for prob, (f, start) in problems.items():
        _contours(ctx, torch, prob, f, WINDOWS[prob])  # the landscape first: the paths are drawn over it
        for opt_name in OPTIMIZERS:
            opt_label, prob_label = OPTIMIZER_NAMES[opt_name], PROBLEM_NAMES[prob][1]  # not the ids: `nesterov`
            ctx.progress(
                k / total,
                {"en": f"{opt_label['en']} on {prob_label['en']}", "ko": f"{prob_label['ko']}에서 {opt_label['ko']}"},
            )
            k += 1
            # On the quadratic, SGD also tries its best fixed step 2/(1+κ) (eigenvalues 1 and κ), so that its crawl is
            # not an artefact of the grid.
            tried = lrs + [2 / (1 + kappa)] if (opt_name, prob) == ("sgd", "ill_conditioned") else lrs
            # One parameter group per learning rate: the runs are independent and go in lock-step.
            params = [torch.tensor(start, dtype=torch.float64, requires_grad=True) for _ in tried]
            opt = make(opt_name, [{"params": [q], "lr": lr} for q, lr in zip(params, tried)])
            history = [torch.tensor([start] * len(tried), dtype=torch.float64)]
            gap_series = f"gap:{opt_name}:{prob}"
            for step in range(p.steps):
                opt.zero_grad()
                # A diverging run only poisons its own group: the gradient of a sum is the sum of separate gradients.
                values = f(torch.stack(params))
                values.sum().backward()
                if step % every == 0:
                    _gap_point(ctx, gap_series, step, values.detach(), f_star[prob])
                opt.step()
                history.append(torch.stack([q.detach() for q in params]))
                if step % 50 == 0:
                    ctx.check_cancelled()
            traj = torch.stack(history)  # (steps + 1, n_lrs, 2)
            finals = []
            with torch.no_grad():
                for i, q in enumerate(params):
                    ok = bool(torch.isfinite(traj[:, i]).all()) and float(traj[:, i].abs().max()) <= 1e6
                    finals.append(float(f(q)) if ok else math.inf)  # diverged: out of the race
            i_best = min(range(len(tried)), key=lambda i: finals[i])
            r = best[(opt_name, prob)] = {
                "lr": tried[i_best],
                "loss": finals[i_best],
                "path": traj[:, i_best].tolist(),
                "diverged": sum(not math.isfinite(v) for v in finals),
            }
            if math.isfinite(r["loss"]):
                ctx.point(gap_series, p.steps, math.log10(max(r["loss"] - f_star[prob], 1e-16)))
            # The winner's path (subsampled) as soon as this optimizer is done.
            path = r["path"]
            stride = max(1, math.ceil(len(path) / p.path_points))
            keep = path[::stride]
            if keep[-1] != path[-1]:
                keep.append(path[-1])
            for x, y in keep:
                ctx.point(f"path:{opt_name}:{prob}", x, y)

    for (opt_name, prob), r in best.items():
        ctx.metric(f"final_loss:{opt_name}:{prob}", r["loss"] if math.isfinite(r["loss"]) else 1e300)
        ctx.metric(f"best_lr:{opt_name}:{prob}", r["lr"])
    ctx.metric("quartic_global_min", quartic_min)

    sgd_q = best[("sgd", "ill_conditioned")]["loss"]
    mom_q = best[("momentum", "ill_conditioned")]["loss"]
    rms_q = best[("rmsprop", "ill_conditioned")]["loss"]
    adam_r = best[("adam", "rosenbrock")]["loss"]
    ctx.claim(
        "momentum_beats_sgd",
        mom_q < sgd_q,
        {"kappa": kappa, "steps": p.steps, "momentum_loss": mom_q, "sgd_loss": sgd_q},
        "momentum_loss < sgd_loss",
    )
    ctx.compare("adam_solves_rosenbrock", "adam_rosenbrock_loss", adam_r, "<", p.rosenbrock_threshold)
    ctx.claim(
        "adaptive_beats_sgd_on_ill_conditioned",
        rms_q < sgd_q,
        {
            "rmsprop_loss": rms_q,
            "sgd_loss": sgd_q,
            "sgd_best_lr": best[("sgd", "ill_conditioned")]["lr"],
            "sgd_lr_2_over_1_plus_kappa": 2 / (1 + kappa),
        },
        "rmsprop_loss < sgd_loss",
    )

    rows = []
    for opt_name in OPTIMIZERS:
        row = [opt_name]
        for prob in problems:
            r = best[(opt_name, prob)]
            row += [r["loss"] - f_star[prob] if math.isfinite(r["loss"]) else {"en": "diverged", "ko": "발산"}, r["lr"]]
        rows.append(row)
    ctx.table(
        {
            "en": f"Final loss above the minimum after {p.steps} steps (best of {len(lrs)} learning rates; SGD on the "
            f"quadratic also tries 2/(1+κ) = {2 / (1 + kappa):.3g})",
            "ko": f"{p.steps}스텝 후 최종 손실 − 최솟값 (학습률 {len(lrs)}개 중 최선, 이차 함수에서는 SGD가 "
            f"2/(1+κ) = {2 / (1 + kappa):.3g}도 시도)",
        },
        [
            {"en": "optimizer", "ko": "옵티마이저"},
            {"en": "quartic gap", "ko": "4차 함수 격차"},
            "lr",
            {"en": "ill-conditioned", "ko": "조건수가 큰 이차 함수"},
            "lr",
            {"en": "Rosenbrock", "ko": "로젠브록 함수"},
            "lr",
        ],
        rows,
    )
    ctx.text(
        {
            "en": (
                "Every optimizer gets the same number of steps and the same grid of learning rates; each keeps its best run. "
                "Without this tuning the race would mostly measure who got a lucky default.\n\n"
                "- **Ill-conditioned quadratic** ½(x² + κy²): plain SGD must keep lr < 2/κ for the steep direction to stay stable, "
                "so it crawls along the shallow one. Even its best fixed step, 2/(1+κ), which SGD tries here besides the grid, "
                "shrinks the error only by the factor (κ−1)/(κ+1) per step. Momentum accumulates velocity along the shallow "
                "direction and damps the oscillation across the steep one. RMSProp and Adagrad rescale each coordinate, which helps "
                "a lot here because the valley is aligned with the axes; RMSProp has no momentum, so its lead over SGD is the "
                "scaling alone. Adam combines the scaling with momentum.\n"
                "- **Rosenbrock**: a curved, narrow valley. Reaching the valley is easy; following it to (1, 1) is slow.\n"
                "- **Quartic**: four local minima; which one an optimizer ends in depends on its dynamics, not only on its speed.\n\n"
                "Try `steps = 10`: with a tiny budget, nobody solves Rosenbrock."
            ),
            "ko": (
                "모든 옵티마이저는 같은 스텝 수와 같은 학습률 격자를 받고, 각자 가장 좋은 실행을 남깁니다. "
                "이렇게 조정하지 않으면 경주는 누가 운 좋은 기본값을 가졌는지만 재게 됩니다.\n\n"
                "- **조건수가 큰 이차 함수** ½(x² + κy²): 일반 SGD는 가파른 방향에서 안정하려면 lr < 2/κ여야 하므로 완만한 방향으로는 "
                "기어가듯 움직입니다. 격자 밖에서 따로 시도하는 최적의 고정 보폭 2/(1+κ)로도 오차는 스텝마다 (κ−1)/(κ+1)배로만 "
                "줄어듭니다. 모멘텀은 완만한 방향으로 속도를 쌓고, 가파른 방향의 진동은 줄입니다. "
                "RMSProp과 Adagrad는 좌표마다 보폭을 다시 맞추는데, 골짜기가 축에 정렬되어 있어 여기서 특히 효과가 큽니다. "
                "RMSProp에는 모멘텀이 없으므로 SGD보다 앞선 것은 오로지 보폭 조정 덕분입니다. Adam은 보폭 조정에 모멘텀을 더한 것입니다.\n"
                "- **로젠브록**: 휘어진 좁은 골짜기입니다. 골짜기까지 가기는 쉽지만, 골짜기를 따라 (1, 1)까지 가기는 느립니다.\n"
                "- **4차 함수**: 국소 최솟점이 네 개입니다. 어느 최솟점에 도착하는지는 속도만이 아니라 옵티마이저의 동역학에 달려 있습니다.\n\n"
                "`steps = 10`으로 해 보세요. 예산이 아주 작으면 아무도 로젠브록을 풀지 못합니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


# Names as the learner reads them; metrics and panels are declared per optimizer and per problem from these.
OPTIMIZER_NAMES = {
    "sgd": {"en": "SGD", "ko": "SGD"},
    "momentum": {"en": "momentum", "ko": "모멘텀"},
    "nesterov": {"en": "Nesterov", "ko": "네스테로프"},
    "adagrad": {"en": "Adagrad", "ko": "Adagrad"},
    "rmsprop": {"en": "RMSProp", "ko": "RMSProp"},
    "adam": {"en": "Adam", "ko": "Adam"},
}
# Per problem: (short name in metric labels, "<title> on …" in panel titles, "… of <x>" in loss-gap titles)
PROBLEM_NAMES = {
    "quartic": ({"en": "quartic", "ko": "4차 함수"}, {"en": "the quartic", "ko": "4차 함수"}),
    "ill_conditioned": (
        {"en": "ill-conditioned quadratic", "ko": "조건수가 큰 이차 함수"},
        {"en": "the ill-conditioned quadratic", "ko": "조건수가 큰 이차 함수"},
    ),
    "rosenbrock": ({"en": "Rosenbrock", "ko": "로젠브록 함수"}, {"en": "the Rosenbrock", "ko": "로젠브록 함수"}),
}


def _metrics() -> tuple[MetricSpec, ...]:
    """The final loss and best learning rate of every optimizer on every problem, then the quartic's minimum."""
    out = []
    for prob, (short, _) in PROBLEM_NAMES.items():
        for opt, name in OPTIMIZER_NAMES.items():
            where = {lang: f"{name[lang]}, {short[lang]}" for lang in ("en", "ko")}
            out.append(
                MetricSpec(
                    f"final_loss:{opt}:{prob}",
                    {"en": f"Final loss ({where['en']})", "ko": f"최종 손실 ({where['ko']})"},
                )
            )
            out.append(
                MetricSpec(
                    f"best_lr:{opt}:{prob}",
                    {"en": f"Best learning rate ({where['en']})", "ko": f"최적 학습률 ({where['ko']})"},
                )
            )
    out.append(
        MetricSpec("quartic_global_min", {"en": "Global minimum of the quartic", "ko": "4차 함수의 전역 최솟값"})
    )
    return tuple(out)


def _panels() -> tuple[PanelSpec, ...]:
    """Per problem: the optimizers' paths over the level sets, and their log10 loss gap by step."""
    out = []
    for prob, (_, full) in PROBLEM_NAMES.items():
        out.append(
            PanelSpec(
                f"paths-{prob}",
                title={"en": f"Paths on {full['en']}", "ko": f"{full['ko']} 위의 경로"},
                x={"en": "x", "ko": "x"},
                y={"en": "y", "ko": "y"},
                series={f"contour:{prob}": {"en": "level sets", "ko": "등고선"}}
                | {f"path:{opt}:{prob}": name for opt, name in OPTIMIZER_NAMES.items()},
            )
        )
        out.append(
            PanelSpec(
                f"gap-{prob}",
                title={"en": f"Loss above the minimum on {full['en']}", "ko": f"{full['ko']}의 최솟값 대비 손실"},
                x={"en": "step", "ko": "스텝"},
                y={"en": "log10 (loss − minimum)", "ko": "log10 (손실 − 최솟값)"},
                series={f"gap:{opt}:{prob}": name for opt, name in OPTIMIZER_NAMES.items()},
            )
        )
    return tuple(out)


METRICS = _metrics()
PLOTS = _panels()
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.3 + 19.8*(0.0009*steps*(1 + n_lrs/6))"


plugin = Plugin(
    id="optimizer-race",
    title={"en": "Optimizer race", "ko": "옵티마이저 경주"},
    summary={
        "en": "SGD, momentum, Nesterov, Adagrad, RMSProp and Adam on a quartic, an ill-conditioned quadratic and Rosenbrock, each with its learning rate tuned on the same budget.",
        "ko": "SGD, 모멘텀, 네스테로프, Adagrad, RMSProp, Adam을 4차 함수, 조건수가 큰 이차 함수, 로젠브록 함수에서 같은 예산으로 학습률을 조정해 비교합니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("optimization", "sgd", "momentum", "adam"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=3.5,
)


def _gap_point(ctx, series: str, step: int, values, f_star: float) -> None:
    """log10 of (lowest loss among the learning rates that have not diverged − minimum) at this step."""
    import math

    finite = [v for v in values.tolist() if math.isfinite(v) and v < 1e12]
    if finite:
        ctx.point(series, step, math.log10(max(min(finite) - f_star, 1e-16)))


# The region each landscape is drawn over: the start, the minima and the usual detours.
WINDOWS = {
    "quartic": ((-1.7, 1.6), (-1.7, 1.9)),
    "ill_conditioned": ((-2.3, 0.4), (-1.3, 1.3)),
    "rosenbrock": ((-1.6, 1.5), (-0.4, 1.6)),
}


def _contours(ctx, torch, prob: str, f, window, levels: int = 5, nx: int = 90, ny: int = 45) -> None:
    """Level sets of f over `window`, as points where f crosses a level between grid neighbours.

    Levels are quantiles of log(f - min) over the window, so each ring is visible whatever the scale.
    """
    (x0, x1), (y0, y1) = window
    gx = torch.linspace(x0, x1, nx, dtype=torch.float64)
    gy = torch.linspace(y0, y1, ny, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(gx, gy, indexing="xy"), dim=-1)  # (ny, nx, 2)
    with torch.no_grad():
        z = f(grid)
        z = torch.log(z - z.min() + 1e-12 + 1e-6 * (z.max() - z.min()))
    qs = torch.quantile(z.flatten(), torch.linspace(0.05, 0.9, levels, dtype=torch.float64))
    for level in qs.tolist():
        d = (z - level).tolist()
        for j in range(ny):
            for i in range(nx):
                # A sign change to the right or above puts the level between the two grid points.
                for dj, di in ((0, 1), (1, 0)):
                    jj, ii = j + dj, i + di
                    if jj < ny and ii < nx and (d[j][i] < 0) != (d[jj][ii] < 0):
                        t = d[j][i] / (d[j][i] - d[jj][ii])
                        x = float(gx[i] + t * (gx[ii] - gx[i]))
                        y = float(gy[j] + t * (gy[jj] - gy[j]))
                        ctx.point(f"contour:{prob}", x, y)
