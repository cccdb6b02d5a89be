"""Progress messages in the learner's language: `ctx.progress` takes a string or {language: text}."""

from __future__ import annotations

import re

import pytest

from studyml.demos.api import Context

STEP = {"en": "step 3 of 10", "ko": "10단계 중 3단계"}


def _progress_events(lang: str, message) -> list[dict]:
    events: list[dict] = []
    Context(lang=lang, emit=events.append).progress(0.3, message)
    return events


def test_a_per_language_message_is_sent_in_the_learners_language_and_whole():
    [ko] = _progress_events("ko", STEP)
    assert ko == {"type": "progress", "fraction": 0.3, "message": "10단계 중 3단계", "text": STEP}
    assert _progress_events("en", STEP)[0]["message"] == "step 3 of 10"
    assert _progress_events("fr", STEP)[0]["message"] == "step 3 of 10"  # no French: English


def test_a_plain_string_still_works_as_in_api_1_0():
    assert _progress_events("ko", "epoch 4") == [{"type": "progress", "fraction": 0.3, "message": "epoch 4"}]


@pytest.mark.parametrize(
    "bad", [{}, {"en": 3}, {"en": "step", 2: "둘"}, 42, None, ["a"]]
)  # 42, None, ["a"] were shown as text
def test_a_message_that_is_not_text_is_a_plugin_error_naming_the_call(bad):
    with pytest.raises(TypeError, match=r"ctx\.progress\(.*expected a string or a \{language: string\} dict"):
        Context(lang="ko").progress(0.5, bad)


def test_a_fraction_past_either_end_is_drawn_at_that_end_and_nan_or_text_is_a_plugin_error():
    sent = []
    ctx = Context(lang="en", emit=sent.append)
    for fraction in (1.0000000002, -0.1, 7):
        ctx.progress(fraction, "x")
    assert [e["fraction"] for e in sent] == [1.0, 0.0, 1.0]
    with pytest.raises(ValueError, match=r"ctx\.progress: the fraction is NaN"):
        ctx.progress(float("nan"), "x")  # was drawn as a full bar
    with pytest.raises(TypeError, match=r"ctx\.progress fraction: expected a number, got str"):
        ctx.progress("0.5", "x")


def test_the_screens_coalescer_keeps_the_whole_text_for_a_language_switch():
    from studyml.tui.demo_stream import Coalescer

    posted: list = []
    sink = Coalescer(posted.append, interval=0.0)
    sink({"type": "progress", "fraction": 0.3, "message": "10단계 중 3단계", "text": STEP})
    sink({"type": "progress", "fraction": 0.4, "message": "plain"})
    assert [m.message for m in posted] == [STEP, "plain"]


def test_every_built_in_demo_reports_progress_in_korean():
    """The built-in demos give each progress message in both languages (a fast run of each with small params)."""
    from tests.plugins.helpers import load_plugin

    runs = {
        "monte_carlo": {"n_max": 1000, "repeats": 10},
        "cnn_shapes": {},
        "cross_validation": {"repeats": 10},
        "hyperparameter_search": {"repeats": 20},
    }
    for module, params in runs.items():
        plugin = load_plugin(module)
        events: list[dict] = []
        plugin.run(plugin.params(**params), Context(lang="ko", emit=events.append, plugin=plugin))
        progress = [e for e in events if e["type"] == "progress"]
        assert progress, module
        for e in progress:
            assert set(e["text"]) == {"en", "ko"} and e["message"] == e["text"]["ko"], (module, e)


# A fast run of every built-in demo that reports a table; together they reach every ctx.table call in plugins/
# (dead_relu's second table only when some units start off, as they do at the default bias_init = -3).
TABLE_RUNS = {
    "autoregressive": {"train_length": 2000},
    "backprop_chain_rule": {},
    "batchnorm": {"train_steps": 10, "stat_steps": 10},
    "bias_variance": {"n_datasets": 20, "max_degree": 4},
    "cnn_shapes": {},
    "convexity_hessian": {"n_points": 2},
    "cross_validation": {"repeats": 10},
    "dead_relu": {"steps": 10, "sweep": False, "width": 20},
    "define_by_run": {},
    "hyperparameter_search": {"repeats": 20},
    "label_smoothing": {"steps": 10},
    "loss_cost_objective": {"steps": 10},
    "loss_functions": {"n": 20},
    "lr_too_large": {"steps": 10, "n_lrs": 3},
    "map_vs_mle": {"steps": 10, "n_max": 50},
    "minibatch_noise": {"n_data": 64, "repeats": 10},
    "mle_kl": {"n": 50},
    "monte_carlo": {"n_max": 1000, "repeats": 10},
    "optimizer_race": {"steps": 10, "n_lrs": 2},
    "overfitting_curves": {"epochs": 10, "hidden": 8},
    "regularization": {"epochs": 5, "hidden": 8},
    "template_checks": {},
    "transfer_learning": {"steps": 10, "pretrain_examples": 50},
    "universal_approximation": {"steps": 5, "restarts": 1, "max_width": 4},
    "vanishing_gradients": {"depth": 4, "width": 16, "batch": 16},
    "weight_init": {"depth": 3, "width": 16, "batch": 32},
}
# Names a Korean text writes as they are (a library, a function): a column headed by one alone stays a plain string,
# and so does a cell holding one.
SAME_IN_BOTH_LANGUAGES = {
    "sympy",
    "autograd",
    "torch",
    # identifiers the learner types or sees in a demo's parameters, named in a table's cells as they are:
    # optimizers (optimizer_race),
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    # activations (vanishing_gradients, weight_init; dead_relu writes "ReLU" and "Leaky ReLU (α=0.01)"),
    "relu",
    "tanh",
    "sigmoid",
    "ReLU",
    "Leaky",
    # initialisation schemes (template_checks, vanishing_gradients, weight_init),
    "xavier",
    "lecun",
    # and the branch define_by_run's function takes, named for what it computes: Σy² or Σ sin y.
    "sin",
    "square",
}


def english_words(header: str) -> list[str]:
    """The English words in a column header: whitespace-separated letters-only tokens of 3+ letters, not an acronym.

    Symbols, formulas and identifiers pass: "k", "lr", "σ²", "bias²+var+σ²", "Var(W)·n_in", "NLL", "‖w_MAP − μ₀‖".
    """
    tokens = (t.strip("()[]|,.:;") for t in header.split())
    return [
        t
        for t in tokens
        if len(t) >= 3
        and re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z]+)*", t)
        and not t.isupper()
        and t not in SAME_IN_BOTH_LANGUAGES
    ]


@pytest.mark.parametrize(
    ("header", "english"),
    [
        ("k", []),
        ("lr", []),
        ("σ²", []),
        ("bias²+var+σ²", []),
        ("Var(W)·n_in", []),
        ("NLL", []),
        ("‖w_MAP − μ₀‖", []),
        ("lr / (2/L)", []),
        ("sympy", []),
        ("torch H×W", []),
        ("degree", ["degree"]),
        ("max |sympy − autograd|", ["max"]),
        ("ill-conditioned", ["ill-conditioned"]),
        ("std after layer 3", ["std", "after", "layer"]),
        ("measured E‖g_B − g‖²", ["measured"]),
    ],
)
def test_a_column_header_with_english_words_is_told_from_a_symbol_or_identifier(header, english):
    assert english_words(header) == english


def test_every_built_in_demo_reports_its_tables_in_korean():
    """Each table's title is {"en": ..., "ko": ...}, and a column headed by words is too (only symbols, formulas and
    identifiers head a column as a plain string): a Korean learner saw English table titles and headers. So is a cell
    of words ("final training loss", "diverged"): a Korean learner saw English row labels under Korean headers."""
    import ast

    from tests.plugins.helpers import PLUGINS, load_plugin

    calls = sum(
        isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "table"
        for path in PLUGINS.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )
    reported, problems = 0, []
    for module, params in TABLE_RUNS.items():
        plugin = load_plugin(module)
        ctx = Context(lang="ko", plugin=plugin)
        plugin.run(plugin.params(**params), ctx)
        for table in ctx.tables:
            reported += 1
            title = table["title"]
            if not (isinstance(title, dict) and title.get("en", "").strip() and title.get("ko", "").strip()):
                problems.append(f"{module}: title {title!r}")
            for column in table["columns"]:
                if isinstance(column, dict):
                    if not (column.get("en", "").strip() and column.get("ko", "").strip()):
                        problems.append(f"{module}: column {column!r}")
                elif english_words(column):
                    problems.append(f"{module}: column {column!r} in English only")
            for i, row in enumerate(table["rows"]):
                for j, cell in enumerate(row):
                    if isinstance(cell, dict):
                        if not (
                            isinstance(cell.get("en"), str)
                            and cell["en"].strip()
                            and isinstance(cell.get("ko"), str)
                            and cell["ko"].strip()
                        ):
                            problems.append(f"{module}: row {i} column {j} {cell!r}")
                    elif isinstance(cell, str) and english_words(cell):
                        problems.append(f"{module}: row {i} column {j} {cell!r} in English only")
    assert problems == []
    assert reported == calls  # every ctx.table call in plugins/ was reached


def test_no_built_in_demo_sends_a_progress_message_in_english_only():
    """Every ctx.progress call in plugins/ passes {"en": ..., "ko": ...} (read from the source: no runs)."""
    import ast

    from tests.plugins.helpers import PLUGINS

    english_only = []
    for path in sorted(PLUGINS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "progress" and len(node.args) > 1:
                message = node.args[1]
                keys = (
                    [k.value for k in message.keys if isinstance(k, ast.Constant)]
                    if isinstance(message, ast.Dict)
                    else []
                )
                if set(keys) != {"en", "ko"}:
                    english_only.append(f"{path.name}:{node.lineno}")
    assert english_only == []


@pytest.mark.parametrize("bad", [{}, {"en": 3}, {"en": "x", 2: "둘"}])
def test_a_table_title_or_column_that_is_no_text_is_a_plugin_error_naming_the_call(bad):
    with pytest.raises(TypeError, match=r"ctx\.table title\(.*expected a string or a \{language: string\} dict"):
        Context(lang="ko").table(bad, ["a"], [[1]])
    with pytest.raises(TypeError, match=r"ctx\.table column 1\(.*expected a string"):
        Context(lang="ko").table("t", ["a", bad], [[1, 2]])


def test_a_tables_cell_of_words_keeps_both_languages_and_a_bad_one_is_a_plugin_error_naming_it():
    ctx = Context(lang="ko")
    ctx.table("t", ["split", "x"], [[{"en": "train", "ko": "학습"}, 1.5]])
    assert ctx.tables[0]["rows"] == [[{"en": "train", "ko": "학습"}, 1.5]]
    with pytest.raises(TypeError, match=r"ctx\.table row 1 column 0\(.*expected a string or a \{language: string\}"):
        Context(lang="ko").table("t", ["a"], [["fine"], [{"en": 3}]])


def test_a_table_keeps_texts_in_both_languages_and_heads_a_column_with_a_number():
    ctx = Context(lang="ko")
    ctx.table({"en": "t", "ko": "표"}, [1, {"en": "b", "ko": "나"}], [[1, 2]])
    assert ctx.tables == [
        {"title": {"en": "t", "ko": "표"}, "columns": ["1", {"en": "b", "ko": "나"}], "rows": [[1, 2]]}
    ]


def test_a_claims_detail_is_text_in_both_languages_or_a_plugin_error_naming_the_call():
    ctx = Context(lang="ko")
    ctx.claim("c", False, {"x": 1}, "x > 2", {"en": "left out", "ko": "뺐습니다"})
    assert ctx.claim_results["c"]["detail"] == {"en": "left out", "ko": "뺐습니다"}
    with pytest.raises(TypeError, match=r"ctx\.claim\('c'\) detail\(.*expected a string or a"):
        ctx.claim("c", False, {}, "x", {"en": 3})
