from flask import Blueprint

from tracker.suggest import views

bp = Blueprint("suggest", __name__)
bp.add_url_rule("/beslissingen/<int:decision_id>/suggesties", "decision", views.for_decision)
bp.add_url_rule("/engagementen/<int:commitment_id>/suggesties", "commitment", views.for_commitment)
bp.add_url_rule("/beslissingen/<int:decision_id>/suggesties/<int:commitment_id>/koppelen", "confirm",
                views.confirm, methods=["POST"])
bp.add_url_rule("/beslissingen/<int:decision_id>/suggesties/<int:commitment_id>/afwijzen", "dismiss",
                views.dismiss, methods=["POST"])


@bp.app_context_processor
def _helpers() -> dict[str, object]:
    from tracker.commitments.models import Relation
    from tracker.suggest.ranker import path_of, suggest

    return {"suggestions_for": suggest, "path_of": path_of,
            "relation_choices": lambda: [(r.value, r.label) for r in Relation]}
