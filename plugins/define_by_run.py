"""Define-by-run: PyTorch records a new graph on every call, following the Python control flow that actually ran."""

from typing import Literal

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    n_inputs: int = Field(
        8,
        ge=1,
        le=100,
        description="Number of random inputs fed through the function.",
        json_schema_extra={"description_ko": "함수에 통과시키는 무작위 입력의 개수."},
    )
    dim: int = Field(
        3,
        ge=1,
        le=64,
        description="Dimension of each input vector x.",
        json_schema_extra={"description_ko": "각 입력 벡터 x의 차원."},
    )
    threshold: float = Field(
        4.0,
        ge=0.01,
        le=1000.0,
        description="The loop doubles y until ‖y‖ ≥ threshold.",
        json_schema_extra={"description_ko": "루프는 ‖y‖ ≥ threshold가 될 때까지 y를 두 배로 늘립니다."},
    )
    scale: float = Field(
        2.0,
        ge=1.1,
        le=10.0,
        description="Factor the loop multiplies y by on each iteration.",
        json_schema_extra={"description_ko": "루프가 반복마다 y에 곱하는 배수."},
    )
    mistake: Literal["none", "forget_loop_factor"] = Field(
        "none",
        description="Try a common mistake in the analytic gradient: ignore the factor the loop multiplied x by.",
        json_schema_extra={
            "description_ko": "해석적 기울기에서 흔한 실수를 재현해 봅니다: 루프가 x에 곱한 배수를 무시합니다."
        },
    )


CLAIMS = [
    ClaimSpec(
        "paths_differ",
        {
            "en": "With define-by-run autograd, the recorded graph depends on the input: different inputs run a different "
            "number of loop iterations or a different branch, and the graph records exactly those operations.",
            "ko": "define-by-run 방식의 autograd에서는 기록된 그래프가 입력에 따라 달라집니다. 입력마다 반복 횟수나 분기가 "
            "다르고, 그래프에는 실제로 실행된 연산만 정확히 기록됩니다.",
        },
    ),
    ClaimSpec(
        "autograd_matches_analytic",
        {
            "en": "For each input, the autograd gradient equals the analytic gradient of the path that was actually taken "
            "(the function is smooth there, so control flow only selects which formula applies).",
            "ko": "각 입력에서 autograd 기울기는 실제로 지나간 경로의 해석적 기울기와 같습니다(그 점에서 함수가 매끄러우므로 "
            "제어 흐름은 어느 식이 적용될지만 고릅니다).",
        },
    ),
]


def _graph_nodes(fn) -> list[str]:
    """Names of all autograd nodes reachable from `fn` (the recorded backward graph)."""
    seen, stack, names = set(), [fn], []
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.append(type(node).__name__)
        stack.extend(nxt for nxt, _ in node.next_functions)
    return names


def run(params: Params, ctx) -> None:
    import torch

    g = ctx.torch_seed()
    s = params.scale

    def f(x):
        """Data-dependent control flow: a while loop and an if, written in plain Python."""
        y, k = x, 0
        while y.norm() < params.threshold:
            y = y * s
            k += 1
        if y.sum() > 0:
            return (y**2).sum(), k, "square"
        return torch.sin(y).sum(), k, "sin"

    rows, paths, sizes = [], set(), set()
    worst = 0.0
    for i in range(params.n_inputs):
        # norms spread over two orders of magnitude so the loop runs a different number of times
        direction = torch.randn(params.dim, generator=g, dtype=torch.float64)
        radius = 10 ** (torch.rand(1, generator=g, dtype=torch.float64) * 2 - 1.5)  # ‖x‖ between 0.03 and 3.2
        x = (direction / direction.norm() * radius).requires_grad_(True)
        out, k, branch = f(x)
        nodes = _graph_nodes(out.grad_fn)
        (grad,) = torch.autograd.grad(out, x)

        c = 1.0 if params.mistake == "forget_loop_factor" else s**k  # dy/dx = s^k·I
        xd = x.detach()
        y = xd * s**k
        analytic = 2 * y * c if branch == "square" else torch.cos(y) * c
        err = float((grad - analytic).abs().max() / max(1.0, float(analytic.abs().max())))
        worst = max(worst, err)

        n_mul = sum(1 for n in nodes if n.startswith("MulBackward"))
        paths.add((k, branch))
        sizes.add(len(nodes))
        rows.append([i, float(xd.norm()), k, branch, len(nodes), n_mul, float(grad.norm()), err])
        ctx.point("loop iterations", i, k)
        ctx.point("autograd graph nodes", i, len(nodes))
        ctx.progress(
            (i + 1) / params.n_inputs,
            {"en": f"input {i + 1}/{params.n_inputs}", "ko": f"입력 {i + 1}/{params.n_inputs}"},
        )

    all_mul_match = all(r[5] == r[2] for r in rows)
    ctx.metric("distinct_paths", len(paths))
    ctx.metric("distinct_graph_sizes", len(sizes))
    ctx.metric("min_iterations", min(r[2] for r in rows))
    ctx.metric("max_iterations", max(r[2] for r in rows))
    ctx.metric("max_rel_grad_error", worst)
    ctx.claim(
        "paths_differ",
        len(paths) >= 2 and len(sizes) >= 2 and all_mul_match,
        {
            "distinct_paths": len(paths),
            "distinct_graph_sizes": len(sizes),
            "mul_nodes_equal_iterations": all_mul_match,
            "inputs": params.n_inputs,
        },
        {"distinct_paths": ">= 2", "distinct_graph_sizes": ">= 2", "mul_nodes_equal_iterations": True},
    )
    ctx.claim(
        "autograd_matches_analytic",
        worst < 1e-12,
        {
            "max_relative_error": worst,
            "analytic": "with loop factor s^k" if params.mistake == "none" else "without loop factor",
        },
        "max_relative_error < 1e-12",
    )
    ctx.table(
        {"en": "One function, a different graph per input", "ko": "하나의 함수, 입력마다 다른 그래프"},
        [
            {"en": "input", "ko": "입력 번호"},
            "‖x‖",
            {"en": "loop iterations k", "ko": "반복 횟수 k"},
            {"en": "branch", "ko": "분기"},
            {"en": "graph nodes", "ko": "그래프 노드 수"},
            {"en": "Mul nodes", "ko": "Mul 노드 수"},
            "‖∇f(x)‖",
            {"en": "rel. error vs analytic", "ko": "해석적 기울기 대비 상대 오차"},
        ],
        rows,
    )
    ctx.text(
        {
            "en": (
                "The function is ordinary Python: `while ‖y‖ < threshold: y = y·s`, then `if sum(y) > 0: f = Σy² "
                "else: f = Σ sin y`. PyTorch does not compile it ahead of time; it **records the operations as they run**. "
                "Small inputs loop more times, so their graphs have more multiplication nodes — count them in the table: "
                "one per iteration.\n\nBackprop then walks back through the graph that was recorded. With k iterations "
                "y = sᵏx, so the gradient is 2s²ᵏx for the square branch and sᵏ·cos(sᵏx) for the sine branch, and "
                "autograd matches it for every input. Try `mistake = forget_loop_factor` to drop the sᵏ factor."
            ),
            "ko": (
                "이 함수는 평범한 파이썬 코드입니다: `while ‖y‖ < threshold: y = y·s` 다음에 `if sum(y) > 0: f = Σy² "
                "else: f = Σ sin y`. PyTorch는 이것을 미리 컴파일하지 않고 **실행되는 대로 연산을 기록합니다**. 작은 입력은 "
                "더 여러 번 반복하므로 그래프에 곱셈 노드가 더 많습니다. 표에서 세어 보세요. "
                "반복 한 번에 하나씩입니다.\n\n"
                "역전파는 기록된 그래프를 거꾸로 따라갑니다. k번 반복하면 y = sᵏx 이므로 기울기는 제곱 분기에서 2s²ᵏx, "
                "사인 분기에서 sᵏ·cos(sᵏx)이고, autograd는 모든 입력에서 이와 일치합니다. `mistake = forget_loop_factor`로 "
                "sᵏ 인자를 빠뜨려 보세요."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("distinct_paths", {"en": "Distinct control-flow paths", "ko": "서로 다른 제어 흐름 경로 수"}),
    MetricSpec("distinct_graph_sizes", {"en": "Distinct graph sizes", "ko": "서로 다른 그래프 크기 수"}),
    MetricSpec("min_iterations", {"en": "Fewest loop iterations", "ko": "가장 적은 반복 횟수"}),
    MetricSpec("max_iterations", {"en": "Most loop iterations", "ko": "가장 많은 반복 횟수"}),
    MetricSpec("max_rel_grad_error", {"en": "Largest relative gradient error", "ko": "최대 상대 기울기 오차"}),
)
PLOTS = (
    PanelSpec(
        "graphs",
        title={"en": "Each input builds its own graph", "ko": "입력마다 만들어지는 그래프"},
        x={"en": "input", "ko": "입력 번호"},
        y={"en": "count", "ko": "개수"},
        series={
            "loop iterations": {"en": "loop iterations", "ko": "반복 횟수"},
            "autograd graph nodes": {"en": "autograd graph nodes", "ko": "autograd 그래프 노드 수"},
        },
    ),
)
# Seconds from measured runs on a 2-core CPU (see the report of issue 12); fitted, not exact.
ESTIMATE = "0.1 + 0.002*n_inputs*dim"


plugin = Plugin(
    id="define-by-run",
    title={"en": "Define-by-run: dynamic computation graphs", "ko": "define-by-run: 동적 계산 그래프"},
    summary={
        "en": "Run a function with a data-dependent while loop and if on several inputs: each call records a different "
        "autograd graph, and each gradient matches the analytic gradient of the path taken.",
        "ko": "데이터에 따라 달라지는 while 반복문과 if가 있는 함수를 여러 입력에 실행합니다. 호출마다 다른 autograd 그래프가 "
        "기록되고, 각 기울기는 실제로 지나간 경로의 해석적 기울기와 일치합니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("autograd", "pytorch", "computation-graph"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=1.5,
)
