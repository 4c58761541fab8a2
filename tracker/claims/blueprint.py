from flask import Blueprint

from tracker.claims import views
from tracker.claims.queries import claims_about

bp = Blueprint("claims", __name__)
bp.add_url_rule("/bronnen/<int:source_id>/beweringen", "source", views.source_claims)


@bp.app_context_processor
def _claims() -> dict[str, object]:
    # Source, programme and decision pages include templates/claims/_claims.html with this.
    return {"claims_about": claims_about}
