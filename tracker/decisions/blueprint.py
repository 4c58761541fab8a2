from flask import Blueprint

from tracker.decisions import views

bp = Blueprint("decisions", __name__)
bp.add_url_rule("/beslissingen", "list", views.decision_list)
bp.add_url_rule("/beslissingen/<int:decision_id>", "display", views.decision_display)
