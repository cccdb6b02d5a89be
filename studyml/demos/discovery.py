"""Find demo plugins (entry points, the built-in plugins folder, the data dir's plugins folder) and their metadata.

Nothing here imports a plugin: the metadata is read by a worker subprocess (`plugin_meta`) and cached on
disk, keyed by the plugin files' identities, so a warm start runs no subprocess at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from studyml.demos.api import compatibility_problem, version_text
from studyml.lang import count

ENTRY_POINT_GROUP = "studyml.plugins"


class PluginLoadError(Exception):
    """A plugin could not be loaded from its locator."""


@dataclass(frozen=True)
class Candidate:
    """A plugin found on disk or in package metadata, not yet described."""

    locator: str  # "file:<path>" or "entry:<module>:<attr>"; the worker loads the plugin from it
    origin: str  # "entry_point", "builtin" or "user"
    source: str  # human-readable origin, shown in listings and errors
    identity: tuple  # what the cached metadata is valid for
    entry_name: str = ""

    @property
    def name(self) -> str:
        """What to call it in a listing when its metadata (and so its id) could not be read."""
        if self.entry_name:
            return self.entry_name
        path = Path(self.locator.removeprefix("file:"))
        return path.parent.name if path.name == "__init__.py" else path.stem


class BrokenPlugin(TypedDict):
    """A plugin found but not usable: where it came from and why."""

    name: str  # its id; when that could not be read, its file or entry point name
    file: NotRequired[str]  # its file or entry point name
    source: str
    origin: str
    problem: str
    title: NotRequired[dict[str, str]]


class PluginMeta:
    """A plugin as the app and the CLI know it: its metadata (read in a worker), never its code."""

    def __init__(self, meta: dict[str, Any]):
        self.meta = meta
        self.id: str = meta["id"]
        self.title: dict[str, str] = dict(meta.get("title") or {})
        self.summary: dict[str, str] = dict(meta.get("summary") or {})
        self.api_version: str = version_text(meta.get("api_version"))  # absent: an API 1.0 plugin
        self.tags = tuple(meta.get("tags") or ())
        self.expected_seconds = float(meta.get("expected_seconds", 5.0))
        self.claims: list[dict[str, Any]] = list(meta.get("claims") or [])
        self.fields: list[dict[str, Any]] = list(meta.get("fields") or [])
        self.metrics: list[dict[str, Any]] = list(meta.get("metrics") or [])
        self.plots: list[dict[str, Any]] = list(meta.get("plots") or [])
        self.estimate: str | None = meta.get("estimate")
        self.checks: list[dict[str, Any]] = list(meta.get("checks") or [])

    def check(self, check_id: str) -> dict[str, Any]:
        """The plugin check `check_id` as its metadata lists it (as Plugin.check); LookupError when absent."""
        for c in self.checks:
            if c.get("id") == check_id:
                return c
        known = ", ".join(str(c.get("id")) for c in self.checks) or "none"
        raise LookupError(f"plugin {self.id!r} has no check {check_id!r} (its checks: {known})")

    @cached_property
    def default_seconds(self) -> float:
        """The run time to expect with the defaults: the plugin's estimate formula over them, else
        `expected_seconds`. What every listing shows, so the list and the demo's own page agree."""
        from studyml.demos.estimate import for_plugin

        return for_plugin(self, {f["name"]: f.get("default") for f in self.fields if "name" in f})

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in self.meta.items() if k != "fields"} | {"default_seconds": self.default_seconds}


@dataclass(frozen=True)
class PluginInfo:
    """A discovered plugin: its id, where it came from, and its metadata."""

    id: str
    source: str
    plugin: PluginMeta
    locator: str = ""
    origin: str = ""

    @property
    def compatible(self) -> bool:
        return compatibility_problem(self.plugin.api_version) is None


@dataclass
class Registry:
    """Result of discovery: runnable plugins by id, plus everything that went wrong."""

    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    incompatible: dict[str, PluginInfo] = field(default_factory=dict)
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # id -> every source defining it
    broken: list[BrokenPlugin] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    subprocesses: int = 0  # metadata reads this discovery needed (0 on a warm cache)

    def get(self, plugin_id: str) -> PluginInfo:
        """The runnable plugin with this id, or a LookupError explaining why there is none."""
        if plugin_id in self.plugins:
            return self.plugins[plugin_id]
        if plugin_id in self.duplicates:
            raise LookupError(duplicate_message(plugin_id, self.duplicates[plugin_id]))
        if plugin_id in self.incompatible:
            raise LookupError(incompatible_message(self.incompatible[plugin_id]))
        broken = self.broken_named(plugin_id)
        if broken is not None:
            raise LookupError(broken_message(plugin_id, broken))
        raise LookupError(self.unknown_message(plugin_id))

    def broken_named(self, plugin_id: str) -> BrokenPlugin | None:
        """The broken plugin this id names: by its id (as its source declares it, when its import failed), or by
        its file or entry point name."""
        for key in ("name", "file"):  # its id first: a file named like another plugin's id must not take it
            for b in self.broken:
                name = str(b.get(key, b["name"]))
                if plugin_id in (name, name.replace("_", "-")):
                    return b
        return None

    def unknown_message(self, *plugin_ids: str) -> str:
        """What to say of ids no plugin has: the ids there are, and the plugins that could not be read at all,
        one of which may be the one meant."""
        known = ", ".join(sorted(self.plugins)) or "none"
        text = f"no demo plugin with id {', '.join(map(repr, plugin_ids))} (known: {known})"
        if self.broken:
            names = ", ".join(f"{b['name']} ({b['source']})" for b in self.broken)
            text += f"; {count(len(self.broken), 'plugin')} could not be loaded: {names}; `studyml demo list` says why"
        return text


def broken_message(plugin_id: str, broken: BrokenPlugin) -> str:
    return f"plugin {plugin_id!r} ({broken['source']}) cannot run: {broken['problem']}; fix it, then check with `studyml demo list`"


def duplicate_message(plugin_id: str, sources: list[str]) -> str:
    return f"duplicate plugin id {plugin_id!r}: defined by {' and by '.join(sources)}; remove or rename one"


def incompatible_message(info: PluginInfo) -> str:
    return f"plugin {info.id!r} ({info.source}) {compatibility_problem(info.plugin.api_version)}"


def discover(
    *,
    entry_points: bool = True,
    builtin_dir: Path | None = None,
    user_dir: Path | None = None,
    use_cache: bool = True,
) -> Registry:
    """Every plugin's metadata: from the on-disk cache, or read by a worker subprocess for what changed."""
    from studyml import paths
    from studyml.demos import plugin_meta

    registry = Registry()
    candidates: list[Candidate] = []
    if entry_points:
        candidates += _from_entry_points()
    candidates += _from_folder(builtin_dir or paths.builtin_plugins_dir(), "builtin")
    candidates += _from_folder(user_dir or paths.plugins_dir(), "user")

    records, registry.subprocesses = plugin_meta.read(candidates, use_cache=use_cache)
    found: list[PluginInfo] = []
    failed: list[BrokenPlugin] = []  # could not be imported: known by the id their source declares, if any
    for cand in candidates:
        rec = records[cand.locator]
        if not rec.get("ok"):
            what = (
                f"plugin from {cand.source}"
                if cand.origin == "entry_point"
                else f"plugin {cand.source.removeprefix('built-in ')}"
            )
            problem = str(rec.get("problem", "unknown problem"))
            declared = rec.get("declared_id")
            failed.append(
                {
                    "name": declared if isinstance(declared, str) and declared else cand.name,
                    "file": cand.name,
                    "source": cand.source,
                    "origin": cand.origin,
                    "problem": problem,
                }
            )
            registry.problems.append(f"{what} failed to load: {problem}")
            continue
        meta = rec["meta"]
        if cand.origin == "entry_point" and meta["id"] != cand.entry_name:
            # Listed, and run by neither name: the app lists entry points by name without running them, so a name
            # that is not the id would list a demo under one id and run it under another.
            problem = (
                f"it defines plugin id {meta['id']!r}, but its entry point is named {cand.entry_name!r}: the entry "
                f"point name must equal the id (rename one in the package's pyproject.toml or the plugin)"
            )
            registry.broken.append(
                {
                    "name": meta["id"],
                    "file": cand.entry_name,
                    "source": cand.source,
                    "origin": cand.origin,
                    "problem": problem,
                    "title": meta.get("title") or {},
                }
            )
            registry.problems.append(f"plugin {meta['id']!r} ({cand.source}): {problem}")
            continue
        if meta.get("broken"):
            registry.broken.append(
                {
                    "name": meta["id"],
                    "source": cand.source,
                    "origin": cand.origin,
                    "problem": meta["broken"],
                    "title": meta.get("title") or {},
                }
            )
            registry.problems.append(f"plugin {meta['id']!r} ({cand.source}): {meta['broken']}")
            continue
        found.append(PluginInfo(meta["id"], cand.source, PluginMeta(meta), cand.locator, cand.origin))

    taken = {info.id for info in found}
    for b in failed:
        if b["name"] in taken:  # it declares the id of a plugin that loads: listed by its file, saying so
            b["problem"] = f"{b['problem']} (it declares id {b['name']!r}, which {_source_of(found, b['name'])} has)"
            b["name"] = b["file"]
    registry.broken[:0] = failed
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


def _source_of(found: list[PluginInfo], plugin_id: str) -> str:
    return next(info.source for info in found if info.id == plugin_id)


def load_locator(locator: str):
    """Import a plugin in *this* process (the worker's job; kept for tests that run plugins in-process)."""
    from studyml.demos import loading

    try:
        return loading.load_locator(locator)
    except loading.PluginLoadError as e:
        raise PluginLoadError(str(e)) from e


def _stat(path: Path) -> list:
    try:
        st = path.stat()
        return [str(path), st.st_size, st.st_mtime_ns]
    except OSError:
        return [str(path), None, None]


def _from_entry_points() -> list[Candidate]:
    """Entry points come from package metadata files: listing them runs no plugin code."""
    from importlib.metadata import entry_points

    out = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        pkg = f" (package {dist.name} {dist.version})" if dist is not None else ""
        identity = (
            "entry",
            ep.name,
            ep.value,
            dist.name if dist else "",
            dist.version if dist else "",
            *_module_files(ep.value),
        )
        out.append(
            Candidate(
                f"entry:{ep.value}", "entry_point", f"entry point {ep.name!r} = {ep.value!r}{pkg}", identity, ep.name
            )
        )
    return out


MAX_PLUGIN_FILES = 500  # a plugin inside a package larger than this is keyed by its version alone


def _module_files(value: str) -> list[tuple]:
    """Path, size and mtime of the source files of an entry point's top-level package, found without importing it.

    An editable install (`pip install -e`, as `demo new` suggests) keeps its version while its files change: keyed
    on the version alone, the cached metadata would describe the plugin as it was when first read.
    """
    from importlib.util import find_spec

    top = value.split(":", 1)[0].strip().split(".", 1)[0]
    try:
        spec = find_spec(top)  # a top-level name: finding it runs none of the package's code
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    files: list[Path] = []
    for where in spec.submodule_search_locations or []:
        for path in Path(where).rglob("*.py"):
            if "__pycache__" not in path.parts:
                files.append(path)
                if len(files) > MAX_PLUGIN_FILES:
                    return []
    if not files and spec.origin and spec.has_location:
        files = [Path(spec.origin)]
    return [tuple(_stat(f)) for f in sorted(files)]


def _from_folder(folder: Path, origin: str) -> list[Candidate]:
    """Each `*.py` not starting with `_`, or sub-folder with `__init__.py`, defining `plugin`."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.is_dir() and (path / "__init__.py").is_file():
            target = path / "__init__.py"
            files = sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        elif path.is_file() and path.suffix == ".py":
            target, files = path, [path]
        else:
            continue
        source = f"{'built-in ' if origin == 'builtin' else ''}{path}"
        out.append(Candidate(f"file:{target}", origin, source, ("file", *[tuple(_stat(f)) for f in files])))
    return out
