"""Editor support: `pack schema --out` writes one JSON Schema per file kind; `pack new` wires each file to its schema."""

from __future__ import annotations

import json

from studyml.content.loader import load_pack
from studyml.content.yamlsafe import load
from tests.content.packutil import run

NAMES = ["cards.schema.json", "pack.schema.json", "quizzes.schema.json"]


def test_schema_out_writes_three_files(tmp_path, capsys):
    code, out, _ = run(capsys, "pack", "schema", "--out", str(tmp_path / "s"))
    assert code == 0 and "wrote" in out
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == NAMES
    pack = json.loads((tmp_path / "s" / "pack.schema.json").read_text())
    assert pack["$schema"].startswith("https://json-schema.org/") and pack["additionalProperties"] is False
    assert json.loads((tmp_path / "s" / "cards.schema.json").read_text())["type"] == "array"


def test_pack_new_wires_every_file_to_its_schema(tmp_path, capsys):
    assert run(capsys, "pack", "new", str(tmp_path / "p"))[0] == 0
    root = tmp_path / "p"
    assert sorted(p.name for p in (root / ".schema").iterdir()) == NAMES
    for rel, schema in (("pack.yaml", "pack"), ("cards/basics.yaml", "cards"), ("quizzes/basics.yaml", "quizzes")):
        first = (root / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = (root / rel).parent / first.split("$schema=", 1)[1]
        assert target.resolve() == (root / ".schema" / f"{schema}.schema.json").resolve()  # relative to the file
    assert load_pack(root).ok and not load_pack(root).diagnostics  # the .schema folder is not pack content


def _errors(schema: dict, data) -> list[str]:
    """Schema errors of `data`: with the jsonschema package when it is installed (it is not a dependency),
    otherwise with a small walker over the keywords pydantic emits (types, properties, required, $ref, unions)."""
    try:
        import jsonschema
    except ImportError:
        return _walk(schema, data, schema.get("$defs", {}), "")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    out = []
    for e in cls(schema).iter_errors(data):  # with the reasons inside a union (oneOf) too
        out += [e.message] + [c.message for c in e.context or ()]
    return out


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
    "integer": int,
    "number": (int, float),
}


def _walk(s: dict, data, defs: dict, at: str) -> list[str]:
    if "$ref" in s:
        return _walk(defs[s["$ref"].rsplit("/", 1)[1]], data, defs, at)
    if "const" in s and data != s["const"]:
        return [f"{at}: {data!r} is not {s['const']!r}"]
    for union in ("oneOf", "anyOf"):
        if union in s:
            disc = s.get("discriminator")
            if disc and isinstance(data, dict):
                ref = disc["mapping"].get(data.get(disc["propertyName"]))
                return (
                    _walk({"$ref": ref}, data, defs, at)
                    if ref
                    else [f"{at}: unknown {disc['propertyName']} {data.get(disc['propertyName'])!r}"]
                )
            tries = [_walk(option, data, defs, at) for option in s[union]]
            return [] if any(not t for t in tries) else [f"{at}: matches no option: {tries}"]
    kind = s.get("type")
    if kind and (not isinstance(data, _TYPES[kind]) or (kind in ("integer", "number") and isinstance(data, bool))):
        return [f"{at}: expected {kind}, got {type(data).__name__}"]
    out: list[str] = []
    if isinstance(data, dict):
        props = s.get("properties", {})
        out += [f"{at}: missing {k!r}" for k in s.get("required", []) if k not in data]
        for k, v in data.items():
            if k in props:
                out += _walk(props[k], v, defs, f"{at}.{k}")
            elif s.get("additionalProperties") is False:
                out.append(f"{at}: additional property {k!r} is not allowed")
            elif isinstance(s.get("additionalProperties"), dict):
                out += _walk(s["additionalProperties"], v, defs, f"{at}.{k}")
    if isinstance(data, list):
        out += [e for i, v in enumerate(data) for e in _walk(s.get("items", {}), v, defs, f"{at}[{i}]")]
        if len(data) < s.get("minItems", 0):
            out.append(f"{at}: fewer than {s['minItems']} items")
    if isinstance(data, str) and "pattern" in s:
        import re

        out += [] if re.search(s["pattern"], data) else [f"{at}: {data!r} does not match {s['pattern']}"]
    return out


def test_the_schemas_accept_the_scaffold_and_reject_typos(tmp_path, capsys):
    run(capsys, "pack", "new", str(tmp_path / "p"))
    root = tmp_path / "p"

    def schema(name):
        return json.loads((root / ".schema" / f"{name}.schema.json").read_text())

    def data(rel):
        return load((root / rel).read_text(encoding="utf-8")).data

    for rel, name in (("pack.yaml", "pack"), ("cards/basics.yaml", "cards"), ("quizzes/basics.yaml", "quizzes")):
        assert _errors(schema(name), data(rel)) == [], rel
    cards = data("cards/basics.yaml")
    cards[0]["tag"] = cards[0].pop("tags")  # a typo the editor should underline
    assert any("'tag'" in e for e in _errors(schema("cards"), cards))
    quizzes = data("quizzes/basics.yaml")
    quizzes[0]["kind"] = "chioce"
    assert _errors(schema("quizzes"), quizzes)
    quizzes = data("quizzes/basics.yaml")
    quizzes[3]["answer"] = "0.25"  # numeric answers are numbers (or formulas, in templates: still text)
    del quizzes[3]["tolerance"]
    assert any("tolerance" in e for e in _errors(schema("quizzes"), quizzes))
    manifest = data("pack.yaml")
    manifest["id"] = "My Pack"
    assert _errors(schema("pack"), manifest)
