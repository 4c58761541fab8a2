"""Creating and changing programmes, organisations, projects, budget lines and stated totals."""
from __future__ import annotations

from typing import Any

from tracker.accounts.models import User
from tracker.audit.records import (
    check_unique,
    check_values,
    create_record,
    delete_record,
    require,
    update_record,
)
from tracker.core.errors import ValidationError
from tracker.core.writes import Changes, operation
from tracker.parsing import MAX_AMOUNT_DIGITS
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
    ProjectLevel,
    StatedTotal,
)

PROGRAMME_FIELDS = frozenset({"key", "name", "short_name", "description"})
ORGANISATION_FIELDS = frozenset({"name", "abbreviation"})
PROJECT_FIELDS = frozenset({"key", "programme", "parent", "organisation", "decision", "level", "code", "position",
                            "title", "title_by_editors", "description", "execution_year", "cite"})
TOTAL_FIELDS = frozenset({"key", "label", "amount", "printed", "partial", "year", "kind", "programme", "decision",
                          "cite"})
LINE_FIELDS = frozenset({"key", "project", "organisation", "programme", "year", "month", "kind", "amount", "printed",
                         "label", "decision", "total", "cite"})
LABELS = {"key": "de sleutel", "name": "de naam", "short_name": "de korte naam", "description": "de beschrijving",
          "abbreviation": "de afkorting", "programme": "het programma", "parent": "het bovenliggende project",
          "organisation": "de entiteit", "decision": "de beslissing", "level": "het niveau", "code": "de code",
          "position": "de plaats", "title": "de titel", "execution_year": "het uitvoeringsjaar",
          "cite": "de bronvermelding", "label": "het label", "amount": "het bedrag", "printed": "de schrijfwijze",
          "partial": "gedeeltelijk", "year": "het jaar", "kind": "de soort", "month": "de maand",
          "total": "het vermelde totaal", "project": "het project"}
MIN_YEAR, MAX_YEAR = 1980, 2100
MAX_AMOUNT = 10**MAX_AMOUNT_DIGITS - 1


def _unique(model: type, column: str, value: Any, current: Any, what: str) -> None:
    check_unique(model, column, value, current, f'Er is al {what} met {LABELS[column]} "{value}"; kies een andere.')


def _year(data: dict[str, Any], name: str) -> None:
    year = data.get(name)
    if isinstance(year, int) and not isinstance(year, bool) and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"{LABELS[name].capitalize()} {year} ligt buiten {MIN_YEAR}-{MAX_YEAR}.")


def _amount(data: dict[str, Any]) -> None:
    amount = data.get("amount")
    if isinstance(amount, int) and not isinstance(amount, bool) and not -MAX_AMOUNT <= amount <= MAX_AMOUNT:
        raise ValidationError(f"Het bedrag heeft meer dan {MAX_AMOUNT_DIGITS} cijfers; controleer het.")


def _kind(data: dict[str, Any], enum: type, message: str) -> None:
    if "kind" in data and not isinstance(data["kind"], enum) or "level" in data and not isinstance(data["level"], enum):
        raise ValidationError(message)


# --------------------------------------------------------------------------- programmes and organisations


@operation
def create_programme(data: dict[str, Any], actor: User | None) -> Programme:
    """Add a funding programme."""
    require(data, LABELS, "key", "name")
    check_values(Programme, data, LABELS)
    _unique(Programme, "key", data.get("key"), None, "een programma")
    return create_record(Programme, data, actor, realm="projects", label=lambda p: f"programma {p.key}")


@operation
def update_programme(programme: Programme, data: dict[str, Any], actor: User | None) -> Changes:
    """Change a programme's fields."""
    check_values(Programme, data, LABELS)
    _unique(Programme, "key", data.get("key"), programme, "een programma")
    return update_record(programme, data, actor, realm="projects", fields=PROGRAMME_FIELDS,
                         label=f"programma {programme.key}")


@operation
def create_organisation(data: dict[str, Any], actor: User | None) -> Organisation:
    """Add a body of the Flemish administration (names are unique)."""
    require(data, LABELS, "name")
    check_values(Organisation, data, LABELS)
    _unique(Organisation, "name", data.get("name"), None, "een entiteit")
    return create_record(Organisation, data, actor, realm="projects", label=lambda o: f"entiteit {o.name}")


@operation
def update_organisation(organisation: Organisation, data: dict[str, Any], actor: User | None) -> Changes:
    """Rename an organisation or change its abbreviation."""
    check_values(Organisation, data, LABELS)
    _unique(Organisation, "name", data.get("name"), organisation, "een entiteit")
    return update_record(organisation, data, actor, realm="projects", fields=ORGANISATION_FIELDS,
                         label=f"entiteit {organisation.name}")


# --------------------------------------------------------------------------- projects


def _validate_project(data: dict[str, Any], project: Project | None = None) -> None:
    check_values(Project, data, LABELS)
    _kind(data, ProjectLevel, "Kies een geldig niveau: speerpunt, project of deelproject.")
    _year(data, "execution_year")
    _unique(Project, "key", data.get("key"), project, "een project")
    programme = data.get("programme", project.programme if project else None)
    parent = data.get("parent", project.parent if project else None)
    node = parent
    while node is not None:
        if node.programme is not programme:
            raise ValidationError(f"Het bovenliggende project {parent.label} hoort bij een ander programma.")
        if project is not None and node is project:
            raise ValidationError("Een project kan niet onder zichzelf of onder een van zijn deelprojecten hangen.")
        node = node.parent


@operation
def create_project(data: dict[str, Any], actor: User | None) -> Project:
    """Add a funded project (or a speerpunt or sub-project) to a programme."""
    require(data, LABELS, "key", "programme", "level", "title")
    _validate_project(data)
    return create_record(Project, data, actor, realm="projects", label=lambda p: f"project {p.key}")


@operation
def update_project(project: Project, data: dict[str, Any], actor: User | None) -> Changes:
    """Change a project's fields or place."""
    _validate_project(data, project)
    return update_record(project, data, actor, realm="projects", fields=PROJECT_FIELDS, label=f"project {project.key}")


# --------------------------------------------------------------------------- stated totals and budget lines


def _validate_total(data: dict[str, Any], total: StatedTotal | None = None) -> None:
    check_values(StatedTotal, data, LABELS)
    _kind(data, BudgetKind, "Kies een geldige soort bedrag: investering, exploitatie of betaalprognose.")
    _year(data, "year")
    _amount(data)
    _unique(StatedTotal, "key", data.get("key"), total, "een vermeld totaal")


@operation
def create_stated_total(data: dict[str, Any], actor: User | None) -> StatedTotal:
    """Record a total as a document prints it."""
    require(data, LABELS, "key", "label", "amount", "kind")
    _validate_total(data)
    return create_record(StatedTotal, data, actor, realm="projects", label=lambda t: f"vermeld totaal {t.key}")


@operation
def update_stated_total(total: StatedTotal, data: dict[str, Any], actor: User | None) -> Changes:
    """Change a stated total."""
    _validate_total(data, total)
    return update_record(total, data, actor, realm="projects", fields=TOTAL_FIELDS,
                         label=f"vermeld totaal {total.key}")


def _validate_line(data: dict[str, Any], line: BudgetLine | None = None) -> None:
    check_values(BudgetLine, data, LABELS)
    _kind(data, BudgetKind, "Kies een geldige soort bedrag: investering, exploitatie of betaalprognose.")
    _year(data, "year")
    _amount(data)
    month = data.get("month")
    if isinstance(month, int) and not 1 <= month <= 12:
        raise ValidationError(f"Maand {month} bestaat niet; gebruik 1 tot 12.")
    owners = [name for name in ("project", "organisation", "programme")
              if data.get(name, getattr(line, name) if line is not None else None) is not None]
    if len(owners) != 1:
        raise ValidationError("Een budgetlijn hoort bij precies één van: een project, een entiteit, een programma.")
    _unique(BudgetLine, "key", data.get("key"), line, "een budgetlijn")


def _line_label(line: BudgetLine) -> str:
    return f"budgetlijn {line.key or line.id}"


@operation
def create_budget_line(data: dict[str, Any], actor: User | None) -> BudgetLine:
    """Add an amount for a project, organisation or programme in a year."""
    require(data, LABELS, "year", "kind", "amount")
    _validate_line(data)
    return create_record(BudgetLine, data, actor, realm="projects", label=_line_label)


@operation
def update_budget_line(line: BudgetLine, data: dict[str, Any], actor: User | None) -> Changes:
    """Change a budget line."""
    _validate_line(data, line)
    return update_record(line, data, actor, realm="projects", fields=LINE_FIELDS, label=_line_label(line))


@operation
def delete_budget_line(line: BudgetLine, actor: User | None) -> None:
    """Remove a budget line that is no longer part of a document's figures; the audit keeps it."""
    delete_record(line, actor, realm="projects", label=_line_label(line))
