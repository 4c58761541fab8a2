from flask import Blueprint

from tracker.intake import views

bp = Blueprint("intake", __name__)
bp.add_url_rule("/import", "upload", views.upload, methods=["GET", "POST"])
bp.add_url_rule("/import/vr", "pull", views.pull, methods=["POST"])
bp.add_url_rule("/import/<token>", "show", views.show, methods=["GET"])
bp.add_url_rule("/import/<token>/bevestigen", "confirm", views.confirm, methods=["POST"])
