"""The import forms: upload a file, pull from the decisions site, confirm a preview."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, RadioField
from wtforms.validators import DataRequired, Optional

from tracker.core.forms import choices

DECISIONS, REPORTS, AGREEMENT = "beslissingen", "rapporten", "regeerakkoord"
KINDS = [
    (DECISIONS, "Beslissingen: CSV, JSON of JSONL (ook het bestand met echte data van de beslissingensite)"),
    (REPORTS, "Nakomingsrapporten: JSONL zoals adherence-reports.jsonl, of één rapport als tekst "
              "(zoals seeddocument 004). Hun verwijzingen worden suggesties, nooit bewijs."),
    (AGREEMENT, "Secties van het regeerakkoord 2019-2024 (JSONL, zoals het bestand met echte data)"),
]


class UploadForm(FlaskForm):
    kind = RadioField("Soort bestand", choices=choices(KINDS), default=DECISIONS,
                      validate_choice=True, invalid_choice_message="Kies de soort van het bestand.")
    file = FileField("Bestand", validators=[FileRequired("Kies een bestand om te importeren.")],
                     render_kw={"accept": ".csv,.json,.jsonl,.txt,.md,text/csv,application/json,text/plain"})


class PullForm(FlaskForm):
    van = DateField("Van (vergaderdatum)", validators=[DataRequired("Vul een geldige datum in (JJJJ-MM-DD).")])
    tot = DateField("Tot en met", validators=[Optional()])

    def validate_tot(self, field):  # type: ignore[no-untyped-def]
        from wtforms.validators import ValidationError

        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")


class ConfirmForm(FlaskForm):
    digest = HiddenField()
