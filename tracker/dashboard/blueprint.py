from flask import Blueprint

from tracker.dashboard import views

bp = Blueprint("dashboard", __name__)
bp.add_url_rule("/", "home", views.home)
