from flask import Blueprint

from tracker.decisions import views

bp = Blueprint("decisions", __name__)
bp.add_url_rule("/beslissingen", "list", views.decision_list)
bp.add_url_rule("/beslissingen/nieuw", "new", views.decision_new, methods=["GET", "POST"])
bp.add_url_rule("/beslissingen/<int:decision_id>", "display", views.decision_display)
bp.add_url_rule("/beslissingen/<int:decision_id>/bewerken", "edit", views.decision_edit, methods=["GET", "POST"])
bp.add_url_rule("/beslissingen/<int:decision_id>/verwijderen", "delete", views.decision_delete,
                methods=["GET", "POST"])
