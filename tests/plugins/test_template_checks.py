import math

import pytest

from tests.plugins.helpers import claims, load_plugin, run_plugin

plugin = load_plugin("template_checks")
CHECKS = {c.id: c.fn for c in plugin.checks}


def test_defaults_all_claims_pass():
    ctx = run_plugin(plugin)
    assert all(claims(ctx).values()), ctx.claim_results


def test_checks_compute_what_real_layers_and_autograd_give():
    assert CHECKS["conv-output-size"](n=7, k=3, p=0, s=2) == 3
    assert CHECKS["conv-output-size"](n=8, k=3, p=0, s=2) == 3  # torch floors; (8 - 3)/2 + 1 would be 3.5
    assert CHECKS["conv-param-count"](cin=3, cout=8, k=3) == 3 * 3 * 3 * 8 + 8
    assert CHECKS["receptive-field-stack"](L=2, k=3) == 5
    assert CHECKS["receptive-field-strided"](k1=3, s1=2, k2=3) == 7
    assert CHECKS["sigmoid-derivative"](x=0.0) == pytest.approx(0.25)
    assert CHECKS["critical-lr"](l1=1, l2=4) == pytest.approx(0.5)
    assert CHECKS["diverging-lrs"](L=2, a=1.25, b=1.5, c=0.75, d=0.25) == [1.25, 1.5]
    assert CHECKS["gaussian-mle-variance"](x1=1, x2=2, x3=3, x4=6) == pytest.approx(3.5, rel=1e-6)
    assert CHECKS["label-smoothing-target"](K=10, eps=0.1) == pytest.approx(0.91)
    assert CHECKS["adam-first-moment"](b1=0.9, g=2.0, t=1) == pytest.approx(0.2)
    assert CHECKS["he-variance"](fin=128) == pytest.approx(2 / 128, rel=0.01)
    assert CHECKS["init-variances"](fin=64, fout=256) == pytest.approx([1 / 64, 2 / 320, 2 / 64], rel=1e-9)
    assert CHECKS["kl-categorical"](p1=0.5, p2=0.25, p3=0.25, q1=0.5, q2=0.25, q3=0.25) == pytest.approx(0)
    assert CHECKS["mc-standard-error"](sigma=2.0, n=100) == pytest.approx(0.2, rel=0.05)
    assert math.isclose(CHECKS["head-dim"](d=512, h=8), 64)


def test_the_initialisers_variances_are_read_off_torchs_draws_exactly():
    # A key asked to 4 significant digits is checked within 0.06%; the variance of 10⁶ drawn weights is off by
    # about 0.2% (0.0199557 for 2/100), and verify failed the right keys.
    assert CHECKS["he-variance"](fin=100) == pytest.approx(2 / 100, rel=1e-9)
    assert CHECKS["lecun-variance"](fin=100) == pytest.approx(1 / 100, rel=1e-9)
    assert CHECKS["xavier-variance"](fin=64, fout=512) == pytest.approx(2 / 576, rel=1e-9)
    # ... and still tell a wrong key: LeCun's 1/fin is not He's 2/fin
    assert not math.isclose(CHECKS["he-variance"](fin=100), 1 / 100, rel_tol=0.0006)


def test_the_demo_rejects_lecuns_key_used_as_xaviers(monkeypatch):
    # The demo compared Xavier's draw with its key at fan_out = fan_in, where 2/(fan_in+fan_out) is LeCun's 1/fan_in:
    # LeCun's key written for Xavier passed. With the default fan_out (64 against fan_in 256) it is 1.6 times off.
    formulas = plugin.run.__globals__["FORMULAS"]  # the module this plugin object runs in (others may load it again)
    monkeypatch.setitem(formulas, "xavier", formulas["lecun"])
    ctx = run_plugin(plugin)
    assert ctx.metrics["worst_relative_error"] > 0.5
    assert claims(ctx)["checks-agree-with-formulas"] is False


def test_a_fan_out_that_cannot_tell_xavier_from_lecun_is_refused():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="could not tell"):
        plugin.params(fan_in=256, fan_out=256)
    with pytest.raises(ValidationError, match="could not tell"):
        plugin.params(fan_in=256, fan_out=250)  # the keys differ by 1.2%, barely above the claim's 1%
    assert plugin.params(fan_in=256, fan_out=64).fan_out == 64


def test_init_variances_reads_xaviers_variance_off_torchs_draw(monkeypatch):
    # init-variances returned the key's own 2/(fan_in+fan_out) for Xavier (only He and LeCun came from torch), so the
    # order template's check agreed with its key whatever torch drew. A torch whose xavier_normal_ drew LeCun's
    # variance must show in the check's answer.
    import torch

    def lecun_drawn_as_xavier(w, gain=1.0, generator=None):
        return torch.nn.init.kaiming_normal_(w, nonlinearity="linear", generator=generator)

    assert CHECKS["init-variances"](fin=64, fout=256)[1] == pytest.approx(2 / 320, rel=1e-9)
    monkeypatch.setattr(torch.nn.init, "xavier_normal_", lecun_drawn_as_xavier)
    assert CHECKS["init-variances"](fin=64, fout=256)[1] == pytest.approx(1 / 64, rel=0.01)
