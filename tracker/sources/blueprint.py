from flask import Blueprint

from tracker.sources import views

bp = Blueprint("sources", __name__)
bp.add_url_rule("/bronnen", "list", views.source_list)
bp.add_url_rule("/bronnen/<int:source_id>", "display", views.source_display)
bp.add_url_rule("/bronnen/nieuw", "new", views.source_new, methods=["GET", "POST"])
bp.add_url_rule("/bronnen/<int:source_id>/bewerken", "edit", views.source_edit, methods=["GET", "POST"])
