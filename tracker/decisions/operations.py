"""Creating and changing decisions of the Flemish Government and their document numbers."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.audit.operations import log_change
from tracker.audit.records import (
    check_unique,
    check_values,
    compare_and_swap,
    create_record,
    require,
    version_conflict,
    versioned_update,
)
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.core.writes import Changes, operation, populate, snapshot
from tracker.decisions.models import Decision, DecisionDocument, DecisionKind
from tracker.parsing import DocumentNumber
from tracker.projects.operations import (
    free_key,
    reference_kinds,
    refuse_when_referenced,
    slug,
)

FIELDS = frozenset({"key", "site_id", "meeting_date", "title", "title_by_editors", "kind", "policy_domain", "summary", "text",
                    "url", "cite", "sources"})
LABELS = {"key": "de sleutel", "site_id": "de identificatie op de beslissingensite",
          "meeting_date": "de datum van de vergadering", "title": "de titel", "kind": "de soort",
          "policy_domain": "het beleidsdomein", "summary": "de samenvatting", "text": "de tekst",
          "url": "het webadres", "cite": "de bronvermelding"}


def _validate(data: dict[str, Any], decision: Decision | None = None) -> None:
    check_values(Decision, data, LABELS)
    if "kind" in data and not isinstance(data["kind"], DecisionKind):
        raise ValidationError("Kies een geldige soort beslissing: nota, mededeling of beslissing.")
    for name in ("key", "site_id"):
        check_unique(Decision, name, data.get(name), decision,
                     f'Er is al een beslissing met {LABELS[name]} "{data.get(name)}".')


def label(decision: Decision) -> str:
    return f"beslissing {decision.key}"


@operation
def create_decision(data: dict[str, Any], actor: User | None) -> Decision:
    """Add a decision (its document numbers with ``add_document_numbers``)."""
    require(data, LABELS, "key", "title", "kind")
    _validate(data)
    return create_record(Decision, data, actor, realm="decisions", label=label)


@operation
def update_decision(decision: Decision, data: dict[str, Any], actor: User | None,
                    seen_version: int | None = None) -> Changes:
    """Change a decision's fields; returns what changed.

    :param seen_version: the version the editor's form showed; a decision changed since then is
        refused with ``Conflict`` listing what changed meanwhile.
    """
    _validate(data, decision)
    return versioned_update(decision, data, actor, realm="decisions", fields=FIELDS, label=label(decision),
                            noun="deze beslissing", seen_version=seen_version)


@operation
def edit_decision(decision: Decision, data: dict[str, Any], numbers: Iterable[tuple[DocumentNumber, str]],
                  actor: User | None, seen_version: int | None = None) -> Changes:
    """An editor's save: the decision's fields and exactly these document numbers (new ones added, the
    others dropped), as one change with one new version and one audit entry.

    :param seen_version: the version the editor's form showed; a decision changed since then is
        refused with ``Conflict`` listing what changed meanwhile.
    :raise ValidationError: a field the decision cannot hold, a number that belongs to another decision.
    """
    _validate(data, decision)
    if seen_version is not None and decision.version != seen_version:
        raise version_conflict(decision, seen_version, "deze beslissing")
    numbers = list(numbers)
    wanted = {number.canonical for number, _ in numbers}
    before = [doc.canonical for doc in decision.documents]
    dropped = [doc for doc in decision.documents if doc.canonical not in wanted]
    for doc in dropped:
        decision.documents.remove(doc)
    if dropped:
        # Flush the removals first: a number given anew in another spelling must not collide with itself.
        db.session.flush()
    added = _attach_numbers(decision, numbers)
    fields = {name: value for name, value in data.items() if _differs(getattr(decision, name), value)}
    if not fields and not added and not dropped:
        return {}
    version = compare_and_swap(decision, decision.version if seen_version is None else seen_version,
                               "deze beslissing")
    changes = populate(decision, fields, FIELDS)
    if added or dropped:
        changes["documents"] = (before, [doc.canonical for doc in decision.documents])
    log_change("decisions", "updated", decision, actor, label(decision), changes=changes,
               extra={"version": version})
    return changes


def _differs(old: Any, new: Any) -> bool:
    """Whether a field changes; a list of sources in another order is the same list."""
    if isinstance(old, list) and isinstance(new, list):
        return set(old) != set(new)
    return bool(old != new)


@operation
def delete_decision(decision: Decision, actor: User | None) -> None:
    """Remove a decision nothing points to; its document numbers go with it, the audit keeps all of it.

    :raise ValidationError: naming the links (removed ones too: they are history), evidence,
        projects, budget lines or stated totals that point to it.
    """
    refuse_when_referenced(decision, reference_kinds(Decision), "deze beslissing")
    before = snapshot(decision)
    before["documents"] = [{"canonical": d.canonical, "printed": d.printed} for d in decision.documents]
    before["sources"] = [s.key for s in decision.sources]
    log_change("decisions", "deleted", decision, actor, label(decision), values=before)
    db.session.delete(decision)


# --------------------------------------------------------------------------- before a new decision is saved

TITLE_SIMILARITY = 0.9


@dataclass
class Duplicate:
    """An existing decision a new one may duplicate, and why."""

    decision: Decision
    reason: str


def normalise_title(title: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: what a near-identical title compares."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def possible_duplicates(title: str, meeting_date: date | None, canonical_numbers: Iterable[str],
                        exclude: Decision | None = None) -> list[Duplicate]:
    """Decisions with one of these document numbers, or of the same meeting with a near-identical title.

    Two queries: the documents by number, the decisions of that meeting date.
    """
    found: dict[int, Duplicate] = {}
    numbers = sorted(set(canonical_numbers))
    if numbers:
        for doc in db.session.scalars(select(DecisionDocument).where(DecisionDocument.canonical.in_(numbers))
                                      .order_by(DecisionDocument.canonical)):
            if doc.decision is not exclude and doc.decision_id not in found:
                found[doc.decision_id] = Duplicate(doc.decision, f"heeft al documentnummer {doc.canonical}")
    wanted = normalise_title(title)
    if meeting_date is not None and wanted:
        for other in db.session.scalars(select(Decision).where(Decision.meeting_date == meeting_date)
                                        .order_by(Decision.id)):
            if other is exclude or other.id in found:
                continue
            ratio = difflib.SequenceMatcher(None, wanted, normalise_title(other.title)).ratio()
            if ratio >= TITLE_SIMILARITY:
                found[other.id] = Duplicate(other, f"zelfde vergaderdatum en een bijna gelijke titel "
                                                   f"({round(ratio * 100)} % gelijk)")
    return list(found.values())


def new_key(numbers: list[DocumentNumber], meeting_date: date | None, title: str) -> str:
    """A key for a decision made in the browser: from its first document number, else date and title."""
    if numbers:
        base = slug(numbers[0].canonical, 12)
    else:
        base = f"vr-{meeting_date.isoformat() if meeting_date else 'zonder-datum'}-{slug(title) or 'beslissing'}"
    return free_key(Decision, base)


@operation
def add_document_numbers(decision: Decision, numbers: Iterable[tuple[DocumentNumber, str]],
                         actor: User | None, known: dict[str, DecisionDocument] | None = None) -> list[str]:
    """Give a decision the document numbers it does not have yet; returns the canonical numbers added.

    :param numbers: each number with the spelling the document printed, for citation.
    :param known: the documents already in the database by canonical number (an importer passes
        them to avoid a query per number); looked up when not given.
    :raise ValidationError: a number that belongs to another decision.
    """
    before = [doc.canonical for doc in decision.documents]
    added = _attach_numbers(decision, numbers, known)
    if added:
        log_change("decisions", "updated", decision, actor, label(decision),
                   changes={"documents": (before, before + added)})
    return added


def _attach_numbers(decision: Decision, numbers: Iterable[tuple[DocumentNumber, str]],
                    known: dict[str, DecisionDocument] | None = None) -> list[str]:
    added = []
    for number, printed in numbers:
        canonical = number.canonical
        doc = (known.get(canonical) if known is not None else
               db.session.scalar(select(DecisionDocument).where(DecisionDocument.canonical == canonical)))
        if doc is not None:
            if doc.decision is not decision:
                raise ValidationError(f"Documentnummer {canonical} hoort al bij beslissing {doc.decision.key}.",
                                      "documents")
            continue
        doc = DecisionDocument(canonical=canonical, printed=str(printed)[:120], case_key=number.case_key,
                               version=number.version)
        decision.documents.append(doc)
        if known is not None:
            known[canonical] = doc
        added.append(canonical)
    return added
