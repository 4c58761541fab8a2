"""Creating and changing programmes, organisations, projects, budget lines and stated totals."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.audit.records import (
    check_unique,
    check_values,
    create_record,
    delete_record,
    require,
    versioned_update,
)
from tracker.core.db import db
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


def slug(text: str, words: int = 8) -> str:
    """Lower-case ASCII words joined by hyphens, for a record's key."""
    import re
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return "-".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split()[:words])[:80]


def free_key(model: Any, base: str) -> str:
    """``base``, or ``base-2``, ``base-3`` ... when a record of ``model`` has it (one query)."""
    taken = set(db.session.scalars(select(model.key).where(model.key.startswith(base))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


# (model, column, singular, plural): the records that point to a record of some kind, named in a refusal.
Reference = tuple[Any, Any, str, str]


def reference_kinds(model: type) -> list[Reference]:
    """What may point to a record of ``model``: links (removed ones too: they are history), evidence of
    status proposals, projects, budget lines, stated totals. A record any of them points to stays."""
    from tracker.commitments.models import Link
    from tracker.decisions.models import Decision
    from tracker.workflow.models import Evidence

    links = ("koppeling", "koppelingen")
    evidence = ("bewijs bij een statusvoorstel", "bewijzen bij statusvoorstellen")
    lines = ("budgetlijn", "budgetlijnen")
    totals = ("vermeld totaal", "vermelde totalen")
    kinds: dict[type, list[Reference]] = {
        Decision: [(Link, Link.decision_id, *links), (Evidence, Evidence.decision_id, *evidence),
                   (Project, Project.decision_id, "project dat ermee goedgekeurd is",
                    "projecten die ermee goedgekeurd zijn"),
                   (BudgetLine, BudgetLine.decision_id, *lines), (StatedTotal, StatedTotal.decision_id, *totals)],
        Project: [(Link, Link.project_id, *links), (Evidence, Evidence.project_id, *evidence),
                  (Project, Project.parent_id, "deelproject", "deelprojecten"),
                  (BudgetLine, BudgetLine.project_id, *lines)],
        Programme: [(Project, Project.programme_id, "project", "projecten"),
                    (BudgetLine, BudgetLine.programme_id, *lines), (StatedTotal, StatedTotal.programme_id, *totals)],
        Organisation: [(Project, Project.organisation_id, "project", "projecten"),
                       (BudgetLine, BudgetLine.organisation_id, *lines)],
        StatedTotal: [(BudgetLine, BudgetLine.total_id, *lines)],
        BudgetLine: [],
    }
    return kinds[model]


def references(obj: Any, kinds: list[Reference] | None = None, describe: Any = None, limit: int = 5) -> list[str]:
    """Dutch phrases naming the records that point to ``obj``, one per kind ("2 budgetlijnen: 2021, 2022").

    One count query and one query for the first few per kind that has any.
    """
    found = []
    for model, column, singular, plural in (reference_kinds(type(obj)) if kinds is None else kinds):
        where = column == obj.id
        count = db.session.scalar(select(func.count()).select_from(model).where(where)) or 0
        if not count:
            continue
        rows = list(db.session.scalars(select(model).where(where).order_by(model.id).limit(limit)))
        names = ", ".join((describe or reference_name)(row) for row in rows)
        more = f" en {count - len(rows)} meer" if count > len(rows) else ""
        found.append(f"{count} {singular if count == 1 else plural} ({names}{more})")
    return found


def reference_name(row: Any) -> str:
    """How a refusal names a record that points to the one being deleted."""
    from tracker.commitments.models import Link
    from tracker.workflow.models import Evidence

    if isinstance(row, Link):
        ends = [row.commitment.label if row.commitment else None,
                f"beslissing “{row.decision.title[:60]}”" if row.decision else None,
                f"project {row.project.label}" if row.project else None]
        other = " – ".join(e for e in ends if e)
        return f"{other}{' (verwijderd, blijft als geschiedenis)' if row.removed_dt else ''}"
    if isinstance(row, Evidence):
        return f"voorstel {row.proposal_id} bij engagement {row.proposal.commitment.key}"
    if isinstance(row, BudgetLine):
        return f"{row.year} {row.kind.label.lower()} {row.amount:,} euro".replace(",", ".")
    if isinstance(row, Project):
        return row.label
    for attr in ("label", "name", "key"):
        if isinstance(getattr(row, attr, None), str):
            return str(getattr(row, attr))
    return str(row.id)


def refuse_when_referenced(obj: Any, kinds: list[Reference], noun: str) -> None:
    """:raise ValidationError: naming what points to ``obj``, which can then only be corrected."""
    found = references(obj, kinds)
    if found:
        raise ValidationError(f"{noun[0].upper()}{noun[1:]} kan niet verwijderd worden, want er verwijzen andere "
                              f"records naar: {'; '.join(found)}. Verbeter het record in plaats van het te "
                              "verwijderen.")


def _unique(model: type, column: str, value: Any, current: Any, what: str) -> None:
    check_unique(model, column, value, current, f'Er is al {what} met {LABELS[column]} "{value}"; kies een andere.')


def _year(data: dict[str, Any], name: str) -> None:
    year = data.get(name)
    if isinstance(year, int) and not isinstance(year, bool) and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"{LABELS[name].capitalize()} {year} ligt buiten {MIN_YEAR}-{MAX_YEAR}.", name)


def _amount(data: dict[str, Any]) -> None:
    amount = data.get("amount")
    if isinstance(amount, int) and not isinstance(amount, bool) and not -MAX_AMOUNT <= amount <= MAX_AMOUNT:
        raise ValidationError(f"Het bedrag heeft meer dan {MAX_AMOUNT_DIGITS} cijfers; controleer het.", "amount")


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
def update_programme(programme: Programme, data: dict[str, Any], actor: User | None,
                     seen_version: int | None = None) -> Changes:
    """Change a programme's fields (``seen_version``: see ``versioned_update``)."""
    check_values(Programme, data, LABELS)
    _unique(Programme, "key", data.get("key"), programme, "een programma")
    return versioned_update(programme, data, actor, realm="projects", fields=PROGRAMME_FIELDS,
                            label=f"programma {programme.key}", noun="dit programma", seen_version=seen_version)


@operation
def delete_programme(programme: Programme, actor: User | None) -> None:
    """Remove a programme nothing points to (no projects, budget lines or stated totals)."""
    refuse_when_referenced(programme, reference_kinds(Programme), "dit programma")
    delete_record(programme, actor, realm="projects", label=f"programma {programme.key}")


@operation
def create_organisation(data: dict[str, Any], actor: User | None) -> Organisation:
    """Add a body of the Flemish administration (names are unique)."""
    require(data, LABELS, "name")
    check_values(Organisation, data, LABELS)
    _unique(Organisation, "name", data.get("name"), None, "een entiteit")
    return create_record(Organisation, data, actor, realm="projects", label=lambda o: f"entiteit {o.name}")


@operation
def update_organisation(organisation: Organisation, data: dict[str, Any], actor: User | None,
                        seen_version: int | None = None) -> Changes:
    """Rename an organisation or change its abbreviation (``seen_version``: see ``versioned_update``)."""
    check_values(Organisation, data, LABELS)
    _unique(Organisation, "name", data.get("name"), organisation, "een entiteit")
    return versioned_update(organisation, data, actor, realm="projects", fields=ORGANISATION_FIELDS,
                            label=f"entiteit {organisation.name}", noun="deze entiteit", seen_version=seen_version)


@operation
def delete_organisation(organisation: Organisation, actor: User | None) -> None:
    """Remove an organisation no project or budget line names."""
    refuse_when_referenced(organisation, reference_kinds(Organisation), "deze entiteit")
    delete_record(organisation, actor, realm="projects", label=f"entiteit {organisation.name}")


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
            raise ValidationError(f"Het bovenliggende project {parent.label} hoort bij een ander programma.", "parent")
        if project is not None and node is project:
            raise ValidationError("Een project kan niet onder zichzelf of onder een van zijn deelprojecten hangen.",
                                  "parent")
        node = node.parent


@operation
def create_project(data: dict[str, Any], actor: User | None) -> Project:
    """Add a funded project (or a speerpunt or sub-project) to a programme."""
    require(data, LABELS, "key", "programme", "level", "title")
    _validate_project(data)
    return create_record(Project, data, actor, realm="projects", label=lambda p: f"project {p.key}")


@operation
def update_project(project: Project, data: dict[str, Any], actor: User | None,
                   seen_version: int | None = None) -> Changes:
    """Change a project's fields or place (``seen_version``: see ``versioned_update``)."""
    _validate_project(data, project)
    return versioned_update(project, data, actor, realm="projects", fields=PROJECT_FIELDS,
                            label=f"project {project.key}", noun="dit project", seen_version=seen_version)


@operation
def delete_project(project: Project, actor: User | None) -> None:
    """Remove a project nothing points to: no links (also removed ones), evidence, sub-projects or budget lines."""
    refuse_when_referenced(project, reference_kinds(Project), "dit project")
    delete_record(project, actor, realm="projects", label=f"project {project.key}")


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
def update_stated_total(total: StatedTotal, data: dict[str, Any], actor: User | None,
                        seen_version: int | None = None) -> Changes:
    """Change a stated total (``seen_version``: see ``versioned_update``)."""
    _validate_total(data, total)
    return versioned_update(total, data, actor, realm="projects", fields=TOTAL_FIELDS,
                            label=f"vermeld totaal {total.key}", noun="dit vermelde totaal", seen_version=seen_version)


@operation
def delete_stated_total(total: StatedTotal, actor: User | None) -> None:
    """Remove a stated total that no budget line is part of."""
    refuse_when_referenced(total, reference_kinds(StatedTotal), "dit vermelde totaal")
    delete_record(total, actor, realm="projects", label=f"vermeld totaal {total.key}")


def _validate_line(data: dict[str, Any], line: BudgetLine | None = None) -> None:
    check_values(BudgetLine, data, LABELS)
    _kind(data, BudgetKind, "Kies een geldige soort bedrag: investering, exploitatie of betaalprognose.")
    _year(data, "year")
    _amount(data)
    month = data.get("month")
    if isinstance(month, int) and not 1 <= month <= 12:
        raise ValidationError(f"Maand {month} bestaat niet; gebruik 1 tot 12.", "month")
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
def update_budget_line(line: BudgetLine, data: dict[str, Any], actor: User | None,
                       seen_version: int | None = None) -> Changes:
    """Change a budget line (``seen_version``: see ``versioned_update``)."""
    _validate_line(data, line)
    return versioned_update(line, data, actor, realm="projects", fields=LINE_FIELDS, label=_line_label(line),
                            noun="deze budgetlijn", seen_version=seen_version)


@operation
def delete_budget_line(line: BudgetLine, actor: User | None) -> None:
    """Remove a budget line that is no longer part of a document's figures; the audit keeps it."""
    delete_record(line, actor, realm="projects", label=_line_label(line))
