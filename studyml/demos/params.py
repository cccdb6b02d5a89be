"""Demo parameters: parse `k=v` strings, validate dicts, and describe the model for forms and help."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

from studyml.demos.api import Plugin


class ParamError(ValueError):
    """Invalid demo parameters; the message names each parameter and what it allows."""


def describe_params(plugin: Plugin) -> list[dict[str, Any]]:
    """One entry per parameter: name, type, default, bounds (readable), choices, description."""
    schema = plugin.params.model_json_schema()
    props, defs = schema.get("properties", {}), schema.get("$defs", {})
    out = []
    for name, field in plugin.params.model_fields.items():
        prop = _resolve(props.get(field.alias or name, {}), defs)
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        out.append({
            "name": name,
            "type": _type_name(prop),
            "default": default.model_dump(mode="json") if isinstance(default, BaseModel) else default,
            "required": field.is_required(),
            "bounds": _bounds(name, prop),
            "choices": prop.get("enum"),
            "description": field.description or prop.get("description", ""),
            # Other languages ride in json_schema_extra as description_<lang> (e.g. description_ko).
            "descriptions": {k.removeprefix("description_"): v for k, v in (field.json_schema_extra or {}).items()
                             if isinstance(k, str) and k.startswith("description_") and isinstance(v, str)},
        })
    return out


def parse_params(plugin: Plugin, items: list[str]) -> BaseModel:
    """Parse command-line `NAME=VALUE` strings and validate them (defaults for the rest)."""
    info = {d["name"]: d for d in describe_params(plugin)}
    values: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParamError(f"expected NAME=VALUE, got {item!r}")
        if name not in info and name.replace("-", "_") in info:
            name = name.replace("-", "_")
        values[name] = raw if info.get(name, {}).get("type") == "string" else _json_or_raw(raw.strip())
    return validate_params(plugin, values)


def validate_params(plugin: Plugin, values: dict[str, Any]) -> BaseModel:
    """Validate a parameter dict against the plugin's model; unknown names are errors too."""
    info = {d["name"]: d for d in describe_params(plugin)}
    unknown = [k for k in values if k not in info]
    if unknown:
        known = ", ".join(info) or "none"
        raise ParamError(f"unknown parameter {unknown[0]!r} for demo {plugin.id!r} (parameters: {known})")
    try:
        return plugin.params.model_validate(values)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            name = str(err["loc"][0]) if err["loc"] else "parameters"
            d = info.get(name, {})
            allowed = d.get("bounds") or d.get("type", "")
            got = f"; got {err['input']!r}" if "input" in err and name in values else ""
            lines.append(f"{name}: {err['msg']}{got} (allowed: {allowed})" if allowed else f"{name}: {err['msg']}{got}")
        raise ParamError(f"invalid parameters for demo {plugin.id!r}:\n  " + "\n  ".join(lines)) from None


def _json_or_raw(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Follow a `$ref` and collapse `Optional[X]` (anyOf X, null) to X."""
    if "$ref" in prop:
        prop = {**defs.get(prop["$ref"].rsplit("/", 1)[-1], {}), **{k: v for k, v in prop.items() if k != "$ref"}}
    if "anyOf" in prop:
        options = [_resolve(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        if len(options) == 1:
            prop = {**options[0], **{k: v for k, v in prop.items() if k != "anyOf"}}
    return prop


def _type_name(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "choice"
    if "const" in prop:
        return "constant"
    t = prop.get("type")
    if t == "array":
        return f"list of {_type_name(prop.get('items', {}))}"
    return {"number": "float", "integer": "int", "boolean": "bool"}.get(t, t or "any")


def _bounds(name: str, prop: dict[str, Any]) -> str:
    """E.g. '0 < lr <= 10', 'one of sgd, adam', or the type when unbounded."""
    if "enum" in prop:
        return "one of " + ", ".join(map(str, prop["enum"]))
    low = next(((f"{prop[k]:g}", op) for k, op in (("exclusiveMinimum", "<"), ("minimum", "<=")) if k in prop), None)
    high = next(((f"{prop[k]:g}", op) for k, op in (("exclusiveMaximum", "<"), ("maximum", "<=")) if k in prop), None)
    kind = _type_name(prop)
    if low and high:
        return f"{kind} {low[0]} {low[1]} {name} {high[1]} {high[0]}"
    if low:
        return f"{kind} {name} {'>' if low[1] == '<' else '>='} {low[0]}"
    if high:
        return f"{kind} {name} {high[1]} {high[0]}"
    if "minLength" in prop or "maxLength" in prop:
        return f"{kind}, length {prop.get('minLength', 0)}..{prop.get('maxLength', '')}"
    return kind
