"""The decision form: fields in Dutch, read in the documents' own spellings, turned into plain data."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from tracker.core.db import db
from tracker.core.forms import choices
from tracker.decisions.editing import (
    EditForm,
    date_value,
    document_numbers,
    printed_lines,
    text,
)
from tracker.decisions.models import Decision, DecisionKind
from tracker.parsing import DocumentNumber, format_dutch_date


class DecisionForm(EditForm):
    title = StringField("Titel", render_kw={"required": True},
                        description="De titel zoals de beslissing of de beslissingensite hem schrijft.")
    kind = SelectField("Soort", choices=choices((k.value, k.label) for k in DecisionKind), default="nota",
                       invalid_choice_message="Kies een geldige soort: nota, mededeling of beslissing.")
    meeting_date = StringField("Datum van de vergadering",
                               description="Bijvoorbeeld 17 december 2021, 17/12/2021 of 2021-12-17. Leeg: "
                                           "de datum uit het eerste documentnummer.")
    documents = TextAreaField("Documentnummers", render_kw={"rows": 3},
                              description="Zoals het document ze schrijft, één schrijfwijze per regel, "
                                          "bijvoorbeeld VR 2021 1712 DOC 1462/1 en 2. De tracker bewaart ze "
                                          "in de vaste vorm VR 2021 1712 DOC.1462/1.")
    policy_domain = StringField("Beleidsdomein", description="Bijvoorbeeld Digitalisering of Bestuurszaken.")
    summary = TextAreaField("Samenvatting", render_kw={"rows": 5})
    text = TextAreaField("Gepubliceerde tekst", render_kw={"rows": 8},
                         description="De tekst van de beslissing zoals ze gepubliceerd is (mag leeg blijven).")
    url = StringField("Webadres", description="De beslissing op beslissingenvlaamseregering.vlaanderen.be.")
    cite = StringField("Bronvermelding", description="Waar in het document staat dit (pagina, punt).")
    sources = SelectMultipleField("Bronnen", choices=[], render_kw={"size": 6},
                                  description="De brondocumenten die deze beslissing vermelden (Ctrl of Cmd om "
                                              "er meer te kiezen).",
                                  invalid_choice_message="Kies bronnen uit de lijst.")
    not_duplicate = BooleanField("Dit is geen dubbel; toch opslaan")

    SPECIAL = ("not_duplicate",)
    FIELD_FOR = {"key": "title", "site_id": "url"}

    def offer(self) -> DecisionForm:
        """The sources to choose from."""
        from tracker.sources.models import Source

        self.sources.choices = choices((s.id, s.title[:150]) for s in
                                       db.session.scalars(select(Source).order_by(Source.title)))
        return self

    @classmethod
    def of(cls, decision: Decision) -> DecisionForm:
        form = super().of(decision).offer()
        form.sources.data = [str(s.id) for s in decision.sources]
        form.kind.data = decision.kind.value
        form.meeting_date.data = decision.meeting_date.isoformat() if decision.meeting_date else ""
        form.documents.data = printed_lines(decision.documents)
        return form

    def to_data(self) -> tuple[dict[str, Any], list[tuple[DocumentNumber, str]]] | None:
        """The decision's fields and its document numbers as plain data; None when a field is unreadable."""
        numbers = document_numbers(self, self.documents)
        meeting_date = date_value(self, self.meeting_date)
        if not self.meeting_date.errors and meeting_date is None and numbers:
            meeting_date = numbers[0][0].meeting_date
            self.read_as["meeting_date"] = f"{format_dutch_date(meeting_date)} (uit het documentnummer)"
        if not text(self.title):
            self.title.errors = ["Vul de titel in; dat veld is verplicht."]
        if self.errors or numbers is None:
            return None
        data = {"title": text(self.title), "kind": DecisionKind(self.kind.data), "meeting_date": meeting_date,
                "policy_domain": text(self.policy_domain), "summary": (self.summary.data or "").strip(),
                "text": (self.text.data or "").strip(), "url": text(self.url), "cite": text(self.cite),
                "sources": self.chosen_sources()}
        return data, numbers

    def chosen_sources(self) -> list[Any]:
        from tracker.sources.models import Source

        ids = [int(value) for value in self.sources.data or []]
        found = {s.id: s for s in db.session.scalars(select(Source).where(Source.id.in_(ids)))} if ids else {}
        return [found[i] for i in ids if i in found]
