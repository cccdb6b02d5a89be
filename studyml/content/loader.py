"""Load a pack folder: parse every file, validate it strictly, and collect all problems at once."""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from studyml.content.checks import (
    KnownDemos,
    cross_check,
)
from studyml.content.diagnostics import Diagnostic, did_you_mean, format_path
from studyml.content.models import ID_RULE, KINDS, SLUG, Card, Manifest, QuizItem, slugify
from studyml.content.parsecache import ParseCache, is_miss
from studyml.content.yamlsafe import Loaded, YamlError, load, read_text
from studyml.lang import pick

_CARDS = TypeAdapter(Card)
_ITEMS = TypeAdapter(QuizItem)
_CARD_LIST = TypeAdapter(list[Card])
_ITEM_LIST = TypeAdapter(list[QuizItem])


class LazyLoaded(Loaded):
    """Cached data whose node tree (for positions) is parsed from the file only if a diagnostic asks."""

    def __init__(self, data: Any, path: Path) -> None:
        super().__init__(data, None)
        self._path = path
        self._parsed = False

    def position(self, path, key: bool = False):
        if not self._parsed:
            self._parsed = True
            try:
                self.root = load(read_text(self._path)).root
            except (OSError, YamlError):
                self.root = None
        return super().position(path, key)


@dataclass
class Located:
    """Where a value sits: a file and the positions of everything in it."""

    file: str
    loaded: Loaded
    prefix: tuple[str | int, ...] = ()

    def at(self, *parts: str | int, key: bool = False) -> tuple[int, int]:
        """(line, col) of the value at the path, or of its nearest parent that exists."""
        path = tuple(parts)
        if key:
            found = self.loaded.position(path, key=True)
            if found:
                return found
        while path:
            found = self.loaded.position(path)
            if found:
                return found
            path = path[:-1]
        return self.loaded.position(()) or (1, 1)

    def diag(
        self, parts: tuple[str | int, ...], message: str, severity: str = "error", key: bool = False
    ) -> Diagnostic:
        line, col = self.at(*parts, key=key)
        return Diagnostic(self.file, line, col, format_path(self.prefix + parts), message, severity)  # type: ignore[arg-type]


@dataclass
class Pack:
    """A pack that loaded without errors."""

    root: Path
    manifest: Manifest
    cards: list[Card]
    items: list[Any]

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    def tag_name(self, tag: str, lang: str) -> str:
        """The tag's name in `lang` (pack.yaml `tags:`), else in English, else its id."""
        return pick(self.manifest.tags.get(tag), lang) or tag

    def card(self, card_id: str) -> Card | None:
        return self._cards_by_id().get(card_id)

    def items_for(self, card_id: str) -> list[Any]:
        return [i for i in self.items if i.card == card_id]

    def _cards_by_id(self) -> dict[str, Card]:
        cache = self.__dict__.get("_by_id")
        if cache is None:
            cache = self.__dict__["_by_id"] = {c.id: c for c in self.cards}
        return cache


@dataclass
class PackResult:
    """The outcome of loading one pack folder: the pack when valid, and every diagnostic."""

    path: Path
    pack: Pack | None
    manifest: Manifest | None
    diagnostics: list[Diagnostic]
    source: str = "local"
    label: str | None = None  # what to call it when it has no manifest and its folder name says nothing (see library)
    # The cards and items read valid, in a pack that may not be (an invalid pack said "0 cards, 0 quiz items" for 138
    # cards and one bad item): what the summary counts.
    read: tuple[list, list] = field(default_factory=lambda: ([], []))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.pack is not None


@contextmanager
def _gc_paused():
    """Loading builds many small objects and no garbage cycles; CPython's collector would rescan them
    over and over (it tripled load time on a 10,000-card pack), so it waits until the pack is built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_pack(
    root: Path,
    *,
    known_demos: KnownDemos = None,
    display_root: Path | None = None,
    source: str = "local",
    cache: bool = True,
) -> PackResult:
    """Load and validate the pack in folder `root` (see `_load_pack`); `cache` reuses earlier parses."""
    root = Path(root)
    parse_cache = ParseCache(root) if cache and root.is_dir() else None
    with _gc_paused():
        result = _load_pack(root, known_demos, display_root, source, parse_cache)
    if parse_cache is not None:
        parse_cache.save()
    return result


def read_manifest(root: Path) -> Manifest | None:
    """The pack's manifest alone (id, version, title), or None when pack.yaml is missing or invalid.

    For what needs only a pack's id and version (is an install replacing a built-in pack?): a whole load
    checks every card and item, about 0.15 s for the built-in packs, on each install."""
    path = Path(root) / "pack.yaml"
    if not path.is_file():
        return None
    diags: list[Diagnostic] = []
    located = _read(path, str(path), diags)
    if located is None or not isinstance(located.loaded.data, dict):
        return None
    return _validate_one(Manifest, located.loaded.data, located, (), diags)


def _load_pack(
    root: Path, known_demos: KnownDemos, display_root: Path | None, source: str, parse_cache: ParseCache | None = None
) -> PackResult:
    """Load and validate the pack in folder `root`.

    `known_demos`: plugin ids that exist; None skips the check (an unknown id is a warning).
    `display_root`: file names in diagnostics are shown relative to it's parent (default: root's parent).
    """
    root = Path(root)
    shown = Path(display_root) if display_root is not None else root
    diags: list[Diagnostic] = []

    def name(p: Path) -> str:
        try:
            return str(shown / p.relative_to(root))
        except ValueError:
            return str(p)

    manifest_path = root / "pack.yaml"
    if not root.is_dir():
        return PackResult(
            root,
            None,
            None,
            [Diagnostic(str(shown), 1, 1, "", "not a folder: a pack is a folder (or .zip) holding pack.yaml")],
            source,
        )
    alt = root / "pack.yml"
    if not manifest_path.is_file():
        if alt.exists():
            problem = Diagnostic(name(alt), 1, 1, "", "not read: pack files end in .yaml; rename it to pack.yaml")
        else:
            problem = Diagnostic(
                name(manifest_path),
                1,
                1,
                "",
                "missing pack.yaml; write one here (its keys are in docs/packs.md), or copy the one `studyml pack new NEW-DIR` writes in a new folder",
            )
        return PackResult(root, None, None, [problem], source)
    if alt.exists():  # read neither way: an author who edits it would see nothing change
        diags.append(
            Diagnostic(
                name(alt), 1, 1, "", "not read: the manifest is pack.yaml; move what this holds there and delete it"
            )
        )

    manifest: Manifest | None = None
    located = _read(manifest_path, name(manifest_path), diags, cache=parse_cache)
    if located is not None:
        if not isinstance(located.loaded.data, dict):
            diags.append(located.diag((), "pack.yaml must be a mapping of keys such as id, version, title"))
        else:
            manifest = _validate_one(Manifest, located.loaded.data, located, (), diags)

    cards: list[tuple[Card, Located, tuple]] = []
    items: list[tuple[Any, Located, tuple]] = []
    # Ids of entries that failed validation still exist as far as references go; a file that did not
    # parse at all makes every reference uncheckable. Either way no cascade of "no card" errors.
    raw_card_ids: set[str] = set()
    cards_complete = True
    raw_tags: set[str] = set()  # tags written on any entry, valid or not: a name for one of them is not unused
    tags_complete = True  # every card and quiz file read: only then can a tag be said to be unused
    for folder, adapter, batch, out, label in (
        ("cards", _CARDS, _CARD_LIST, cards, "cards"),
        ("quizzes", _ITEMS, _ITEM_LIST, items, "quizzes"),
    ):
        paths, unread = _yaml_files(root / folder, name, diags)
        if unread:  # a card file refused unread (a .yml, a link): what it holds is not known, as for a broken one
            cards_complete &= folder != "cards"
            tags_complete = False
        for path in paths:
            loc = _read(path, name(path), diags, prefix=(label,), cache=parse_cache)
            if loc is None:
                cards_complete &= folder != "cards"
                tags_complete = False
                continue
            data = loc.loaded.data
            if data is None or data == []:  # a file just created, or emptied: say so, it may be a mistake
                what = "cards" if folder == "cards" else "quiz items"
                diags.append(
                    loc.diag(
                        (),
                        f"the file holds no {what}; add them as a YAML list "
                        "(each entry starts with '- ') or delete the file",
                        "warning",
                    )
                )
                continue
            if not isinstance(data, list):
                diags.append(loc.diag((), f"a file in {folder}/ must be a YAML list (each entry starts with '- ')"))
                cards_complete &= folder != "cards"
                tags_complete = False
                continue
            raw_tags.update(
                t
                for e in data
                if isinstance(e, dict) and isinstance(e.get("tags"), list)
                for t in e["tags"]
                if isinstance(t, str)
            )
            if folder == "cards":
                raw_card_ids.update(e["id"] for e in data if isinstance(e, dict) and isinstance(e.get("id"), str))
            try:  # the whole file at once (fast path); entry by entry only to report errors
                out.extend((obj, loc, (i,)) for i, obj in enumerate(batch.validate_python(data)))
                continue
            except ValidationError:
                pass
            for i, entry in enumerate(data):
                obj = _validate_one(adapter, entry, loc, (i,), diags)
                if obj is not None:
                    out.append((obj, loc, (i,)))

    if manifest is not None:
        diags.extend(
            cross_check(
                manifest,
                located,
                cards,
                items,
                known_demos,
                raw_card_ids if cards_complete else None,
                raw_tags if tags_complete else None,
            )
        )

    pack = None
    if manifest is not None and not any(d.severity == "error" for d in diags):
        pack = Pack(root, manifest, [c for c, _, _ in cards], [it for it, _, _ in items])
    read = ([c for c, _, _ in cards], [it for it, _, _ in items])
    return PackResult(root, pack, manifest, sorted(diags, key=_order), source, read=read)


def _order(d: Diagnostic):
    return (d.file, d.line, d.col, d.message)


def _yaml_files(folder: Path, name, diags: list[Diagnostic]) -> tuple[list[Path], bool]:
    """The .yaml files to read in `folder`, and whether a pack file was refused unread (its errors are said):
    then the ids its entries would give are unknown, and "no card 'dropout'" for each would be a cascade."""
    if not folder.is_dir():
        return [], False
    files = []
    unread = False
    for p in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue  # hidden: editors' lock files and links (.#x.yaml), swap files, .git
        if p.is_symlink():
            unread = True
            diags.append(
                Diagnostic(name(p), 1, 1, "", "symbolic links are not followed in packs; copy the file instead")
            )
        elif p.is_file() and p.suffix == ".yaml":
            files.append(p)
        elif p.is_file() and p.suffix.lower() in (".yml", ".yaml"):  # one spelling, as for pack.yaml: never half-read
            unread = True
            diags.append(
                Diagnostic(name(p), 1, 1, "", f"not read: pack files end in .yaml; rename it to {p.stem}.yaml")
            )
        elif p.is_file():
            # Said as what to do: under --strict it stops an install, and "ignored" read as harmless.
            diags.append(
                Diagnostic(
                    name(p),
                    1,
                    1,
                    "",
                    f"not read: only .yaml files are read in {folder.name}/; move it out of the folder",
                    "warning",
                )
            )
    return files, unread


def _read(
    path: Path, shown: str, diags: list[Diagnostic], prefix: tuple = (), cache: ParseCache | None = None
) -> Located | None:
    try:
        if cache is not None:
            stat = path.stat()
            data = cache.get(path, stat)
            if not is_miss(data):
                return Located(shown, LazyLoaded(data, path), prefix)
            loaded = load(read_text(path))
            cache.put(path, stat, loaded.data)
            return Located(shown, loaded, prefix)
        return Located(shown, load(read_text(path)), prefix)
    except YamlError as e:
        where = format_path(prefix + e.path) if e.path is not None else ""  # None: the whole file (its size)
        diags.append(Diagnostic(shown, e.line, e.col, where, e.message))
    except OSError as e:
        diags.append(Diagnostic(shown, 1, 1, "", f"cannot read: {e.strerror}"))
    return None


def _validate_one(model, data: Any, loc: Located, base: tuple, diags: list[Diagnostic]):
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data)
        return model.model_validate(data)
    except ValidationError as e:
        found = [(_from_pydantic(err, data, loc, base, model), _real_path(err["loc"], data)[2]) for err in e.errors()]
        # A key that is wrong says so; its value's own error at the same path would only point elsewhere
        # (`{en: max(0, x), …}`: "'x)' is not a language code", then "x): expected text, got nothing").
        bad_keys = {d.path for d, is_key in found if is_key}
        diags += [d for d, is_key in found if is_key or d.path not in bad_keys]
        return None


def _from_pydantic(err: ErrorDetails, data: Any, loc: Located, base: tuple, model) -> Diagnostic:
    """Turn one pydantic error into a diagnostic at the right place with an actionable message."""
    parts, node, is_key = _real_path(err["loc"], data)
    etype, given = err["type"], err.get("input")
    key = False
    if etype == "extra_forbidden":
        allowed = _allowed_keys(model, data, parts)
        owners = _kinds_with_key(parts[-1]) if len(parts) == 1 and isinstance(data, dict) and "kind" in data else []
        if owners:  # a key of another kind: `ranges` on a numeric item was "did you mean 'tags'?"
            msg = f"`{parts[-1]}` is for {' and '.join(owners)} items, not {data['kind']}"
        else:
            msg = f"unknown key {parts[-1]!r}{did_you_mean(str(parts[-1]), allowed)}"
            if allowed:
                msg += f" (allowed here: {', '.join(allowed)})"
        key = True
    elif etype == "missing":
        msg = f"missing required key {parts[-1]!r}"
        if parts[-1] == "tolerance":  # what to write: the numeric item's own doc is far from the error
            msg += " (how far from the answer still counts: `tolerance: {abs: 0.01}` or `tolerance: {rel: 0.05}`)"
        line, col = loc.at(*(base + parts[:-1]))  # shown where the key belongs: at its parent
        return Diagnostic(loc.file, line, col, format_path(loc.prefix + base + parts), msg)
    elif etype == "union_tag_invalid":
        ctx = err.get("ctx", {})
        msg = f"unknown quiz kind {ctx.get('tag')!r}; use one of {', '.join(KINDS)}"
        parts = parts + ("kind",)
    elif etype == "union_tag_not_found":
        msg = f"missing required key 'kind' (one of {', '.join(KINDS)})"
        line, col = loc.at(*(base + parts))
        return Diagnostic(loc.file, line, col, format_path(loc.prefix + base + parts + ("kind",)), msg)
    elif etype in (
        "string_type",
        "float_type",
        "int_type",
        "bool_type",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
    ):
        want = {
            "string_type": "text",
            "float_type": "a number",
            "int_type": "a whole number",
            "bool_type": "true or false",
            "list_type": "a list",
            "dict_type": "a mapping",
            "model_type": "a mapping",
            "model_attributes_type": "a mapping",
        }[etype]
        msg = f"expected {want}, got {_describe(given)}"
        if etype == "string_type" and isinstance(given, (int, float)) and parts[-1:] == ("version",):
            # `version: 1.0` read as a number; quoted, '1.0' was then refused as not semantic: one round, not two
            msg += " — write a semantic version in quotes, such as '1.0.0'"
        elif etype == "string_type" and isinstance(given, (bool, int, float)):
            msg += " — put it in quotes"
        elif etype == "string_type" and given is None:  # `en:` with nothing, or `en: #1 …`, where # starts a comment
            msg += " — write the text after the ':'; a text that starts with '#' must be in quotes ('#1 …')"
        if (
            etype in ("dict_type", "model_type")
            and isinstance(given, str)
            and parts
            and parts[-1] in ("title", "front", "back", "prompt", "explanation", "description")
        ):
            msg += " — write one text per language, e.g. {en: ..., ko: ...}"
        elif etype in ("dict_type", "model_type") and parts and parts[-1] == "tolerance" and given is not None:
            if isinstance(given, (int, float, str)) and not isinstance(given, bool):  # `tolerance: 0.1`
                msg += f" — write {{abs: {given}}} (an absolute margin) or {{rel: {given}}} (a fraction of the answer)"
        elif etype in ("dict_type", "model_type") and parts and parts[-1] == "unit" and isinstance(given, str):
            msg += f" — write one text per language, e.g. {{en: {given}, ko: ...}}"  # `unit: pixels`
    elif etype == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if "a-z][a-z0-9]*(-" in pattern:
            msg = f"{given!r} is not a valid id: use {ID_RULE}"
            fixed = slugify(str(given))
            if re.fullmatch(SLUG, fixed) and fixed != given:
                msg += f", e.g. {fixed!r}"
        elif "{2,3}" in pattern:
            msg = f"{given!r} is not a language code such as 'en' or 'ko'"
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,8}", str(given)):  # `{en: max(0, x), …}`: the ',' ended the text
                msg += (
                    "; inside { }, a ',' ends a text: if this is the end of the text before it, quote that text ('…')"
                )
        elif "[A-Za-z0-9_]{0,31}" in pattern:  # expr symbols and template param names
            msg = f"{given!r} is not a valid name: a letter, then letters, digits or '_'; at most 32 characters"
        elif "{1,16}" in pattern:  # choice keys
            msg = f"{given!r} is not a valid choice key: 1 to 16 of A-Z, a-z, 0-9, '_' and '-'"
        elif "AND|OR|WITH" in pattern:
            msg = f"{given!r} is not an SPDX licence id such as CC-BY-4.0 or MIT (or 'MIT OR Apache-2.0')"
        else:
            msg = f"{given!r} does not have the expected form"
    elif etype in ("too_short", "too_long") and err.get("ctx", {}).get("field_type") in ("List", "Dictionary"):
        # pydantic's "dictionary should have at least 2 items after validation" says neither what nor how
        ctx = err["ctx"]
        what = parts[-1] if parts and isinstance(parts[-1], str) else "entries"
        bound = f"at least {ctx['min_length']}" if etype == "too_short" else f"at most {ctx['max_length']}"
        msg = f"`{what}` needs {bound} {'entry' if bound.endswith(' 1') else 'entries'}, it has {ctx['actual_length']}"
        if etype == "too_short" and what in ("choices", "steps"):
            msg += f"; add {'choices' if what == 'choices' else 'steps'} or use another kind of item"
    elif etype == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
    else:
        msg = err["msg"][0].lower() + err["msg"][1:]
    return loc.diag(base + parts, msg, key=key or is_key)


def _real_path(pyd_loc: tuple, data: Any) -> tuple[tuple, Any, bool]:
    """Map pydantic's loc onto the data, dropping union tags and '[key]' markers."""
    parts: list[str | int] = []
    node = data
    is_key = False
    for p in pyd_loc:
        if p == "[key]":
            is_key = True
            continue
        if isinstance(node, dict):
            if p in node:
                parts.append(p)
                node = node[p]
            elif node.get("kind") == p or p in ("function-after", "function-before"):
                continue  # discriminator tag / validator wrapper, not a key
            else:
                parts.append(p)  # a missing or extra key
                node = None
        elif isinstance(node, list) and isinstance(p, int) and p < len(node):
            parts.append(p)
            node = node[p]
        elif (
            isinstance(p, str)
            and not isinstance(node, (dict, list))
            and p in ("str", "int", "float", "bool", "list[...]", "dict[...]")
        ):
            continue  # union member names
        else:
            parts.append(p)
            node = None
    return tuple(parts), node, is_key


def _kinds_with_key(key: Any) -> list[str]:
    """The quiz kinds whose items take `key` (none: a key no item has)."""
    from studyml.content import models as m

    return [kind for kind, cls in m.ITEM_BY_KIND.items() if key in cls.model_fields]


def _allowed_keys(model, data: Any, parts: tuple) -> list[str]:
    """The keys the model accepts where an unknown key was found (best effort)."""
    from studyml.content import models as m

    node = data
    cls: Any = None
    if isinstance(model, TypeAdapter):
        if isinstance(data, dict) and "kind" in data:
            kind = data["kind"]
            cls = m.ITEM_BY_KIND.get(kind) if isinstance(kind, str) else None
        elif model is _CARDS:
            cls = m.Card
    else:
        cls = model
    for p in parts[:-1]:
        if cls is None:
            return []
        if isinstance(p, int):  # an entry of a list: the list's model (`sources[0].rf` was said without the keys)
            node = node[p] if isinstance(node, list) and p < len(node) else None
            continue
        field = getattr(cls, "model_fields", {}).get(p) if isinstance(p, str) else None
        if field is None:
            return []
        cls = _model_in(field.annotation)
        node = node.get(p) if isinstance(node, dict) else None
    return list(getattr(cls, "model_fields", {}).keys()) if cls is not None else []


def _model_in(annotation) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for a in typing.get_args(annotation):
        found = _model_in(a)
        if found is not None:
            return found
    return None


def _describe(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, str):
        return f"text {v[:40]!r}"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__
