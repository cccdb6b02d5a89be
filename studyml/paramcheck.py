"""Check one parameter value against its JSON schema: demo forms, `demo run` and pack validation share it."""

from __future__ import annotations

from typing import Any


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
        for key, msg in (
            ("minimum", "greater than or equal to"),
            ("exclusiveMinimum", "greater than"),
            ("maximum", "less than or equal to"),
            ("exclusiveMaximum", "less than"),
        ):
            if key in prop:
                bound = prop[key]
                bad = {
                    "minimum": value < bound,
                    "exclusiveMinimum": value <= bound,
                    "maximum": value > bound,
                    "exclusiveMaximum": value >= bound,
                }[key]
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
