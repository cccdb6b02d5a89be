"""Convolution and pooling arithmetic: output sizes and parameter counts checked against real torch layers."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    input_size: int = Field(
        28,
        ge=7,
        le=128,
        description="Height and width n of the square input.",
        json_schema_extra={"description_ko": "정사각형 입력의 높이이자 너비 n."},
    )
    in_channels: int = Field(
        8, ge=2, le=64, description="Input channels C_in.", json_schema_extra={"description_ko": "입력 채널 수 C_in."}
    )
    out_channels: int = Field(
        16,
        ge=1,
        le=128,
        description="Output channels C_out of the ordinary convolutions.",
        json_schema_extra={"description_ko": "일반 합성곱의 출력 채널 수 C_out."},
    )
    bias: bool = Field(
        True,
        description="Whether the convolutions have a bias term.",
        json_schema_extra={"description_ko": "합성곱에 편향 항을 둘지 여부."},
    )
    formula: Literal["correct", "no_floor", "no_dilation", "no_bias", "ignore_groups"] = Field(
        "correct",
        description="Which formula to check: the correct one, or a common mistake (drop the floor, ignore dilation, "
        "forget the bias, ignore groups).",
        json_schema_extra={
            "description_ko": "검사할 공식: 올바른 공식, 또는 흔한 실수(내림(floor) 생략, 팽창(dilation) 무시, 편향 누락, 그룹 무시) 중 하나."
        },
    )


CLAIMS = [
    ClaimSpec(
        "output_size_matches",
        {
            "en": "For convolution and pooling, each spatial output size is ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1 "
            "(input n, kernel k, stride s, padding p, dilation d; pooling with the default floor mode).",
            "ko": "합성곱과 풀링에서 각 공간 방향의 출력 크기는 ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1 입니다"
            "(입력 n, 커널 k, 스트라이드 s, 패딩 p, 팽창 d. 풀링은 기본값인 내림 모드).",
        },
    ),
    ClaimSpec(
        "param_count_matches",
        {
            "en": "A convolution has k_h·k_w·(C_in/groups)·C_out weights plus C_out biases; pooling has no parameters.",
            "ko": "합성곱의 파라미터는 가중치 k_h·k_w·(C_in/groups)·C_out개와 편향 C_out개입니다. 풀링에는 파라미터가 없습니다.",
        },
    ),
]


def run(params: Params, ctx) -> None:
    import math

    import torch
    from torch import nn

    ctx.torch_seed()
    n, cin, cout, bias = params.input_size, params.in_channels, params.out_channels, params.bias
    mistake = params.formula

    # (label in both languages, kind, C_out, kernel (h, w), stride, padding (h, w), dilation, groups)
    configs = [
        ({"en": "3×3 'same'", "ko": "3×3 'same' 패딩"}, "conv", cout, (3, 3), 1, (1, 1), 1, 1),
        ({"en": "5×5 valid", "ko": "5×5 valid (패딩 없음)"}, "conv", cout, (5, 5), 1, (0, 0), 1, 1),
        ({"en": "3×3 stride 2", "ko": "3×3 스트라이드 2"}, "conv", cout, (3, 3), 2, (0, 0), 1, 1),
        ({"en": "3×3 stride 2, pad 1", "ko": "3×3 스트라이드 2, 패딩 1"}, "conv", cout, (3, 3), 2, (1, 1), 1, 1),
        ({"en": "3×3 dilation 2", "ko": "3×3 팽창(dilation) 2"}, "conv", cout, (3, 3), 1, (0, 0), 2, 1),
        ({"en": "3×3 dilation 2, pad 2", "ko": "3×3 팽창(dilation) 2, 패딩 2"}, "conv", cout, (3, 3), 1, (2, 2), 2, 1),
        ({"en": "1×1 (pointwise)", "ko": "1×1 (점별 합성곱)"}, "conv", cout, (1, 1), 1, (0, 0), 1, 1),
        ({"en": "7×7 stride 2, pad 3", "ko": "7×7 스트라이드 2, 패딩 3"}, "conv", cout, (7, 7), 2, (3, 3), 1, 1),
        ({"en": "1×5, pad (0, 2)", "ko": "1×5, 패딩 (0, 2)"}, "conv", cout, (1, 5), 1, (0, 2), 1, 1),
        ({"en": "3×3 depthwise", "ko": "3×3 깊이별 합성곱"}, "conv", cin, (3, 3), 1, (1, 1), 1, cin),
        ({"en": "max-pool 2×2 stride 2", "ko": "최대 풀링 2×2 스트라이드 2"}, "pool", cin, (2, 2), 2, (0, 0), 1, 1),
        (
            {"en": "max-pool 3×3 stride 2, pad 1", "ko": "최대 풀링 3×3 스트라이드 2, 패딩 1"},
            "pool",
            cin,
            (3, 3),
            2,
            (1, 1),
            1,
            1,
        ),
    ]

    def out_size(size, k, s, p, d):
        if mistake == "no_dilation":
            d = 1
        num = size + 2 * p - d * (k - 1) - 1
        if mistake == "no_floor":
            return num / s + 1
        return math.floor(num / s) + 1

    def n_params(kind, kh, kw, co, groups):
        if kind == "pool":
            return 0
        g = 1 if mistake == "ignore_groups" else groups
        weights = kh * kw * (cin // g) * co
        biases = co if (bias and mistake != "no_bias") else 0
        return weights + biases

    x = torch.randn(1, cin, n, n)
    rows, size_ok, param_ok = [], [], []
    for i, (label, kind, co, (kh, kw), s, (ph, pw), d, groups) in enumerate(configs):
        if kind == "conv":
            layer = nn.Conv2d(cin, co, (kh, kw), stride=s, padding=(ph, pw), dilation=d, groups=groups, bias=bias)
        else:
            layer = nn.MaxPool2d((kh, kw), stride=s, padding=(ph, pw), dilation=d)
        with torch.no_grad():
            y = layer(x)
        th, tw = int(y.shape[2]), int(y.shape[3])
        tp = sum(p.numel() for p in layer.parameters())
        fh, fw = out_size(n, kh, s, ph, d), out_size(n, kw, s, pw, d)
        fp = n_params(kind, kh, kw, co, groups)
        ok_s = fh == th and fw == tw
        ok_p = fp == tp
        size_ok.append(ok_s)
        param_ok.append(ok_p)
        rows.append(
            [
                label,
                f"k={kh}×{kw} s={s} p={ph},{pw} d={d} g={groups}",
                f"{fh:g}×{fw:g}",
                f"{th}×{tw}",
                fp,
                tp,
                ok_s and ok_p,
            ]
        )
        ctx.point("output height (torch)", i, th)
        ctx.point("output height (formula)", i, fh)
        ctx.progress(
            (i + 1) / len(configs),
            {"en": f"layer {i + 1}/{len(configs)}: {label['en']}", "ko": f"층 {i + 1}/{len(configs)}: {label['ko']}"},
        )

    bad_s = [r[0]["en"] for r, ok in zip(rows, size_ok) if not ok]  # a claim's observed values name them in English
    bad_p = [r[0]["en"] for r, ok in zip(rows, param_ok) if not ok]
    ctx.metric("configurations", len(configs))
    ctx.metric("size_matches", sum(size_ok))
    ctx.metric("param_matches", sum(param_ok))
    ctx.metric("stem_output", out_size(n, 7, 2, 3, 1))
    ctx.claim(
        "output_size_matches",
        all(size_ok),
        {"matches": sum(size_ok), "configurations": len(configs), "formula": mistake, "mismatched": bad_s},
        "every configuration matches torch",
    )
    ctx.claim(
        "param_count_matches",
        all(param_ok),
        {"matches": sum(param_ok), "configurations": len(configs), "formula": mistake, "mismatched": bad_p},
        "every configuration matches torch",
    )
    ctx.table(
        {"en": f"Input 1×{cin}×{n}×{n}, formula: {mistake}", "ko": f"입력 1×{cin}×{n}×{n}, 공식: {mistake}"},
        [
            {"en": "layer", "ko": "층"},
            {"en": "settings", "ko": "설정"},
            {"en": "formula H×W", "ko": "공식 H×W"},
            "torch H×W",
            {"en": "formula params", "ko": "공식 파라미터 수"},
            {"en": "torch params", "ko": "torch 파라미터 수"},
            {"en": "match", "ko": "일치"},
        ],
        rows,
    )
    ctx.text(
        {
            "en": (
                "A kernel of size k with dilation d covers d(k − 1) + 1 input pixels. Padding adds 2p, and the "
                "kernel then fits ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1 times when it moves s pixels at a time — the floor "
                f"drops a last partial step (e.g. {n}×{n} with a 3×3 kernel and stride 2 gives "
                f"{math.floor((n - 3) / 2) + 1}). Each output channel of a convolution sees C_in/groups input channels "
                "through a k_h×k_w kernel, plus one bias; pooling learns nothing.\n\nTry the common mistakes with "
                "`formula`: dropping the floor, ignoring dilation, forgetting the bias, or ignoring groups (a "
                "depthwise convolution has far fewer weights)."
            ),
            "ko": (
                "크기 k, 팽창 d인 커널은 입력 픽셀 d(k − 1) + 1개를 덮습니다. 패딩이 2p를 더하고, 커널이 s 픽셀씩 움직이면 "
                "⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1 번 들어갑니다. 바닥 함수는 마지막의 모자란 한 걸음을 버립니다(예: "
                f"{n}×{n}에 3×3 커널, 스트라이드 2면 {math.floor((n - 3) / 2) + 1}). 합성곱의 출력 채널 하나는 "
                "k_h×k_w 커널로 입력 채널 C_in/groups개를 보고, 편향이 하나 더 붙습니다. "
                "풀링은 아무것도 학습하지 않습니다."
                "\n\n`formula`로 흔한 실수를 시험해 보세요. "
                "바닥 함수 빠뜨리기, 팽창 무시하기, 편향 잊기, groups 무시하기"
                "(depthwise 합성곱은 가중치가 훨씬 적습니다)."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("configurations", {"en": "Layer configurations checked", "ko": "확인한 층 구성 수"}),
    MetricSpec("size_matches", {"en": "Output sizes matching the formula", "ko": "공식과 일치한 출력 크기 수"}),
    MetricSpec(
        "param_matches", {"en": "Parameter counts matching the formula", "ko": "공식과 일치한 파라미터 개수 수"}
    ),
    MetricSpec(
        "stem_output",
        {"en": "Output size of the 7×7 stride-2 stem", "ko": "7×7 stride 2 첫 층의 출력 크기"},
        {"en": "pixels", "ko": "픽셀"},
    ),
)
PLOTS = (
    PanelSpec(
        "heights",
        title={"en": "Output height: torch against the formula", "ko": "출력 높이: torch와 공식 비교"},
        x={"en": "configuration", "ko": "구성 번호"},
        y={"en": "output height (pixels)", "ko": "출력 높이 (픽셀)"},
        series={
            "output height (torch)": {"en": "measured by torch", "ko": "torch로 측정"},
            # Not the formula itself: `formula` picks the correct one or a common mistake (it said the one without
            # dilation, beside a claim about the one with it).
            "output height (formula)": {"en": "the formula being checked", "ko": "확인하는 공식으로 계산"},
        },
    ),
)
# Seconds: fitted to the run's CPU time at the defaults and the maxima (issue 12; within 2x of both).
ESTIMATE = "0.2 + 0.000000003*input_size*input_size*in_channels*out_channels"


plugin = Plugin(
    id="cnn-shapes",
    title={"en": "Convolution arithmetic: shapes and parameters", "ko": "합성곱 산술: 출력 크기와 파라미터 수"},
    summary={
        "en": "Check the output-size and parameter-count formulas against real torch Conv2d and MaxPool2d layers, "
        "including stride, padding, dilation and groups. Try the common mistake with `formula`.",
        "ko": "출력 크기와 파라미터 수 공식을 실제 torch Conv2d, MaxPool2d 층과 대조합니다. 스트라이드, 패딩, 팽창, groups도 "
        "포함합니다. `formula`로 흔한 실수를 시험해 보세요.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("cnn", "convolution", "architecture"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.5,
)
