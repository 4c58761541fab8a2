"""Creating and changing decisions of the Flemish Government and their document numbers."""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.audit.operations import log_change
from tracker.audit.records import (
    check_unique,
    check_values,
    create_record,
    require,
    update_record,
)
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.core.writes import Changes, operation
from tracker.decisions.models import Decision, DecisionDocument, DecisionKind
from tracker.parsing import DocumentNumber

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
def update_decision(decision: Decision, data: dict[str, Any], actor: User | None) -> Changes:
    """Change a decision's fields; returns what changed."""
    _validate(data, decision)
    return update_record(decision, data, actor, realm="decisions", fields=FIELDS, label=label(decision))


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
    added = []
    for number, printed in numbers:
        canonical = number.canonical
        doc = (known.get(canonical) if known is not None else
               db.session.scalar(select(DecisionDocument).where(DecisionDocument.canonical == canonical)))
        if doc is not None:
            if doc.decision is not decision:
                raise ValidationError(f"Documentnummer {canonical} hoort al bij beslissing {doc.decision.key}.")
            continue
        doc = DecisionDocument(canonical=canonical, printed=str(printed)[:120], case_key=number.case_key,
                               version=number.version)
        decision.documents.append(doc)
        if known is not None:
            known[canonical] = doc
        added.append(canonical)
    if added:
        log_change("decisions", "updated", decision, actor, label(decision),
                   changes={"documents": (before, before + added)})
    return added
