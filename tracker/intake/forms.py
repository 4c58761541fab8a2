"""The import forms: upload a file, pull from the decisions site, confirm a preview."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField
from wtforms.validators import DataRequired, Optional


class UploadForm(FlaskForm):
    file = FileField("Bestand met beslissingen (CSV, JSON of JSONL)",
                     validators=[FileRequired("Kies een bestand om te importeren.")],
                     render_kw={"accept": ".csv,.json,.jsonl,text/csv,application/json"})


class PullForm(FlaskForm):
    van = DateField("Van (vergaderdatum)", validators=[DataRequired("Vul een geldige datum in (JJJJ-MM-DD).")])
    tot = DateField("Tot en met", validators=[Optional()])

    def validate_tot(self, field):  # type: ignore[no-untyped-def]
        from wtforms.validators import ValidationError

        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")


class ConfirmForm(FlaskForm):
    digest = HiddenField()
