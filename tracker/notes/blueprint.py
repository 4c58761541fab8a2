from flask import Blueprint

from tracker.notes import views

bp = Blueprint("notes", __name__)
bp.add_url_rule("/nota-plakken", "paste", views.paste, methods=["GET", "POST"])

bp.add_url_rule("/nota-plakken/budgetlijn", "budget_line", views.budget_line)
