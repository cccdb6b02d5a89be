"""The learner's keymap from prefs.json: which entries apply, and what is wrong with the others."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, _character_to_key, key_to_character

from studyml.prefs import Prefs
from studyml.tui.i18n import tr

_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
# Every key Textual names (ctrl+@, shift+tab…), and those without a modifier (f5, escape, pageup, space, slash…); a
# single character is a key as it is, and so is a character's Unicode name in Textual's form (question_mark).
_KEYS = {k.value for k in Keys if not k.value.startswith("<")}
_NAMED = {k for k in _KEYS if "+" not in k} | set(KEY_NAME_REPLACEMENTS.values())


def binding_owners() -> dict[str, set[str]]:
    """Every binding id of the app, its screens and its widgets, with the classes that declare it."""
    import studyml.tui.screens as screens
    import studyml.tui.widgets as widgets
    from studyml.tui.app import StudyApp

    for pkg in (screens, widgets):
        for mod in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
    classes: set[type] = {StudyApp}
    todo: list[type] = [DOMNode]
    while todo:
        subclasses: list[type] = todo.pop().__subclasses__()
        for sub in subclasses:
            todo.append(sub)
            if sub.__module__.startswith("studyml.tui"):
                classes.add(sub)
    owners: dict[str, set[str]] = {}
    for cls in classes:
        for b in cls.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding) and b.id:
                owners.setdefault(b.id, set()).add(cls.__qualname__)
    return owners


def is_key(key: str) -> bool:
    """Whether Textual can ever report this key: `f`, `F`, `5`, `f5`, `ctrl+f`, `space`, `question_mark`…"""
    if key.strip() in _KEYS:  # exactly a key Textual names (ctrl+@ among them)
        return True
    *modifiers, base = key.strip().split("+")
    if not base or any(m not in _MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:  # with a modifier, Textual names a punctuation key (ctrl+slash), never ctrl+/
        return base.isalnum() if modifiers else base.isprintable() and not base.isspace()
    if base in _NAMED:
        return True
    # A character's name as Textual writes it (question_mark), not any Unicode name or case (Escape, solidus,
    # latin_capital_letter_a): those were accepted, and the binding then never fired.
    character = key_to_character(base)
    return character is not None and _character_to_key(character) == base


def checked_keymap(prefs: Prefs, lang: str) -> tuple[dict[str, str], list[str]]:
    """The entries of the learner's keymap that apply, and a message for each one that does not (ignored)."""
    if prefs.unreadable:
        return {}, [tr("keymap.unreadable", lang, error=prefs.unreadable)]
    problems = [
        tr("keymap.not_table", lang, value=repr(value))
        if not binding_id
        else tr("keymap.not_text", lang, id=binding_id, value=repr(value))
        for binding_id, value in prefs.keymap_problems
    ]
    if not prefs.keymap:
        return {}, problems
    known = binding_owners()
    applied: dict[str, str] = {}
    for binding_id, keys in prefs.keymap.items():
        if binding_id not in known:
            problems.append(tr("keymap.unknown_id", lang, id=binding_id))
        elif not keys.strip() or not all(is_key(k) for k in keys.split(",")):
            problems.append(tr("keymap.bad_key", lang, id=binding_id, value=repr(keys)))
        else:
            applied[binding_id] = keys
    return applied, problems
