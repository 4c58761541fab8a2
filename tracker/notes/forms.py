from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

MAX_NOTE_CHARS = 200_000


class PasteForm(FlaskForm):
    text = TextAreaField("Tekst van de nota", validators=[
        DataRequired("Plak de tekst van een nota aan de Vlaamse Regering."),
        Length(max=MAX_NOTE_CHARS, message=f"Plak hoogstens {MAX_NOTE_CHARS:,} tekens.".replace(",", "."))],
        description="Kopieer de tekst uit de pdf of het tekstbestand en plak hem hier. Er wordt niets opgeslagen.")
