"""Index documents built from the database: one builder per searchable model, loaded in bulk."""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker.commitments.models import Commitment, Link
from tracker.decisions.models import Decision
from tracker.parsing import find_document_numbers, parse_document_number
from tracker.projects.models import Organisation, Programme, Project
from tracker.sources.models import Source

Doc = dict[str, Any]

MODELS: dict[str, type] = {
    "commitment": Commitment,
    "decision": Decision,
    "project": Project,
    "programme": Programme,
    "organisation": Organisation,
    "source": Source,
}
DOC_TYPES = tuple(MODELS)
CHUNK = 500


def doc_key(doc_type: str, doc_id: int) -> str:
    return f"{doc_type}:{doc_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    doc_type, _, raw = key.partition(":")
    if doc_type not in MODELS or not raw.isdigit():
        return None
    return doc_type, int(raw)


def content_hash(doc: Doc) -> str:
    """A hash of everything the index holds for a record; `tracker index verify` compares it."""
    payload = {k: v for k, v in doc.items() if k not in ("hash", "exact")}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def count_records(session: Session) -> int:
    return sum(session.scalar(select(func.count()).select_from(m)) or 0 for m in MODELS.values())


def iter_all_documents(session: Session, chunk: int = CHUNK) -> Iterator[Doc]:
    """Every searchable record as an index document, a few queries per chunk of rows."""
    for doc_type, model in MODELS.items():
        ids = list(session.scalars(select(model.id).order_by(model.id)))
        for start in range(0, len(ids), chunk):
            yield from build_documents(session, doc_type, ids[start:start + chunk]).values()
            session.expunge_all()


def build_documents(session: Session, doc_type: str, ids: Iterable[int]) -> dict[int, Doc]:
    """The documents of the records ``ids`` of one type that still exist, by record id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    model = MODELS[doc_type]
    loader, builder = _BUILDERS[doc_type]
    rows = list(session.scalars(loader(select(model).where(model.id.in_(wanted)))))
    linked = _links(session, doc_type, wanted)
    result = {}
    for obj in rows:
        doc = builder(obj)
        doc["id"] = doc_key(doc_type, obj.id)
        doc["type"] = doc_type
        doc["linked"] = " ".join(sorted(linked.get(obj.id, ())))
        doc["seq"] = (len(DOC_TYPES) - DOC_TYPES.index(doc_type)) * 10**10 + obj.id
        result[obj.id] = _finish(doc)
    return result


# --------------------------------------------------------------------------- helpers


def _join(*parts: str | None) -> str:
    seen: list[str] = []
    for part in parts:
        part = (part or "").strip()
        if part and part not in seen:
            seen.append(part)
    return "\n\n".join(seen)


def _facet(values: Iterable[str | None]) -> str:
    # Facet fields are comma-separated; a comma inside a value would split it.
    return ",".join(sorted({v.replace(",", " ").strip() for v in values if v and v.strip()}))


def _tokens(values: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(v.lower() for v in values if v))


def _document_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for number in find_document_numbers(text or ""):
        tokens += number.search_tokens
    return tokens


def _date_fields(day: date | None) -> dict[str, Any]:
    if day is None:
        return {"day": 0, "date": None, "year": ""}
    return {"day": day.toordinal(), "date": day.isoformat(), "year": str(day.year)}


def _finish(doc: Doc) -> Doc:
    doc.setdefault("body", "")
    doc["exact"] = f"{doc['title']}\n\n{doc['body']}"
    for name in ("refs", "mentions", "status", "source", "domain", "programme", "year",
                 "subkind", "context"):
        doc.setdefault(name, "")
    doc.setdefault("day", 0)
    doc.setdefault("date", None)
    doc["hash"] = content_hash(doc)
    return doc


_LINK_COLUMNS = {
    "commitment": Link.commitment_id,
    "decision": Link.decision_id,
    "project": Link.project_id,
}


def _links(session: Session, doc_type: str, ids: list[int]) -> dict[int, set[str]]:
    """For each record, the keys of the records currently linked to it."""
    column = _LINK_COLUMNS.get(doc_type)
    if column is None:
        return {}
    result: dict[int, set[str]] = defaultdict(set)
    # A removed link is history: it no longer makes a record findable under the other end.
    stmt = select(Link.commitment_id, Link.decision_id, Link.project_id).where(
        column.in_(ids), Link.removed_dt.is_(None))
    for commitment_id, decision_id, project_id in session.execute(stmt):
        ends = {"commitment": commitment_id, "decision": decision_id, "project": project_id}
        own = ends.pop(doc_type)
        for other_type, other_id in ends.items():
            if other_id is not None:
                result[own].add(doc_key(other_type, other_id))
    return result


# --------------------------------------------------------------------------- builders


def _commitment(c: Commitment) -> Doc:
    return {
        "title": c.label,
        "body": _join(c.text, c.responsible),
        "refs": _tokens([c.reference.replace(" ", "")] if c.reference else []),
        "status": c.status.value,
        "source": _facet([c.source.key]),
        "domain": _facet([c.policy_domain]),
        "subkind": c.level.value,
        "context": c.source.key,
        **_date_fields(c.status_since),
        "year": "",
    }


def _decision(d: Decision) -> Doc:
    body = _join(d.summary, d.text)
    own = [token for doc in d.documents for token in _own_document_tokens(doc.canonical)]
    mentioned = [t for t in _document_tokens(body) if t not in own]
    title = d.title.strip() or (body[:120] + ("…" if len(body) > 120 else "")) or d.key
    return {
        "title": title,
        "body": body,
        "refs": _tokens(own),
        "mentions": _tokens(mentioned),
        "source": _facet(s.key for s in d.sources),
        "domain": _facet([d.policy_domain]),
        "subkind": d.kind.value,
        "context": "; ".join(doc.canonical for doc in d.documents),
        **_date_fields(d.meeting_date),
    }


def _own_document_tokens(canonical: str) -> list[str]:
    try:
        return parse_document_number(canonical).search_tokens
    except ValueError:
        return []


def _project(p: Project) -> Doc:
    organisation = p.organisation
    return {
        "title": p.label,
        "body": _join(p.description,
                      organisation.name if organisation else "",
                      organisation.abbreviation if organisation else "",
                      p.programme.name, p.programme.short_name),
        "refs": _tokens([p.code.replace(" ", "")] if p.code else []),
        "programme": _facet([p.programme.key]),
        "year": str(p.execution_year) if p.execution_year else "",
        "subkind": p.level.value,
        "context": p.programme.key,
    }


def _programme(p: Programme) -> Doc:
    return {
        "title": p.name,
        "body": _join(p.short_name, p.description),
        "refs": _tokens([p.key, p.short_name.replace(" ", "")]),
        "programme": _facet([p.key]),
    }


def _organisation(o: Organisation) -> Doc:
    return {
        "title": o.name,
        "body": o.abbreviation,
        "refs": _tokens([o.abbreviation.replace(" ", "")] if o.abbreviation else []),
    }


def _source(s: Source) -> Doc:
    body = _join(s.summary, s.text)
    return {
        "title": s.title,
        "body": body,
        "mentions": _tokens(_document_tokens(body)),
        "source": _facet([s.key]),
        "subkind": s.kind.value,
        **_date_fields(s.date),
    }


def _same(stmt):  # type: ignore[no-untyped-def]
    return stmt


_BUILDERS: dict[str, tuple[Callable, Callable[[Any], Doc]]] = {
    "commitment": (lambda s: s.options(selectinload(Commitment.source)), _commitment),
    "decision": (lambda s: s.options(selectinload(Decision.documents), selectinload(Decision.sources)),
                 _decision),
    "project": (lambda s: s.options(selectinload(Project.programme), selectinload(Project.organisation)),
                _project),
    "programme": (_same, _programme),
    "organisation": (_same, _organisation),
    "source": (_same, _source),
}
