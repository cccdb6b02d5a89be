"""Universal approximation: wider one-hidden-layer nets fit a 1-D target better; on a composed sawtooth, depth beats width."""

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin, SeriesFamily


class Params(BaseModel):
    max_width: int = Field(
        8,
        ge=1,
        le=64,
        description="Widest hidden layer tried; widths are 1, 2, 4, … up to it.",
        json_schema_extra={"description_ko": "시도할 가장 넓은 은닉층. 너비는 1, 2, 4, …에서 이 값까지입니다."},
    )
    steps: int = Field(
        200,
        ge=1,
        le=400,
        description="L-BFGS iterations per network.",
        json_schema_extra={"description_ko": "신경망마다 L-BFGS 반복 횟수."},
    )
    compositions: int = Field(
        5,
        ge=1,
        le=8,
        description="How many times the tent map is composed: the sawtooth target has 2^k linear pieces.",
        json_schema_extra={"description_ko": "텐트 맵을 합성하는 횟수 k: 톱니 타깃은 선형 조각 2^k개로 이루어집니다."},
    )
    deep_start: Literal["construction", "random"] = Field(
        "construction",
        description="Weights of the deep narrow network: the known construction (each layer one tent), or random weights trained by L-BFGS.",
        json_schema_extra={
            "description_ko": "깊고 좁은 신경망의 가중치: 알려진 구성(층마다 텐트 하나), 또는 무작위 가중치에서 L-BFGS로 학습."
        },
    )
    restarts: int = Field(
        3,
        ge=1,
        le=4,
        description="Initialisations per trained network; the one with the lowest training loss is kept.",
        json_schema_extra={
            "description_ko": "학습하는 신경망마다 시도하는 초기화 횟수. 훈련 손실이 가장 낮은 것을 씁니다."
        },
    )

    @model_validator(mode="after")
    def _width_is_a_power_of_two(self):
        # The sweep doubles the width (1, 2, 4, …): another maximum left a width with no declared metric.
        if self.max_width & (self.max_width - 1):
            raise ValueError(
                f"max_width ({self.max_width}) must be a power of two (1, 2, 4, …, 64): the widths tried double up to it"
            )
        return self


def count_rises(errors: list[float], noise: float = 1e-4) -> int:
    """How many times the error rises from one width to the next by more than 10% plus `noise`.

    L-BFGS from a few starts lands near the best fit, not on it: at errors near 1e-5 a wider network may come
    out a few times above a narrower one (seen at width 32 with 400 steps), which says nothing about what the
    width can represent. So a rise counts only beyond 10% plus that absolute 1e-4.
    """
    return sum(b > 1.1 * a + noise for a, b in zip(errors, errors[1:]))


CLAIMS = [
    ClaimSpec(
        "wider_fits_better",
        {
            "en": "A one-hidden-layer tanh network fits the 1-D target better as its width grows: from one width to the next "
            "the error never rises by more than 10% (plus 10⁻⁴, below which the training run's own noise decides), and "
            "the widest network's error is below 1/20 of the width-1 network's.",
            "ko": "은닉층이 하나인 tanh 신경망은 너비가 커질수록 1차원 타깃을 더 잘 근사합니다. 한 너비에서 다음 너비로 갈 때 오차가 "
            "10%에 10⁻⁴를 더한 것보다 더 오르지 않고(10⁻⁴보다 작은 차이는 학습 과정의 잡음 수준입니다), 가장 넓은 신경망의 "
            "오차는 너비 1인 신경망 오차의 1/20보다 작습니다.",
        },
    ),
    ClaimSpec(
        "depth_beats_width",
        {
            "en": "On a sawtooth made by composing the tent map k times, a deep narrow ReLU network (k hidden layers of 2 units) "
            "fits it exactly (test error below 10⁻⁹), while a one-hidden-layer ReLU network with the same number of "
            "parameters, trained, stays above 10⁻³: with N units it has at most N + 1 linear pieces.",
            "ko": "텐트 맵을 k번 합성해 만든 톱니 함수를, 깊고 좁은 ReLU 신경망(유닛 2개짜리 은닉층 k개)은 정확히 나타내지만"
            "(검증 오차 10⁻⁹ 미만), 파라미터 수가 같은 은닉층 하나짜리 ReLU 신경망은 학습해도 오차가 10⁻³ 위에 머뭅니다. "
            "유닛이 N개이면 선형 조각이 최대 N + 1개이기 때문입니다.",
        },
    ),
]


def target_1d(x):
    """The 1-D target of the width sweep: three frequencies, so a few units are not enough."""
    import torch

    return torch.sin(3.0 * x) + 0.5 * torch.sin(7.0 * x) + 0.25 * torch.sin(13.0 * x)


def sawtooth(x, k: int):
    """The tent map t(x) = 1 − |2x − 1| composed k times on [0, 1]: 2^(k−1) teeth, 2^k linear pieces."""
    for _ in range(k):
        x = 1.0 - (2.0 * x - 1.0).abs()
    return x


def mlp(torch, widths: list[int], act):
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [torch.nn.Linear(a, b), act()]
    return torch.nn.Sequential(*layers[:-1]).double()  # float64: L-BFGS runs out of float32 precision


def n_params(net) -> int:
    return sum(q.numel() for q in net.parameters())


def shallow_width_for(budget: int) -> int:
    """Width N of a 1→N→1 network (3N + 1 parameters) closest to the budget."""
    return max(1, round((budget - 1) / 3))


def fit_lbfgs(torch, net, x, y, steps: int, on_step=None) -> float:
    """Full-batch L-BFGS on the MSE; returns the final training MSE."""
    opt = torch.optim.LBFGS(
        net.parameters(),
        lr=1.0,
        max_iter=steps,
        history_size=20,
        line_search_fn="strong_wolfe",
        tolerance_grad=1e-10,
        tolerance_change=1e-10,
    )
    calls = [0]

    def closure():
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        calls[0] += 1
        if on_step is not None:
            on_step(calls[0], loss.item())
        return loss

    opt.step(closure)
    with torch.no_grad():
        return float(((net(x) - y) ** 2).mean())


# The table's "weights" cell for the deep network: its English is the deep_start value the learner sets, as before.
DEEP_START_LABELS = {
    "construction": {"en": "construction", "ko": "알려진 구성"},
    "random": {"en": "random", "ko": "무작위 초기화 후 훈련"},
}


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _widths(max_width: int) -> list[int]:
    ws, w = [], 1
    while w < max_width:
        ws.append(w)
        w *= 2
    return ws + [max_width]


def _run(p: Params, ctx, torch) -> None:
    _body(p, ctx, torch, ctx.torch_seed())


def _body(p: Params, ctx, torch, g) -> None:
    import math

    # ---- 1. width sweep, one hidden tanh layer ----------------------------------------------------------------
    x_tr = torch.linspace(-1, 1, 200, dtype=torch.float64).unsqueeze(1)
    x_te = torch.linspace(-1, 1, 1001, dtype=torch.float64).unsqueeze(1)
    y_tr, y_te = target_1d(x_tr), target_1d(x_te)
    widths = _widths(p.max_width)
    errors = []
    for i, w in enumerate(widths):
        best = None
        for r in range(p.restarts):
            torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=g)))
            net = mlp(torch, [1, w, 1], torch.nn.Tanh)
            label = f"width {w}, start {r + 1}: training MSE"
            with (
                torch.no_grad()
            ):  # plotted before L-BFGS is built: the first optimiser in a process imports for seconds
                ctx.point(label, 0, float(((net(x_tr) - y_tr) ** 2).mean()))
            train = fit_lbfgs(
                torch,
                net,
                x_tr,
                y_tr,
                p.steps,
                lambda c, loss, label=label: ctx.point(label, c, loss) if c % 5 == 0 else None,
            )
            if best is None or train < best[0]:
                with torch.no_grad():
                    best = (train, float(((net(x_te) - y_te) ** 2).mean()))
            ctx.progress(
                0.4 * (i + (r + 1) / p.restarts) / len(widths),
                {"en": f"width {w}, start {r + 1}", "ko": f"너비 {w}, 시작 {r + 1}"},
            )
        errors.append(best[1])
        ctx.point("test MSE vs width (one hidden layer)", w, best[1])
    rises = [errors[i + 1] / errors[i] for i in range(len(errors) - 1)]
    worst_rise = max(rises) if rises else None
    rises_beyond_noise = count_rises(errors)
    shrink = errors[-1] / errors[0]
    for w, e in zip(widths, errors):
        ctx.metric(f"test_mse_width_{w}", e)
    ctx.metric("error_ratio_widest_over_width_1", shrink)
    ctx.claim(
        "wider_fits_better",
        len(widths) >= 3 and rises_beyond_noise == 0 and shrink < 1 / 20,
        {
            "widths": widths,
            "test_mse": errors,
            "largest_step_ratio": worst_rise,
            "rises_beyond_10%_plus_1e-4": rises_beyond_noise,
            "widest_over_width_1": shrink,
        },
        {"widths": "at least 3", "rises_beyond_10%_plus_1e-4": "0", "widest_over_width_1": "< 0.05"},
    )

    # ---- 2. depth vs width on the sawtooth, equal parameter budget ---------------------------------------------
    k = p.compositions
    x_tr = torch.linspace(0, 1, 2 ** (k + 4) + 1, dtype=torch.float64).unsqueeze(1)
    x_te = (torch.arange(4096, dtype=torch.float64) + 0.5).unsqueeze(1) / 4096
    y_tr, y_te = sawtooth(x_tr, k), sawtooth(x_te, k)
    grid = torch.linspace(0, 1, 2 ** (k + 2) + 1, dtype=torch.float64)
    slopes = torch.diff(sawtooth(grid, k)) / torch.diff(grid)
    pieces = 1 + int((torch.diff(slopes).abs() > 1e-9).sum())
    deep_dims = [1] + [2] * k + [1]
    budget = n_params(mlp(torch, deep_dims, torch.nn.ReLU))
    shallow_dims = [1, shallow_width_for(budget), 1]

    def test_mse(net):
        with torch.no_grad():
            return float(((net(x_te) - y_te) ** 2).mean())

    def train_best(name, make):
        best = None
        for r in range(p.restarts):
            net = make(r)
            label = f"{name}, start {r + 1}: training MSE"
            train = fit_lbfgs(
                torch,
                net,
                x_tr,
                y_tr,
                p.steps,
                lambda c, loss, label=label: ctx.point(label, c, loss) if c % 3 == 1 else None,
            )
            if best is None or train < best[0]:
                best = (train, test_mse(net), net)
            ctx.progress(
                ctx_base[0] + 0.25 * (r + 1) / p.restarts,
                {"en": f"{name}, start {r + 1}", "ko": f"{name}, 시작 {r + 1}"},
            )
        return best

    def shallow(r):
        """Knots spread over [0, 1] (evenly, then jittered): a plain random start leaves most kinks outside it."""
        net = mlp(torch, shallow_dims, torch.nn.ReLU)
        n = shallow_dims[1]
        knots = (torch.arange(n, dtype=torch.float64) + 0.5) / n
        if r:
            knots = torch.sort(torch.rand(n, generator=g, dtype=torch.float64)).values
        with torch.no_grad():
            net[0].weight.fill_(1.0)
            net[0].bias.copy_(-knots)
            feats = torch.cat([torch.relu(x_tr - knots), torch.ones_like(x_tr)], dim=1)
            coef = torch.linalg.lstsq(feats, y_tr).solution  # best output layer for these knots
            net[2].weight.copy_(coef[:-1].T)
            net[2].bias.copy_(coef[-1])
        return net

    def deep_random(r):
        torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=g)))
        return mlp(torch, deep_dims, torch.nn.ReLU)

    def deep_construction():
        """Each hidden layer computes one tent t(u) = 2·relu(u) − 4·relu(u − ½) of the previous layer's tent."""
        net = mlp(torch, deep_dims, torch.nn.ReLU)
        linears = [m for m in net if isinstance(m, torch.nn.Linear)]
        with torch.no_grad():
            linears[0].weight.copy_(torch.tensor([[1.0], [1.0]]))
            linears[0].bias.copy_(torch.tensor([0.0, -0.5]))
            for lin in linears[1:-1]:
                lin.weight.copy_(torch.tensor([[2.0, -4.0], [2.0, -4.0]]))
                lin.bias.copy_(torch.tensor([0.0, -0.5]))
            linears[-1].weight.copy_(torch.tensor([[2.0, -4.0]]))
            linears[-1].bias.zero_()
        return net

    ctx_base = [0.4]
    sh_train, shallow_err, sh_net = train_best(f"shallow, {shallow_dims[1]} units", shallow)
    ctx_base[0] = 0.65
    if p.deep_start == "construction":
        deep_net = deep_construction()
        with torch.no_grad():
            deep_train = float(((deep_net(x_tr) - y_tr) ** 2).mean())
        deep_err = test_mse(deep_net)
        ctx.progress(0.9, {"en": "deep network: the construction", "ko": "깊은 신경망: 알려진 구성"})
    else:
        deep_train, deep_err, deep_net = train_best(f"deep, {k} × 2 units", deep_random)
    xs = torch.linspace(0, 1, 257, dtype=torch.float64).unsqueeze(1)
    with torch.no_grad():
        for name, ys in (
            ("sawtooth target", sawtooth(xs, k)),
            ("deep narrow network", deep_net(xs)),
            ("shallow wide network", sh_net(xs)),
        ):
            for xv, yv in zip(xs[:, 0].tolist(), ys[:, 0].tolist()):
                ctx.point(name, xv, yv)
    ratio = deep_err / shallow_err if shallow_err > 0 else math.inf
    ctx.metric("sawtooth_linear_pieces", pieces)
    ctx.metric("parameters_deep", budget)
    ctx.metric("parameters_shallow", n_params(sh_net))
    ctx.metric("shallow_width", shallow_dims[1])
    ctx.metric("test_mse_deep", deep_err)
    ctx.metric("test_mse_shallow", shallow_err)
    ctx.metric("error_ratio_deep_over_shallow", ratio)
    ctx.claim(
        "depth_beats_width",
        deep_err < 1e-9 and shallow_err > 1e-3,
        {
            "compositions": k,
            "linear_pieces": pieces,
            "deep_layers": deep_dims[1:-1],
            "deep_start": p.deep_start,
            "shallow_width": shallow_dims[1],
            "parameters_deep": budget,
            "parameters_shallow": n_params(sh_net),
            "test_mse_deep": deep_err,
            "test_mse_shallow": shallow_err,
        },
        {"test_mse_deep": "< 1e-9", "test_mse_shallow": "> 1e-3"},
    )

    ctx.table(
        {"en": "One hidden tanh layer: test MSE by width", "ko": "tanh 은닉층 하나: 너비별 테스트 MSE"},
        [
            {"en": "width", "ko": "너비"},
            {"en": "parameters", "ko": "파라미터 수"},
            {"en": "test MSE", "ko": "테스트 MSE"},
        ],
        [[w, 3 * w + 1, e] for w, e in zip(widths, errors)],
    )
    ctx.table(
        {
            "en": f"Sawtooth (tent map composed {k} times, {pieces} linear pieces); trained networks: best of {p.restarts} "
            "starts",
            "ko": f"톱니 함수 (텐트 맵 {k}번 합성, 선형 조각 {pieces}개); 훈련한 신경망: 시작점 {p.restarts}개 중 최선",
        },
        [
            {"en": "network", "ko": "신경망"},
            {"en": "hidden layers", "ko": "은닉층"},
            {"en": "parameters", "ko": "파라미터 수"},
            {"en": "weights", "ko": "가중치"},
            {"en": "training MSE", "ko": "훈련 MSE"},
            {"en": "test MSE", "ko": "테스트 MSE"},
        ],
        [
            [
                {"en": "deep narrow", "ko": "깊고 좁은 신경망"},
                " × ".join(map(str, deep_dims[1:-1])),
                budget,
                DEEP_START_LABELS[p.deep_start],
                deep_train,
                deep_err,
            ],
            [
                {"en": "shallow wide", "ko": "얕고 넓은 신경망"},
                str(shallow_dims[1]),
                n_params(sh_net),
                {"en": "trained", "ko": "훈련으로 구함"},
                sh_train,
                shallow_err,
            ],
        ],
    )
    ctx.text(
        {
            "en": (
                f"**Width.** With one hidden layer the error falls from {errors[0]:.2e} (1 unit) to {errors[-1]:.2e} "
                f"({widths[-1]} units): the universal approximation theorem says enough units get as close as you like on a "
                "bounded interval — it does not say how many, nor that training finds them.\n\n"
                f"**Depth.** The tent map composed {k} times has {pieces} linear pieces. A one-hidden-layer ReLU network with N "
                f"units is piecewise linear with at most N + 1 pieces, so with {shallow_dims[1]} units (the same {budget} "
                f"parameters as the deep network) it cannot follow every tooth: trained, its test error is {shallow_err:.2e}. "
                f"{k} layers of 2 ReLUs compute the sawtooth exactly, each layer one tent 2·relu(u) − 4·relu(u − ½): "
                f"test error {deep_err:.1e} with `deep_start = {p.deep_start}`. Depth buys pieces exponentially, width only "
                "linearly. But representable is not learnable: try `deep_start = random` — L-BFGS from random weights usually "
                "does not find the construction. And `compositions = 2`: a few units are then enough for the shallow network too."
            ),
            "ko": (
                f"**너비.** 은닉층이 하나일 때 오차는 {errors[0]:.2e}(유닛 1개)에서 {errors[-1]:.2e}(유닛 {widths[-1]}개)로 "
                "줄어듭니다. 보편 근사 정리는 유닛이 충분하면 유계 구간에서 원하는 만큼 가깝게 근사할 수 있다고 말할 뿐, 몇 개가 "
                "필요한지나 학습이 그 가중치를 찾아 준다는 것은 말하지 않습니다.\n\n"
                f"**깊이.** 텐트 맵을 {k}번 합성하면 선형 조각이 {pieces}개입니다. 유닛이 N개인 은닉층 하나짜리 ReLU 신경망은 "
                f"조각이 최대 N + 1개인 구간별 선형 함수이므로, 유닛 {shallow_dims[1]}개(깊은 신경망과 같은 파라미터 {budget}개)로는 "
                f"모든 톱니를 따라갈 수 없습니다. 학습해도 검증 오차가 {shallow_err:.2e}입니다. 반면 ReLU 2개짜리 층 {k}개는 층마다 "
                f"텐트 하나 2·relu(u) − 4·relu(u − ½)를 계산해 톱니 함수를 정확히 나타냅니다: `deep_start = {p.deep_start}`에서 "
                f"검증 오차 {deep_err:.1e}. 깊이는 조각 수를 지수적으로, 너비는 선형적으로만 늘립니다. 하지만 나타낼 수 있다고 "
                "학습할 수 있는 것은 아닙니다. `deep_start = random`으로 바꿔 보세요. 무작위 가중치에서 출발한 L-BFGS는 대개 이 "
                "구성을 찾지 못합니다. `compositions = 2`이면 얕은 신경망도 유닛 몇 개로 충분합니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


# Widths 1, 2, 4, … up to the largest max_width allows: a metric for each (widths above 8 used to be undeclared,
# so max_width ≥ 16 ended the run with an error).
METRICS = (
    *(
        MetricSpec(
            f"test_mse_width_{w}",
            {"en": f"Test MSE, one hidden layer of width {w}", "ko": f"테스트 MSE, 너비 {w}인 은닉층 하나"},
        )
        for w in (2**i for i in range(7))
    ),
    MetricSpec(
        "error_ratio_widest_over_width_1",
        {"en": "Test MSE ratio, widest / width 1", "ko": "테스트 MSE 비율, 가장 넓은 것 / 너비 1"},
    ),
    MetricSpec("sawtooth_linear_pieces", {"en": "Linear pieces of the sawtooth", "ko": "톱니 함수의 선형 조각 수"}),
    MetricSpec(
        "parameters_deep", {"en": "Parameters of the deep narrow network", "ko": "깊고 좁은 신경망의 파라미터 수"}
    ),
    MetricSpec(
        "parameters_shallow", {"en": "Parameters of the shallow wide network", "ko": "얕고 넓은 신경망의 파라미터 수"}
    ),
    MetricSpec("shallow_width", {"en": "Width of the shallow network", "ko": "얕은 신경망의 너비"}),
    MetricSpec("test_mse_deep", {"en": "Test MSE, deep narrow network", "ko": "테스트 MSE, 깊고 좁은 신경망"}),
    MetricSpec("test_mse_shallow", {"en": "Test MSE, shallow wide network", "ko": "테스트 MSE, 얕고 넓은 신경망"}),
    MetricSpec(
        "error_ratio_deep_over_shallow",
        {"en": "Test MSE ratio, deep / shallow", "ko": "테스트 MSE 비율, 깊은 것 / 얕은 것"},
    ),
)
PLOTS = (
    PanelSpec(
        "training",
        title={"en": "Training MSE per width and start", "ko": "너비와 시작점별 훈련 MSE"},
        x={"en": "step", "ko": "스텝"},
        y={"en": "training MSE", "ko": "훈련 MSE"},
        # One series per width and restart, then per restart of the shallow and deep sawtooth nets
        # (max_width, restarts and compositions decide which).
        families=(
            SeriesFamily(
                "width {width}, start {start}: training MSE",
                {"en": "width {width}, start {start}", "ko": "너비 {width}, 시작 {start}"},
            ),
            SeriesFamily(
                "shallow, {units} units, start {start}: training MSE",
                {"en": "shallow ({units} units), start {start}", "ko": "얕은 신경망 (유닛 {units}개), 시작 {start}"},
            ),
            SeriesFamily(
                "deep, {layers} × 2 units, start {start}: training MSE",
                {
                    "en": "deep ({layers} layers × 2 units), start {start}",
                    "ko": "깊은 신경망 (층 {layers}개 × 유닛 2개), 시작 {start}",
                },
            ),
        ),
        log_y=True,
    ),
    PanelSpec(
        "width",
        title={"en": "Test MSE against width (one hidden layer)", "ko": "너비에 따른 테스트 MSE (은닉층 하나)"},
        x={"en": "width", "ko": "너비"},
        y={"en": "test MSE", "ko": "테스트 MSE"},
        series={
            "test MSE vs width (one hidden layer)": {"en": "test MSE", "ko": "테스트 MSE"},
        },
        log_y=True,
    ),
    PanelSpec(
        "sawtooth",
        title={
            "en": "Sawtooth: deep narrow against shallow wide",
            "ko": "톱니 함수: 깊고 좁은 신경망과 얕고 넓은 신경망",
        },
        x={"en": "x", "ko": "x"},
        y={"en": "y", "ko": "y"},
        series={
            "sawtooth target": {"en": "target", "ko": "목표 함수"},
            "deep narrow network": {"en": "deep narrow network", "ko": "깊고 좁은 신경망"},
            "shallow wide network": {"en": "shallow wide network", "ko": "얕고 넓은 신경망"},
        },
    ),
)
# Seconds: fitted to the run's CPU time at the defaults and the maxima (issue 12; within 2x of both).
ESTIMATE = "0.2 + 0.00062*steps*restarts*(log(max_width)/log(2) + 2)*(1 + max_width/64)"


plugin = Plugin(
    id="universal-approximation",
    title={"en": "Universal approximation, width and depth", "ko": "보편 근사 정리, 너비와 깊이"},
    summary={
        "en": "Fit a 1-D function with one hidden layer of growing width, then compare a deep narrow and a shallow wide "
        "ReLU network with the same parameter budget on a sawtooth built by composing the tent map.",
        "ko": "은닉층 하나의 너비를 늘려 가며 1차원 함수를 근사하고, 텐트 맵을 합성해 만든 톱니 함수에서 파라미터 수가 같은 "
        "깊고 좁은 ReLU 신경망과 얕고 넓은 ReLU 신경망을 비교합니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("universal-approximation", "depth", "architectures"),
    api_version="1.2",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=4.0,
)
