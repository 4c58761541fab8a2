"""Records as plain JSON-ready dicts: the one shape the API, the downloads, the feeds and the dump share.

Records refer to each other by their ``key`` (organisations by ``name``; budget lines, links and
status changes by ``id``, since they have no natural key). Enums are given by value, dates in ISO form.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import url_for

from tracker.claims.models import StatedClaim
from tracker.commitments.models import Commitment, Link
from tracker.decisions.models import Decision
from tracker.projects.models import (
    BudgetLine,
    Organisation,
    Programme,
    Project,
    StatedTotal,
)
from tracker.sources.models import Source
from tracker.workflow.models import Evidence, StatusChange
from tracker.workflow.status import Status


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601; a (naive, UTC) datetime as RFC 3339 with a Z."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat() + "Z"
    return None if value is None else value.isoformat()


def key_of(record: Any) -> str | None:
    return None if record is None else record.key


def page_url(endpoint: str, **values: Any) -> str | None:
    """The record's human-readable page, as an absolute URL (None outside a request)."""
    try:
        return url_for(endpoint, _external=True, **values)
    except RuntimeError:
        return None


def source(s: Source, full: bool = False) -> dict[str, Any]:
    data = {"key": s.key, "kind": s.kind.value, "title": s.title, "government": s.government,
            "date": iso(s.date), "url": s.url, "read_from": s.read_from, "summary": s.summary,
            "title_by_editors": s.title_by_editors,
            "version": s.version, "page": page_url("sources.display", source_id=s.id)}
    if full:
        data["text"] = s.text
    return data


def commitment(c: Commitment, status: Status | None = None, full: bool = False) -> dict[str, Any]:
    """A commitment with its status (``status``: the one on an as-of date, else the current one)."""
    current = c.status if status is None else status
    data = {"key": c.key, "source": c.source.key, "parent": key_of(c.parent), "level": c.level.value,
            "reference": c.reference, "position": c.position, "title": c.title,
            "title_by_editors": c.title_by_editors,
            "policy_domain": c.policy_domain, "responsible": c.responsible, "cite": c.cite,
            "status": current.value, "status_since": iso(c.status_since) if status is None else None,
            "version": c.version, "page": page_url("commitments.display", commitment_id=c.id)}
    if full:
        data["text"] = c.text
    return data


def document_number(d: Any) -> dict[str, Any]:
    return {"canonical": d.canonical, "printed": d.printed}


def decision(d: Decision, full: bool = False) -> dict[str, Any]:
    data = {"key": d.key, "site_id": d.site_id, "meeting_date": iso(d.meeting_date), "title": d.title,
            "title_by_editors": d.title_by_editors,
            "kind": d.kind.value, "policy_domain": d.policy_domain, "summary": d.summary, "url": d.url,
            "cite": d.cite, "document_numbers": [document_number(n) for n in d.documents],
            "sources": [s.key for s in d.sources], "version": d.version,
            "page": page_url("decisions.display", decision_id=d.id)}
    if full:
        data["text"] = d.text
    return data


def programme(p: Programme) -> dict[str, Any]:
    return {"key": p.key, "name": p.name, "short_name": p.short_name, "description": p.description,
            "version": p.version, "page": page_url("projects.programme", programme_id=p.id)}


def organisation(o: Organisation) -> dict[str, Any]:
    return {"id": o.id, "name": o.name, "abbreviation": o.abbreviation, "version": o.version,
            "page": page_url("projects.organisation", organisation_id=o.id)}


def project(p: Project) -> dict[str, Any]:
    return {"key": p.key, "programme": p.programme.key, "parent": key_of(p.parent),
            "organisation": p.organisation.name if p.organisation else None,
            "decision": key_of(p.decision), "level": p.level.value, "code": p.code, "position": p.position,
            "title": p.title, "title_by_editors": p.title_by_editors, "description": p.description,
            "execution_year": p.execution_year,
            "cite": p.cite, "version": p.version, "page": page_url("projects.display", project_id=p.id)}


def budget_line(b: BudgetLine) -> dict[str, Any]:
    return {"id": b.id, "key": b.key, "project": key_of(b.project),
            "organisation": b.organisation.name if b.organisation else None,
            "programme": key_of(b.programme), "year": b.year, "month": b.month, "kind": b.kind.value,
            "amount": b.amount, "printed": b.printed, "label": b.label, "decision": key_of(b.decision),
            "total": key_of(b.total), "cite": b.cite, "version": b.version}


def stated_total(t: StatedTotal, with_sums: bool = True) -> dict[str, Any]:
    data = {"key": t.key, "label": t.label, "amount": t.amount, "printed": t.printed, "partial": t.partial,
            "year": t.year, "kind": t.kind.value, "programme": key_of(t.programme),
            "decision": key_of(t.decision), "cite": t.cite, "version": t.version}
    if with_sums:
        data["sum_of_parts"] = t.sum_of_parts
        data["difference"] = t.difference
    return data


def stated_claim(c: StatedClaim, counted: int | None = None) -> dict[str, Any]:
    """What a document claims, where, and what the tracker counts against it (with ``counted``: and the
    difference)."""
    data = {"key": c.key, "source": c.source.key, "quote": c.quote, "cite": c.cite, "claimed": c.claimed,
            "measure": c.measure.value, "counted_what": c.counted_what,
            "counted_source": key_of(c.counted_source), "level": c.level.value if c.level else None,
            "programme": key_of(c.programme), "year": c.year,
            "project_level": c.project_level.value if c.project_level else None, "total": key_of(c.total),
            "decision": key_of(c.decision), "version": c.version}
    if counted is not None:
        data["counted"] = counted
        data["difference"] = counted - c.claimed
    return data


def link(item: Link, history: bool = False) -> dict[str, Any]:
    """A link; with ``history`` also the removal fields (the dump keeps removed links)."""
    data = {"id": item.id, "commitment": key_of(item.commitment), "decision": key_of(item.decision),
            "project": key_of(item.project), "relation": item.relation.value, "rationale": item.rationale,
            "quote": item.quote, "cite": item.cite, "created_dt": iso(item.created_dt)}
    if history:
        data.update(removed_dt=iso(item.removed_dt), removal_reason=item.removal_reason)
    return data


def evidence(e: Evidence) -> dict[str, Any]:
    kind = "decision" if e.decision_id else "project" if e.project_id else "source"
    return {"type": kind, "key": e.target.key, "passage": e.passage}


def status_change(c: StatusChange) -> dict[str, Any]:
    """One row of the public status history, with its evidence (proposals themselves stay private)."""
    return {"id": c.id, "commitment": c.commitment.key, "from_status": c.from_status.value,
            "to_status": c.to_status.value, "effective_date": iso(c.effective_date),
            "motivation": c.motivation, "reason": c.reason.value if c.reason else None,
            "corrects": c.corrects_id, "author": c.author.name, "reviewer": c.reviewer.name,
            "recorded_dt": iso(c.recorded_dt), "evidence": [evidence(e) for e in c.evidence]}
