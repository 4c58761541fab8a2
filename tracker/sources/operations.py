"""Creating and changing source documents."""
from __future__ import annotations

from typing import Any

from tracker.accounts.models import User
from tracker.audit.records import (
    check_unique,
    check_values,
    create_record,
    require,
    versioned_update,
)
from tracker.core.errors import ValidationError
from tracker.core.writes import Changes, operation
from tracker.sources.models import Source, SourceKind

FIELDS = frozenset({"key", "kind", "title", "title_by_editors", "government", "date", "url", "read_from", "summary", "text"})
LABELS = {"key": "de sleutel", "kind": "de soort", "title": "de titel", "government": "de regering",
          "date": "de datum", "url": "het webadres", "read_from": "de herkomst", "summary": "de samenvatting",
          "text": "de tekst"}
NOUN = "deze bron"


def _validate(data: dict[str, Any], source: Source | None = None) -> None:
    check_values(Source, data, LABELS)
    if "title" in data:
        require(data, LABELS, "title")
    if "kind" in data and not isinstance(data["kind"], SourceKind):
        raise ValidationError("Kies een geldige soort bron.", "kind")
    check_unique(Source, "key", data.get("key"), source,
                 f'Er is al een bron met sleutel "{data.get("key")}"; kies een andere sleutel.')


@operation
def create_source(data: dict[str, Any], actor: User | None) -> Source:
    """Add a source document."""
    require(data, LABELS, "key", "kind", "title")
    _validate(data)
    return create_record(Source, data, actor, realm="sources", label=lambda s: f"bron {s.key}")


@operation
def update_source(source: Source, data: dict[str, Any], actor: User | None,
                  seen_version: int | None = None) -> Changes:
    """Change a source's fields; returns what changed.

    :param seen_version: the version the editor saw; a source changed since then is refused with
        ``Conflict`` (compare-and-swap), never overwritten silently.
    """
    _validate(data, source)
    return versioned_update(source, data, actor, realm="sources", fields=FIELDS, label=f"bron {source.key}",
                            noun=NOUN, seen_version=seen_version)
