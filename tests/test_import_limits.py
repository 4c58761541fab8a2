"""Hostile real-data files: refused line by line in Dutch, and nothing is written.

Each test writes a small JSONL file in tmp_path: good lines around one bad one, so that the
report must name the bad line's number.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import REAL_DATA
from tracker.audit.models import LogEntry
from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.importers.agreement import import_agreement
from tracker.importers.decisions import import_decisions
from tracker.importers.jsonl import (
    MAX_FILE_BYTES,
    MAX_HEADING_CHARS,
    MAX_HEADINGS,
    MAX_JSON_DEPTH,
    MAX_LINE_BYTES,
    MAX_TEXT_CHARS,
)
from tracker.sources.models import Source


def decision(n: int, **fields: object) -> str:
    row = {"id": f"5D9C56D56B1B81000800{n:04X}", "meeting_date": "2021-03-05", "kind": "nota",
           "title": f"Beslissing {n}", "text": f"De Vlaamse Regering beslist {n}.",
           "source_url": "https://beslissingenvlaamseregering.vlaanderen.be/?search=x"}
    row.update(fields)
    return json.dumps(row)


def section(n: int, **fields: object) -> str:
    row = {"part": 1, "path": ["Onderwijs", f"1.{n} Kop {n}"], "number": f"1.{n}", "title": f"Kop {n}",
           "text": f"1.{n} Kop {n} Tekst {n}."}
    row.update(fields)
    return json.dumps(row)


def _counts() -> tuple[int, int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                 for m in (Decision, Commitment, Source, LogEntry))


def refused(app: Flask, path: Path, importer=import_decisions) -> list[str]:  # type: ignore[no-untyped-def]
    """Import the file; check it is refused and nothing was written; return the errors."""
    with app.app_context():
        before = _counts()
        report = importer(db.session, path)
        assert not report.ok
        assert not db.session.new and not db.session.dirty
        db.session.commit()  # would write anything the import had added
        assert _counts() == before
        assert report.summary().startswith(f"{report.label} ({path.name}) is niet geïmporteerd; er is niets gewijzigd.")
        return report.errors


def write(tmp_path: Path, *lines: str | bytes) -> Path:
    path = tmp_path / "invoer.jsonl"
    path.write_bytes(b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines) + b"\n")
    return path


# --------------------------------------------------------------------------- characters


def test_a_lone_surrogate_is_refused(app: Flask, tmp_path: Path) -> None:
    bad = decision(2).replace('"Beslissing 2"', '"Beslissing \\ud800 twee"')
    assert "\\ud800" in bad
    errors = refused(app, write(tmp_path, decision(1), bad, decision(3)))
    assert errors == ['regel 2: veld "title" bevat een losse UTF-16-surrogaat (\\ud800), geen geldig teken.']


def test_a_surrogate_pair_is_a_character(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        report = import_decisions(db.session, write(tmp_path, decision(1, title="Beslissing \U0001F600")))
        assert report.ok, report.errors
        db.session.rollback()


@pytest.mark.parametrize(("escape", "what"), [("\\u0000", "een NUL-teken (\\u0000)"),
                                              ("\\u001b", "een stuurteken (\\u001b)")])
def test_nul_and_control_characters_in_strings_are_refused(app: Flask, tmp_path: Path, escape: str,
                                                           what: str) -> None:
    bad = decision(2).replace('"De Vlaamse Regering beslist 2."', f'"De Vlaamse{escape} Regering"')
    errors = refused(app, write(tmp_path, decision(1), bad))
    assert errors == [f'regel 2: veld "text" bevat {what}.']


def test_control_characters_anywhere_in_the_object_are_refused(app: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, section(1), section(2, path=["Onderwijs", "1.2 K\\u0000"]).replace("\\\\u", "\\u"),
                 '{"part\\u0000": 1}')
    assert refused(app, path, import_agreement) == [
        'regel 2: veld "path[1]" bevat een NUL-teken (\\u0000).',
        "regel 3: een veldnaam bevat een NUL-teken (\\u0000).",
    ]


def test_a_raw_nul_byte_is_malformed_json(app: Flask, tmp_path: Path) -> None:
    bad = decision(2).encode().replace(b"beslist 2", b"beslist\x002")
    errors = refused(app, write(tmp_path, decision(1), bad))
    assert len(errors) == 1 and errors[0].startswith("regel 2: geen geldige JSON: ongeldig stuurteken")


def test_tabs_and_newlines_in_strings_are_text(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        report = import_decisions(db.session, write(tmp_path, decision(1, text="Eerste regel\n\tTweede\r\n")))
        assert report.ok, report.errors
        db.session.rollback()


def test_bytes_that_are_not_utf8_are_refused_per_line(app: Flask, tmp_path: Path) -> None:
    latin1 = decision(2).encode().replace(b"Beslissing", b"Besl\xe9ssing")
    path = write(tmp_path, decision(1), latin1, decision(3), b"\xff\xfe")
    at = latin1.index(b"\xe9") + 1
    assert refused(app, path) == [f"regel 2: geen geldige UTF-8-tekst (byte {at}).",
                                  "regel 4: geen geldige UTF-8-tekst (byte 1)."]


# --------------------------------------------------------------------------- structure and numbers


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH, 50_000])
def test_json_nested_too_deep_is_refused(app: Flask, tmp_path: Path, depth: int) -> None:
    # The object itself is one level: a title nested `depth` lists deep is depth + 1 levels.
    nested = "[" * depth + "]" * depth
    bad = decision(2).replace('"Beslissing 2"', nested)
    errors = refused(app, write(tmp_path, decision(1), bad))
    assert errors == [f"regel 2: de JSON is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus)."]


def test_nesting_up_to_the_limit_is_read(app: Flask, tmp_path: Path) -> None:
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    errors = refused(app, write(tmp_path, decision(1), decision(2).replace('"Beslissing 2"', nested)))
    assert errors == ['regel 2: veld "title" moet tekst zijn, niet een lijst.']


@pytest.mark.parametrize(("number", "shown"), [
    (str(2**63), str(2**63)),
    (str(-(2**63) - 1), str(-(2**63) - 1)),
    ("9" * 5000, "9" * 30 + "… (5.000 tekens)"),
])
def test_whole_numbers_beyond_64_bits_are_refused(app: Flask, tmp_path: Path, number: str, shown: str) -> None:
    bad = section(2).replace('"part": 1', f'"part": {number}')
    errors = refused(app, write(tmp_path, section(1), bad), import_agreement)
    assert errors == [f"regel 2: het getal {shown} is te groot; een geheel getal moet in 64 bits passen "
                      "(-9.223.372.036.854.775.808 tot 9.223.372.036.854.775.807)."]


def test_the_largest_64_bit_number_is_read(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        report = import_agreement(db.session, write(tmp_path, section(1).replace('"part": 1', f'"part": {2**63 - 1}')))
        assert report.ok, report.errors
        db.session.rollback()


@pytest.mark.parametrize(("literal", "error"), [
    ("1e400", "het getal 1e400 is te groot."),
    ("-1e400", "het getal -1e400 is te groot."),
    ("NaN", "NaN is geen getal in JSON; schrijf een gewoon getal of null."),
    ("Infinity", "Infinity is geen getal in JSON; schrijf een gewoon getal of null."),
])
def test_infinite_numbers_are_refused(app: Flask, tmp_path: Path, literal: str, error: str) -> None:
    bad = section(2).replace('"part": 1', f'"part": {literal}')
    assert refused(app, write(tmp_path, section(1), bad), import_agreement) == [f"regel 2: {error}"]


# --------------------------------------------------------------------------- identifiers


def test_site_ids_that_differ_only_in_case_are_refused(app: Flask, tmp_path: Path) -> None:
    upper = decision(1, id="5D9C56D56B1B8100080001EA")
    lower = decision(2, id="5d9c56d56b1b8100080001ea")
    same = decision(3, id="5D9C56D56B1B8100080001EA")
    errors = refused(app, write(tmp_path, upper, lower, same))
    assert errors == [
        "regel 2: id 5d9c56d56b1b8100080001ea verschilt alleen in hoofdletters van id 5D9C56D56B1B8100080001EA "
        "op regel 1; de tracker onderscheidt ze niet.",
        "regel 3: id 5D9C56D56B1B8100080001EA staat ook op regel 1.",
    ]


def test_chapters_that_differ_only_in_case_are_refused(app: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, section(1), section(2, path=["ONDERWIJS", "1.2 Kop 2"]))
    assert refused(app, path, import_agreement) == [
        'regel 2: hoofdstuk "ONDERWIJS" verschilt alleen in hoofdletters of leestekens van "Onderwijs" op regel 1; '
        "de tracker onderscheidt ze niet."]


# --------------------------------------------------------------------------- sizes


def test_a_text_over_the_limit_is_refused(app: Flask, tmp_path: Path) -> None:
    ok = decision(1, text="x" * MAX_TEXT_CHARS)
    bad = decision(2, text="x" * (MAX_TEXT_CHARS + 1))
    assert refused(app, write(tmp_path, ok, bad)) == [
        'regel 2: veld "text" is te lang (100.001 tekens; hoogstens 100.000).']
    path = write(tmp_path, section(1, text="y" * (MAX_TEXT_CHARS + 1)))
    assert refused(app, path, import_agreement) == [
        'regel 1: veld "text" is te lang (100.001 tekens; hoogstens 100.000).']


def test_a_50_mb_text_is_refused_before_it_is_parsed(app: Flask, tmp_path: Path) -> None:
    huge = decision(2, text="x" * 50 * 1024 * 1024)
    errors = refused(app, write(tmp_path, decision(1), huge, decision(3)))
    assert errors == [f"regel 2: de regel is te lang ({len(huge):,} bytes; hoogstens 1.048.576); "
                      "ze is niet gelezen.".replace(",", ".")]


def test_a_line_at_the_limit_is_parsed(app: Flask, tmp_path: Path) -> None:
    line = decision(1, text="")
    line = line.replace('"text": ""', '"text": "' + "x" * (MAX_LINE_BYTES - len(line)) + '"')
    assert len(line.encode()) == MAX_LINE_BYTES
    errors = refused(app, write(tmp_path, line))
    assert errors == [f'regel 1: veld "text" is te lang ({MAX_LINE_BYTES - len(decision(1, text="")):,} tekens; '
                      "hoogstens 100.000).".replace(",", ".")]


def test_too_many_or_too_long_headings_are_refused(app: Flask, tmp_path: Path) -> None:
    many = section(2, path=["Onderwijs"] + [f"1.{i} Kop" for i in range(MAX_HEADINGS)])
    long = section(3, path=["Onderwijs", "1.3 " + "k" * MAX_HEADING_CHARS])
    long_chapter = section(4, path=["O" * (MAX_HEADING_CHARS + 1), "1.4 Kop 4"])
    assert refused(app, write(tmp_path, section(1), many, long, long_chapter), import_agreement) == [
        'regel 2: veld "path" telt 21 koppen; hoogstens 20.',
        'regel 3: veld "path" bevat een kop van meer dan 500 tekens.',
        'regel 4: veld "path" bevat een kop van meer dan 500 tekens.',
    ]


def test_a_file_over_the_limit_is_not_read(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "groot.jsonl"
    with path.open("wb") as f:  # sparse: no 100 MB written to the disk
        f.truncate(MAX_FILE_BYTES + 1)
    assert refused(app, path) == ["bestand groot.jsonl is te groot (104.857.601 bytes; hoogstens 104.857.600)."]


def test_the_limits_are_far_above_the_real_data() -> None:
    """The margins the README states: measured on ../shared/real-data."""
    if not REAL_DATA.is_dir():
        pytest.skip("the real data is missing")
    longest_line = deepest_text = 0
    for name in ("vr-decisions-2019-2024.jsonl", "regeerakkoord-2019-2024-sections.jsonl"):
        for line in (REAL_DATA / name).read_bytes().split(b"\n"):
            longest_line = max(longest_line, len(line))
            if line.strip():
                deepest_text = max(deepest_text, len(json.loads(line)["text"]))
    assert longest_line * 50 < MAX_LINE_BYTES
    assert deepest_text * 5 < MAX_TEXT_CHARS
