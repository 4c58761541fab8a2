from flask import Blueprint

from tracker.workflow import views
from tracker.workflow.forms import propose_panel

bp = Blueprint("workflow", __name__)
bp.add_url_rule("/voorstellen", "proposals", views.proposal_list)
bp.add_url_rule("/voorstellen/<int:proposal_id>/goedkeuren", "approve", views.approve, methods=["POST"])
bp.add_url_rule("/voorstellen/<int:proposal_id>/afwijzen", "reject", views.reject, methods=["POST"])
bp.add_url_rule("/engagementen/<int:commitment_id>/status-voorstellen", "propose", views.propose,
                methods=["GET", "POST"])
bp.add_url_rule("/hoe-we-beoordelen", "method", views.method)
bp.add_url_rule("/wijzigingen", "changes", views.changes)
# The propose panel on a commitment's page (templates/workflow/_propose_panel.html) builds itself.
bp.add_app_template_global(propose_panel, "propose_panel")
