"""The JSON Schema of the dump, built from the API's record schemas minus what the dump leaves out.

The repository keeps it as tracker/opendata/schemas/dump-v1.schema.json (a test checks that the file
matches this builder); regenerate it with ``python -m tracker.opendata.dump_schema``.
"""
from __future__ import annotations

import json
from typing import Any

from tracker.accounts.models import Role
from tracker.opendata.dump import DUMP_VERSION, FORMAT, SCHEMA_FILE, TABLES
from tracker.opendata.openapi import (
    DATETIME_OR_NULL,
    SCHEMAS,
    STRING,
    TEXT_OR_NULL,
    array,
    enum,
    obj,
)


def _record(name: str, *drop: str, **more: Any) -> dict[str, Any]:
    props = {k: v for k, v in SCHEMAS[name]["properties"].items()
             if k not in ("page", "version", "id", *drop)}
    return obj(SCHEMAS[name].get("description", ""), **props, **more)


def _resolved(schema: Any) -> Any:
    """The API schema with its $refs to records the dump does not keep apart replaced by their shape."""
    if isinstance(schema, dict):
        if schema.get("$ref", "").endswith(("/DocumentNumber", "/Evidence")):
            return _resolved(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
        return {k: _resolved(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_resolved(v) for v in schema]
    return schema


def build() -> dict[str, Any]:
    change = _record("StatusChange", "author", "reviewer", "corrects",
                     number={"type": "integer", "minimum": 1, "description": "Volgnummer in deze dump."},
                     corrects={"type": ["integer", "null"], "description": "Het number van de gecorrigeerde rij."},
                     author={**STRING, "description": "username in users"},
                     reviewer={**STRING, "description": "username in users"},
                     proposed_dt={"type": "string", "format": "date-time"}, review_note=STRING)
    tables = {
        "users": obj("De personen in de publieke statusgeschiedenis (naam en rol, geen accountgegevens).",
                     username=STRING, name=STRING, role=enum(Role)),
        "sources": _record("Source", text=STRING),
        "programmes": _record("Programme"),
        "organisations": _record("Organisation"),
        "decisions": _record("Decision", text=STRING),
        "commitments": _record("Commitment", text=STRING),
        "projects": _record("Project"),
        "stated_totals": _record("StatedTotal", "sum_of_parts", "difference"),
        "budget_lines": _record("BudgetLine"),
        "stated_claims": _record("StatedClaim", "counted", "difference"),
        "links": _record("Link", removed_dt=DATETIME_OR_NULL, removal_reason=STRING),
        "status_changes": change,
    }
    assert tuple(tables) == TABLES
    return _resolved({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://regeerakkoord-tracker/schemas/dump-v{DUMP_VERSION}.schema.json",
        "title": f"Dump van de Regeerakkoord-tracker, formaatversie {DUMP_VERSION}",
        "description": "Alle publieke gegevens. Records verwijzen naar elkaar met hun sleutel (organisaties met "
                       "hun naam, personen met hun username, statuswijzigingen met hun number); elke verwijzing "
                       "wijst naar een eerder record. Tijden van registratie (created_dt, removed_dt, "
                       "recorded_dt, proposed_dt) zijn die van de tracker die exporteerde.",
        **obj(format={"const": FORMAT}, version={"const": DUMP_VERSION}, exported_dt=TEXT_OR_NULL,
              **{name: array(schema) for name, schema in tables.items()}),
    })


if __name__ == "__main__":
    SCHEMA_FILE.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{SCHEMA_FILE} geschreven.")
