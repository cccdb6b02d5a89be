"""Import a plugin from its locator. Runs only in the worker process: plugin code never runs in the app's."""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import re
import sys
import sysconfig
import traceback
import types
from pathlib import Path

from studyml.demos.api import PLUGIN_ID, Plugin, version_text
from studyml.demos.crash import studyml_demos_file


class PluginLoadError(Exception):
    """A plugin could not be loaded from its locator."""


def load_locator(locator: str) -> Plugin:
    """Load one plugin: `file:<path>` (a module or a package's `__init__.py`) or `entry:<module>:<attr>`."""
    kind, _, rest = locator.partition(":")
    try:
        if kind == "file":
            obj = getattr(_import_file(Path(rest)), "plugin", None)
        elif kind == "entry":
            module, _, attr = rest.partition(":")
            obj = importlib.import_module(module)
            for part in filter(None, attr.split(".")):
                obj = getattr(obj, part)
        else:
            raise PluginLoadError(f"unknown plugin locator {locator!r}")
    except PluginLoadError:
        raise
    except BaseException as e:  # a plugin's import may raise anything, even SystemExit
        raise PluginLoadError(f"{type(e).__name__}: {e}{where_raised(e)}") from e
    if obj is None and kind == "file":
        raise PluginLoadError(f"{rest} defines no module-level `plugin`")
    if not isinstance(obj, Plugin):
        where = f"the entry point's object {rest}" if kind == "entry" else rest  # not the internal `entry:` locator
        hint = ""
        if isinstance(obj, types.ModuleType) and kind == "entry":  # `pkg.mod` where `pkg.mod:plugin` was meant
            hint = f": an entry point names the Plugin object itself, like `{obj.__name__}:plugin`"
        raise PluginLoadError(f"{where} is not a studyml Plugin (found {type(obj).__name__}){hint}")
    return obj


def where_raised(e: BaseException) -> str:
    """Where an import failed: the innermost line of Python source outside the standard library (a KeyError three
    calls deep in a helper module said only `KeyError: 'lr'`, and the author could not tell where)."""
    found = sysconfig.get_paths()
    stdlib = found["stdlib"]
    installed = (found["purelib"], found["platlib"])  # inside stdlib without a venv (pyenv, conda): not stdlib
    for frame in reversed(traceback.extract_tb(e.__traceback__)):
        name = frame.filename
        if (
            name.startswith("<")
            or studyml_demos_file(name)
            or (name.startswith(stdlib) and not name.startswith(installed))
        ):
            continue  # the author's line, not Plugin's checks of it (api.py:213 in __post_init__)
        where = Path(name)
        shown = f"{where.parent.name}/{where.name}" if where.name == "__init__.py" else where.name  # which package
        return f" (at {shown}:{frame.lineno} in {frame.name})"
    return ""


def _import_file(path: Path):
    """Import a plugin file (or package `__init__.py`) under a module name unique to its path."""
    path = path.resolve()
    is_pkg = path.name == "__init__.py"
    stem = path.parent.name if is_pkg else path.stem
    digest = hashlib.sha1(str(path.parent.parent if is_pkg else path.parent).encode()).hexdigest()[:10]
    name = f"studyml_plugin_{digest}_{re.sub(r'[^0-9A-Za-z_]', '_', stem)}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(path.parent)] if is_pkg else None
    )
    if spec is None or spec.loader is None:
        raise PluginLoadError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered before exec so dataclasses, pydantic and relative imports can find the module.
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


MAX_SOURCE = 256 << 10  # a plugin file larger than this is not read for its id (read within its import's 5 s)


def declared_id(locator: str) -> str | None:
    """The id a file plugin declares, read from its source without running it: `Plugin(id="…")` with a literal.

    Asked before the import, so a plugin whose import fails, crashes or hangs is still known by its id (`demo run
    ID` names what is wrong with it, not "no such demo"). None when the source says no single literal id.
    """
    kind, _, rest = locator.partition(":")
    if kind != "file":
        return None  # an entry point's name is its id
    try:
        path = Path(rest)
        if path.stat().st_size > MAX_SOURCE:
            return None
        tree = ast.parse(path.read_bytes(), str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node.func) == "Plugin":
            for kw in node.keywords:
                if kw.arg == "id" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    ids.add(kw.value.value)
    found = ids.pop() if len(ids) == 1 else None
    return found if found is not None and PLUGIN_ID.fullmatch(found) else None  # else it would be refused anyway


def _called(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def describe(locator: str) -> dict:
    """A plugin's metadata as JSON-ready data, with its parameter fields for forms and validation."""
    from studyml.demos.params import describe_params

    plugin = load_locator(locator)
    try:
        meta = plugin.metadata()
        meta["fields"] = describe_params(plugin)
    except Exception as e:  # e.g. a parameter model pydantic cannot describe
        return {
            "id": plugin.id,
            "title": dict(plugin.title),
            "summary": {},
            "api_version": version_text(plugin.api_version),
            "broken": f"metadata failed: {type(e).__name__}: {e}",
        }
    return meta
