"""The form of a source document."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from tracker.asof import TERM_STARTS
from tracker.commitments.editing import enum_value, strip
from tracker.core.forms import enum_choices
from tracker.sources.models import SourceKind


class SourceForm(FlaskForm):
    key = StringField("Sleutel", filters=[strip], validators=[InputRequired("Vul de sleutel in.")],
                      description="Korte, unieke naam in kleine letters, bijvoorbeeld ra-2024 of vds; "
                                  "ze komt terug in de sleutels van de engagementen.")
    kind = SelectField("Soort", choices=enum_choices(SourceKind), validate_choice=False)
    title = StringField("Titel", filters=[strip], validators=[InputRequired("Vul de titel in.")],
                        description="De titel zoals het document hem draagt.")
    government = StringField("Regering", filters=[strip],
                             description="Bijvoorbeeld " + " of ".join(TERM_STARTS) + "; leeg voor een bron "
                                         "van geen enkele regering.")
    date = StringField("Datum", filters=[strip],
                       description="JJJJ-MM-DD, bijvoorbeeld 2024-09-30. Zonder datum telt de bron "
                                   "in de weergave op datum mee vanaf het begin van haar regering.")
    url = StringField("Webadres", filters=[strip], description="Waar het document publiek staat.")
    read_from = StringField("Gelezen uit", filters=[strip],
                            description="Het bestand of de pagina waaruit de tekst overgenomen is.")
    summary = TextAreaField("Samenvatting", filters=[strip])
    text = TextAreaField("Tekst", filters=[strip], description="Alinea's gescheiden door een lege regel.")
    version = HiddenField()

    def validate_date(self, field: StringField) -> None:
        if field.data:
            try:
                field.parsed = date.fromisoformat(field.data)
            except ValueError:
                raise ValidationError("Geef de datum in de vorm JJJJ-MM-DD, bijvoorbeeld 2024-09-30.") from None
            if not field.data[:4].isdigit() or len(field.data) != 10:
                raise ValidationError("Geef de datum in de vorm JJJJ-MM-DD, bijvoorbeeld 2024-09-30.")

    def values(self) -> dict[str, Any]:
        """The record's fields as the operations take them."""
        return {
            "key": self.key.data, "kind": enum_value(SourceKind, self.kind.data), "title": self.title.data,
            "government": self.government.data or "", "date": getattr(self.date, "parsed", None) if self.date.data else None,
            "url": self.url.data or "", "read_from": self.read_from.data or "",
            "summary": self.summary.data or "", "text": self.text.data or "",
        }
