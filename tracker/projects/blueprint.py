from flask import Blueprint

from tracker.projects import views

bp = Blueprint("projects", __name__)
EDIT = ["GET", "POST"]
bp.add_url_rule("/programmas", "programmes", views.programme_list)
bp.add_url_rule("/programmas/nieuw", "programme_new", views.programme_new, methods=EDIT)
bp.add_url_rule("/programmas/<int:programme_id>", "programme", views.programme_display)
bp.add_url_rule("/programmas/<int:programme_id>/bewerken", "programme_edit", views.programme_edit, methods=EDIT)
bp.add_url_rule("/programmas/<int:programme_id>/verwijderen", "programme_delete", views.programme_delete, methods=EDIT)
bp.add_url_rule("/programmas/<int:programme_id>/projecten/nieuw", "project_new", views.project_new, methods=EDIT)
bp.add_url_rule("/programmas/<int:owner_id>/begrotingslijnen/nieuw", "programme_line_new", views.budget_line_new,
                methods=EDIT, defaults={"owner": "programme"})
bp.add_url_rule("/programmas/<int:programme_id>/totalen/nieuw", "stated_total_new", views.stated_total_new,
                methods=EDIT)
bp.add_url_rule("/projecten/<int:project_id>", "display", views.project_display)
bp.add_url_rule("/projecten/<int:project_id>/bewerken", "project_edit", views.project_edit, methods=EDIT)
bp.add_url_rule("/projecten/<int:project_id>/deelprojecten/nieuw", "subproject_new", views.subproject_new, methods=EDIT)
bp.add_url_rule("/projecten/<int:project_id>/verwijderen", "project_delete", views.project_delete, methods=EDIT)
bp.add_url_rule("/projecten/<int:owner_id>/begrotingslijnen/nieuw", "project_line_new", views.budget_line_new,
                methods=EDIT, defaults={"owner": "project"})
bp.add_url_rule("/organisaties", "organisations", views.organisation_list)
bp.add_url_rule("/organisaties/nieuw", "organisation_new", views.organisation_new, methods=EDIT)
bp.add_url_rule("/organisaties/<int:organisation_id>", "organisation", views.organisation_display)
bp.add_url_rule("/organisaties/<int:organisation_id>/bewerken", "organisation_edit", views.organisation_edit,
                methods=EDIT)
bp.add_url_rule("/organisaties/<int:organisation_id>/verwijderen", "organisation_delete", views.organisation_delete,
                methods=EDIT)
bp.add_url_rule("/organisaties/<int:owner_id>/begrotingslijnen/nieuw", "organisation_line_new",
                views.budget_line_new, methods=EDIT, defaults={"owner": "organisation"})
bp.add_url_rule("/begrotingslijnen/<int:line_id>/bewerken", "budget_line_edit", views.budget_line_edit, methods=EDIT)
bp.add_url_rule("/begrotingslijnen/<int:line_id>/verwijderen", "budget_line_delete", views.budget_line_delete,
                methods=EDIT)
bp.add_url_rule("/totalen/<int:total_id>/bewerken", "stated_total_edit", views.stated_total_edit, methods=EDIT)
bp.add_url_rule("/totalen/<int:total_id>/verwijderen", "stated_total_delete", views.stated_total_delete,
                methods=EDIT)
