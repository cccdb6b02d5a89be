"""Weight initialisation: activation scale across depth for tiny, LeCun, Xavier and He inits."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    activation: Literal["both", "tanh", "relu"] = Field(
        "both",
        description="Which activation's curves to plot (all claims use both).",
        json_schema_extra={"description_ko": "어느 활성화 함수의 곡선을 그릴지 (모든 주장 검증에는 둘 다 사용)."},
    )
    depth: int = Field(
        10, ge=2, le=60, description="Hidden layers.", json_schema_extra={"description_ko": "은닉층 수."}
    )
    width: int = Field(
        256,
        ge=4,
        le=512,
        description="Units per layer (n_in = n_out = width).",
        json_schema_extra={"description_ko": "층당 유닛 수 (n_in = n_out = width)."},
    )
    batch: int = Field(
        500,
        ge=16,
        le=1000,
        description="Random N(0, 1) inputs pushed through the net.",
        json_schema_extra={"description_ko": "신경망에 통과시키는 무작위 N(0, 1) 입력 수."},
    )
    small_std: float = Field(
        0.01,
        gt=0.0,
        le=1.0,
        description="Std of the 'tiny' init N(0, small_std²).",
        json_schema_extra={"description_ko": "'아주 작은' 초기화 N(0, small_std²)의 표준편차."},
    )


CLAIMS = [
    ClaimSpec(
        "he_keeps_relu_scale",
        {
            "en": "He init (Var = 2/n_in) keeps ReLU activations at a roughly constant scale: the last layer's activation std is within a factor 2 of the first layer's.",
            "ko": "He 초기화(Var = 2/n_in)는 ReLU 활성값의 크기를 거의 일정하게 유지합니다: 마지막 층 활성값의 표준편차가 첫 층의 2배 범위 안에 있습니다.",
        },
    ),
    ClaimSpec(
        "tiny_init_collapses",
        {
            "en": "A tiny init makes activations collapse toward 0 with depth: for both tanh and ReLU the last layer's activation std is below 10⁻³.",
            "ko": "아주 작은 초기화는 깊이가 깊어질수록 활성값을 0으로 무너뜨립니다: tanh와 ReLU 모두 마지막 층 활성값의 표준편차가 10⁻³ 미만입니다.",
        },
    ),
    ClaimSpec(
        "xavier_suits_tanh",
        {
            "en": "Xavier init (Var = 2/(n_in+n_out)) suits tanh: activations neither collapse (last-layer std > 0.1) nor saturate (under 1% of units with |a| > 0.99).",
            "ko": "Xavier 초기화(Var = 2/(n_in+n_out))는 tanh에 알맞습니다: 활성값이 무너지지도(마지막 층 표준편차 > 0.1) 포화되지도(|a| > 0.99인 유닛 1% 미만) 않습니다.",
        },
    ),
    ClaimSpec(
        "var_1_over_n_halves_relu",
        {
            "en": "With ReLU, an init with Var = 1/n_in (LeCun; equal to Xavier when n_in = n_out) loses half the variance per layer: the activation std shrinks by about 1/√2 ≈ 0.71 per layer.",
            "ko": "ReLU에서 Var = 1/n_in인 초기화(LeCun, n_in = n_out이면 Xavier와 같음)는 층마다 분산의 절반을 잃습니다: 활성값 표준편차가 층마다 약 1/√2 ≈ 0.71배로 줄어듭니다.",
        },
    ),
]


def run(p: Params, ctx) -> None:
    import torch

    with ctx.single_thread():
        _run(p, ctx, torch)


def _run(p: Params, ctx, torch) -> None:
    import math

    g = ctx.torch_seed()
    n = p.width
    x = torch.randn(p.batch, n, generator=g)
    schemes = {
        "tiny": p.small_std,
        "lecun": math.sqrt(1.0 / n),
        "xavier": math.sqrt(2.0 / (n + n)),
        "he": math.sqrt(2.0 / n),
    }
    acts = {"tanh": torch.tanh, "relu": torch.relu}
    res: dict[tuple[str, str], dict] = {}
    k = 0
    for aname, f in acts.items():
        for sname, sd in schemes.items():
            ctx.progress(0.05 + 0.85 * k / 8, {"en": f"{aname} / {sname}", "ko": f"{aname} / {sname}"})
            k += 1
            h = x
            stds = []
            for layer in range(p.depth):
                W = torch.randn(n, n, generator=g) * sd
                h = f(h @ W)
                s = h.std().item()
                stds.append(s)
                if p.activation in ("both", aname):
                    ctx.point(f"std:{aname}:{sname}", layer + 1, s)
            sat = (h.abs() > 0.99).float().mean().item() if aname == "tanh" else 0.0
            res[(aname, sname)] = {"stds": stds, "saturated": sat}
            ctx.metric(f"{aname}_{sname}_last_std", stds[-1])

    he = res[("relu", "he")]["stds"]
    he_ratio = he[-1] / he[0]
    ctx.metric("relu_he_last_over_first", he_ratio)
    ctx.claim(
        "he_keeps_relu_scale",
        0.5 <= he_ratio <= 2.0,
        {"first_std": he[0], "last_std": he[-1], "ratio": he_ratio},
        "0.5 <= last/first <= 2",
    )

    tiny_t = res[("tanh", "tiny")]["stds"][-1]
    tiny_r = res[("relu", "tiny")]["stds"][-1]
    ctx.claim(
        "tiny_init_collapses",
        tiny_t < 1e-3 and tiny_r < 1e-3,
        {"small_std": p.small_std, "tanh_last_std": tiny_t, "relu_last_std": tiny_r},
        "both last-layer stds < 1e-3",
    )

    xt = res[("tanh", "xavier")]
    ctx.metric("tanh_xavier_saturated_fraction", xt["saturated"])
    ctx.metric("tanh_he_saturated_fraction", res[("tanh", "he")]["saturated"])
    ctx.claim(
        "xavier_suits_tanh",
        xt["stds"][-1] > 0.1 and xt["saturated"] < 0.01,
        {"last_std": xt["stds"][-1], "saturated_fraction": xt["saturated"]},
        {"last_std": "> 0.1", "saturated_fraction": "< 0.01"},
    )

    lec = res[("relu", "lecun")]["stds"]
    factor = (lec[-1] / lec[0]) ** (1.0 / (p.depth - 1)) if lec[0] > 0 else 0.0
    ctx.metric("relu_lecun_per_layer_factor", factor)
    ctx.claim(
        "var_1_over_n_halves_relu",
        abs(factor - 1 / math.sqrt(2)) < 0.07,
        {"per_layer_std_factor": factor, "expected": 1 / math.sqrt(2)},
        "|factor - 0.7071| < 0.07",
    )

    # "tiny" describes the init, so it is said in Korean too; lecun, xavier and he are names, written as they are.
    scheme_labels = {"tiny": {"en": "tiny", "ko": "아주 작은 값"}}
    rows = []
    for (aname, sname), r in res.items():
        rows.append(
            [
                aname,
                scheme_labels.get(sname, sname),
                schemes[sname] ** 2 * n,
                r["stds"][0],
                r["stds"][-1],
                r["saturated"] if aname == "tanh" else "—",
            ]
        )
    ctx.table(
        {
            "en": f"Activation std over depth (width {n}, depth {p.depth})",
            "ko": f"깊이에 따른 활성값 표준편차 (너비 {n}, 깊이 {p.depth})",
        },
        [
            {"en": "activation", "ko": "활성화 함수"},
            {"en": "init", "ko": "초기화"},
            "Var(W)·n_in",
            {"en": "std after layer 1", "ko": "1번째 층 뒤 표준편차"},
            {"en": f"std after layer {p.depth}", "ko": f"{p.depth}번째 층 뒤 표준편차"},
            {"en": "tanh saturated (|a|>0.99)", "ko": "tanh 포화 (|a|>0.99)"},
        ],
        rows,
    )
    ctx.text(
        {
            "en": (
                "Each layer computes h ← f(Wh). With n_in inputs, Var(Wh) ≈ n_in · Var(W) · E[h²], so the init's variance decides whether "
                "the signal grows, shrinks or stays put as it goes deeper.\n\n"
                "- **Tiny init** (N(0, 0.01²)): each layer multiplies the scale by about 0.01·√n_in < 1, so activations collapse toward 0 "
                "(and so do the gradients).\n"
                "- **LeCun**, Var = 1/n_in, and **Xavier/Glorot**, Var = 2/(n_in + n_out) (the same thing when n_in = n_out): right for "
                "activations that are linear near 0, like tanh. Xavier averages the forward (n_in) and backward (n_out) conditions.\n"
                "- **He**, Var = 2/n_in: ReLU zeroes half of its inputs and so halves the second moment; the factor 2 compensates. "
                "With Var = 1/n_in instead, a ReLU net loses a factor √2 of scale per layer.\n\n"
                "These are variances; the standard deviations are their square roots, e.g. He uses std √(2/n_in)."
            ),
            "ko": (
                "각 층은 h ← f(Wh)를 계산합니다. 입력이 n_in개이면 Var(Wh) ≈ n_in · Var(W) · E[h²]이므로, 초기화의 분산이 "
                "깊이 들어갈수록 신호가 커질지, 작아질지, 유지될지를 정합니다.\n\n"
                "- **아주 작은 초기화**(N(0, 0.01²)): 층마다 크기가 약 0.01·√n_in < 1배가 되므로 활성값이 0으로 무너집니다(기울기도 마찬가지입니다).\n"
                "- **LeCun** Var = 1/n_in과 **Xavier/Glorot** Var = 2/(n_in + n_out)(n_in = n_out이면 같습니다): "
                "tanh처럼 0 근처에서 "
                "선형인 활성화 함수에 맞습니다. Xavier는 순전파 조건(n_in)과 역전파 조건(n_out)을 평균한 것입니다.\n"
                "- **He** Var = 2/n_in: ReLU는 입력의 절반을 0으로 만들어 이차 모멘트를 절반으로 줄이는데, 2배가 이를 보상합니다. "
                "대신 Var = 1/n_in을 쓰면 ReLU 망은 층마다 크기가 √2배씩 줄어듭니다.\n\n"
                "이 값들은 분산입니다. 표준편차는 그 제곱근입니다. 예를 들어 He 초기화의 표준편차는 √(2/n_in)입니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


# Names as the learner reads them; the metrics and panels per activation and init are declared from these.
INIT_NAMES = {
    "tiny": {"en": "small std", "ko": "작은 표준편차"},
    "lecun": {"en": "LeCun", "ko": "LeCun"},
    "xavier": {"en": "Xavier", "ko": "Xavier"},
    "he": {"en": "He", "ko": "He"},
}
ACTIVATIONS = ("tanh", "relu")
METRICS = (
    *(
        MetricSpec(
            f"{act}_{init}_last_std",
            {
                "en": f"Std of the last layer ({act}, {name['en']})",
                "ko": f"마지막 층의 표준편차 ({act}, {name['ko']})",
            },
        )
        for act in ACTIVATIONS
        for init, name in INIT_NAMES.items()
    ),
    MetricSpec(
        "relu_he_last_over_first",
        {"en": "ReLU + He: last / first layer std", "ko": "ReLU + He: 마지막 층 / 첫 층 표준편차"},
    ),
    MetricSpec(
        "tanh_xavier_saturated_fraction",
        {"en": "tanh + Xavier: saturated units", "ko": "tanh + Xavier: 포화된 유닛 비율"},
    ),
    MetricSpec("tanh_he_saturated_fraction", {"en": "tanh + He: saturated units", "ko": "tanh + He: 포화된 유닛 비율"}),
    MetricSpec(
        "relu_lecun_per_layer_factor",
        {"en": "ReLU + LeCun: std factor per layer", "ko": "ReLU + LeCun: 층마다 곱해지는 표준편차 비율"},
    ),
)
PLOTS = tuple(
    PanelSpec(
        f"std-{act}",
        title={"en": f"Activation std by layer ({act})", "ko": f"층별 활성값 표준편차 ({act})"},
        x={"en": "layer", "ko": "층"},
        y={"en": "standard deviation", "ko": "표준편차"},
        series={f"std:{act}:{init}": name for init, name in INIT_NAMES.items()},
        log_y=True,
    )
    for act in ACTIVATIONS
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.1 + 0.0000000023*depth*width*width*batch"


plugin = Plugin(
    id="weight-init",
    title={"en": "Weight initialisation across depth", "ko": "깊이에 따른 가중치 초기화"},
    summary={
        "en": "Activation std layer by layer for tiny, LeCun, Xavier and He inits with tanh and ReLU.",
        "ko": "tanh와 ReLU에서 아주 작은 초기화, LeCun, Xavier, He 초기화의 층별 활성값 표준편차.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("initialisation", "activations"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.5,
)
