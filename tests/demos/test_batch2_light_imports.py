"""Batch 2: listing plugins must not load torch, numpy or sympy, and their metadata is complete."""

import json
import subprocess
import sys
from pathlib import Path

MODULES = [
    "mle_kl", "cross_validation", "bias_variance", "hyperparameter_search", "backprop_chain_rule",
    "loss_cost_objective", "define_by_run", "label_smoothing", "lr_too_large", "cnn_shapes",
]

CODE = """
import importlib.util, json, sys
from pathlib import Path
out = {}
for m in %r:
    spec = importlib.util.spec_from_file_location("_p_" + m, Path(%r) / (m + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    p = mod.plugin
    meta = p.metadata()
    json.dumps(meta)
    out[m] = {
        "id": meta["id"],
        "n_claims": len(meta["claims"]),
        "claim_langs": sorted({l for c in meta["claims"] for l in c["text"]}),
        "langs": sorted(set(meta["title"]) & set(meta["summary"])),
        "undescribed": [k for k, f in p.params.model_fields.items() if not f.description],
        "defaults_ok": p.params().model_dump() is not None,
    }
heavy = sorted(k for k in ("torch", "sympy", "numpy") if k in sys.modules)
print(json.dumps({"heavy": heavy, "plugins": out}))
"""


def test_import_and_metadata_do_not_load_heavy_libraries():
    plugins_dir = Path(__file__).resolve().parents[2] / "plugins"
    root = plugins_dir.parent
    res = subprocess.run([sys.executable, "-c", CODE % (MODULES, str(plugins_dir))], capture_output=True, text=True, cwd=root, check=True)
    data = json.loads(res.stdout.strip().splitlines()[-1])
    assert data["heavy"] == []
    assert sorted(data["plugins"]) == sorted(MODULES)
    for m, info in data["plugins"].items():
        assert info["id"] == m.replace("_", "-")
        assert info["n_claims"] >= 2
        assert info["langs"] == ["en", "ko"]
        assert info["claim_langs"] == ["en", "ko"]
        assert info["undescribed"] == [], m
