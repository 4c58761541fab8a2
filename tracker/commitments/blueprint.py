from flask import Blueprint

from tracker.commitments import views

bp = Blueprint("commitments", __name__)
bp.add_url_rule("/engagementen/<int:commitment_id>", "display", views.commitment_display)
