"""The compiled schema check on small schemas, value by value against jsonschema: the
keywords of one type checked together, string constants and enums, references bound once
compiled, a reference within its own definition (issue 15)."""

from __future__ import annotations

import enum
from typing import Any

import jsonschema
import pytest

from ctmt_desktop.package.build import _Compiler


class Kind(enum.StrEnum):
    TRAINING = "training"


VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 2.0, 2.5, -0.5, 10**16, "", "a", "ab", "abc", "x" * 40,
    "2024-01-31", "training", Kind.TRAINING, "event", [], ["a"], ["a", "b"], [1], {},
    {"a": 1}, {"a": "x"}, {"a": "x", "b": 2}, {"b": 2}, {"a": "x", "c": None},
    {"kind": "training", "a": "x"}, {"kind": "event"}, {"next": {"next": None, "a": "x"}},
    {"kind": "training"}, {"kind": "training", "a": 1}, {"kind": "event", "a": 1},
    {"kind": "event", "a": "x"}, {"kind": 1, "a": 1}, {"kind": None}, {"kind": "media"},
    {"a": []},
]  # fmt: skip

SCHEMAS: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "string", "minLength": 2, "maxLength": 3},
    {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "a date"},
    {"type": "integer"},
    {"type": "integer", "minimum": 0, "maximum": 10**15},
    {"type": "number", "minimum": -1, "maximum": 2},
    {"type": ["string", "null"], "maxLength": 2},
    {"const": "training"},
    {"const": 1},
    {"enum": ["training", "event"]},
    {"enum": [1, "a", None]},
    {"type": "object"},
    {"type": "object", "required": ["a"]},
    {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
    {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"$ref": "#/$defs/short"}, "b": {"type": "integer"}},
        "additionalProperties": {"type": "null"},
    },
    {"properties": {"kind": {"const": "training"}}},
    {
        "type": "object",
        "allOf": [
            {"if": {"properties": {"kind": {"const": "training"}}}, "then": {"required": ["a"]}}
        ],
    },
    {  # one kind's rules per kind, a kind named twice: one lookup (the records' schema)
        "type": "object",
        "allOf": [
            {"if": {"properties": {"kind": {"const": "training"}}}, "then": {"required": ["a"]}},
            {
                "if": {"properties": {"kind": {"const": "event"}}},
                "then": {"properties": {"a": {"type": "integer"}}},
            },
            {
                "if": {"properties": {"kind": {"const": "training"}}},
                "then": {"properties": {"a": {"$ref": "#/$defs/short"}}},
            },
        ],
    },
    {  # not all on one key: the ifs one by one
        "allOf": [
            {"if": {"properties": {"kind": {"const": "event"}}}, "then": {"required": ["a"]}},
            {"if": {"properties": {"a": {"const": "x"}}}, "then": {"required": ["kind"]}},
        ]
    },
    {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/short"}},
    {"anyOf": [{"$ref": "#/$defs/short"}, {"type": "null"}]},
    {"$ref": "#/$defs/chain"},
]
DEFS = {
    "short": {"type": "string", "maxLength": 2},
    "chain": {
        "type": "object",
        "properties": {"next": {"anyOf": [{"$ref": "#/$defs/chain"}, {"type": "null"}]}},
    },
}


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(s)[:60] for s in SCHEMAS])
def test_the_compiled_check_is_jsonschemas(schema: dict[str, Any]) -> None:
    root = {**schema, "$defs": DEFS}
    check = _Compiler(root).compile(root)
    validator = jsonschema.Draft202012Validator(root)
    for value in VALUES:
        if isinstance(value, Kind):  # not JSON: the check may refuse it (jsonschema decides)
            assert not check(value) or validator.is_valid(value), (schema, value)
        else:
            assert check(value) == validator.is_valid(value), (schema, value)
