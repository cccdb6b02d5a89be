"""Demo parameters: parse `k=v` strings, validate dicts, and describe the model for forms and help."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from studyml.demos.api import Plugin

if TYPE_CHECKING:
    from studyml.demos.discovery import PluginMeta


class ParamError(ValueError):
    """Invalid demo parameters; the message names each parameter and what it allows."""


class ParamValues(dict):
    """Validated parameter values (defaults filled in); `model_dump` as a pydantic model would."""

    def model_dump(self, mode: str | None = None) -> dict[str, Any]:
        return dict(self)


def describe_params(plugin: Plugin | PluginMeta) -> list[dict[str, Any]]:
    """One entry per parameter: name, type, default, bounds (readable), choices, description.

    For a plugin known by its metadata (the app and the CLI never import plugins) these were read by
    the worker; `schema` (the field's JSON schema) lets `validate_params` check values without the model.
    """
    if not isinstance(plugin, Plugin):
        return list(plugin.fields)
    schema = plugin.params.model_json_schema()
    props, defs = schema.get("properties", {}), schema.get("$defs", {})
    out = []
    for name, field in plugin.params.model_fields.items():
        prop = _resolve(props.get(field.alias or name, {}), defs)
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        # Other languages ride in json_schema_extra as description_<lang> (a callable extra has none).
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        out.append({
            "name": name,
            "type": _type_name(prop),
            "default": default.model_dump(mode="json") if isinstance(default, BaseModel) else default,
            "required": field.is_required(),
            "bounds": _bounds(name, prop),
            "choices": prop.get("enum"),
            "schema": prop,
            "nullable": _nullable(props.get(field.alias or name, {})),
            "description": field.description or prop.get("description", ""),
            "descriptions": {k.removeprefix("description_"): v for k, v in extra.items()
                             if isinstance(k, str) and k.startswith("description_") and isinstance(v, str)},
        })
    return out


def parse_params(plugin: Plugin | PluginMeta, items: list[str]) -> BaseModel | ParamValues:
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


def validate_params(plugin: Plugin | PluginMeta, values: dict[str, Any]) -> BaseModel | ParamValues:
    """Validate a parameter dict against the plugin's model; unknown names are errors too.

    Without the model (metadata only), each field is checked against its JSON schema; the worker then
    validates with the model itself before the run.
    """
    info = {d["name"]: d for d in describe_params(plugin)}
    unknown = [k for k in values if k not in info]
    if unknown:
        known = ", ".join(info) or "none"
        raise ParamError(f"unknown parameter {unknown[0]!r} for demo {plugin.id!r} (parameters: {known})")
    if not isinstance(plugin, Plugin):
        out, lines = ParamValues(), []
        for name, d in info.items():
            if name not in values:
                if d["required"]:
                    lines.append(f"{name}: Field required (allowed: {d.get('bounds') or d.get('type', '')})")
                else:
                    out[name] = d["default"]
                continue
            value, msg = check_value(d, values[name])
            if msg:
                allowed = d.get("bounds") or d.get("type", "")
                lines.append(f"{name}: {msg}; got {values[name]!r}" + (f" (allowed: {allowed})" if allowed else ""))
            out[name] = value
        if lines:
            raise ParamError(f"invalid parameters for demo {plugin.id!r}:\n  " + "\n  ".join(lines))
        return out
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
    if not isinstance(t, str) or not t:
        return "any"
    return {"number": "float", "integer": "int", "boolean": "bool"}.get(t, t)


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


def _nullable(prop: dict[str, Any]) -> bool:
    return any(p.get("type") == "null" for p in prop.get("anyOf", []))


def check_value(desc: dict[str, Any], value: Any) -> tuple[Any, str | None]:
    """(coerced value, None) or (value, pydantic-style message) for one field, from its JSON schema.

    Covers what demo forms use (numbers with bounds, bools, strings, choices, lists); anything else is
    passed through for the worker's model to judge.
    """
    prop = desc.get("schema") or {}
    if value is None:
        return (None, None) if desc.get("nullable") else (value, "Input should not be None")
    if "enum" in prop:
        if value in prop["enum"]:
            return value, None
        return value, "Input should be " + " or ".join(repr(v) for v in prop["enum"])
    kind = prop.get("type")
    if kind == "boolean":
        if isinstance(value, bool):
            return value, None
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "on", "off", "1", "0"):
            return value.lower() in ("true", "yes", "on", "1"), None
        if isinstance(value, int) and value in (0, 1):
            return bool(value), None
        return value, "Input should be a valid boolean"
    if kind in ("integer", "number"):
        try:
            num = float(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            num = None
        if num is None or (isinstance(value, str) and not value.strip()):
            return value, f"Input should be a valid {'integer' if kind == 'integer' else 'number'}"
        if kind == "integer":
            if not num.is_integer():
                return value, "Input should be a valid integer, got a number with a fractional part"
            value = int(num)
        else:
            value = num
        for key, msg in (("minimum", "greater than or equal to"), ("exclusiveMinimum", "greater than"),
                         ("maximum", "less than or equal to"), ("exclusiveMaximum", "less than")):
            if key in prop:
                bound = prop[key]
                bad = {"minimum": value < bound, "exclusiveMinimum": value <= bound,
                       "maximum": value > bound, "exclusiveMaximum": value >= bound}[key]
                if bad:
                    return value, f"Input should be {msg} {bound:g}"
        return value, None
    if kind == "string":
        if not isinstance(value, str):
            return value, "Input should be a valid string"
        if len(value) < prop.get("minLength", 0):
            return value, f"String should have at least {prop['minLength']} characters"
        if "maxLength" in prop and len(value) > prop["maxLength"]:
            return value, f"String should have at most {prop['maxLength']} characters"
        return value, None
    if kind == "array":
        if not isinstance(value, (list, tuple)):
            return value, "Input should be a valid list"
        items = prop.get("items") or {}
        out = []
        for i, v in enumerate(value):
            v2, problem = check_value({"schema": items}, v)
            if problem:
                return value, f"item {i}: {problem}"
            out.append(v2)
        if len(out) < prop.get("minItems", 0) or ("maxItems" in prop and len(out) > prop["maxItems"]):
            return value, f"List should have {prop.get('minItems', 0)}..{prop.get('maxItems', '')} items"
        return out, None
    return value, None
