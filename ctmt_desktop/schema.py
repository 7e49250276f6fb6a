"""JSON Schema (draft 2020-12) of the records ``ctmt add`` accepts, built from the kind specs
and the catalog so the two never disagree."""

from __future__ import annotations

from typing import Any

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.kinds import FieldSpec, FieldType, kind_spec
from ctmt_desktop.validation import READ_ONLY_KEYS

_DATE = {
    "type": "string",
    "anyOf": [
        {"format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        {"pattern": r"^\d{1,2}/\d{1,2}/\d{4}$"},
    ],
}


def _field_schema(field: FieldSpec, catalog: Catalog) -> dict[str, Any]:
    schema: dict[str, Any]
    if field.type is FieldType.TEXT:
        schema = {"type": "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
    elif field.type is FieldType.DATE:
        schema = dict(_DATE)
    elif field.type in (FieldType.INT, FieldType.MONEY):
        schema = {"type": "integer"}
        if field.minimum is not None:
            schema["minimum"] = field.minimum
        if field.maximum is not None:
            schema["maximum"] = field.maximum
    elif field.type is FieldType.CODE:
        assert field.vocabulary is not None
        schema = {"type": "string", "enum": sorted(catalog.vocabulary(field.vocabulary))}
    elif field.type is FieldType.PLACES:
        schema = {
            "type": "array",
            "items": {"type": "string", "pattern": r"^(old:)?\d{2,5}$"},
            "minItems": 1,
            "description": "administrative unit codes: current (e.g. 19432) or, for dates "
            "before 01/07/2025, legacy with the prefix old: (e.g. old:19456)",
        }
    elif field.type is FieldType.BOOL:
        schema = {"type": "boolean"}
    elif field.type is FieldType.INDICATORS:
        schema = {"type": "object", "additionalProperties": {"type": "boolean"}}
    else:  # evidence
        schema = {
            "type": "array",
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["sha256"],
                        "properties": {
                            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                            "name": {"type": "string"},
                        },
                    },
                    {
                        "type": "object",
                        "required": ["path"],
                        "properties": {"path": {"type": "string"}, "name": {"type": "string"}},
                    },
                ]
            },
        }
    if not field.required or field.default is not None:
        schema = {"anyOf": [schema, {"type": "null"}]}  # listings write null for unset fields
    schema["title"] = field.label_en
    description = schema.get("description") or schema.get("anyOf", [{}])[0].get("description")
    schema["description"] = field.label_vi + (f". {description}" if description else "")
    if field.default is not None:
        schema["default"] = field.default
    return schema


def record_schema(kind: str, catalog: Catalog) -> dict[str, Any]:
    """The JSON Schema of one record of ``kind``."""
    spec = kind_spec(kind)
    properties = {field.name: _field_schema(field, catalog) for field in spec.fields}
    for key in sorted(READ_ONLY_KEYS):
        properties.setdefault(key, {"description": "read-only; ignored by add"})
    for key in sorted(spec.retired_fields):
        properties[key] = {"description": f"no longer a field of a {kind} record; ignored by add"}
    required = [f.name for f in spec.fields if f.required and f.default is None]
    if spec.year_based:
        required.remove("start_date")  # derived from the year when absent
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:ctmt-desktop:schema:record:{kind}:1",
        "title": f"{spec.name_en} ({spec.name_vi})",
        "description": f"A {kind} record as accepted by 'ctmt add {kind}'; catalog version "
        f"{catalog.version}. Money is in whole đồng.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
