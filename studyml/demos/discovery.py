"""Find demo plugins: entry points, the built-in plugins folder and the data dir's plugins folder."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from studyml.demos.api import API_VERSION, Plugin

ENTRY_POINT_GROUP = "studyml.plugins"


class PluginLoadError(Exception):
    """A plugin could not be loaded from its locator."""


@dataclass(frozen=True)
class PluginInfo:
    """A discovered plugin: its id, where it came from, and the loaded object."""

    id: str
    source: str  # human-readable origin, shown in listings and errors
    plugin: Plugin
    locator: str = ""  # "file:<path>" or "entry:<module>:<attr>"; the worker loads the plugin from it
    origin: str = ""  # "entry_point", "builtin" or "user"

    @property
    def compatible(self) -> bool:
        return major(self.plugin.api_version) == API_VERSION


@dataclass
class Registry:
    """Result of discovery: runnable plugins by id, plus everything that went wrong."""

    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    incompatible: dict[str, PluginInfo] = field(default_factory=dict)
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # id -> every source defining it
    problems: list[str] = field(default_factory=list)

    def get(self, plugin_id: str) -> PluginInfo:
        """The runnable plugin with this id, or a LookupError explaining why there is none."""
        if plugin_id in self.plugins:
            return self.plugins[plugin_id]
        if plugin_id in self.duplicates:
            raise LookupError(duplicate_message(plugin_id, self.duplicates[plugin_id]))
        if plugin_id in self.incompatible:
            raise LookupError(incompatible_message(self.incompatible[plugin_id]))
        known = ", ".join(sorted(self.plugins)) or "none"
        raise LookupError(f"no demo plugin with id {plugin_id!r} (known: {known})")


def major(version: object) -> int | None:
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


def duplicate_message(plugin_id: str, sources: list[str]) -> str:
    return f"duplicate plugin id {plugin_id!r}: defined by {' and by '.join(sources)}; remove or rename one"


def incompatible_message(info: PluginInfo) -> str:
    return (
        f"plugin {info.id!r} ({info.source}) targets plugin API version {info.plugin.api_version}, "
        f"but this studyml provides version {API_VERSION}; update the plugin or studyml"
    )


def discover(
    *,
    entry_points: bool = True,
    builtin_dir: Path | None = None,
    user_dir: Path | None = None,
) -> Registry:
    """Load every plugin's module (never torch or sympy: plugins import those inside `run`)."""
    from studyml import paths

    found: list[PluginInfo] = []
    registry = Registry()
    if entry_points:
        found += _from_entry_points(registry.problems)
    found += _from_folder(builtin_dir or paths.builtin_plugins_dir(), "builtin", registry.problems)
    found += _from_folder(user_dir or paths.plugins_dir(), "user", registry.problems)

    by_id: dict[str, list[PluginInfo]] = {}
    for info in found:
        by_id.setdefault(info.id, []).append(info)
    for pid, infos in by_id.items():
        if len(infos) > 1:
            registry.duplicates[pid] = [i.source for i in infos]
            registry.problems.append(duplicate_message(pid, registry.duplicates[pid]))
        elif infos[0].compatible:
            registry.plugins[pid] = infos[0]
        else:
            registry.incompatible[pid] = infos[0]
            registry.problems.append(incompatible_message(infos[0]))
    return registry


def load_locator(locator: str) -> Plugin:
    """Load one plugin from its locator (used by the worker, which skips full discovery)."""
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
        raise PluginLoadError(f"{type(e).__name__}: {e}") from e
    if obj is None and kind == "file":
        raise PluginLoadError(f"{rest} defines no module-level `plugin`")
    if not isinstance(obj, Plugin):
        raise PluginLoadError(f"{locator} does not define a studyml Plugin (found {type(obj).__name__})")
    return obj


def _from_entry_points(problems: list[str]) -> list[PluginInfo]:
    from importlib.metadata import entry_points

    out = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        pkg = f" (package {dist.name} {dist.version})" if dist is not None else ""
        source = f"entry point {ep.name!r} = {ep.value!r}{pkg}"
        try:
            plugin = load_locator(f"entry:{ep.value}")
        except PluginLoadError as e:
            problems.append(f"plugin from {source} failed to load: {e}")
            continue
        if plugin.id != ep.name:
            problems.append(f"{source} defines plugin id {plugin.id!r}; the entry point name must equal the id")
            continue
        out.append(PluginInfo(plugin.id, source, plugin, f"entry:{ep.value}", "entry_point"))
    return out


def _from_folder(folder: Path, origin: str, problems: list[str]) -> list[PluginInfo]:
    """Each `*.py` not starting with `_`, or sub-folder with `__init__.py`, defining `plugin`."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.is_dir() and (path / "__init__.py").is_file():
            target = path / "__init__.py"
        elif path.is_file() and path.suffix == ".py":
            target = path
        else:
            continue
        source = f"{'built-in ' if origin == 'builtin' else ''}{path}"
        try:
            plugin = load_locator(f"file:{target}")
        except PluginLoadError as e:
            problems.append(f"plugin {path} failed to load: {e}")
            continue
        out.append(PluginInfo(plugin.id, source, plugin, f"file:{target}", origin))
    return out


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
