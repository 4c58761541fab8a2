from flask import Blueprint

from tracker.commitments import edit, link_views, views
from tracker.commitments.models import Relation
from tracker.commitments.operations import MIN_RATIONALE

bp = Blueprint("commitments", __name__)
bp.add_url_rule("/engagementen/<int:commitment_id>", "display", views.commitment_display)
EDIT = ["GET", "POST"]
bp.add_url_rule("/engagementen/<int:commitment_id>/bewerken", "edit", edit.commitment_edit, methods=EDIT)
bp.add_url_rule("/engagementen/<int:commitment_id>/nieuw-onderdeel", "new_child", edit.commitment_new_child,
                methods=EDIT)
bp.add_url_rule("/bronnen/<int:source_id>/nieuw-engagement", "new_root", edit.commitment_new_root, methods=EDIT)
bp.add_url_rule("/engagementen/<int:commitment_id>/verplaatsen", "move", edit.commitment_move, methods=EDIT)
bp.add_url_rule("/engagementen/<int:commitment_id>/verwijderen", "delete", edit.commitment_delete, methods=EDIT)
bp.add_url_rule("/koppelingen/nieuw", "link_new", link_views.link_new, methods=EDIT)
bp.add_url_rule("/koppelingen/<int:link_id>/bewerken", "link_edit", link_views.link_edit, methods=EDIT)
bp.add_url_rule("/koppelingen/<int:link_id>/verwijderen", "link_remove", link_views.link_remove, methods=EDIT)
bp.add_app_template_global(link_views.link_search, "link_search")
bp.add_app_template_global(link_views.linked_keys, "linked_keys")
bp.app_context_processor(lambda: {"link_relations": list(Relation), "link_min_rationale": MIN_RATIONALE})
