"""Demo parameters: parse `k=v` strings, validate dicts, and describe the model for forms and help."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from studyml.demos.api import Plugin
from studyml.paramcheck import check_value

__all__ = [
    "ParamError",
    "ParamValues",
    "check_value",
    "describe_params",
    "param_errors",
    "parse_params",
    "validate_params",
]

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
        out.append(
            {
                "name": name,
                "type": _type_name(prop),
                "default": default.model_dump(mode="json") if isinstance(default, BaseModel) else default,
                "required": field.is_required(),
                "bounds": _bounds(name, prop),
                "choices": prop.get("enum"),
                "schema": prop,
                "nullable": _nullable(props.get(field.alias or name, {})),
                "description": field.description or prop.get("description", ""),
                "descriptions": {
                    k.removeprefix("description_"): v
                    for k, v in extra.items()
                    if isinstance(k, str) and k.startswith("description_") and isinstance(v, str)
                },
            }
        )
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
        lines = _error_lines(e, info, values)
        raise ParamError(f"invalid parameters for demo {plugin.id!r}:\n  " + "\n  ".join(lines)) from None


def param_errors(plugin: Plugin, values: dict[str, Any]) -> list[str]:
    """Every problem with `values` for this plugin's model, cross-field checks included; [] when valid."""
    info = {d["name"]: d for d in describe_params(plugin)}
    unknown = [k for k in values if k not in info]
    if unknown:
        return [f"unknown parameter {k!r} (parameters: {', '.join(info) or 'none'})" for k in unknown]
    try:
        plugin.params.model_validate(values)
    except ValidationError as e:
        return _error_lines(e, info, values)
    return []


def explain(plugin: Plugin, e: ValidationError, values: dict[str, Any]) -> list[str]:
    """A validation error of the plugin's model as the form and `demo run` say it, a line per problem."""
    return _error_lines(e, {d["name"]: d for d in describe_params(plugin)}, values)


def worker_param_errors(locator: str, params: dict[str, Any]) -> list[str]:
    """`param_errors` for the plugin at `locator`; an allowlisted worker call (the app never imports plugins)."""
    from studyml.demos.loading import load_locator

    return param_errors(load_locator(locator), params)


def _error_lines(e: ValidationError, info: dict[str, dict[str, Any]], values: dict[str, Any]) -> list[str]:
    lines = []
    for err in e.errors():
        if not err["loc"]:  # a model validator: a check across fields, its message says which
            lines.append(str(err["msg"]).removeprefix("Value error, "))
            continue
        name = str(err["loc"][0])
        d = info.get(name, {})
        allowed = d.get("bounds") or d.get("type", "")
        got = f"; got {err['input']!r}" if "input" in err and name in values else ""
        lines.append(f"{name}: {err['msg']}{got} (allowed: {allowed})" if allowed else f"{name}: {err['msg']}{got}")
    return lines


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
