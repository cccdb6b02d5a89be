"""The files of an existing pack that `pack import` reads (as `pack validate` reads them) and writes back losing nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from studyml.content.diagnostics import Diagnostic, format_path
from studyml.content.yamlsafe import Loaded, YamlError, dump, load, read_text

TEXTS = ("title", "front", "back")  # the texts of a card that an import writes


class ReimportError(Exception):
    """A file of the pack cannot be updated without losing what it holds; the message says where and what to do."""


def _refuse(file: Path, line: int, col: int, path: tuple, message: str) -> ReimportError:
    pack = file.parent if file.name == "pack.yaml" else file.parent.parent  # pack.yaml, or cards/NAME.yaml
    advice = f"; fix it (`studyml pack validate {pack}` lists every problem) and import again: nothing was written"
    return ReimportError(str(Diagnostic(str(file), line, col, format_path(path), message + advice)))


def _read(file: Path, prefix: tuple) -> tuple[str, Loaded]:
    try:
        text = read_text(file)
        return text, load(text)
    except YamlError as e:
        raise _refuse(file, e.line, e.col, prefix + e.path if e.path is not None else (), e.message) from None
    except OSError as e:
        raise ReimportError(f"{file}: cannot read: {e.strerror}") from None


def pack_languages(manifest: Path) -> list[str] | None:
    """The `languages` listed in an existing pack.yaml; None when there is no pack.yaml or no such list in it."""
    if not manifest.exists():
        return None
    data = _read(manifest, ())[1].data
    languages = data.get("languages") if isinstance(data, dict) else None
    if isinstance(languages, list) and languages and all(isinstance(code, str) for code in languages):
        return languages
    return None


def add_languages(manifest: Path, codes: list[str]) -> None:
    """Add `codes` to the `languages` list of an existing pack.yaml, in place, keeping everything else as the author
    wrote it (comments, order, quoting, a byte order mark): a re-import with `--languages en,ko` left
    `languages: [en]` and said nothing of the Korean texts to write. The new text is read back before it is written:
    a list this cannot extend is refused (ReimportError) with what to write, and the file is left as it was."""
    from studyml.fsutil import atomic_write_text

    raw, loaded = _read(manifest, ())
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    text = raw[len(bom) :]  # as load() read it: the positions below are in this text
    node = next((v for k, v in getattr(loaded.root, "value", []) if getattr(k, "value", None) == "languages"), None)
    items = getattr(node, "value", None)
    if node is None or not codes or not isinstance(items, list) or not items:
        return
    last = items[-1]
    if node.flow_style:  # `languages: [en]`, `[en,]`, one item a line: right after the last item
        at = last.end_mark.index
        text = text[:at] + "".join(f", {code}" for code in codes) + text[at:]
    else:  # `- en` lines: after the last one, indented alike
        line_start = text.rfind("\n", 0, last.start_mark.index) + 1
        dash = text.index("-", line_start)
        end = text.find("\n", last.end_mark.index)
        end = len(text) if end < 0 else end
        newline = "\r\n" if text[end - 1 : end] == "\r" else "\n"
        end -= newline == "\r\n"
        lines = "".join(f"{newline}{text[line_start:dash]}- {code}" for code in codes)
        text = text[:end] + lines + text[end:]
    try:
        after = load(text).data
    except YamlError:
        after = None
    if not isinstance(after, dict) or after.get("languages") != [*loaded.data["languages"], *codes]:
        raise ReimportError(
            f"{manifest}: cannot add {', '.join(codes)} to its `languages:` list as written; add "
            f"{', '.join(codes)} there yourself and import again (nothing was written)"
        )
    atomic_write_text(manifest, bom + text)


@dataclass
class CardFile:
    """A card file of the pack as it is on disk (empty when there is none): its text, nodes and entries."""

    path: Path
    text: str = ""
    loaded: Loaded | None = None
    entries: list[Any] = field(default_factory=list)


def read_cards(path: Path) -> CardFile:
    """The card file an import updates, refused with where to fix it when writing it back could lose what it holds."""
    if path.is_symlink():  # `pack validate` does not follow it, and writing through it would change another file
        raise _refuse(path, 1, 1, (), "a symbolic link: packs do not follow them; put the file itself there")
    if not path.exists():
        return CardFile(path)
    text, loaded = _read(path, ("cards",))
    text = text.removeprefix("\ufeff")  # as `load` reads it: positions count from after the mark
    if loaded.data is None:
        return CardFile(path, text, loaded)
    if not isinstance(loaded.data, list):  # writing the imported cards would replace whatever it holds
        raise _refuse(path, 1, 1, (), "a file in cards/ must be a YAML list (each entry starts with '- ')")
    return CardFile(path, text, loaded, list(loaded.data))


def check_texts(cards: CardFile, index: int) -> None:
    """An entry the import updates must hold its texts as {lang: text}: replacing text written otherwise loses it."""
    entry = cards.entries[index]
    for key in TEXTS:
        if entry.get(key) is not None and not isinstance(entry[key], dict):
            at = cards.loaded.position((index, key)) if cards.loaded else None
            line, col = at or (1, 1)
            raise _refuse(
                cards.path, line, col, ("cards", index, key), "expected one text per language, e.g. {en: ..., ko: ...}"
            )


def write_cards(cards: CardFile, entries: list[Any], changed: set[int], header: str) -> None:
    """Write `entries` (the file's entries, `changed` ones replaced, then new ones) keeping the author's comments,
    except those inside a changed entry; a file laid out otherwise (a `[...]` list) is written anew after `header`."""
    text = _spliced(cards, entries, changed)
    if text is None:
        text = header + dump(entries)
    cards.path.parent.mkdir(parents=True, exist_ok=True)
    cards.path.write_text(text, encoding="utf-8", newline="")  # as read: the line ends are in `text`


def _spliced(cards: CardFile, entries: list[Any], changed: set[int]) -> str | None:
    """The file's text with each changed entry's lines replaced and the new entries added at its end; None unless it
    reads back as exactly `entries` (then the caller writes the file anew)."""
    if cards.loaded is None:  # a new file
        return None
    root = cards.loaded.root
    if root is None:  # nothing but comments, or nothing at all
        nodes, column = [], 0
    elif isinstance(root, yaml.SequenceNode) and not root.flow_style:
        nodes, column = root.value, root.start_mark.column
    else:
        return None
    text, out, pos = cards.text, [], 0
    newline = "\r\n" if "\r\n" in text else "\n"  # the file's own line ends, also in the lines written
    for i in sorted(changed):
        start = nodes[i].start_mark.index
        end = len(text[: _last(nodes[i])].rstrip())  # comments and blank lines after the entry stay
        block = _indent(dump(entries[i]).rstrip("\n"), nodes[i].start_mark.column, first=False)
        out += [text[pos:start], block.replace("\n", newline)]
        pos = end
    out.append(text[pos:])
    new = "".join(out)
    if len(entries) > len(nodes):
        new = new if new.endswith("\n") or not new else new + newline
        new += _indent(dump(entries[len(nodes) :]), column, first=True).replace("\n", newline)
    try:
        same = load(new).data == entries
    except YamlError:
        same = False
    return new if same else None


def _last(node: yaml.Node) -> int:
    """Where the node's own text ends: a block collection's end mark lies past the comments that follow it."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style:
        return node.end_mark.index
    children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
    return max((_last(child) for child in children), default=node.end_mark.index)


def _indent(block: str, column: int, first: bool) -> str:
    """`block` moved right by `column`; not its first line unless `first` (an entry's first line follows its '- ')."""
    pad = " " * column
    lines = block.split("\n")
    return "\n".join((pad + line if line and (first or n) else line) for n, line in enumerate(lines))
