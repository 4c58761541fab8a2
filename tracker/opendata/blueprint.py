from flask import Blueprint

from tracker.opendata import api, docs

bp = Blueprint("opendata", __name__)
API = "/api/v1"
bp.add_url_rule(f"{API}/", "index", api.index)
bp.add_url_rule(f"{API}/openapi.json", "openapi", docs.openapi_json)
bp.add_url_rule("/api", "api_page", docs.api_page)
for name, path, many, one in (
    ("sources", "sources", api.sources, api.source),
    ("commitments", "commitments", api.commitments, api.commitment),
    ("decisions", "decisions", api.decisions, api.decision),
    ("programmes", "programmes", api.programmes, api.programme),
    ("projects", "projects", api.projects, api.project),
    ("organisations", "organisations", api.organisations, None),
    ("budget_lines", "budget-lines", api.budget_lines, None),
    ("stated_totals", "stated-totals", api.stated_totals, None),
    ("status_changes", "status-changes", api.status_changes, None),
    ("changes", "changes", api.changes, None),
):
    bp.add_url_rule(f"{API}/{path}", name, many)
    if one is not None:
        bp.add_url_rule(f"{API}/{path}/<path:key>", name.removesuffix("s"), one)
