from flask import Blueprint

from tracker.accounts import views

bp = Blueprint("accounts", __name__)
bp.add_url_rule("/aanmelden", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/afmelden", "logout", views.logout, methods=["GET", "POST"])
