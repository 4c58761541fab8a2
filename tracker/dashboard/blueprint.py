from flask import Blueprint

from tracker.dashboard import pages, views

bp = Blueprint("dashboard", __name__)
bp.add_url_rule("/", "home", views.home)
bp.add_url_rule("/voortgang/<int:source_id>", "progress", pages.progress)
bp.add_url_rule("/tijd/<int:source_id>", "timeline", pages.timeline)
bp.add_url_rule("/geld", "money", pages.money)
bp.add_url_rule("/stilgevallen", "stalled", pages.stalled)
