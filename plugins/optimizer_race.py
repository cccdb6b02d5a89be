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
            "ko": "조건수가 큰 이차 함수에서, 같은 스텝 예산과 각자 격자에서 고른 최적 학습률로 비교하면 모멘텀 SGD가 일반 SGD보다 더 낮은 손실에 도달한다.",
        },
    ),
    ClaimSpec(
        "adam_solves_rosenbrock",
        {
            "en": "Adam with its tuned learning rate gets the Rosenbrock function below the threshold within the budget.",
            "ko": "학습률을 조정한 Adam은 예산 안에 로젠브록 함수 값을 임계값 아래로 낮춘다.",
        },
    ),
    ClaimSpec(
        "adaptive_beats_sgd_on_ill_conditioned",
        {
            "en": "On the axis-aligned ill-conditioned quadratic, Adam's per-coordinate step sizes reach a lower loss than plain SGD at equal budget.",
            "ko": "축에 정렬된, 조건수가 큰 이차 함수에서는 좌표별로 보폭을 조정하는 Adam이 같은 예산에서 일반 SGD보다 낮은 손실에 도달한다.",
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
            ctx.progress(k / total, {"en": f"{opt_name} on {prob}", "ko": f"{prob}에서 {opt_name}"})
            k += 1
            # One parameter group per learning rate: the runs are independent and go in lock-step.
            params = [torch.tensor(start, dtype=torch.float64, requires_grad=True) for _ in lrs]
            opt = make(opt_name, [{"params": [q], "lr": lr} for q, lr in zip(params, lrs)])
            history = [torch.tensor([start] * len(lrs), dtype=torch.float64)]
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
            i_best = min(range(len(lrs)), key=lambda i: finals[i])
            r = best[(opt_name, prob)] = {
                "lr": lrs[i_best],
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
    adam_q = best[("adam", "ill_conditioned")]["loss"]
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
        adam_q < sgd_q,
        {"adam_loss": adam_q, "sgd_loss": sgd_q},
        "adam_loss < sgd_loss",
    )

    rows = []
    for opt_name in OPTIMIZERS:
        row = [opt_name]
        for prob in problems:
            r = best[(opt_name, prob)]
            row += [r["loss"] - f_star[prob] if math.isfinite(r["loss"]) else "diverged", r["lr"]]
        rows.append(row)
    ctx.table(
        f"Final loss above the minimum after {p.steps} steps (best of {len(lrs)} learning rates)",
        ["optimizer", "quartic gap", "lr", "ill-conditioned", "lr", "Rosenbrock", "lr"],
        rows,
    )
    ctx.text(
        {
            "en": (
                "Every optimizer gets the same number of steps and the same grid of learning rates; each keeps its best run. "
                "Without this tuning the race would mostly measure who got a lucky default.\n\n"
                "- **Ill-conditioned quadratic** ½(x² + κy²): plain SGD must keep lr < 2/κ for the steep direction to stay stable, "
                "so it crawls along the shallow one. Momentum accumulates velocity along the shallow direction and damps the "
                "oscillation across the steep one. Adam, RMSProp and Adagrad rescale each coordinate, which helps a lot here because "
                "the valley is aligned with the axes.\n"
                "- **Rosenbrock**: a curved, narrow valley. Reaching the valley is easy; following it to (1, 1) is slow.\n"
                "- **Quartic**: four local minima; which one an optimizer ends in depends on its dynamics, not only on its speed.\n\n"
                "Try `steps = 10`: with a tiny budget, nobody solves Rosenbrock."
            ),
            "ko": (
                "모든 옵티마이저는 같은 스텝 수와 같은 학습률 격자를 받고, 각자 가장 좋은 실행을 남긴다. "
                "이렇게 조정하지 않으면 경주는 누가 운 좋은 기본값을 가졌는지만 재게 된다.\n\n"
                "- **조건수가 큰 이차 함수** ½(x² + κy²): 일반 SGD는 가파른 방향에서 안정하려면 lr < 2/κ여야 하므로 완만한 방향으로는 "
                "기어가듯 움직인다. 모멘텀은 완만한 방향으로 속도를 쌓고, 가파른 방향의 진동은 줄인다. "
                "Adam, RMSProp, Adagrad는 좌표마다 보폭을 다시 맞추는데, 골짜기가 축에 정렬되어 있어 여기서 특히 효과가 크다.\n"
                "- **로젠브록**: 휘어진 좁은 골짜기다. 골짜기까지 가기는 쉽지만, 골짜기를 따라 (1, 1)까지 가기는 느리다.\n"
                "- **4차 함수**: 국소 최솟점이 네 개다. 어느 최솟점에 도착하는지는 속도만이 아니라 옵티마이저의 동역학에 달려 있다.\n\n"
                "`steps = 10`으로 해 보라. 예산이 아주 작으면 아무도 로젠브록을 풀지 못한다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("final_loss:sgd:quartic", {"en": "Final loss (SGD, quartic)", "ko": "최종 손실 (SGD, 4차 함수)"}),
    MetricSpec("best_lr:sgd:quartic", {"en": "Best learning rate (SGD, quartic)", "ko": "최적 학습률 (SGD, 4차 함수)"}),
    MetricSpec(
        "final_loss:momentum:quartic", {"en": "Final loss (momentum, quartic)", "ko": "최종 손실 (모멘텀, 4차 함수)"}
    ),
    MetricSpec(
        "best_lr:momentum:quartic",
        {"en": "Best learning rate (momentum, quartic)", "ko": "최적 학습률 (모멘텀, 4차 함수)"},
    ),
    MetricSpec(
        "final_loss:nesterov:quartic",
        {"en": "Final loss (Nesterov, quartic)", "ko": "최종 손실 (네스테로프, 4차 함수)"},
    ),
    MetricSpec(
        "best_lr:nesterov:quartic",
        {"en": "Best learning rate (Nesterov, quartic)", "ko": "최적 학습률 (네스테로프, 4차 함수)"},
    ),
    MetricSpec(
        "final_loss:adagrad:quartic", {"en": "Final loss (Adagrad, quartic)", "ko": "최종 손실 (Adagrad, 4차 함수)"}
    ),
    MetricSpec(
        "best_lr:adagrad:quartic",
        {"en": "Best learning rate (Adagrad, quartic)", "ko": "최적 학습률 (Adagrad, 4차 함수)"},
    ),
    MetricSpec(
        "final_loss:rmsprop:quartic", {"en": "Final loss (RMSProp, quartic)", "ko": "최종 손실 (RMSProp, 4차 함수)"}
    ),
    MetricSpec(
        "best_lr:rmsprop:quartic",
        {"en": "Best learning rate (RMSProp, quartic)", "ko": "최적 학습률 (RMSProp, 4차 함수)"},
    ),
    MetricSpec("final_loss:adam:quartic", {"en": "Final loss (Adam, quartic)", "ko": "최종 손실 (Adam, 4차 함수)"}),
    MetricSpec(
        "best_lr:adam:quartic", {"en": "Best learning rate (Adam, quartic)", "ko": "최적 학습률 (Adam, 4차 함수)"}
    ),
    MetricSpec(
        "final_loss:sgd:ill_conditioned",
        {"en": "Final loss (SGD, ill-conditioned quadratic)", "ko": "최종 손실 (SGD, 조건수가 큰 이차 함수)"},
    ),
    MetricSpec(
        "best_lr:sgd:ill_conditioned",
        {"en": "Best learning rate (SGD, ill-conditioned quadratic)", "ko": "최적 학습률 (SGD, 조건수가 큰 이차 함수)"},
    ),
    MetricSpec(
        "final_loss:momentum:ill_conditioned",
        {"en": "Final loss (momentum, ill-conditioned quadratic)", "ko": "최종 손실 (모멘텀, 조건수가 큰 이차 함수)"},
    ),
    MetricSpec(
        "best_lr:momentum:ill_conditioned",
        {
            "en": "Best learning rate (momentum, ill-conditioned quadratic)",
            "ko": "최적 학습률 (모멘텀, 조건수가 큰 이차 함수)",
        },
    ),
    MetricSpec(
        "final_loss:nesterov:ill_conditioned",
        {
            "en": "Final loss (Nesterov, ill-conditioned quadratic)",
            "ko": "최종 손실 (네스테로프, 조건수가 큰 이차 함수)",
        },
    ),
    MetricSpec(
        "best_lr:nesterov:ill_conditioned",
        {
            "en": "Best learning rate (Nesterov, ill-conditioned quadratic)",
            "ko": "최적 학습률 (네스테로프, 조건수가 큰 이차 함수)",
        },
    ),
    MetricSpec(
        "final_loss:adagrad:ill_conditioned",
        {"en": "Final loss (Adagrad, ill-conditioned quadratic)", "ko": "최종 손실 (Adagrad, 조건수가 큰 이차 함수)"},
    ),
    MetricSpec(
        "best_lr:adagrad:ill_conditioned",
        {
            "en": "Best learning rate (Adagrad, ill-conditioned quadratic)",
            "ko": "최적 학습률 (Adagrad, 조건수가 큰 이차 함수)",
        },
    ),
    MetricSpec(
        "final_loss:rmsprop:ill_conditioned",
        {"en": "Final loss (RMSProp, ill-conditioned quadratic)", "ko": "최종 손실 (RMSProp, 조건수가 큰 이차 함수)"},
    ),
    MetricSpec(
        "best_lr:rmsprop:ill_conditioned",
        {
            "en": "Best learning rate (RMSProp, ill-conditioned quadratic)",
            "ko": "최적 학습률 (RMSProp, 조건수가 큰 이차 함수)",
        },
    ),
    MetricSpec(
        "final_loss:adam:ill_conditioned",
        {"en": "Final loss (Adam, ill-conditioned quadratic)", "ko": "최종 손실 (Adam, 조건수가 큰 이차 함수)"},
    ),
    MetricSpec(
        "best_lr:adam:ill_conditioned",
        {
            "en": "Best learning rate (Adam, ill-conditioned quadratic)",
            "ko": "최적 학습률 (Adam, 조건수가 큰 이차 함수)",
        },
    ),
    MetricSpec(
        "final_loss:sgd:rosenbrock", {"en": "Final loss (SGD, Rosenbrock)", "ko": "최종 손실 (SGD, 로젠브록 함수)"}
    ),
    MetricSpec(
        "best_lr:sgd:rosenbrock",
        {"en": "Best learning rate (SGD, Rosenbrock)", "ko": "최적 학습률 (SGD, 로젠브록 함수)"},
    ),
    MetricSpec(
        "final_loss:momentum:rosenbrock",
        {"en": "Final loss (momentum, Rosenbrock)", "ko": "최종 손실 (모멘텀, 로젠브록 함수)"},
    ),
    MetricSpec(
        "best_lr:momentum:rosenbrock",
        {"en": "Best learning rate (momentum, Rosenbrock)", "ko": "최적 학습률 (모멘텀, 로젠브록 함수)"},
    ),
    MetricSpec(
        "final_loss:nesterov:rosenbrock",
        {"en": "Final loss (Nesterov, Rosenbrock)", "ko": "최종 손실 (네스테로프, 로젠브록 함수)"},
    ),
    MetricSpec(
        "best_lr:nesterov:rosenbrock",
        {"en": "Best learning rate (Nesterov, Rosenbrock)", "ko": "최적 학습률 (네스테로프, 로젠브록 함수)"},
    ),
    MetricSpec(
        "final_loss:adagrad:rosenbrock",
        {"en": "Final loss (Adagrad, Rosenbrock)", "ko": "최종 손실 (Adagrad, 로젠브록 함수)"},
    ),
    MetricSpec(
        "best_lr:adagrad:rosenbrock",
        {"en": "Best learning rate (Adagrad, Rosenbrock)", "ko": "최적 학습률 (Adagrad, 로젠브록 함수)"},
    ),
    MetricSpec(
        "final_loss:rmsprop:rosenbrock",
        {"en": "Final loss (RMSProp, Rosenbrock)", "ko": "최종 손실 (RMSProp, 로젠브록 함수)"},
    ),
    MetricSpec(
        "best_lr:rmsprop:rosenbrock",
        {"en": "Best learning rate (RMSProp, Rosenbrock)", "ko": "최적 학습률 (RMSProp, 로젠브록 함수)"},
    ),
    MetricSpec(
        "final_loss:adam:rosenbrock", {"en": "Final loss (Adam, Rosenbrock)", "ko": "최종 손실 (Adam, 로젠브록 함수)"}
    ),
    MetricSpec(
        "best_lr:adam:rosenbrock",
        {"en": "Best learning rate (Adam, Rosenbrock)", "ko": "최적 학습률 (Adam, 로젠브록 함수)"},
    ),
    MetricSpec("quartic_global_min", {"en": "Global minimum of the quartic", "ko": "4차 함수의 전역 최솟값"}),
)
PLOTS = (
    PanelSpec(
        "paths-quartic",
        title={"en": "Paths on the quartic", "ko": "4차 함수 위의 경로"},
        x={"en": "x", "ko": "x"},
        y={"en": "y", "ko": "y"},
        series={
            "contour:quartic": {"en": "level sets", "ko": "등고선"},
            "path:sgd:quartic": {"en": "SGD", "ko": "SGD"},
            "path:momentum:quartic": {"en": "momentum", "ko": "모멘텀"},
            "path:nesterov:quartic": {"en": "Nesterov", "ko": "네스테로프"},
            "path:adagrad:quartic": {"en": "Adagrad", "ko": "Adagrad"},
            "path:rmsprop:quartic": {"en": "RMSProp", "ko": "RMSProp"},
            "path:adam:quartic": {"en": "Adam", "ko": "Adam"},
        },
    ),
    PanelSpec(
        "gap-quartic",
        title={"en": "Loss above the minimum on the quartic", "ko": "4차 함수의 최솟값 대비 손실"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "log10 (loss − minimum)", "ko": "log10 (손실 − 최솟값)"},
        series={
            "gap:sgd:quartic": {"en": "SGD", "ko": "SGD"},
            "gap:momentum:quartic": {"en": "momentum", "ko": "모멘텀"},
            "gap:nesterov:quartic": {"en": "Nesterov", "ko": "네스테로프"},
            "gap:adagrad:quartic": {"en": "Adagrad", "ko": "Adagrad"},
            "gap:rmsprop:quartic": {"en": "RMSProp", "ko": "RMSProp"},
            "gap:adam:quartic": {"en": "Adam", "ko": "Adam"},
        },
    ),
    PanelSpec(
        "paths-ill_conditioned",
        title={"en": "Paths on the ill-conditioned quadratic", "ko": "조건수가 큰 이차 함수 위의 경로"},
        x={"en": "x", "ko": "x"},
        y={"en": "y", "ko": "y"},
        series={
            "contour:ill_conditioned": {"en": "level sets", "ko": "등고선"},
            "path:sgd:ill_conditioned": {"en": "SGD", "ko": "SGD"},
            "path:momentum:ill_conditioned": {"en": "momentum", "ko": "모멘텀"},
            "path:nesterov:ill_conditioned": {"en": "Nesterov", "ko": "네스테로프"},
            "path:adagrad:ill_conditioned": {"en": "Adagrad", "ko": "Adagrad"},
            "path:rmsprop:ill_conditioned": {"en": "RMSProp", "ko": "RMSProp"},
            "path:adam:ill_conditioned": {"en": "Adam", "ko": "Adam"},
        },
    ),
    PanelSpec(
        "gap-ill_conditioned",
        title={
            "en": "Loss above the minimum on the ill-conditioned quadratic",
            "ko": "조건수가 큰 이차 함수의 최솟값 대비 손실",
        },
        x={"en": "step", "ko": "스텝"},
        y={"en": "log10 (loss − minimum)", "ko": "log10 (손실 − 최솟값)"},
        series={
            "gap:sgd:ill_conditioned": {"en": "SGD", "ko": "SGD"},
            "gap:momentum:ill_conditioned": {"en": "momentum", "ko": "모멘텀"},
            "gap:nesterov:ill_conditioned": {"en": "Nesterov", "ko": "네스테로프"},
            "gap:adagrad:ill_conditioned": {"en": "Adagrad", "ko": "Adagrad"},
            "gap:rmsprop:ill_conditioned": {"en": "RMSProp", "ko": "RMSProp"},
            "gap:adam:ill_conditioned": {"en": "Adam", "ko": "Adam"},
        },
    ),
    PanelSpec(
        "paths-rosenbrock",
        title={"en": "Paths on the Rosenbrock", "ko": "로젠브록 함수 위의 경로"},
        x={"en": "x", "ko": "x"},
        y={"en": "y", "ko": "y"},
        series={
            "contour:rosenbrock": {"en": "level sets", "ko": "등고선"},
            "path:sgd:rosenbrock": {"en": "SGD", "ko": "SGD"},
            "path:momentum:rosenbrock": {"en": "momentum", "ko": "모멘텀"},
            "path:nesterov:rosenbrock": {"en": "Nesterov", "ko": "네스테로프"},
            "path:adagrad:rosenbrock": {"en": "Adagrad", "ko": "Adagrad"},
            "path:rmsprop:rosenbrock": {"en": "RMSProp", "ko": "RMSProp"},
            "path:adam:rosenbrock": {"en": "Adam", "ko": "Adam"},
        },
    ),
    PanelSpec(
        "gap-rosenbrock",
        title={"en": "Loss above the minimum on the Rosenbrock", "ko": "로젠브록 함수의 최솟값 대비 손실"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "log10 (loss − minimum)", "ko": "log10 (손실 − 최솟값)"},
        series={
            "gap:sgd:rosenbrock": {"en": "SGD", "ko": "SGD"},
            "gap:momentum:rosenbrock": {"en": "momentum", "ko": "모멘텀"},
            "gap:nesterov:rosenbrock": {"en": "Nesterov", "ko": "네스테로프"},
            "gap:adagrad:rosenbrock": {"en": "Adagrad", "ko": "Adagrad"},
            "gap:rmsprop:rosenbrock": {"en": "RMSProp", "ko": "RMSProp"},
            "gap:adam:rosenbrock": {"en": "Adam", "ko": "Adam"},
        },
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.3 + 19.8*(0.0009*steps*(1 + n_lrs/6))"


plugin = Plugin(
    id="optimizer-race",
    title={"en": "Optimizer race", "ko": "옵티마이저 경주"},
    summary={
        "en": "SGD, momentum, Nesterov, Adagrad, RMSProp and Adam on a quartic, an ill-conditioned quadratic and Rosenbrock, each with its learning rate tuned on the same budget.",
        "ko": "SGD, 모멘텀, 네스테로프, Adagrad, RMSProp, Adam을 4차 함수, 조건수가 큰 이차 함수, 로젠브록 함수에서 같은 예산으로 학습률을 조정해 비교한다.",
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
