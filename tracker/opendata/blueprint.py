from flask import Blueprint

from tracker.commitments.models import Commitment
from tracker.decisions.models import Decision
from tracker.opendata import api, docs, downloads, feeds
from tracker.projects.models import Programme, Project
from tracker.sources.models import Source

bp = Blueprint("opendata", __name__)
API = "/api/v1"
bp.add_url_rule(f"{API}/", "index", api.index)
bp.add_url_rule(f"{API}/openapi.json", "openapi", docs.openapi_json)
bp.add_url_rule("/api", "api_page", docs.api_page)
for name, path, many, one in (
    ("sources", "sources", api.sources, (api.source, Source)),
    ("commitments", "commitments", api.commitments, (api.commitment, Commitment)),
    ("decisions", "decisions", api.decisions, (api.decision, Decision)),
    ("programmes", "programmes", api.programmes, (api.programme, Programme)),
    ("projects", "projects", api.projects, (api.project, Project)),
    ("organisations", "organisations", api.organisations, None),
    ("budget_lines", "budget-lines", api.budget_lines, None),
    ("stated_totals", "stated-totals", api.stated_totals, None),
    ("stated_claims", "stated-claims", api.stated_claims, None),
    ("status_changes", "status-changes", api.status_changes, None),
    ("changes", "changes", api.changes, None),
):
    bp.add_url_rule(f"{API}/{path}", name, many)
    if one is not None:
        view, model = one
        view.model = model  # type: ignore[attr-defined]  (the record it shows; tests build URLs from it)
        bp.add_url_rule(f"{API}/{path}/<path:key>", name.removesuffix("s"), view)

# Atom feeds, beside the pages they follow.
bp.add_url_rule("/beslissingen.atom", "decisions_feed", feeds.decisions_feed)
bp.add_url_rule("/wijzigingen.atom", "changes_feed", feeds.changes_feed)
bp.add_url_rule("/bronnen/<int:source_id>/wijzigingen.atom", "source_changes_feed", feeds.source_changes_feed)
bp.add_url_rule("/engagementen/<int:commitment_id>/wijzigingen.atom", "commitment_changes_feed",
                feeds.commitment_changes_feed)
bp.add_url_rule("/zoeken.atom", "search_feed", feeds.search_feed)

# Downloads of lists, beside the pages they come from: an endpoint per format (decisions_download_csv).
for path, endpoint, view in downloads.LISTS:
    for fmt in ("csv", "json"):
        bp.add_url_rule(f"{path}.{fmt}", f"{endpoint}_{fmt}", downloads.in_format(view, fmt))
