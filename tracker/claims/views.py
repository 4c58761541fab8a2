"""Every claim of one source, checked."""
from __future__ import annotations

from flask import render_template

from tracker.accounts.auth import public
from tracker.claims.queries import claims_about
from tracker.core.db import db
from tracker.sources.models import Source


@public
def source_claims(source_id: int):  # type: ignore[no-untyped-def]
    source = db.get_or_404(Source, source_id)
    return render_template("claims/list.html", source=source, checked=claims_about(source_id=source.id))
