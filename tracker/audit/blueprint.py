from flask import Blueprint

from tracker.audit import views

bp = Blueprint("audit", __name__)
bp.add_url_rule("/beheer/audit", "entries", views.entries)
