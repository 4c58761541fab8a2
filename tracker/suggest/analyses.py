"""Importing fulfilment reports (external analyses) as labelled sources and suggested links.

A report in the format of seed document 004 or of ``adherence-reports.jsonl``: a heading, the
agreement section it is about (``<summary>Regeerakkoord Sectie</summary><p>2.2.4 …``), its text, and
numbered references ``[\\[n\\]](address) : (YYYY-MM-DD) title``. Importing attaches the report to its
section as an external analysis, labelled machine-written and unreviewed, and turns each reference
it can match to a decision into a suggested link awaiting an editor. It never links anything.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.audit.operations import log_event
from tracker.commitments.models import Commitment, Level, Link
from tracker.core.db import db
from tracker.core.writes import operation
from tracker.decisions.models import Decision
from tracker.sources.models import Source, SourceKind
from tracker.sources.operations import create_source, update_source
from tracker.suggest.models import ExternalAnalysis, SuggestedLink, SuggestionOrigin

AGREEMENT = "ra-2019"
_SECTION_RE = re.compile(r"<summary>\s*Regeerakkoord Sectie\s*</summary>\s*<p>\s*(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<text>.*?)</p>",
                         re.S)
_REFERENCE_RE = re.compile(r"\*\*\[\\\[(?P<n>\d+)\\\]\]\((?P<url>[^)\s]+)\)\*\*\s*:\s*\*\*\((?P<date>\d{4}-\d\d-\d\d)\)\*\*"
                           r"\s*(?P<title>[^\n]+)")
_HEADING_RE = re.compile(r"^#\s+(.+)$", re.M)


def normalise(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


@dataclass
class Reference:
    number: int
    url: str
    meeting_date: date | None
    title: str
    decision: Decision | None = None


@dataclass
class Report:
    origin: str  # "adherence-reports.jsonl, regel 3 (Armoedebestrijding/…/x.md)"
    chapter: str
    number: str
    heading: str
    text: str
    references: list[Reference]
    commitment: Commitment | None = None
    problem: str = ""

    @property
    def matched(self) -> list[Reference]:
        return [r for r in self.references if r.decision is not None]

    @property
    def unmatched(self) -> list[Reference]:
        return [r for r in self.references if r.decision is None]


@dataclass
class Plan:
    reports: list[Report] = field(default_factory=list)
    new_suggestions: list[tuple[Report, Reference]] = field(default_factory=list)
    already_linked: int = 0
    already_suggested: int = 0
    new_analyses: int = 0
    changed_analyses: int = 0

    @property
    def attached(self) -> list[Report]:
        return [r for r in self.reports if r.commitment is not None]

    @property
    def refused(self) -> list[Report]:
        return [r for r in self.reports if r.commitment is None]

    @property
    def changes_anything(self) -> bool:
        return bool(self.new_suggestions or self.new_analyses or self.changed_analyses)

    @property
    def unmatched(self) -> list[tuple[Report, Reference]]:
        """The references of attached reports that match no decision in the tracker."""
        return [(report, ref) for report in self.attached for ref in report.unmatched]

    @property
    def digest(self) -> str:
        """What the import would do, as a fingerprint: a confirmation must match the preview it confirms."""
        import hashlib

        what = [[r.origin, r.commitment.id if r.commitment else None, r.problem] for r in self.reports]
        what += [[report.commitment.id, ref.decision.id, ref.number]  # type: ignore[union-attr]
                 for report, ref in self.new_suggestions]
        what += [self.new_analyses, self.changed_analyses]
        return hashlib.sha256(json.dumps(what).encode()).hexdigest()

    def summary(self) -> list[str]:
        unmatched = sum(len(r.unmatched) for r in self.attached)
        lines = [f"{len(self.reports)} rapporten gelezen: {len(self.attached)} aan hun afdeling gehecht "
                 f"({self.new_analyses} nieuw, {self.changed_analyses} bijgewerkt), {len(self.refused)} niet."]
        lines.append(f"Verwijzingen: {sum(len(r.matched) for r in self.attached)} herkend als beslissing, "
                     f"{unmatched} niet herkend.")
        lines.append(f"Nieuwe suggesties: {len(self.new_suggestions)} (al gekoppeld: {self.already_linked}, "
                     f"al voorgesteld of afgewezen: {self.already_suggested}).")
        for report in self.refused:
            lines.append(f"  niet gehecht: {report.origin}: {report.problem}")
        return lines


def _web_address(url: str) -> str:
    """The reference's address when it is a web address; anything else (javascript:, data:) is dropped.

    The reports are machine-written files from outside: their addresses are shown as links to editors.
    """
    return url if url.lower().startswith(("https://", "http://")) else ""


def parse_report(markdown: str, origin: str, chapter: str = "") -> Report:
    section = _SECTION_RE.search(markdown)
    heading = _HEADING_RE.search(markdown)
    references = [Reference(int(m["n"]), _web_address(m["url"]), date.fromisoformat(m["date"]), m["title"].strip())
                  for m in _REFERENCE_RE.finditer(markdown)]
    body = markdown.split("<summary> Referenties</summary>")[0]
    body = re.sub(r"<details>.*?</details>", "", body, flags=re.S).strip()
    return Report(origin, chapter, section["number"] if section else "", heading[1].strip() if heading else "",
                  body, references, problem="" if section else "geen afdeling van het regeerakkoord gevonden "
                  "(verwacht: <summary>Regeerakkoord Sectie</summary><p>nummer titel …)")


def read_reports(path: Path) -> list[Report]:
    """A JSON Lines file of reports ({"file", "markdown"}) or one report as Markdown/text."""
    return parse_reports(path.read_text(encoding="utf-8-sig"), path.name)


def parse_reports(text: str, name: str) -> list[Report]:
    """The reports in a text: JSON Lines (one object per line) when it starts with ``{``, else one report.

    Raises ValueError with a Dutch message that names the line when a JSON line is malformed.
    """
    if not text.lstrip().startswith("{"):
        return [parse_report(text, name)]
    reports = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            file, markdown = str(row["file"]), str(row["markdown"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{name}, regel {number}: verwacht een object met 'file' en 'markdown' "
                             f"({exc}).") from exc
        chapter = file.split("/")[0].removesuffix(".md")
        reports.append(parse_report(markdown, f"{name}, regel {number} ({file})", chapter))
    return reports


def _match_sections(reports: list[Report]) -> None:
    source = db.session.scalar(select(Source).where(Source.key == AGREEMENT))
    if source is None:
        for report in reports:
            report.problem = f"het regeerakkoord ({AGREEMENT}) staat nog niet in de tracker; importeer het eerst"
        return
    nodes = list(db.session.scalars(select(Commitment).where(Commitment.source_id == source.id)))
    by_id = {c.id: c for c in nodes}

    def chapter_of(c: Commitment) -> str:
        while c.parent_id is not None:
            c = by_id[c.parent_id]
        return normalise(c.title)

    for report in reports:
        if not report.number:
            continue
        candidates = [c for c in nodes if c.reference == report.number and c.level is not Level.HOOFDSTUK]
        if len(candidates) > 1 and report.chapter:
            candidates = [c for c in candidates if chapter_of(c) == normalise(report.chapter)]
        if len(candidates) > 1:
            candidates = [c for c in candidates if normalise(report.heading).startswith(normalise(c.title)[:20])]
        if not candidates and report.chapter:
            # A chapter without numbered sections (Dierenwelzijn, Media) is its own unit.
            candidates = [c for c in nodes if c.parent_id is None and normalise(c.title) == normalise(report.chapter)
                          and not any(n.parent_id == c.id for n in nodes)]
        if len(candidates) == 1:
            report.commitment = candidates[0]
        else:
            report.problem = (f"afdeling {report.number} niet eenduidig gevonden ({len(candidates)} kandidaten); "
                              "geef het hoofdstuk in het pad van het bestand")


def _match_decisions(reports: list[Report]) -> None:
    decisions = list(db.session.scalars(select(Decision)))
    by_url = {d.url: d for d in decisions if d.url}
    by_date_title = {(d.meeting_date, normalise(d.title)): d for d in decisions}
    for report in reports:
        for ref in report.references:
            ref.decision = by_url.get(ref.url) or by_date_title.get((ref.meeting_date, normalise(ref.title)))


def analysis_key(commitment: Commitment) -> str:
    return f"analyse-{commitment.key}"[:120]


def plan_import(reports: list[Report]) -> Plan:
    """What importing these reports would do; writes nothing."""
    _match_sections(reports)
    _match_decisions(reports)
    plan = Plan(reports)
    linked = set(db.session.execute(select(Link.decision_id, Link.commitment_id).where(
        Link.removed_dt.is_(None), Link.decision_id.is_not(None), Link.commitment_id.is_not(None))).all())
    suggested = set(db.session.execute(select(SuggestedLink.decision_id, SuggestedLink.commitment_id)).all())
    existing = {s.key: s for s in db.session.scalars(select(Source).where(Source.kind == SourceKind.ANALYSE))}
    seen: set[tuple[int, int]] = set()
    for report in plan.attached:
        source = existing.get(analysis_key(report.commitment))  # type: ignore[arg-type]
        if source is None:
            plan.new_analyses += 1
        elif source.text != report.text:
            plan.changed_analyses += 1
        for ref in report.matched:
            pair = (ref.decision.id, report.commitment.id)  # type: ignore[union-attr]
            if pair in linked:
                plan.already_linked += 1
            elif pair in suggested or pair in seen:
                plan.already_suggested += 1
            else:
                seen.add(pair)
                plan.new_suggestions.append((report, ref))
    return plan


@operation
def apply_import(plan: Plan, actor: User | None) -> Plan:
    """Attach each matched report as a machine-written analysis and add its new suggestions, in one go."""
    existing = {s.key: s for s in db.session.scalars(select(Source).where(Source.kind == SourceKind.ANALYSE))}
    analyses: dict[int, Source] = {}
    for report in plan.attached:
        commitment = report.commitment
        values = {"kind": SourceKind.ANALYSE, "title": f"Machinale analyse: {report.heading or commitment.label}"[:500],
                  "government": "Vlaamse Regering 2019-2024", "text": report.text,
                  "read_from": report.origin[:500]}
        key = analysis_key(commitment)  # type: ignore[arg-type]
        source = existing.get(key)
        if source is None:
            source = create_source({"key": key, **values}, actor)
            db.session.flush()
            db.session.add(ExternalAnalysis(source=source, commitment=commitment, machine_written=True,
                                            origin=report.origin[:500]))
            existing[key] = source
        else:
            update_source(source, {k: v for k, v in values.items() if k != "read_from"}, actor)
        analyses[commitment.id] = source  # type: ignore[union-attr]
    for report, ref in plan.new_suggestions:
        db.session.add(SuggestedLink(decision=ref.decision, commitment=report.commitment,
                                     origin=SuggestionOrigin.REPORT, analysis=analyses[report.commitment.id],
                                     reference_number=ref.number))
    log_event("suggestions", "analyses_imported", "; ".join(plan.summary()[:3]), actor, None,
              {"reports": len(plan.reports), "attached": len(plan.attached),
               "suggestions": len(plan.new_suggestions)})
    return plan
