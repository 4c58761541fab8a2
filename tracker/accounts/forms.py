"""The login form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tracker.accounts.passwords import MAX_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."),
                                                   Length(max=254, message="Dit e-mailadres is te lang.")],
                       render_kw={"autocomplete": "username"})
    # No strip filter: the password is checked exactly as typed.
    password = PasswordField("Wachtwoord", validators=[
        DataRequired("Vul uw wachtwoord in."),
        Length(max=MAX_LENGTH, message=f"Een wachtwoord telt hoogstens {MAX_LENGTH} tekens.")],
        render_kw={"autocomplete": "current-password"})
    volgende = StringField()


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out changes state, so it is a POST."""
