"""Creating, changing and moving commitments, and the links between commitments, decisions and projects."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.audit.operations import log_change
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
)
from tracker.commitments.models import Commitment, Level, Link, Relation
from tracker.core.db import db
from tracker.core.errors import Conflict, ValidationError
from tracker.core.writes import Changes, operation, plain

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


def _validate(data: dict[str, Any], commitment: Commitment | None = None) -> None:
    check_values(Commitment, data, LABELS)
    if "level" in data and not isinstance(data["level"], Level):
        raise ValidationError("Kies een geldig niveau (hoofdstuk, afdeling, engagement, ...).")
    if "position" in data and data["position"] < 1:
        raise ValidationError("De plaats is 1 of meer.")
    check_unique(Commitment, "key", data.get("key"), commitment,
                 f'Er is al een engagement met sleutel "{data.get("key")}"; kies een andere sleutel.')
    source = data.get("source", commitment.source if commitment else None)
    parent = data.get("parent", commitment.parent if commitment else None)
    if parent is not None:
        if parent.source is not source:
            raise ValidationError(f"De bovenliggende kop {parent.label} hoort bij een andere bron.")
        node = parent
        while node is not None:
            if commitment is not None and node is commitment:
                raise ValidationError("Een engagement kan niet onder zichzelf of onder een van zijn "
                                      "onderdelen hangen; kies een andere bovenliggende kop.")
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
    if seen_version is not None and commitment.version != seen_version:
        raise _conflict(commitment, seen_version)
    changes = {name: value for name, value in data.items() if getattr(commitment, name) != value}
    if not changes:
        return {}
    version = bump_version(commitment, commitment.version if seen_version is None else seen_version)
    return update_record(commitment, changes, actor, realm="commitments", fields=FIELDS,
                         label=label(commitment), extra={"version": version})


def bump_version(commitment: Commitment, seen_version: int) -> int:
    """Compare-and-swap on the commitment's version; raise Conflict when someone was first."""
    return compare_and_swap(commitment, seen_version, "dit engagement")


def _conflict(commitment: Commitment, seen_version: int) -> Conflict:
    return version_conflict(commitment, seen_version, "dit engagement")


def changes_since(commitment: Commitment, version: int) -> list[str]:
    """The audit summaries of every change to the commitment after ``version``."""
    return audit_changes_since(commitment, version)


# --------------------------------------------------------------------------- links


def _link_label(link: Link) -> str:
    ends = [f"{name} {plain(getattr(link, name))}" for name in ENDS if getattr(link, name) is not None]
    return "koppeling " + " ↔ ".join(ends)


def _validate_link(data: dict[str, Any]) -> None:
    check_values(Link, data, LINK_LABELS)
    if "relation" in data and not isinstance(data["relation"], Relation):
        allowed = ", ".join(r.label for r in Relation)
        raise ValidationError(f"Kies de aard van de koppeling: {allowed}.")


def find_link(commitment: Any = None, decision: Any = None, project: Any = None) -> Link | None:
    """The link between exactly these two ends, if there is one."""
    conditions = [getattr(Link, f"{name}_id") == (obj.id if obj is not None else None)
                  if obj is not None else getattr(Link, f"{name}_id").is_(None)
                  for name, obj in zip(ENDS, (commitment, decision, project))]
    with db.session.no_autoflush:
        return db.session.scalar(select(Link).where(*conditions))


@operation
def create_link(data: dict[str, Any], actor: User | None) -> Link:
    """Connect two of a commitment, a decision and a project, with the kind of relation and why."""
    ends = {name: data.get(name) for name in ENDS}
    present = [name for name, obj in ends.items() if obj is not None]
    if len(present) != 2:
        raise ValidationError("Een koppeling verbindt precies twee van: een engagement, een beslissing, een project.")
    values = {name: value for name, value in data.items() if name not in ENDS}
    require(values, LINK_LABELS, "relation")
    _validate_link(values)
    if find_link(**ends) is not None:
        raise ValidationError("Deze twee zijn al gekoppeld; pas de bestaande koppeling aan.")
    link = Link(**ends, **values, created_by=actor)
    db.session.add(link)
    log_change("links", "created", link, actor, _link_label(link), values=data)
    return link


@operation
def update_link(link: Link, data: dict[str, Any], actor: User | None) -> Changes:
    """Change a link's relation, motivation, quote or citation; its ends stay (remove it and link anew)."""
    _validate_link(data)
    return update_record(link, data, actor, realm="links", fields=LINK_FIELDS, label=_link_label(link))


@operation
def remove_link(link: Link, actor: User | None) -> None:
    """Remove a link; its audit entry keeps it as it was. A link that evidences a status stays."""
    from tracker.workflow.models import Evidence, StatusProposal

    if link.commitment_id is not None:
        column, target = ((Evidence.decision_id, link.decision_id) if link.decision_id is not None
                          else (Evidence.project_id, link.project_id))
        used = db.session.scalar(select(Evidence.id).join(StatusProposal).where(
            StatusProposal.commitment_id == link.commitment_id, column == target).limit(1))
        if used is not None:
            raise ValidationError("Deze koppeling staaft een status van het engagement (bewijs in de "
                                  "geschiedenis) en kan daarom niet verwijderd worden; pas ze aan.")
    delete_record(link, actor, realm="links", label=_link_label(link))
