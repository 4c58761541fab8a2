from flask import Blueprint

from tracker.workbench import views

bp = Blueprint("workbench", __name__)
bp.add_url_rule("/werkbank", "home", views.home)
