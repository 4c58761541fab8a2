"""Reading a pasted note: document numbers with their meeting dates, dates, amounts with their labels,
and the names of programmes, projects and organisations the tracker knows.

Nothing here writes: the editor checks what was read before anything is saved.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tracker.core.db import db
from tracker.parsing import (
    DUTCH_MONTHS,
    AmountError,
    DateError,
    find_document_numbers,
    parse_amount,
    parse_dutch_date,
)
from tracker.projects.models import Organisation, Programme, Project

# Thousands grouped by a full stop, a space or a no-break space; an optional ",00".
_NUMBER = r"\d{1,3}(?:[.\u00a0 ]\d{3})+(?:,\d{2})?|\d+(?:,\d{2})?"
_AMOUNT_RE = re.compile(
    rf"€\s*(?P<a>{_NUMBER})(?![\d])"
    rf"|(?<![\d.,])(?P<b>{_NUMBER})\s*(?:€|EUR\b|euro\b)"
    r"|(?<![\d.,])(?P<m>\d+(?:[.,]\d+)?)\s*(?:miljoen\s+euro|MEUR\b|mio\s+euro)",
    re.IGNORECASE,
)
_DATE_RE = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(DUTCH_MONTHS)})\s+(\d{{4}})\b", re.IGNORECASE)
_SUBJECT_RE = re.compile(r"^\s*Betreft\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)


@dataclass
class FoundAmount:
    amount: int
    printed: str
    label: str
    line: int


@dataclass
class NoteReading:
    document_numbers: list[tuple[str, date]] = field(default_factory=list)  # canonical, meeting date
    dates: list[date] = field(default_factory=list)
    amounts: list[FoundAmount] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    subject: str = ""

    own: tuple[str, date] | None = None

    @property
    def own_number(self) -> tuple[str, date] | None:
        """The note's own number: printed on a line by itself (as on a note's cover), else None."""
        return self.own


def _label(lines: list[str], index: int, start: int) -> str:
    """The words before the amount on its line, else the previous line with words (a table cell above)."""
    before = lines[index][:start].strip(" \t–-")
    if re.search(r"[A-Za-zÀ-ÿ]{3}", before) and not before.endswith(":"):
        return " ".join(before.split())[-200:]
    for previous in range(index - 1, max(index - 4, -1), -1):
        text = lines[previous].strip()
        if re.search(r"[A-Za-zÀ-ÿ]{3}", text) and not _AMOUNT_RE.search(text) and not text.endswith(":"):
            return " ".join(text.split())[-200:]
    return ""


def read_amounts(text: str) -> list[FoundAmount]:
    lines = text.splitlines()
    found = []
    for index, line in enumerate(lines):
        for match in _AMOUNT_RE.finditer(line):
            if match.group("m"):
                millions = float(match.group("m").replace(",", "."))
                amount = round(millions * 1_000_000)
            else:
                try:
                    amount = parse_amount(match.group(0))
                except AmountError:
                    continue
            if amount <= 0:
                continue
            found.append(FoundAmount(amount, match.group(0).strip(), _label(lines, index, match.start()), index + 1))
    return found


def read_dates(text: str) -> list[date]:
    result = []
    for match in _DATE_RE.finditer(" ".join(text.split())):
        try:
            day = parse_dutch_date(match.group(0))
        except DateError:
            continue
        if day not in result:
            result.append(day)
    return result


def _known(text: str) -> tuple[list[Programme], list[Project], list[Organisation]]:
    folded = " ".join(text.split()).casefold()

    def mentioned(*names: str) -> bool:
        return any(len(n) >= 4 and re.search(rf"(?<!\w){re.escape(n.casefold())}(?!\w)", folded) for n in names if n)

    programmes = [p for p in db.session.scalars(select(Programme).order_by(Programme.name))
                  if mentioned(p.name, p.short_name)]
    projects = [p for p in db.session.scalars(select(Project).order_by(Project.key)) if mentioned(p.title)]
    organisations = [o for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
                     if mentioned(o.name)]
    return programmes, projects, organisations


def read_note(text: str) -> NoteReading:
    flat = " ".join(text.split())
    numbers = []
    for number in find_document_numbers(flat):
        if number.canonical not in [n for n, _ in numbers]:
            numbers.append((number.canonical, number.meeting_date))
    own = None
    for line in text.splitlines():
        alone = find_document_numbers(line.strip())
        if len(alone) == 1 and len(line.strip()) <= len(alone[0].canonical) + 4:
            own = (alone[0].canonical, alone[0].meeting_date)
            break
    subject = _SUBJECT_RE.search(text)
    programmes, projects, organisations = _known(text)
    return NoteReading(numbers, read_dates(text), read_amounts(text), programmes, projects, organisations,
                       " ".join(subject.group(1).split()).strip(" -–") if subject else "", own)
