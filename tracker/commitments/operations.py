"""Creating, changing and moving commitments, and the links between commitments, decisions and projects."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.audit.models import LogEntry
from tracker.audit.operations import log, log_change
from tracker.audit.records import changes_since as audit_changes_since
from tracker.audit.records import (
    check_unique,
    check_values,
    compare_and_swap,
    create_record,
    delete_record,
    require,
    update_record,
    version_conflict,
    versioned_update,
)
from tracker.commitments.models import Commitment, Level, Link, Relation
from tracker.core.db import db, utcnow
from tracker.core.errors import Conflict, ValidationError
from tracker.core.writes import Changes, operation, plain, snapshot

FIELDS = frozenset({"key", "source", "parent", "level", "reference", "position", "title", "title_by_editors", "text",
                    "policy_domain", "responsible", "cite"})
LABELS = {"key": "de sleutel", "source": "de bron", "parent": "de bovenliggende kop", "level": "het niveau",
          "reference": "het nummer", "position": "de plaats", "title": "de titel", "text": "de tekst",
          "policy_domain": "het beleidsdomein", "responsible": "de verantwoordelijke",
          "cite": "de bronvermelding"}
LINK_FIELDS = frozenset({"relation", "rationale", "quote", "cite"})
LINK_LABELS = {"relation": "de aard van de koppeling", "rationale": "de motivering", "quote": "het citaat",
               "cite": "de bronvermelding"}
ENDS = ("commitment", "decision", "project")
# A person who links or removes a link says why, in at least this many characters.
MIN_RATIONALE = 20
MIN_REMOVAL_REASON = 10


def _validate(data: dict[str, Any], commitment: Commitment | None = None) -> None:
    check_values(Commitment, data, LABELS)
    if "title" in data:
        require(data, LABELS, "title")
    if "level" in data and not isinstance(data["level"], Level):
        raise ValidationError("Kies een geldig niveau (hoofdstuk, afdeling, engagement, ...).", "level")
    if "position" in data and data["position"] < 1:
        raise ValidationError("De plaats is 1 of meer.", "position")
    check_unique(Commitment, "key", data.get("key"), commitment,
                 f'Er is al een engagement met sleutel "{data.get("key")}"; kies een andere sleutel.')
    source = data.get("source", commitment.source if commitment else None)
    parent = data.get("parent", commitment.parent if commitment else None)
    if parent is not None:
        if parent.source is not source:
            raise ValidationError(f"De bovenliggende kop {parent.label} hoort bij een andere bron; een "
                                  "engagement verhuist alleen binnen de boom van zijn eigen bron.", "parent")
        node = parent
        while node is not None:
            if commitment is not None and node is commitment:
                raise ValidationError("Een engagement kan niet onder zichzelf of onder een van zijn "
                                      "onderdelen hangen; kies een andere bovenliggende kop.", "parent")
            node = node.parent


def label(commitment: Commitment) -> str:
    return f"engagement {commitment.key}"


@operation
def create_commitment(data: dict[str, Any], actor: User | None) -> Commitment:
    """Add a node to a source's tree (its status starts as Niet beoordeeld)."""
    require(data, LABELS, "key", "source", "level", "title")
    _validate(data)
    return create_record(Commitment, data, actor, realm="commitments", label=label)


@operation
def update_commitment(commitment: Commitment, data: dict[str, Any], actor: User | None,
                      seen_version: int | None = None) -> Changes:
    """Change a commitment's text or place in its tree; the status changes only through the workflow.

    :param seen_version: the version the editor saw; a commitment changed since then is refused
        with ``Conflict`` (compare-and-swap), so nobody overwrites a change they have not seen.
    """
    _validate(data, commitment)
    return versioned_update(commitment, data, actor, realm="commitments", fields=FIELDS, label=label(commitment),
                            noun="dit engagement", seen_version=seen_version)


def bump_version(commitment: Commitment, seen_version: int) -> int:
    """Compare-and-swap on the commitment's version; raise Conflict when someone was first."""
    return compare_and_swap(commitment, seen_version, "dit engagement")


def _conflict(commitment: Commitment, seen_version: int) -> Conflict:
    return version_conflict(commitment, seen_version, "dit engagement")


def changes_since(commitment: Commitment, version: int) -> list[str]:
    """The audit summaries of every change to the commitment after ``version``."""
    return audit_changes_since(commitment, version)


def _siblings(source_id: int, parent: Commitment | None, leaving: Commitment | None) -> list[Commitment]:
    """The children of ``parent`` (the roots when None) in a source, in order, without ``leaving``."""
    column = Commitment.parent_id
    where = column.is_(None) if parent is None else column == parent.id
    with db.session.no_autoflush:
        rows = db.session.scalars(select(Commitment).where(Commitment.source_id == source_id, where)
                                  .order_by(Commitment.position, Commitment.id))
        return [c for c in rows if c is not leaving]


def _renumber(nodes: list[Commitment], actor: User | None) -> None:
    for number, node in enumerate(nodes, start=1):
        if node.position != number:
            update_record(node, {"position": number}, actor, realm="commitments", fields=FIELDS,
                          label=label(node))


@operation
def move_commitment(commitment: Commitment, parent: Commitment | None, position: int, actor: User | None,
                    seen_version: int | None = None) -> Changes:
    """Hang a node (with its subtree) under ``parent`` of the same source at ``position`` among its siblings.

    The siblings at the old and the new place are numbered 1, 2, ... again. Cycles and parents of
    another source are refused as a ``ValidationError`` on the field ``parent``.
    """
    _validate({"parent": parent, "position": position}, commitment)
    if seen_version is not None and commitment.version != seen_version:
        raise _conflict(commitment, seen_version)
    old_parent = commitment.parent
    new_siblings = _siblings(commitment.source_id, parent, commitment)
    index = min(position, len(new_siblings) + 1) - 1
    new_siblings.insert(index, commitment)
    if old_parent is parent and commitment.position == index + 1:
        return {}
    version = bump_version(commitment, commitment.version if seen_version is None else seen_version)
    changes = update_record(commitment, {"parent": parent, "position": index + 1}, actor, realm="commitments",
                            fields=FIELDS, label=label(commitment), extra={"version": version})
    if old_parent is not parent:
        _renumber(_siblings(commitment.source_id, old_parent, commitment), actor)
    _renumber(new_siblings, actor)
    return changes


def dependants(commitment: Commitment) -> list[str]:
    """What points to a commitment, in Dutch ("2 onderdelen", ...); empty when it may be deleted."""
    from tracker.workflow.models import StatusChange, StatusProposal

    def count(model: Any, column: Any) -> int:
        with db.session.no_autoflush:
            return db.session.scalar(select(func.count()).select_from(model).where(column == commitment.id)) or 0

    found = []
    for model, column, one, many in (
        (Commitment, Commitment.parent_id, "onderdeel", "onderdelen"),
        (Link, Link.commitment_id, "koppeling (ook verwijderde tellen mee)", "koppelingen (ook verwijderde tellen mee)"),
        (StatusChange, StatusChange.commitment_id, "statuswijziging", "statuswijzigingen"),
        (StatusProposal, StatusProposal.commitment_id, "statusvoorstel", "statusvoorstellen"),
    ):
        n = count(model, column)
        if n:
            found.append(f"{n} {one if n == 1 else many}")
    return found


@operation
def delete_commitment(commitment: Commitment, actor: User | None) -> None:
    """Delete a node that nothing points to; its audit entry keeps it as it was.

    :raise ValidationError: naming what points to it (children, links including removed ones,
        status history, proposals): such a node can only be corrected.
    """
    found = dependants(commitment)
    if found:
        raise ValidationError(f"Engagement {commitment.label} kan niet verwijderd worden: er verwijzen nog "
                              f"{', '.join(found)} naar. Corrigeer het in plaats van het te verwijderen.")
    delete_record(commitment, actor, realm="commitments", label=label(commitment))


# --------------------------------------------------------------------------- links


def _link_label(link: Link) -> str:
    ends = [f"{name} {plain(getattr(link, name))}" for name in ENDS if getattr(link, name) is not None]
    return "koppeling " + " ↔ ".join(ends)


def _validate_link(data: dict[str, Any], actor: User | None) -> None:
    check_values(Link, data, LINK_LABELS)
    if "relation" in data and not isinstance(data["relation"], Relation):
        allowed = ", ".join(r.label for r in Relation)
        raise ValidationError(f"Kies de aard van de koppeling: {allowed}.", "relation")
    # A person says why; the seed loader's links carry the rationale their documents give, if any.
    if actor is not None and "rationale" in data and len((data["rationale"] or "").strip()) < MIN_RATIONALE:
        raise ValidationError(f"Schrijf een motivering van minstens {MIN_RATIONALE} tekens: waarom hoort "
                              "dit bij elkaar?", "rationale")


def find_link(commitment: Any = None, decision: Any = None, project: Any = None) -> Link | None:
    """The current link between exactly these two ends, if there is one (removed links are history)."""
    conditions = [getattr(Link, f"{name}_id") == (obj.id if obj is not None else None)
                  if obj is not None else getattr(Link, f"{name}_id").is_(None)
                  for name, obj in zip(ENDS, (commitment, decision, project))]
    with db.session.no_autoflush:
        return db.session.scalar(select(Link).where(*conditions, Link.removed_dt.is_(None)))


@operation
def create_link(data: dict[str, Any], actor: User | None) -> Link:
    """Connect two of a commitment, a decision and a project, with the kind of relation and why."""
    ends = {name: data.get(name) for name in ENDS}
    present = [name for name, obj in ends.items() if obj is not None]
    if len(present) != 2:
        raise ValidationError("Een koppeling verbindt precies twee van: een engagement, een beslissing, een project.")
    values = {name: value for name, value in data.items() if name not in ENDS}
    require(values, LINK_LABELS, "relation")
    if actor is not None:
        require(values, LINK_LABELS, "rationale")
    _validate_link(values, actor)
    if find_link(**ends) is not None:
        raise ValidationError("Deze twee zijn al gekoppeld; pas de bestaande koppeling aan.")
    link = Link(**ends, **values, created_by=actor)
    db.session.add(link)
    log_change("links", "created", link, actor, _link_label(link), values=data)
    return link


def last_entry_id(link: Link) -> int:
    """The id of the newest audit entry of a link (0: none): what an editor saw, for the conflict check."""
    with db.session.no_autoflush:
        return db.session.scalar(select(func.max(LogEntry.id)).where(
            LogEntry.target_type == Link.__tablename__, LogEntry.target_id == link.id)) or 0


def _link_conflict(link: Link, seen_entry: int | None) -> None:
    """Links carry no version; the audit trail tells whether someone changed the link after ``seen_entry``."""
    if seen_entry is None:
        return
    newer = list(db.session.scalars(select(LogEntry.summary).where(
        LogEntry.target_type == Link.__tablename__, LogEntry.target_id == link.id, LogEntry.id > seen_entry)
        .order_by(LogEntry.id)))
    if newer:
        raise Conflict("Deze koppeling is intussen gewijzigd door iemand anders. Bekijk de wijzigingen "
                       "hieronder en probeer opnieuw.", changes=newer)


def _refuse_removed(link: Link) -> None:
    if link.removed_dt is not None:
        raise ValidationError("Deze koppeling is al verwijderd en hoort nu bij de geschiedenis; koppel "
                              "opnieuw als ze toch klopt.")


@operation
def update_link(link: Link, data: dict[str, Any], actor: User | None, seen_entry: int | None = None) -> Changes:
    """Change a link's relation, motivation, quote or citation; its ends stay (remove it and link anew).

    :param seen_entry: the newest audit entry of the link the editor saw (``last_entry_id``); a link
        changed since then is refused with ``Conflict``.

    A removed link is history: a person is refused; an import (no actor) leaves it as it is, so that
    loading the seed data again never rewrites or revives a link an editor removed.
    """
    if link.removed_dt is not None and actor is None:
        return {}
    _refuse_removed(link)
    if "rationale" in data and actor is not None:
        require(data, LINK_LABELS, "rationale")
    _validate_link(data, actor)
    _link_conflict(link, seen_entry)
    return update_record(link, data, actor, realm="links", fields=LINK_FIELDS, label=_link_label(link))


@operation
def remove_link(link: Link, reason: str, actor: User | None, seen_entry: int | None = None) -> None:
    """Remove a link with a reason. It stays as history: gone from current pages and roll-ups, visible
    in the commitment's history and in as-of views of the days it existed. A link that evidences a
    status cannot be removed (correct it instead).
    """
    from tracker.workflow.models import Evidence, StatusProposal

    _refuse_removed(link)
    reason = (reason or "").strip()
    if len(reason) < MIN_REMOVAL_REASON:
        raise ValidationError(f"Geef de reden van het verwijderen, in minstens {MIN_REMOVAL_REASON} tekens.",
                              "reason")
    check_values(Link, {"removal_reason": reason}, {"removal_reason": "de reden"})
    _link_conflict(link, seen_entry)
    if link.commitment_id is not None:
        column, target = ((Evidence.decision_id, link.decision_id) if link.decision_id is not None
                          else (Evidence.project_id, link.project_id))
        used = db.session.scalar(select(Evidence.id).join(StatusProposal).where(
            StatusProposal.commitment_id == link.commitment_id, column == target).limit(1))
        if used is not None:
            raise ValidationError("Deze koppeling staaft een status van het engagement (bewijs in de "
                                  "geschiedenis) en kan daarom niet verwijderd worden; pas ze aan.")
    before = snapshot(link, ["removed_dt", "removed_by_id", "removal_reason"])
    link.removed_dt = utcnow()
    link.removed_by = actor
    link.removal_reason = reason
    who = actor.name if actor is not None else "Het systeem"
    log("links", "removed", f"{who}: {_link_label(link)} verwijderd (reden: {reason})", actor, link,
        {"before": before, "after": {"removed_dt": link.removed_dt,
                                     "removed_by_id": actor.id if actor is not None else None,
                                     "removal_reason": reason}})
