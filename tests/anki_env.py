"""The real `anki` package in its own cached venv, for tests that check files against real Anki.

The venv lives in a cache dir and is created on first use (about 65 MB, seconds from a PyPI mirror).
Set STUDYML_ANKI_PYTHON to a Python that can `import anki` to use that instead. Without either, a test
that needs it is skipped with the reason, or fails if STUDYML_REQUIRE_ANKI=1 (for CI).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ANKI_VERSION = "26.9.3"


def cache_dir() -> Path:
    import platformdirs

    return Path(os.environ.get("STUDYML_TEST_CACHE") or platformdirs.user_cache_dir("studyml-tests"))


def can_import_anki(python: str) -> bool:
    return subprocess.run([python, "-c", "import anki.collection"], capture_output=True, timeout=60).returncode == 0


def unavailable(reason: str):
    if os.environ.get("STUDYML_REQUIRE_ANKI") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def anki_python() -> str:
    explicit = os.environ.get("STUDYML_ANKI_PYTHON")
    if explicit:
        if not can_import_anki(explicit):
            unavailable(f"STUDYML_ANKI_PYTHON={explicit} cannot import anki")
        return explicit
    venv = cache_dir() / f"anki-{ANKI_VERSION}"
    python = venv / "bin" / "python"
    if python.exists() and can_import_anki(str(python)):
        return str(python)
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, timeout=120
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"anki=={ANKI_VERSION}"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as e:
        detail = getattr(e, "stderr", b"") or b""
        unavailable(
            f"could not install anki=={ANKI_VERSION} into {venv}: "
            f"{detail.decode(errors='replace').strip().splitlines()[-1:] or e}"
        )
    if not can_import_anki(str(python)):
        unavailable(f"anki installed into {venv} but does not import")
    return str(python)
