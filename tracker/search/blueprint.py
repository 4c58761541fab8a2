from flask import Blueprint

from tracker.search import views

bp = Blueprint("search", __name__)
bp.add_url_rule("/zoeken", "search", views.search_page)
bp.add_url_rule("/api/v1/search", "api", views.search_api)
