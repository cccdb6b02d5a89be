"""`studyml demo new DIR`: write a plugin package to start from (entry point, a demo with two claims, a test)."""

from __future__ import annotations

import re
from pathlib import Path

from studyml.demos.discovery import ENTRY_POINT_GROUP


class ScaffoldError(ValueError):
    """The folder cannot hold a new plugin (not empty, or no usable id)."""


def plugin_id_for(folder: Path) -> str:
    """'My Demo' or 'studyml-my_demo' -> 'my-demo': the folder's name as a lowercase slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    slug = slug.removeprefix("studyml-")
    if not slug or not slug[0].isalpha():
        raise ScaffoldError(
            f"cannot make a plugin id from the folder name {folder.name!r}: give one with --id "
            "(lowercase letters, digits and '-', starting with a letter)"
        )
    return slug


def scaffold(folder: Path, plugin_id: str | None = None) -> dict[str, str]:
    """Write the package into `folder` (new or empty); returns {id, package, module, path}."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} exists and is not an empty folder; choose a new folder")
    pid = plugin_id or plugin_id_for(folder)
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", pid):
        raise ScaffoldError(
            f"{pid!r} is not a plugin id: use lowercase letters, digits and '-', starting with a letter"
        )
    module = "studyml_" + pid.replace("-", "_")
    package = "studyml-" + pid
    files = {
        "pyproject.toml": PYPROJECT.format(package=package, pid=pid, module=module, group=ENTRY_POINT_GROUP),
        f"src/{module}/__init__.py": PLUGIN.replace("{pid}", pid),
        f"tests/test_{module}.py": TEST.replace("{module}", module),
        "README.md": README.format(package=package, pid=pid, module=module),
    }
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {"id": pid, "package": package, "module": module, "path": str(folder)}


PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{package}"
version = "0.1.0"
description = "A studyml demo plugin: the mean of uniform samples approaches 1/2."
requires-python = ">=3.11"
dependencies = ["studyml"]

# studyml finds the plugin through this entry point; the name must equal the plugin id.
[project.entry-points."{group}"]
{pid} = "{module}:plugin"

[tool.setuptools.packages.find]
where = ["src"]
"""

PLUGIN = '''\
"""The mean of n uniform samples approaches 1/2, with an error shrinking like 1/sqrt(n).

Edit this demo into yours: see docs/plugins.md of studyml ("Writing a demo plugin", API 1.2).
"""

from pydantic import BaseModel, Field, model_validator

from studyml.demos.api import ClaimSpec, Context, MetricSpec, PanelSpec, Plugin


class Params(BaseModel):
    n: int = Field(2000, ge=10, le=1_000_000, description="Number of samples.",
                   json_schema_extra={"description_ko": "표본 개수입니다."})
    checkpoints: int = Field(20, ge=2, le=200, description="Points on the running-mean plot.",
                             json_schema_extra={"description_ko": "누적 평균 그래프의 점 개수입니다."})
    tolerance: float = Field(0.05, gt=0, le=1, description="Allowed distance of the mean from 1/2.",
                             json_schema_extra={"description_ko": "평균이 1/2에서 벗어나도 되는 거리입니다."})

    @model_validator(mode="after")
    def _enough_samples_per_checkpoint(self):
        # A check across fields: the form shows it before a run, `studyml demo run` refuses it (exit 2).
        if self.checkpoints > self.n:
            raise ValueError(f"checkpoints ({self.checkpoints}) cannot exceed n ({self.n})")
        return self


CLAIMS = [
    ClaimSpec("mean-near-half", {"en": "The sample mean is within the tolerance of 1/2.",
                                 "ko": "표본 평균이 1/2에서 허용 오차 안에 있습니다."}),
    ClaimSpec("error-within-3-se", {"en": "The error of the mean is within 3 standard errors.",
                                    "ko": "평균의 오차가 표준오차의 3배 안에 있습니다."}),
]


def run(p: Params, ctx: Context) -> None:
    import numpy as np  # heavy imports go inside run: listing plugins stays fast

    x = ctx.rng().random(p.n)
    for k in range(1, p.checkpoints + 1):
        m = k * p.n // p.checkpoints
        ctx.point("running_mean", m, float(x[:m].mean()))  # streamed: the plot fills while the demo runs
        ctx.progress(k / p.checkpoints, {"en": f"{m} samples", "ko": f"표본 {m}개"})
    mean = ctx.metric("mean", float(np.mean(x)))
    se = ctx.metric("standard_error", float(np.std(x, ddof=1) / np.sqrt(p.n)))
    ctx.claim("mean-near-half", abs(mean - 0.5) <= p.tolerance, {"mean": mean}, f"|mean - 0.5| <= {p.tolerance}")
    ctx.compare("error-within-3-se", "|mean - 0.5| / SE", abs(mean - 0.5) / se, "<=", 3)
    ctx.text({"en": f"The mean of {p.n} uniform samples is {mean:.4f}, with a standard error of {se:.4f}.",
              "ko": f"균등 표본 {p.n}개의 평균은 {mean:.4f}이고 표준오차는 {se:.4f}입니다."})


plugin = Plugin(
    id="{pid}",
    title={"en": "Mean of uniform samples", "ko": "균등 표본의 평균"},
    summary={"en": "The sample mean of uniform numbers approaches 1/2.",
             "ko": "균등 분포에서 뽑은 수의 표본 평균은 1/2에 가까워집니다."},
    params=Params,
    claims=CLAIMS,
    run=run,
    api_version="1.2",
    metrics=(
        MetricSpec("mean", {"en": "Sample mean", "ko": "표본 평균"}),
        MetricSpec("standard_error", {"en": "Standard error", "ko": "표준오차"}),
    ),
    plots=(
        PanelSpec("running-mean", title={"en": "Running mean", "ko": "누적 평균"},
                  x={"en": "samples", "ko": "표본 수"}, y={"en": "mean", "ko": "평균"},
                  series={"running_mean": {"en": "mean of the first samples", "ko": "처음 표본들의 평균"}}),
    ),
    estimate="0.05 + 0.0000001*n",  # seconds; fit it to runs of your demo
    expected_seconds=0.1,
)
'''

TEST = '''\
"""The demo's claims hold with its defaults, and can fail: run in-process with a studyml Context."""

from studyml.demos.api import Context
from {module} import plugin


def run(**params) -> Context:
    ctx = Context(seed=0, plugin=plugin)
    plugin.run(plugin.params(**params), ctx)
    return ctx


def test_claims_hold_with_defaults():
    ctx = run()
    assert {c: r["passed"] for c, r in ctx.claim_results.items()} == {"mean-near-half": True,
                                                                       "error-within-3-se": True}


def test_a_claim_can_fail():
    ctx = run(n=10, checkpoints=2, tolerance=0.001)
    assert ctx.claim_results["mean-near-half"]["passed"] is False
'''

README = """\
# {package}

A studyml demo plugin, `{pid}`.

    pip install -e .                 # studyml finds it through the `studyml.plugins` entry point
    studyml demo info {pid}
    studyml demo run {pid}
    studyml verify {pid}             # runs it and checks its claims
    python -m pytest tests           # the claims hold, and can fail

Edit `src/{module}/__init__.py`; the plugin API is described in studyml's docs/plugins.md.
"""
