"""Listing plugins must not load torch, numpy or sympy: those are imported inside `run`."""

import json
import subprocess
import sys
from pathlib import Path

MODULES = [
    "convexity_hessian", "overfitting_curves", "dead_relu", "vanishing_gradients", "weight_init",
    "optimizer_race", "minibatch_noise", "batchnorm", "regularization", "monte_carlo",
]

CODE = """
import importlib.util, json, sys
from pathlib import Path
out = {}
for m in %r:
    spec = importlib.util.spec_from_file_location("_p_" + m, Path(%r) / (m + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    meta = mod.plugin.metadata()
    json.dumps(meta)
    out[m] = {"id": meta["id"], "n_claims": len(meta["claims"]), "langs": sorted(meta["title"])}
heavy = sorted(k for k in ("torch", "sympy", "numpy") if k in sys.modules)
print(json.dumps({"heavy": heavy, "plugins": out}))
"""


def test_import_and_metadata_do_not_load_heavy_libraries():
    plugins_dir = Path(__file__).resolve().parents[2] / "plugins"
    root = plugins_dir.parent
    res = subprocess.run([sys.executable, "-c", CODE % (MODULES, str(plugins_dir))], capture_output=True, text=True, cwd=root, check=True)
    data = json.loads(res.stdout.strip().splitlines()[-1])
    assert data["heavy"] == []
    for m, info in data["plugins"].items():
        assert info["id"] == m.replace("_", "-")
        assert info["n_claims"] >= 2
        assert info["langs"] == ["en", "ko"]
