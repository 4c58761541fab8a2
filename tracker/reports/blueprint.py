from flask import Blueprint

from tracker.reports import views

bp = Blueprint("reports", __name__)
bp.add_url_rule("/rapport/engagementen/<int:commitment_id>", "commitment", views.commitment_report)
bp.add_url_rule("/rapport/engagementen/<int:commitment_id>.md", "commitment_markdown", views.commitment_markdown)
bp.add_url_rule("/rapport/engagementen/<int:commitment_id>.pdf", "commitment_pdf", views.commitment_pdf)


@bp.app_template_filter("foreign_references")
def foreign_references(text: str) -> str:
    """``[22]`` in a motivation quoted from an analysis numbers that document's sources, not the report's."""
    return views.FOREIGN_REFERENCE.sub(r"[analyse \1]", text or "")
