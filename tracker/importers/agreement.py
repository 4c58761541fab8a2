"""Import the coalition agreement 2019-2024 (224 sections of ../shared/real-data) as source ra-2019 with its tree.

Who owns which field: a node the import created is kept in step with the file; imported nodes are
recognised by their ``cite`` ("<file>, regel N (deel P)"). A node made by the seed loader (or by hand)
is never overwritten: seeded nodes (e.g. ``ra-2019/bestuurzaken/3.2.3``, whose seeded text is a
cleaned-up version of the imported one) are matched by key and reused as they are, and imported nodes
are hung below them. Nothing is ever deleted.

Data: datamindedbe/demo-elections2024-website (MIT licence, (c) 2024 data minded); the texts are
public-sector information of the Flemish Government.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import User
from tracker.commitments.models import Commitment, Level
from tracker.commitments.operations import create_commitment, update_commitment
from tracker.core.writes import operation
from tracker.importers.cleaning import (
    collapse_spaces,
    join_hyphenation,
    slugify,
    strip_heading,
    word_counts,
)
from tracker.importers.jsonl import (
    ATTRIBUTION,
    MAX_HEADING_CHARS,
    MAX_HEADINGS,
    MAX_TEXT_CHARS,
    ImportReport,
    _get_source,
    _log,
    _n,
    _read_lines,
    _Row,
)
from tracker.sources.models import Source, SourceKind

AGREEMENT_FILE = "regeerakkoord-2019-2024-sections.jsonl"
AGREEMENT_SOURCE = {
    "key": "ra-2019",
    "kind": SourceKind.REGEERAKKOORD,
    "title": "Regeerakkoord Vlaamse Regering 2019-2024",
    "government": "Vlaamse Regering 2019-2024",
}
SECTION_FIELDS = ("part", "path", "number", "title", "text")
# One spelling per policy domain: the seeded analysis and the government itself write "Bestuurszaken".
POLICY_DOMAINS = {"Bestuurzaken": "Bestuurszaken"}
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


@dataclass
class _Node:
    key: str
    parent_key: str | None
    level: Level
    reference: str
    title: str
    policy_domain: str
    line: int
    part: int
    sort: tuple[Any, ...]
    text: str = ""
    section_line: int | None = None
    position: int = 1


_HEADING_RE = re.compile(r"([0-9]+(?:\.[0-9]+)*)\.?\s+(.+)")
_IMPORTED_CITE_RE = re.compile(r".+\.jsonl, regel [0-9]+ \(deel [0-9]+\)")


def _split_heading(heading: str) -> tuple[str, str]:
    match = _HEADING_RE.fullmatch(heading.strip())
    if match:
        return match.group(1), collapse_spaces(match.group(2))
    return "", collapse_spaces(heading)


def _number_sort(number: str, line: int) -> tuple[Any, ...]:
    # Numbered headings in document order (1.2 before 1.10); the file lists them alphabetically.
    return (0, tuple(int(p) for p in number.split(".")), line) if number else (1, (), line)


def _read_sections(path: Path, report: ImportReport) -> dict[str, _Node]:
    """Validate the sections file and build the tree of nodes, keyed like the seeds."""
    rows = _read_lines(path, report)
    report.read = len(rows)
    vocabulary = word_counts(str(d.get("text", "")) for _, d in rows)
    root = AGREEMENT_SOURCE["key"]
    nodes: dict[str, _Node] = {}
    for line, data in rows:
        row = _Row(line, data, report)
        if not row.looks_like(SECTION_FIELDS):
            continue
        part = row.get("part", int)
        if part is not None and part < 1:
            row.fail(f'veld "part" moet 1 of meer zijn, niet {part}.')
        headings = row.get("path", list, required_nonempty=True)
        if headings is not None and not all(isinstance(h, str) and h.strip() for h in headings):
            row.fail('veld "path" moet een lijst van niet-lege koppen (tekst) zijn.')
        elif headings is not None and len(headings) > MAX_HEADINGS:
            row.fail(f'veld "path" telt {_n(len(headings))} koppen; hoogstens {MAX_HEADINGS}.')
        elif headings is not None and any(len(h) > MAX_HEADING_CHARS for h in headings):
            row.fail(f'veld "path" bevat een kop van meer dan {MAX_HEADING_CHARS} tekens.')
        number = row.get("number", str, max_length=40)
        if number and not _NUMBER_RE.fullmatch(number.strip()):
            row.fail(f'number "{number}" is geen nummer zoals 3.2.3.')
        title = row.get("title", str, required_nonempty=True, max_length=500)
        text = row.get("text", str, max_length=MAX_TEXT_CHARS)
        if not row.valid:
            continue
        chapter = collapse_spaces(headings[0])
        domain = POLICY_DOMAINS.get(chapter, chapter)
        chapter_key = parent = f"{root}/{slugify(chapter)}"
        if chapter_key not in nodes:
            nodes[chapter_key] = _Node(chapter_key, None, Level.HOOFDSTUK, "", chapter, domain, line, part,
                                       (part, line))
        elif nodes[chapter_key].title != chapter:
            other = nodes[chapter_key]
            row.fail(f'hoofdstuk "{chapter[:80]}" verschilt alleen in hoofdletters of leestekens van '
                     f'"{other.title[:80]}" op regel {other.line}; de tracker onderscheidt ze niet.')
            continue
        for depth, heading in enumerate(headings[1:], start=2):
            if depth == len(headings):
                ref, head_title = number.strip(), collapse_spaces(title)
            else:
                ref, head_title = _split_heading(heading)
            # Numbers restart in every part, so a number is unique only within its chapter.
            key = f"{chapter_key}/{ref}" if ref else f"{parent}/{slugify(head_title)}"
            if len(key) > 200 or len(head_title) > 500:
                row.fail(f'kop "{heading[:80]}" is te lang.')
                break
            node = nodes.get(key)
            if node is None:
                nodes[key] = _Node(key, parent, Level.AFDELING, ref, head_title, domain, line, part,
                                   _number_sort(ref, line))
            elif node.parent_key != parent or node.title != head_title:
                row.fail(f'kop "{heading}" staat ook op regel {node.line}, maar onder een andere bovenkop '
                         f"of met een andere titel.")
                break
            parent = key
        if not row.valid:
            continue
        section = nodes[parent]
        if section.section_line is not None:
            row.fail(f"dezelfde sectie ({section.key}) staat al op regel {section.section_line}.")
            continue
        section.section_line = line
        section.text = collapse_spaces(join_hyphenation(strip_heading(text, headings[-1]), vocabulary))
    siblings: dict[str | None, list[_Node]] = defaultdict(list)
    for node in nodes.values():
        siblings[node.parent_key].append(node)
    for group in siblings.values():
        for position, node in enumerate(sorted(group, key=lambda n: n.sort), start=1):
            node.position = position
    return nodes


@operation
def import_agreement(session: Session, path: Path, actor: User | None = None) -> ImportReport:
    """Import the coalition agreement 2019-2024 (sections file) as source ra-2019 with its tree; the caller commits."""
    path = Path(path)
    report = ImportReport("Regeerakkoord 2019-2024", path, "secties")
    nodes = _read_sections(path, report)
    if not report.ok:
        return report
    root = AGREEMENT_SOURCE["key"]
    existing = {c.key: c for c in session.scalars(
        select(Commitment).where(Commitment.key.startswith(f"{root}/", autoescape=True)))}
    source = session.scalar(select(Source).where(Source.key == root))
    for key in nodes:
        obj = existing.get(key)
        if obj is not None and (source is None or obj.source_id != source.id):
            report.error(nodes[key].line, f"engagement {key} bestaat al, maar bij een andere bron.")
    if not report.ok:
        return report
    source = _get_source(session, AGREEMENT_SOURCE, report,
                         {"read_from": f"real-data/{path.name}", "summary": ATTRIBUTION}, actor)
    keys_by_id = {c.id: k for k, c in existing.items()}
    objects: dict[str, Commitment] = {}
    kept = 0
    for key, node in nodes.items():  # parents come before their children
        parent = objects[node.parent_key] if node.parent_key else None
        values = {
            "level": node.level, "reference": node.reference, "position": node.position,
            "title": node.title, "text": node.text, "policy_domain": node.policy_domain,
            "cite": f"{path.name}, regel {node.section_line or node.line} (deel {node.part})",
        }
        obj = existing.get(key)
        if obj is None:
            obj = create_commitment({"key": key, "source": source, "parent": parent, **values}, actor)
            report.created_record("engagement", key, node.title)
        elif not _IMPORTED_CITE_RE.fullmatch(obj.cite or ""):
            kept += 1
            report.count("unchanged", "engagementen")
            if keys_by_id.get(obj.parent_id) != node.parent_key:
                report.notes.append(f"Let op: {key} hangt in de database onder "
                                    f"{keys_by_id.get(obj.parent_id) or 'geen ouder'}, in het bestand onder "
                                    f"{node.parent_key or 'geen ouder'}; niet gewijzigd.")
        else:
            if _parent_differs(obj, parent):
                values["parent"] = parent
            report.updated_record("engagement", key, update_commitment(obj, values, actor))
        objects[key] = obj
    if kept:
        report.notes.append(f"{_n(kept)} engagement(en) uit de seeddata hergebruikt zoals ze zijn "
                            "(tekst en koppelingen blijven behouden).")
    session.flush()
    _log(report, actor, source, "regeerakkoord")
    return report


def _parent_differs(obj: Commitment, parent: Commitment | None) -> bool:
    # Compared by id, so that no parent is loaded; a parent created in this run has no id yet.
    if parent is None:
        return obj.parent_id is not None
    return parent.id is None or obj.parent_id != parent.id


