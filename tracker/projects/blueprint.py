from flask import Blueprint

from tracker.projects import views

bp = Blueprint("projects", __name__)
bp.add_url_rule("/programmas", "programmes", views.programme_list)
bp.add_url_rule("/programmas/<int:programme_id>", "programme", views.programme_display)
bp.add_url_rule("/projecten/<int:project_id>", "display", views.project_display)
bp.add_url_rule("/organisaties/<int:organisation_id>", "organisation", views.organisation_display)
