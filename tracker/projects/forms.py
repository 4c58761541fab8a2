"""The forms of programmes, organisations, projects, budget lines and stated totals, turned into plain data."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField

from tracker.core.db import db
from tracker.core.forms import choices
from tracker.decisions.editing import (
    EditForm,
    amount_value,
    fail,
    int_value,
    text,
)
from tracker.decisions.models import Decision, DecisionDocument
from tracker.parsing import (
    DocumentNumberError,
    format_dutch_date,
    parse_document_number,
)
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
    ProjectLevel,
    StatedTotal,
)
from tracker.projects.operations import MAX_YEAR, MIN_YEAR

NONE = ("", "(geen)")
KEY_HELP = "Vaste interne sleutel; laat leeg om er een te laten maken."
DECISION_HELP = ("Het documentnummer zoals het document het schrijft (bv. VR 2020 2711 DOC 1294/1) of de "
                 "sleutel van de beslissing; leeg als er geen is.")


def _select(label: str, **kw: Any) -> SelectField:
    return SelectField(label, choices=[], validate_choice=True,
                       invalid_choice_message="Kies een van de mogelijkheden in de lijst.", **kw)


def _fill(form: EditForm, obj: Any, names: tuple[str, ...]) -> None:
    """Set a form's relation selects, amount and year fields from a record (for the edit form)."""
    for name in names:
        value = getattr(obj, name, None)
        f = getattr(form, name)
        if isinstance(value, (Organisation, Programme, Project, StatedTotal)):
            f.data = str(value.id)
        elif isinstance(value, Decision):
            f.data = value.documents[0].canonical if value.documents else value.key
        elif value is None:
            f.data = ""
        elif hasattr(value, "value") and not isinstance(value, int):
            f.data = value.value
        else:
            f.data = str(value)


def _record(model: type, f: Field) -> Any:
    """The record a select field names, or None for "(geen)"."""
    return db.session.get(model, int(f.data)) if f.data else None


def decision_value(form: EditForm, f: Field) -> Decision | None:
    """A decision named by a document number in any spelling, or by its key."""
    raw = text(f)
    if not raw:
        return None
    found = db.session.scalar(select(Decision).where(Decision.key == raw))
    if found is None:
        try:
            canonical = parse_document_number(raw).canonical
        except DocumentNumberError:
            canonical = None
        doc = canonical and db.session.scalar(select(DecisionDocument).where(DecisionDocument.canonical == canonical))
        found = doc.decision if doc else None
    if found is None:
        fail(f, f'Geen beslissing met documentnummer of sleutel "{raw[:80]}". Kijk het documentnummer na, of '
                "voeg de beslissing eerst toe.")
        return None
    form.read_as[f.name] = f"{found.title} ({format_dutch_date(found.meeting_date) if found.meeting_date else 'datum onbekend'})"
    return found


def required(f: Field, what: str) -> str:
    value = text(f)
    if not value:
        fail(f, f"Vul {what} in; dat veld is verplicht.")
    return value


class ProgrammeForm(EditForm):
    name = StringField("Naam", render_kw={"required": True}, description="Bijvoorbeeld Vlaanderen Radicaal Digitaal 3.")
    short_name = StringField("Korte naam", description="Bijvoorbeeld VRD 3.")
    description = TextAreaField("Beschrijving", render_kw={"rows": 5})
    key = StringField("Sleutel", description=KEY_HELP)

    def to_data(self) -> dict[str, Any] | None:
        data = {"name": required(self.name, "de naam"), "short_name": text(self.short_name),
                "description": (self.description.data or "").strip()}
        if text(self.key):
            data["key"] = text(self.key)
        return None if self.errors else data


class OrganisationForm(EditForm):
    name = StringField("Naam", render_kw={"required": True}, description="Bijvoorbeeld Agentschap Digitaal Vlaanderen.")
    abbreviation = StringField("Afkorting", description="Bijvoorbeeld ADV.")

    def to_data(self) -> dict[str, Any] | None:
        data = {"name": required(self.name, "de naam"), "abbreviation": text(self.abbreviation)}
        return None if self.errors else data


class ProjectForm(EditForm):
    title = StringField("Titel", render_kw={"required": True})
    code = StringField("Code", description="De code in het programma, bijvoorbeeld 21.4.")
    level = SelectField("Niveau", choices=choices((k.value, k.label) for k in ProjectLevel), default="project",
                        invalid_choice_message="Kies een geldig niveau: speerpunt, project of deelproject.")
    parent = _select("Bovenliggend project", description="Leeg voor een project op het hoogste niveau.")
    execution_year = StringField("Uitvoeringsjaar", description="Bijvoorbeeld 2021.")
    position = StringField("Plaats", default="1", description="Volgorde onder de andere projecten (1, 2, 3 ...).")
    organisation = _select("Verantwoordelijke entiteit")
    decision = StringField("Goedgekeurd met beslissing", description=DECISION_HELP)
    description = TextAreaField("Beschrijving", render_kw={"rows": 6})
    cite = StringField("Bronvermelding", description="Waar in het document staat dit (pagina, punt).")
    key = StringField("Sleutel", description=KEY_HELP)

    RELATIONS = ("parent", "organisation", "decision", "level", "execution_year", "position")
    FIELD_FOR = {"programme": "parent"}

    def offer(self, programme: Programme, project: Project | None = None) -> ProjectForm:
        """The choices: the programme's other projects as parents, every organisation."""
        projects = db.session.scalars(select(Project).where(Project.programme_id == programme.id)
                                      .order_by(Project.execution_year, Project.position, Project.id))
        self.parent.choices = choices([NONE] + [(p.id, p.label) for p in projects if p is not project])
        self.organisation.choices = organisation_choices()
        return self

    @classmethod
    def of(cls, project: Project) -> ProjectForm:
        form = super().of(project).offer(project.programme, project)
        _fill(form, project, cls.RELATIONS)
        return form

    def to_data(self) -> dict[str, Any] | None:
        data = {"title": required(self.title, "de titel"), "code": text(self.code),
                "level": ProjectLevel(self.level.data), "parent": _record(Project, self.parent),
                "execution_year": int_value(self.execution_year, "het uitvoeringsjaar", MIN_YEAR, MAX_YEAR),
                "position": int_value(self.position, "de plaats", 1, 10_000) or 1,
                "organisation": _record(Organisation, self.organisation),
                "decision": decision_value(self, self.decision),
                "description": (self.description.data or "").strip(), "cite": text(self.cite)}
        if text(self.key):
            data["key"] = text(self.key)
        return None if self.errors else data


def organisation_choices() -> list[Any]:
    return choices([NONE] + [(o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))])


class AmountFields(EditForm):
    """What a budget line and a stated total share: an amount as printed, a year, a kind, a decision."""

    amount = StringField("Bedrag", render_kw={"required": True},
                         description="Zoals het document het schrijft, bijvoorbeeld 39.500.000EUR of € 1.234.567; "
                                     "alleen hele euro's.")
    year = StringField("Jaar", description="Het begrotingsjaar, bijvoorbeeld 2021.")
    kind = SelectField("Soort", choices=choices((k.value, k.label) for k in BudgetKind), default="investering",
                       invalid_choice_message="Kies een geldige soort: investering, exploitatie of betaalprognose.")
    label = StringField("Omschrijving")
    decision = StringField("Beslissing", description=DECISION_HELP)
    cite = StringField("Bronvermelding", description="Waar in het document staat dit bedrag (pagina, tabel).")

    FIELD_FOR = {"printed": "amount"}

    # Query parameters a create page reads on GET to pre-fill the form (the paste-a-note page links
    # with them): Dutch parameter name → field. Only pre-filled; POST validates as ever.
    PREFILL = {"bedrag": "amount", "jaar": "year", "omschrijving": "label", "soort": "kind",
               "beslissing": "decision", "bron": "cite"}
    PREFILL_MAX_CHARS = 500

    def prefill(self, args: Any) -> bool:
        """Fill the fields named in ``args`` (a query string); an unknown kind is left at its default.

        Returns whether anything was filled. Nothing is checked or saved here.
        """
        filled = False
        for param, name in self.PREFILL.items():
            value = " ".join(str(args.get(param) or "").split())[:self.PREFILL_MAX_CHARS]
            f = getattr(self, name)
            if not value or (isinstance(f, SelectField) and value not in {c[0] for c in f.iter_choices()}):
                continue
            f.data = value
            filled = True
        return filled

    def amount_data(self) -> dict[str, Any]:
        parsed = amount_value(self, self.amount)
        if not text(self.amount):
            fail(self.amount, "Vul het bedrag in; dat veld is verplicht.")
        data: dict[str, Any] = {"kind": BudgetKind(self.kind.data), "label": text(self.label),
                                "decision": decision_value(self, self.decision), "cite": text(self.cite)}
        if parsed is not None:
            data["amount"], data["printed"] = parsed
        return data


class BudgetLineForm(AmountFields):
    month = StringField("Maand", description="Alleen voor een bedrag van één maand (1 tot 12); meestal leeg.")
    total = _select("Deel van het vermelde totaal")

    def offer(self, totals: list[StatedTotal]) -> BudgetLineForm:
        self.total.choices = choices([NONE] + [(t.id, t.label) for t in totals])
        return self

    @classmethod
    def of(cls, line: BudgetLine, totals: list[StatedTotal]) -> BudgetLineForm:
        form = super().of(line).offer(totals)
        _fill(form, line, ("year", "month", "kind", "decision", "total"))
        form.amount.data = line.printed or str(line.amount)
        return form

    def to_data(self) -> dict[str, Any] | None:
        data = self.amount_data()
        if not text(self.year):
            fail(self.year, "Vul het jaar in; dat veld is verplicht.")
        data.update(year=int_value(self.year, "het jaar", MIN_YEAR, MAX_YEAR),
                    month=int_value(self.month, "de maand", 1, 12), total=_record(StatedTotal, self.total))
        return None if self.errors else data


class StatedTotalForm(AmountFields):
    title = StringField("Wat het totaal telt", render_kw={"required": True},
                        description="Bijvoorbeeld Totaal VRD 2, uitvoeringsjaar 2021.")
    partial = BooleanField("Het document noemt maar een deel van wat dit totaal bevat (waarbij inbegrepen)")
    key = StringField("Sleutel", description=KEY_HELP)

    FIELD_FOR = {"printed": "amount", "label": "title"}

    @classmethod
    def of(cls, total: StatedTotal) -> StatedTotalForm:
        form = super().of(total)
        _fill(form, total, ("year", "kind", "decision"))
        form.title.data = total.label
        form.label.data = ""
        form.amount.data = total.printed or str(total.amount)
        return form

    def editable_fields(self) -> list[Field]:
        return [f for f in super().editable_fields() if f.name != "label"]

    def to_data(self) -> dict[str, Any] | None:
        data = self.amount_data()
        data.update(label=required(self.title, "wat het totaal telt"), partial=bool(self.partial.data),
                    year=int_value(self.year, "het jaar", MIN_YEAR, MAX_YEAR))
        if text(self.key):
            data["key"] = text(self.key)
        return None if self.errors else data
