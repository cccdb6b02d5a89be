"""Where studyml keeps its data: platformdirs, overridden by $STUDYML_HOME."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The data dir (packs, plugins, progress database, settings); created on first use."""
    home = os.environ.get("STUDYML_HOME")
    if home:
        path = Path(home).expanduser()
    else:
        import platformdirs  # only when $STUDYML_HOME does not say where

        path = Path(platformdirs.user_data_dir("studyml", appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        if path.exists() and not path.is_dir():
            where = "STUDYML_HOME names" if home else "the data directory is"
            raise DataDirError(
                f"{where} {path}, which is a file, not a folder: point STUDYML_HOME at a folder"
            ) from None
        hint = ": point STUDYML_HOME at a folder you can write to" if home else ""
        raise DataDirError(f"cannot make the data directory {path}: {e.strerror}{hint}") from None
    return path


class DataDirError(OSError):
    """The data dir cannot be made or used: said as it is (an environment error), never as an internal one."""


def packs_dir() -> Path:
    return data_dir() / "packs"


def plugins_dir() -> Path:
    return data_dir() / "plugins"


def db_path() -> Path:
    return data_dir() / "progress.sqlite3"


def builtin_content_dir() -> Path:
    """Built-in packs: shipped as package data `studyml._content`, or the repo's `content/`."""
    return _builtin("studyml._content", "content")


def builtin_plugins_dir() -> Path:
    return _builtin("studyml._plugins", "plugins")


def _builtin(package: str, repo_folder: str) -> Path:
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parent.parent / repo_folder
