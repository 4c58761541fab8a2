"""`tracker index verify`: compare the index with the database, record by record."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tracker.search.documents import iter_all_documents
from tracker.search.index import SearchIndex
from tracker.search.outbox import pending_count


@dataclass
class VerifyReport:
    missing: list[str] = field(default_factory=list)  # records without an index document
    orphaned: list[str] = field(default_factory=list)  # index documents without a record
    stale: list[str] = field(default_factory=list)  # documents that differ from their record
    duplicates: list[str] = field(default_factory=list)  # keys indexed more than once
    pending: int = 0
    outdated_schema: bool = False
    indexed: int = 0
    records: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.orphaned or self.stale or self.duplicates or self.outdated_schema)


def verify(idx: SearchIndex, engine: Engine) -> VerifyReport:
    """Build every record's document and compare its content hash with the indexed one."""
    report = VerifyReport(pending=pending_count(engine))
    report.outdated_schema = not idx.schema_is_current()
    indexed: dict[str, str] = {}
    with idx.reading() as view:
        for stored in view.searcher.reader().all_stored_fields():
            key = stored.get("id", "")
            if key in indexed:
                report.duplicates.append(key)
            indexed[key] = stored.get("hash", "")
    report.indexed = len(indexed)
    seen = set()
    with Session(engine) as session:
        for doc in iter_all_documents(session):
            key = doc["id"]
            seen.add(key)
            report.records += 1
            if key not in indexed:
                report.missing.append(key)
            elif indexed[key] != doc["hash"]:
                report.stale.append(key)
    report.orphaned = sorted(set(indexed) - seen)
    return report
