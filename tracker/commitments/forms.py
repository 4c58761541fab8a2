"""The forms of a commitment (edit, add a part, move, delete) and of a link (make, edit, remove)."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from tracker.commitments.editing import enum_value, strip
from tracker.commitments.models import Level, Relation
from tracker.commitments.operations import MIN_RATIONALE, MIN_REMOVAL_REASON
from tracker.core.forms import enum_choices

TOP = ""  # the parent choice "no parent": a root of the source's tree


class WholeNumberField(IntegerField):
    """An integer field whose parse error is Dutch."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Geef een geheel getal, bijvoorbeeld 2.") from None


class CommitmentForm(FlaskForm):
    reference = StringField("Nummer", filters=[strip],
                            description="Het nummer in het document, bijvoorbeeld 3.2.3 of SP 2; mag leeg.")
    title = StringField("Titel", filters=[strip], validators=[InputRequired("Vul de titel in.")])
    level = SelectField("Niveau", choices=enum_choices(Level), validate_choice=False,
                        description="Hoofdstuk en afdeling groeperen; een engagement of actiepunt is wat de "
                                    "regering belooft.")
    text = TextAreaField("Tekst", filters=[strip], description="De tekst uit het document, alinea's gescheiden "
                                                               "door een lege regel.")
    policy_domain = StringField("Beleidsdomein", filters=[strip], description="Bijvoorbeeld Bestuurszaken.")
    responsible = StringField("Verantwoordelijke", filters=[strip],
                              description="De minister of entiteit die het document aanwijst.")
    cite = StringField("Bronvermelding", filters=[strip], description="Waar in het document, bijvoorbeeld p. 112.")
    version = HiddenField()

    def values(self) -> dict[str, Any]:
        return {"reference": self.reference.data or "", "title": self.title.data,
                "level": enum_value(Level, self.level.data), "text": self.text.data or "",
                "policy_domain": self.policy_domain.data or "", "responsible": self.responsible.data or "",
                "cite": self.cite.data or ""}


class NewCommitmentForm(CommitmentForm):
    key = StringField("Sleutel", filters=[strip], validators=[InputRequired("Vul de sleutel in.")],
                      description="Uniek in de hele tracker; de gewoonte is de sleutel van de bovenliggende "
                                  "kop gevolgd door / en het nummer, bijvoorbeeld vds/2.3.")

    def values(self) -> dict[str, Any]:
        return {"key": self.key.data, **super().values()}


class MoveForm(FlaskForm):
    parent = SelectField("Nieuwe bovenliggende kop", validate_choice=False,
                         description="Een kop uit dezelfde bron; het engagement verhuist met al zijn onderdelen.")
    position = WholeNumberField("Plaats", validators=[InputRequired("Vul de plaats in (1 of meer)."),
                                                  NumberRange(min=1, message="De plaats is 1 of meer.")],
                            description="1 is bovenaan; een plaats voorbij de laatste zet het onderaan.")
    version = HiddenField()


class DeleteForm(FlaskForm):
    """Only the CSRF token: deleting changes state, so it is a POST after a confirmation page."""


class LinkForm(FlaskForm):
    relation = SelectField("Aard van de koppeling", choices=enum_choices(Relation), validate_choice=False)
    rationale = TextAreaField("Motivering", filters=[strip],
                              validators=[InputRequired("Schrijf een motivering.")],
                              description=f"Waarom hoort dit bij elkaar? Minstens {MIN_RATIONALE} tekens.")
    quote = TextAreaField("Citaat (niet verplicht)", filters=[strip],
                          description="Een passage uit de beslissing of het project die de koppeling staaft.")
    commitment = HiddenField()
    decision = HiddenField()
    project = HiddenField()
    volgende = HiddenField()
    version = HiddenField()

    def values(self) -> dict[str, Any]:
        return {"relation": enum_value(Relation, self.relation.data), "rationale": self.rationale.data or "",
                "quote": self.quote.data or ""}


class RemoveLinkForm(FlaskForm):
    reason = TextAreaField("Reden van het verwijderen", filters=[strip],
                           validators=[InputRequired("Geef de reden van het verwijderen.")],
                           description=f"Minstens {MIN_REMOVAL_REASON} tekens; de reden blijft zichtbaar in de "
                                       "geschiedenis van het engagement.")
    volgende = HiddenField()
    version = HiddenField()
