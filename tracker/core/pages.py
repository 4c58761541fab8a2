"""Pages that belong to no single domain: home, method, changes between two dates."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from tracker.commitments.queries import changes_between, combined_rollup, source_tree
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.sources.models import Source, SourceKind
from tracker.workflow.status import NotRealisedReason, Status, STATUS_INFO

bp = Blueprint("pages", __name__)

TRACKED_KINDS = (SourceKind.REGEERAKKOORD, SourceKind.STRATEGIE, SourceKind.NOTA)


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    """Dashboard: every source that makes commitments, with its roll-up."""
    as_of = date_arg("op", "datum")
    overview = []
    for source in db.session.scalars(select(Source).order_by(Source.kind, Source.title)):
        roots = source_tree(source.id, as_of)
        if not roots:
            continue
        overview.append((source, combined_rollup(roots)))
    recent = select(Decision).where(Decision.meeting_date.is_not(None))
    if as_of is not None:
        recent = recent.where(Decision.meeting_date <= as_of)
    latest = list(db.session.scalars(recent.order_by(Decision.meeting_date.desc(), Decision.id.desc()).limit(8)))
    return render_template("home.html", overview=overview, latest=latest, as_of=as_of)


@bp.route("/hoe-we-beoordelen")
def method():  # type: ignore[no-untyped-def]
    """The status scale and how roll-ups are computed."""
    from tracker.workflow.status import ALLOWED_TRANSITIONS

    return render_template("method.html", statuses=list(Status), info=STATUS_INFO,
                           reasons=list(NotRealisedReason), transitions=ALLOWED_TRANSITIONS)


@bp.route("/wijzigingen")
def changes():  # type: ignore[no-untyped-def]
    """Which commitments changed status between two dates, from what, to what and why."""
    start = date_arg("van", "begindatum")
    end = date_arg("tot", "einddatum") or date.today()
    rows = None
    if start is not None:
        if start > end:
            raise BadRequest("De begindatum ligt na de einddatum; draai ze om.")
        rows = changes_between(start, end)
    return render_template("changes.html", start=start, end=end, rows=rows)
