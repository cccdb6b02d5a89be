"""Safe YAML loading that keeps the line and column of every value.

Built on libyaml's composer (C speed when available); our own constructor turns nodes into plain
Python values and refuses object tags and alias bombs. Only YAML 1.2 core scalars are resolved, so
`no`, `on`, `yes` and dates stay strings instead of silently changing type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser + composer; the pure-Python one behaves the same, only slower
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader

MAX_FILE_BYTES = 8 * 1024 * 1024

Path_ = tuple[str | int, ...]


class YamlError(Exception):
    """A file could not be read as plain YAML; `line`/`col` are 1-based.

    `path` is where in the document the problem is (keys and list indexes), None when it concerns the whole
    file (its size). `node` is the offending node while the document is being built; `load` turns it into a path.
    """

    def __init__(self, message: str, line: int = 1, col: int = 1, path: Path_ | None = None, node: Any = None):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col
        self.path, self.node = path, node


@dataclass
class Loaded:
    """A parsed document and its node tree, kept to find the line and column of any path on demand.

    Positions are looked up only when a diagnostic needs one, so valid packs pay nothing for them.
    """

    data: Any
    root: Any  # yaml.Node | None

    def position(self, path: Path_, key: bool = False) -> tuple[int, int] | None:
        """(line, col), 1-based, of the value at `path` (or of its key), None if the path is absent."""
        node = self.root
        key_node = None
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        key_node, node = k, v
                        break
                else:
                    return None
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                return None
        if node is None:
            return None
        return _pos(key_node if key and key_node is not None else node)


class _Resolver(yaml.resolver.BaseResolver):
    pass


# YAML 1.2 core schema: true/false, null, ints and floats as JSON and YAML 1.2 write them.
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _Loader(_BaseLoader, _Resolver):
    """libyaml parser with our resolver; its constructor is never used."""


_Loader.yaml_implicit_resolvers = _Resolver.yaml_implicit_resolvers

_STR, _INT, _FLOAT, _BOOL, _NULL = (
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
)
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def read_text(path: Path) -> str:
    """Read a file as UTF-8 with size and encoding checks that name the problem."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlError(f"file is {_size(size)}; the limit is {_size(MAX_FILE_BYTES)} — split it into several files")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        line_start = raw.rfind(b"\n", 0, e.start) + 1
        col = len(raw[line_start : e.start].decode("utf-8", errors="replace")) + 1
        where = path_at(raw.decode("utf-8", errors="replace"), line, col)
        raise YamlError(
            f"invalid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8", line, col, where
        ) from None


def _size(n: int) -> str:
    """Bytes as written: rounded, a file just over the limit read "8.0 MiB; the limit is 8.0 MiB"."""
    return f"{n:,} bytes"


# A quoted text closed before its end: a quote right after `key:`, `- `, `[`, `{` or `,`, its closing quote, then
# more text on the line (`front: 'don't panic'`, `en: "say "hi" now"`).
_CLOSED_EARLY = re.compile(r"""(?:^|[:\-\[{,]\s*)(['"])(?:(?!\1).)*\1[^\s#,\]}]""")


def load(text: str) -> Loaded:
    """Parse one YAML document into plain values plus positions."""
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = " ".join(p for p in (e.context, e.problem) if p) or "invalid YAML"
        quoted = bool(e.context) and "quoted scalar" in e.context and e.context_mark is not None
        escape = quoted and "escape" in (e.problem or "")
        if quoted:  # said where the quote opens: the end of the file, or a line far below, was named
            stop = mark.line + 1 if mark else 0
            mark = e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        where = path_at(text, line, col)
        lines = text.splitlines()
        source = lines[line - 1] if 0 < line <= len(lines) else ""  # the error may be past the last line
        above = next((lines[n] for n in range(min(line, len(lines)) - 2, -1, -1) if lines[n].strip()), "")
        if escape:
            msg = (
                f'in the text that starts here in "…", a backslash (line {stop}) starts no escape YAML knows: write '
                "the text in single quotes ('\\frac…'), or each backslash twice; if its closing quote is missing, "
                "add it"
            )
        elif quoted:
            msg = (
                "a quoted text starts here and is not closed; close it with the same quote (inside '…', write ' twice)"
            )
        elif "tab character" in msg or _tab_near(text, line, col):  # the commonest slip of a first pack
            msg += "; indent with spaces: YAML does not allow tabs there"
            # The entry the tab's line belongs to: the last value read before it (`quizzes[2].prompt.ko` for a tab
            # before `symbols:`) named a value the line does not hold.
            first_entry = next((i for i, part in enumerate(where) if isinstance(part, int)), None)
            where = where[: first_entry + 1] if first_entry is not None else ()
        elif re.match(r"\s*(-\s+)?[A-Za-z_][\w-]*:[^\s:/]", above) and (
            "mapping values are not allowed" in msg or "could not find expected ':'" in msg
        ):  # `- id:relu`: one text "id:relu", then the next line's key is where YAML stops
            msg += f"; the line above has no space after its ':' ({above.strip()!r}): a key needs one ('id: relu')"
        elif _CLOSED_EARLY.search(source) and (
            "did not find expected" in msg or "mapping values are not allowed" in msg
        ):  # `front: 'don't panic'`: the quote closed at don', and `t panic'` follows it
            msg += (
                "; a quoted text ends at its next quote, and more follows it on this line: inside '…' write ' "
                'twice (don\'\'t), inside "…" write \\" (or quote the text with the other kind)'
            )
        elif "mapping values are not allowed" in msg and source.count(": ") >= 2:
            msg += "; a text that holds ': ' must be in quotes ('…')"  # `back: Range: what is it?`
        elif "mapping values are not allowed" in msg or "did not find expected key" in msg:
            msg += (
                "; check this line's indentation: the keys of one entry line up under each other, and a key's "
                "own keys are indented under it by the same number of spaces"
            )
        elif any(
            w in msg
            for w in ("scanning an alias", "scanning an anchor", "cannot start any token", "a tag", "undefined alias")
        ):
            # `en: **ReLU** computes…`: markdown bold read as an alias; `@`, a backquote or `!` at the start likewise
            msg += "; a text that starts with '*', '&', '!', '%', '@' or '`' must be in quotes ('**ReLU** …')"
        elif "did not find expected ','" in msg:  # `{en: Range: what is it?, ko: …}`: an unquoted ': ' or ','
            if re.search(r"\{[A-Za-z_]\w*\}", source):  # `{en: E {n}, …}`: a template's placeholder opens a { }
                msg += "; inside { } or [ ], quote a text that holds a placeholder such as {n} ('E {n}')"
            else:
                msg += "; inside { } or [ ], quote a text that holds ': ' or ',' ('…')"
        raise YamlError(f"YAML syntax: {msg}", line, col, where) from None
    except yaml.reader.ReaderError as e:  # a character YAML never allows; its text spans lines and names no line
        line = text.count("\n", 0, e.position) + 1
        col = e.position - text.rfind("\n", 0, e.position)
        what = f"character U+{e.character:04X}" if isinstance(e.character, int) else "character"
        raise YamlError(
            f"YAML syntax: {what} is not allowed in YAML ({e.reason}); delete it (most editors do not show it)",
            line,
            col,
            path_at(text, line, col),
        ) from None
    except yaml.YAMLError as e:
        raise YamlError(f"YAML syntax: {e}", path=()) from None
    finally:
        loader.dispose()
    if node is None:
        return Loaded(None, None)
    if "\\" in text and '"' in text:
        _check_escapes(text, node)
    # A legitimate document builds at most one value per character; more means aliases multiply.
    budget = [len(text) + 100]
    try:
        data = _build(node, budget)
    except YamlError as e:
        if e.node is not None:  # only now, on the error path, find where the node sits
            e.path, e.node = _path_to(node, e.node), None
        raise
    return Loaded(data, node)


# Escapes YAML reads inside "…" that a pack text never means: each leaves an invisible or control character. They
# are what LaTeX written in "…" turns into: `\frac` is a form feed then "rac", `\beta` a backspace then "eta".
_NEVER_MEANT = {
    "a": "a bell character",
    "b": "a backspace",
    "e": "an escape character",
    "f": "a form feed",
    "r": "a carriage return",
    "v": "a vertical tab",
    "0": "a null character",
    "N": "a next-line character (U+0085)",
    "L": "a line separator (U+2028)",
    "P": "a paragraph separator (U+2029)",
    "_": "a no-break space",
}
# `\n` and `\t` are meant as a new line and a tab, except where the letters after them make a LaTeX command.
_LATEX_N_T = re.compile(
    r"n(?:abla|eq?|u|ot(?:in)?|eg|i|[lg]eq|ewline|olimits|ormalsize)"
    r"|t(?:heta|au|imes|ilde|o|op|anh?|ext(?:bf|it|rm|tt|sf|style)?|riangle(?:q|left|right)?|frac|binom|hinspace)"
)
_ESCAPE = re.compile(r"\\(?:(\\)|([A-Za-z_0])([A-Za-z]*))")


def _check_escapes(text: str, root: Any) -> None:
    """Refuse an escape in "…" that turns LaTeX or a typo into a control character (YamlError at the backslash)."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias shares its anchor's node: walked once (an alias bomb stays cheap)
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.style == '"':
            start = node.start_mark.index
            for m in _ESCAPE.finditer(text, start, node.end_mark.index):
                char, letters = m.group(2), m.group(3)
                if char is None or not (char in _NEVER_MEANT or _LATEX_N_T.fullmatch(char + letters)):
                    continue
                written = "'\\" + char + letters + "'"
                read = _NEVER_MEANT.get(char) or ("a new line" if char == "n" else "a tab")
                then = f" then {letters!r}" if letters else ""
                fix = f"\\\\{char}{letters}" if letters else f"\\\\{char}"
                at = m.start()
                line = text.count("\n", 0, at) + 1
                col = at - text.rfind("\n", 0, at)
                raise YamlError(
                    f'YAML syntax: {written} inside "…" is read as {read}{then}, not as written: write the text '
                    f"in single quotes ('…'), or the backslash twice ({fix})",
                    line,
                    col,
                    _path_to(root, node),
                )


def _tab_near(text: str, line: int, col: int) -> bool:
    """Whether a tab starts the indentation of `line` or sits at `col`: PyYAML names it only in some cases."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return False
    here = lines[line - 1]
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    return "\t" in indent or here[col - 1 : col] == "\t"


def _path_to(root: Any, target: Any) -> Path_:
    """The keys and indexes leading from `root` to the node `target` (a key node counts as its key)."""
    stack: list[tuple[Any, Path_]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:  # aliases share nodes
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else "?"
                if k is target:
                    return path + (name,)
                stack.append((v, path + (name,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, path + (i,)) for i, child in enumerate(node.value))
    return ()


def path_at(text: str, line: int, col: int) -> Path_:
    """The path of the deepest value that starts at or before (line, col), read from the parser's events.

    Used for text that does not parse (or decode): the events before the error still say where it is.
    """
    target = (line - 1, col - 1)
    frames: list[list] = []  # [kind, key or index, expecting a key]
    current: Path_ = ()

    def here() -> Path_:
        return tuple(f[1] for f in frames if f[1] is not None)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if (event.start_mark.line, event.start_mark.column) > target:
                break
            is_node = isinstance(
                event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
            )
            if is_node and frames:
                top = frames[-1]
                if top[0] == "map" and top[2]:  # a key
                    top[1] = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                    top[2] = False
                    current = here()
                    if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                        frames.append(["map" if isinstance(event, yaml.MappingStartEvent) else "seq", None, True])
                    continue
                if top[0] == "seq":
                    top[1] = -1 if top[1] is None else top[1]
                    top[1] += 1
                else:
                    top[2] = True  # the value of the key in top[1]; the next node is a key again
            if is_node:
                current = here()
            if isinstance(event, yaml.MappingStartEvent):
                frames.append(["map", None, True])
            elif isinstance(event, yaml.SequenceStartEvent):
                frames.append(["seq", None, True])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)) and frames:
                frames.pop()
                current = here()
    except yaml.YAMLError:
        pass
    return current


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node, budget) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlError(
            "anchors and aliases expand to more values than the file holds (an alias bomb?); write the values out",
            *_pos(node),
            node=node,
        )
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        if tag == _STR:
            return value
        if tag == _INT:
            try:
                if len(value.lstrip("+-")) > 40:  # digits: the sign is none (-9…9, forty nines, was refused)
                    raise ValueError
                return int(value, 0) if value.startswith(("0o", "0x")) else int(value)
            except ValueError:
                digits = len(value.lstrip("+-"))
                shown = value if len(value) <= 24 else f"{value[:12]}…{value[-6:]} ({digits} digits)"
                raise YamlError(
                    f"integer {shown} is longer than 40 digits or malformed; a text must be in quotes",
                    *_pos(node),
                    node=node,
                ) from None
        if tag == _FLOAT:
            return float(
                value.replace(".inf", "inf")
                .replace(".Inf", "inf")
                .replace(".INF", "inf")
                .replace(".nan", "nan")
                .replace(".NaN", "nan")
                .replace(".NAN", "nan")
            )
        if tag == _BOOL:
            return value in ("true", "True", "TRUE")
        if tag == _NULL:
            return None
        raise YamlError(_tag_message(tag), *_pos(node), node=node)
    if isinstance(node, yaml.SequenceNode):
        if tag != _SEQ:
            raise YamlError(_tag_message(tag), *_pos(node), node=node)
        return [_build(child, budget) for child in node.value]
    if isinstance(node, yaml.MappingNode):
        if tag != _MAP:
            raise YamlError(_tag_message(tag), *_pos(node), node=node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(
                    "merge keys (<<) are not supported in packs; write the keys out", *_pos(key_node), node=key_node
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("a mapping key must be a plain string", *_pos(key_node), node=node)
            key = key_node.value  # keys stay text: `no:` or `1:` never turn into bool/int
            if key == "<<" and not key_node.style:
                raise YamlError(
                    "merge keys (<<) are not supported in packs; write the keys out", *_pos(key_node), node=key_node
                )
            if key in out:
                # In `{en: max(0, x), ...}` the comma ends the text and `x)` becomes a key (with no value): say so. A
                # name given twice (`{p: [0, 1], p: [0, 2]}`) is just that.
                fragment = not re.fullmatch(r"[A-Za-z_][\w-]*", key) or (
                    isinstance(value_node, yaml.ScalarNode) and value_node.value == "" and not value_node.style
                )
                hint = (
                    " — inside { }, a comma separates entries: put text with commas in quotes, e.g. {en: 'a, b'}"
                    if node.flow_style and fragment
                    else ""
                )
                raise YamlError(f"duplicate key {key!r}{hint}", *_pos(key_node), node=key_node)
            out[key] = _build(value_node, budget)
        return out
    raise YamlError("unsupported YAML node", *_pos(node))  # pragma: no cover


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"tag {shown} is not allowed: packs hold only plain strings, numbers, booleans, lists and mappings" + (
        "" if shown.startswith("!!") else f"; if {shown} is the start of a text, put the text in quotes ('{shown} …')"
    )


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, quoting every string that `load` would read as something else (`3e-4`, `0o17`)."""


for _first, _resolvers in list(_Resolver.yaml_implicit_resolvers.items()):
    for _tag, _regexp in _resolvers:
        _Dumper.add_implicit_resolver(_tag, _regexp, [_first])


def dump(data: Any) -> str:
    """YAML text that `load` reads back as `data`: PyYAML alone writes `3e-4` bare, which YAML 1.2 reads as a number."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
