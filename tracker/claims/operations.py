"""Recording and correcting stated claims."""
from __future__ import annotations

from typing import Any

from tracker.accounts.models import User
from tracker.audit.records import (
    check_unique,
    check_values,
    create_record,
    require,
    update_record,
)
from tracker.claims.models import Measure, StatedClaim
from tracker.core.errors import ValidationError
from tracker.core.writes import Changes, operation

FIELDS = frozenset({"key", "source", "quote", "cite", "claimed", "measure", "counted_what", "counted_source",
                    "level", "programme", "year", "project_level", "total", "decision"})
LABELS = {"key": "de sleutel", "source": "het document", "quote": "het citaat", "cite": "de vindplaats",
          "claimed": "het vermelde getal", "measure": "wat de tracker telt", "counted_what": "de omschrijving",
          "counted_source": "de getelde bron", "level": "het niveau", "programme": "het programma",
          "year": "het jaar", "total": "het vermelde totaal"}
# What each measure needs to be counted.
NEEDS = {Measure.COMMITMENTS: ("counted_source", "level"), Measure.PROJECTS: ("programme",),
         Measure.BUDGET_LINES: ("total",), Measure.AMOUNT: ("total",)}


def _validate(data: dict[str, Any], claim: StatedClaim | None = None) -> None:
    check_values(StatedClaim, data, LABELS)
    check_unique(StatedClaim, "key", data.get("key"), claim,
                 f'Er is al een bewering met sleutel "{data.get("key")}"; kies een andere sleutel.')
    measure = data.get("measure", claim.measure if claim else None)
    if not isinstance(measure, Measure):
        raise ValidationError("Kies wat de tracker telt: " + ", ".join(m.label for m in Measure) + ".", "measure")
    for name in NEEDS[measure]:
        value = data.get(name, getattr(claim, name) if claim else None)
        if value is None:
            raise ValidationError(f"Om {measure.label} te tellen is {LABELS[name]} nodig; vul het in.", name)
    if data.get("claimed") is not None and data["claimed"] < 0:
        raise ValidationError("Het vermelde getal is 0 of meer.", "claimed")


@operation
def create_claim(data: dict[str, Any], actor: User | None) -> StatedClaim:
    """Record what a document claims (a count or an amount) and what the tracker counts against it."""
    require(data, LABELS, "key", "source", "quote", "claimed", "measure", "counted_what")
    _validate(data)
    return create_record(StatedClaim, data, actor, realm="claims", label=lambda c: f"bewering {c.key}")


@operation
def update_claim(claim: StatedClaim, data: dict[str, Any], actor: User | None) -> Changes:
    _validate(data, claim)
    return update_record(claim, data, actor, realm="claims", fields=FIELDS, label=f"bewering {claim.key}")
