"""Confirming or dismissing a suggestion: a relation kind and a motivation."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.commitments.models import Relation
from tracker.commitments.operations import MIN_RATIONALE
from tracker.suggest.operations import MIN_NOTE


class ConfirmForm(FlaskForm):
    relation = SelectField("Aard van de koppeling", choices=[SelectChoice(r.value, r.label) for r in Relation],
                           default=Relation.REALISEERT_GEDEELTELIJK.value)
    rationale = TextAreaField("Motivering", validators=[
        DataRequired("Schrijf waarom deze beslissing dit engagement dient."),
        Length(min=MIN_RATIONALE, max=5000, message=f"Schrijf een motivering van {MIN_RATIONALE} tot 5.000 tekens.")],
        description="Wat in de beslissing voert wat in het engagement uit?")
    next = HiddenField()


class DismissForm(FlaskForm):
    note = TextAreaField("Waarom niet?", validators=[
        DataRequired("Schrijf waarom deze suggestie niet klopt."),
        Length(min=MIN_NOTE, max=2000, message=f"Schrijf {MIN_NOTE} tot 2.000 tekens.")],
        description="De suggestie komt daarna niet meer terug.")
    next = HiddenField()
