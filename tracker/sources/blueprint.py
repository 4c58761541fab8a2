from flask import Blueprint

from tracker.sources import views

bp = Blueprint("sources", __name__)
bp.add_url_rule("/bronnen", "list", views.source_list)
bp.add_url_rule("/bronnen/<int:source_id>", "display", views.source_display)
