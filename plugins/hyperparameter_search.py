"""Grid search versus random search with the same budget (Bergstra & Bengio, 2012)."""

from pydantic import BaseModel, Field

from studyml.demos.api import ClaimSpec, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    grid_side: int = Field(
        3,
        ge=1,
        le=8,
        description="Grid points per hyperparameter; both methods get grid_side² trials.",
        json_schema_extra={"description_ko": "하이퍼파라미터당 격자점 수. 두 방법 모두 grid_side²번 시도합니다."},
    )
    b_weight: float = Field(
        0.01,
        ge=0.0,
        le=10.0,
        description="How much the second hyperparameter matters relative to the first (1 = equally).",
        json_schema_extra={
            "description_ko": "두 번째 하이퍼파라미터가 첫 번째에 비해 얼마나 중요한지 (1 = 똑같이 중요)."
        },
    )
    repeats: int = Field(
        1000,
        ge=20,
        le=20_000,
        description="Number of search problems, each with its optimum placed at random.",
        json_schema_extra={"description_ko": "탐색 문제의 개수. 각 문제의 최적점은 무작위 위치에 놓입니다."},
    )


CLAIMS = [
    ClaimSpec(
        "random_closer_on_important_axis",
        {
            "en": "With the same budget, random search's trials come closer to the best value of the important hyperparameter: "
            "averaged over the problems, its trial nearest to a* is nearer than the grid's, whose g×g trials look at only g "
            "values of a.",
            "ko": "같은 예산에서 랜덤 탐색의 시도가 중요한 하이퍼파라미터의 최적값에 더 가까이 갑니다. 문제들에 대해 평균하면 "
            "a*에 가장 가까운 시도가 그리드의 것보다 더 가깝습니다. g×g 그리드의 시도는 a 값을 g개만 보기 때문입니다.",
        },
    ),
    ClaimSpec(
        "random_better_on_average",
        {
            "en": "When only one hyperparameter really matters and the budget is not tiny (9 trials or more here), random "
            "search finds a lower validation loss than grid search on average, for the same number of trials.",
            "ko": "정말 중요한 하이퍼파라미터가 하나뿐이고 예산이 아주 작지 않으면(여기서는 9번 이상), 같은 시도 횟수에서 랜덤 "
            "탐색이 그리드 탐색보다 평균적으로 더 낮은 검증 손실을 찾습니다.",
        },
    ),
]


def run(params: Params, ctx) -> None:
    import numpy as np

    rng = ctx.rng()
    g = params.grid_side
    budget = g * g
    wb = params.b_weight
    R = params.repeats

    ticks = (np.arange(g) + 0.5) / g
    grid_a = np.repeat(ticks, g)  # a outer, b inner: the first g trials share one value of a
    grid_b = np.tile(ticks, g)

    # All problems of a chunk at once (numpy, not a Python loop): the curves are ready in milliseconds, so the
    # plot fills at once. Each row draws a*, b*, then the random trials' a and b: the same stream as one by one.
    best_grid, best_rand, distinct_grid, distinct_rand = [], [], [], []
    near_grid, near_rand = [], []  # per problem: how close the nearest trial's a came to a*
    curve_grid = np.zeros(budget)
    curve_rand = np.zeros(budget)
    chunk = max(1, R // 20)
    for start in range(0, R, chunk):
        rows = min(chunk, R - start)
        draws = rng.uniform(0.0, 1.0, (rows, 2 + 2 * budget))
        a_star, b_star = draws[:, :1], draws[:, 1:2]  # the (unknown) best hyperparameters of each problem
        ra, rb = draws[:, 2 : 2 + budget], draws[:, 2 + budget :]
        lg = (grid_a - a_star) ** 2 + wb * (grid_b - b_star) ** 2
        lr = (ra - a_star) ** 2 + wb * (rb - b_star) ** 2
        best_grid += lg.min(axis=1).tolist()
        best_rand += lr.min(axis=1).tolist()
        near_grid += np.abs(grid_a - a_star).min(axis=1).tolist()
        near_rand += np.abs(ra - a_star).min(axis=1).tolist()
        distinct_grid += [len(np.unique(np.round(grid_a, 12)))] * rows
        distinct_rand += (1 + (np.diff(np.sort(np.round(ra, 12), axis=1), axis=1) != 0).sum(axis=1)).tolist()
        curve_grid += np.minimum.accumulate(lg, axis=1).sum(axis=0)
        curve_rand += np.minimum.accumulate(lr, axis=1).sum(axis=0)
        ctx.progress((start + rows) / R, {"en": f"problem {start + rows}/{R}", "ko": f"문제 {start + rows}/{R}"})

    for t in range(budget):
        ctx.point("grid: best loss so far", t + 1, curve_grid[t] / R)
        ctx.point("random: best loss so far", t + 1, curve_rand[t] / R)

    bg, br = np.array(best_grid), np.array(best_rand)
    mean_g, mean_r = float(bg.mean()), float(br.mean())
    dg, dr = float(np.mean(distinct_grid)), float(np.mean(distinct_rand))
    wins = float(np.mean(br < bg))
    near_g, near_r = float(np.mean(near_grid)), float(np.mean(near_rand))
    ctx.metric("budget", budget)
    ctx.metric("distinct_a_grid", dg)
    ctx.metric("distinct_a_random", dr)
    ctx.metric("mean_nearest_a_distance_grid", near_g)
    ctx.metric("mean_nearest_a_distance_random", near_r)
    ctx.metric("mean_best_loss_grid", mean_g)
    ctx.metric("mean_best_loss_random", mean_r)
    ctx.metric("random_win_rate", wins)

    ctx.claim(
        "random_closer_on_important_axis",
        near_r < near_g,
        {
            "mean_nearest_a_distance_random": near_r,
            "mean_nearest_a_distance_grid": near_g,
            "distinct_a_random": dr,
            "distinct_a_grid": dg,
            "budget": budget,
        },
        "mean_nearest_a_distance_random < mean_nearest_a_distance_grid",
    )
    ctx.claim(
        "random_better_on_average",
        mean_r < mean_g,
        {"mean_best_loss_random": mean_r, "mean_best_loss_grid": mean_g, "random_win_rate": wins, "b_weight": wb},
        "mean_best_loss_random < mean_best_loss_grid",
    )
    ctx.table(
        {"en": f"{budget} trials per search, {R} problems", "ko": f"탐색당 시도 {budget}회, 문제 {R}개"},
        [
            {"en": "method", "ko": "방법"},
            {"en": "distinct values of a", "ko": "a의 서로 다른 값 수"},
            {"en": "mean |a − a*| of the nearest trial", "ko": "가장 가까운 시도의 평균 |a − a*|"},
            {"en": "mean best loss", "ko": "평균 최저 손실"},
            {"en": "share of problems won", "ko": "이긴 문제 비율"},
        ],
        [
            [{"en": "grid", "ko": "그리드 탐색"}, dg, near_g, mean_g, float(np.mean(bg < br))],
            [{"en": "random", "ko": "무작위 탐색"}, dr, near_r, mean_r, wins],
        ],
    )
    ctx.text(
        {
            "en": (
                f"The validation loss is (a − a*)² + {wb:g}·(b − b*)²: hyperparameter a matters, b "
                f"{'barely does' if wb < 0.2 else 'matters too'}. A {g}×{g} grid spends {budget} trials but only looks at "
                f"{g} values of a — each value is repeated {g} times with a different b"
                f"{', which hardly changes the loss' if wb < 0.2 else ''}. "
                f"Random search tries {budget} different values of a; here its average best loss is {mean_r:.4f} versus "
                f"{mean_g:.4f} for the grid ({'random wins' if mean_r < mean_g else 'the grid wins'}).\n\nThis is Bergstra & Bengio's (2012) argument: "
                "when few hyperparameters matter, grids waste trials. Try `b_weight = 1`: when both matter equally, the "
                "evenly spaced grid is no longer at a disadvantage. With `grid_side = 2` (4 trials) the grid's even spacing "
                "still wins: random draws can cluster, and 4 is too few for the extra distinct values to pay off."
            ),
            "ko": (
                f"검증 손실은 (a − a*)² + {wb:g}·(b − b*)² 입니다. 하이퍼파라미터 a는 중요하고, b는 "
                f"{'거의 영향이 없습니다' if wb < 0.2 else 'a만큼은 아니어도 손실에 영향을 줍니다' if wb < 1 else 'a 못지않게 중요합니다'}. "
                f"{g}×{g} 그리드는 시도 {budget}번을 쓰지만 a 값은 {g}개만 봅니다. 같은 a 값을 b만 바꿔 {g}번씩 되풀이합니다"
                f"{'. 그런데 b는 손실을 거의 바꾸지 못합니다' if wb < 0.2 else ''}. 랜덤 탐색은 "
                f"서로 다른 a 값 {budget}개를 시도합니다. 여기서 평균 최저 손실은 랜덤 {mean_r:.4f}, 그리드 {mean_g:.4f}로 "
                f"{'랜덤 탐색이 이깁니다' if mean_r < mean_g else '그리드가 이깁니다'}.\n\nBergstra & Bengio(2012)의 논지입니다. 중요한 하이퍼파라미터가 몇 개뿐이면 그리드는 "
                "시도를 낭비합니다. `b_weight = 1`을 시도해 보세요. 둘 다 똑같이 중요하면 고르게 놓인 그리드가 더 이상 불리하지 않습니다. "
                "`grid_side = 2`(시도 4번)에서는 그리드의 고른 간격이 여전히 이깁니다. 무작위로 뽑은 값은 한데 몰릴 수 있고, "
                "4번으로는 서로 다른 값을 더 시도하는 이점이 드러나기에 너무 적습니다."
            ),
        }
    )
    ctx.progress(1.0, {"en": "done", "ko": "완료"})


METRICS = (
    MetricSpec("budget", {"en": "Trials per search", "ko": "탐색당 시도 횟수"}),
    MetricSpec(
        "distinct_a_grid",
        {"en": "Distinct values of the important parameter (grid)", "ko": "중요한 파라미터의 서로 다른 값 수 (격자)"},
    ),
    MetricSpec(
        "distinct_a_random",
        {
            "en": "Distinct values of the important parameter (random)",
            "ko": "중요한 파라미터의 서로 다른 값 수 (무작위)",
        },
    ),
    MetricSpec(
        "mean_nearest_a_distance_grid",
        {
            "en": "Mean distance from a* to the nearest value of a tried (grid)",
            "ko": "a*에서 가장 가까운 시도한 a 값까지의 평균 거리 (격자)",
        },
    ),
    MetricSpec(
        "mean_nearest_a_distance_random",
        {
            "en": "Mean distance from a* to the nearest value of a tried (random)",
            "ko": "a*에서 가장 가까운 시도한 a 값까지의 평균 거리 (무작위)",
        },
    ),
    MetricSpec("mean_best_loss_grid", {"en": "Mean best loss, grid search", "ko": "격자 탐색의 평균 최저 손실"}),
    MetricSpec("mean_best_loss_random", {"en": "Mean best loss, random search", "ko": "무작위 탐색의 평균 최저 손실"}),
    MetricSpec("random_win_rate", {"en": "Problems where random search wins", "ko": "무작위 탐색이 이긴 문제 비율"}),
)
PLOTS = (
    PanelSpec(
        "best-so-far",
        title={"en": "Best loss so far, averaged over problems", "ko": "지금까지의 최저 손실 (문제 평균)"},
        x={"en": "trial", "ko": "시도"},
        y={"en": "best loss", "ko": "최저 손실"},
        series={
            "grid: best loss so far": {"en": "grid search", "ko": "격자 탐색"},
            "random: best loss so far": {"en": "random search", "ko": "무작위 탐색"},
        },
    ),
)
# Seconds: fitted to the run's CPU time at the defaults and the maxima (issue 12; within 2x of both).
ESTIMATE = "0.05 + 0.00000005*repeats*grid_side*grid_side"


plugin = Plugin(
    id="hyperparameter-search",
    title={"en": "Grid search vs random search", "ko": "그리드 탐색 대 랜덤 탐색"},
    summary={
        "en": "Give grid search and random search the same budget on a problem where one hyperparameter matters and the "
        "other barely does, and compare what each finds.",
        "ko": "한 하이퍼파라미터는 중요하고 다른 하나는 거의 영향이 없는 문제에서 그리드 탐색과 랜덤 탐색에 같은 예산을 주고, "
        "각각 찾은 결과를 비교합니다.",
    },
    params=Params,
    claims=CLAIMS,
    run=run,
    tags=("hyperparameters", "model-selection", "random-search"),
    api_version="1.1",
    metrics=METRICS,
    plots=PLOTS,
    estimate=ESTIMATE,
    expected_seconds=0.5,
)
