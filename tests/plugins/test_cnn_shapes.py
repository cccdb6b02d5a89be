import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("cnn_shapes")


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results
    m = ctx.metrics
    assert m["size_matches"] == m["configurations"] == m["param_matches"] == 12
    assert m["stem_output"] == 14  # 28×28, 7×7 kernel, stride 2, padding 3
    rows = {r[0]["en"]: r for r in ctx.tables[0]["rows"]}  # a layer is named in English and Korean
    assert rows["3×3 stride 2"][3] == "13×13"  # ⌊25/2⌋ + 1
    assert rows["3×3 'same'"][5] == 3 * 3 * 8 * 16 + 16


@pytest.mark.parametrize(
    "params, claim_id",
    [
        ({"formula": "no_floor"}, "output_size_matches"),
        ({"formula": "no_floor", "input_size": 29}, "output_size_matches"),
        ({"formula": "no_dilation"}, "output_size_matches"),
        ({"formula": "no_bias"}, "param_count_matches"),
        ({"formula": "ignore_groups"}, "param_count_matches"),
    ],
)
def test_common_mistakes_fail(params, claim_id):
    assert claims(run_plugin(plugin, **params))[claim_id] is False


def test_no_bias_formula_is_right_for_bias_free_layers():
    assert all(claims(run_plugin(plugin, formula="no_bias", bias=False)).values())


def test_reproducible():
    a, b = run_plugin(plugin, seed=11), run_plugin(plugin, seed=11)
    assert a.metrics == b.metrics and a.tables == b.tables
