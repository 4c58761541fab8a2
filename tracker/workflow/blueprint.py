from flask import Blueprint

from tracker.workflow import views

bp = Blueprint("workflow", __name__)
bp.add_url_rule("/voorstellen", "proposals", views.proposal_list)
bp.add_url_rule("/hoe-we-beoordelen", "method", views.method)
bp.add_url_rule("/wijzigingen", "changes", views.changes)
