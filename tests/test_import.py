"""Importing the real data: the coalition agreement 2019-2024 and the 3,003 decisions of the public site."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import REAL_DATA, SEEDS, TestDatabases, app_on, load_seed_data
from tracker.audit.models import LogEntry
from tracker.commitments.models import Commitment, Level, Link
from tracker.core.db import db
from tracker.decisions.models import Decision, DecisionDocument, DecisionKind
from tracker.importers.agreement import AGREEMENT_FILE, import_agreement
from tracker.importers.cleaning import (
    fallback_title,
    join_hyphenation,
    slugify,
    strip_heading,
    word_counts,
)
from tracker.importers.decisions import DECISIONS_FILE, import_decisions
from tracker.importers.jsonl import MAX_ERRORS
from tracker.importers.seeds import load_seeds
from tracker.sources.models import Source

needs_real_data = pytest.mark.skipif(
    not (REAL_DATA / AGREEMENT_FILE).is_file() or not (REAL_DATA / DECISIONS_FILE).is_file(),
    reason=f"the real data ({REAL_DATA}) is missing; it is shared next to the repository and present in CI",
)
SECTION_323 = "ra-2019/bestuurzaken/3.2.3"


def _rows(name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (REAL_DATA / name).read_text(encoding="utf-8").splitlines() if line]


def _count(model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _import_both(app: Flask) -> None:
    load_seed_data(app)
    assert import_agreement(db.session, REAL_DATA / AGREEMENT_FILE).ok
    db.session.commit()
    assert import_decisions(db.session, REAL_DATA / DECISIONS_FILE).ok
    db.session.commit()


@pytest.fixture(scope="session")
def imported_db(databases: TestDatabases) -> str:
    """The URL of a template with the seeds and both real-data files imported (clone it)."""
    return databases.template("imported", _import_both)


@pytest.fixture
def imported_app(databases: TestDatabases, imported_db: str, tmp_path: Path) -> Iterator[Flask]:
    yield from app_on(databases, "imported", tmp_path)


@pytest.fixture
def imported(imported_app: Flask):  # type: ignore[no-untyped-def]
    """A session on a copy of the imported database."""
    with imported_app.app_context():
        yield db.session
        db.session.rollback()


def _node(session, key: str) -> Commitment:  # type: ignore[no-untyped-def]
    return session.scalar(select(Commitment).where(Commitment.key == key))


# --------------------------------------------------------------------------- the coalition agreement

@needs_real_data
def test_agreement_becomes_one_tree_under_the_seeded_source(imported) -> None:  # type: ignore[no-untyped-def]
    sources = imported.scalars(select(Source).where(Source.key.like("ra-2019%"))).all()
    assert [s.key for s in sources if s.kind.value == "regeerakkoord"] == ["ra-2019"]
    source = sources[0]
    nodes = imported.scalars(select(Commitment).where(Commitment.source_id == source.id)).all()
    sections = [n for n in nodes if n.level in (Level.HOOFDSTUK, Level.AFDELING) and n.text]
    assert len(sections) == 224
    chapters = [n for n in nodes if n.parent_id is None]
    assert len(chapters) == len({r["path"][0] for r in _rows(AGREEMENT_FILE)}) == 26
    assert all(c.level is Level.HOOFDSTUK for c in chapters)
    assert all(n.policy_domain for n in nodes if not n.key.startswith("ra-2019/bestuurzaken"))
    # Numbers restart in every part: "3.2.3" is a section of three different chapters.
    same_number = {n.key: n.title for n in nodes if n.reference == "3.2.3"}
    assert same_number == {
        SECTION_323: "ICT en Informatie",
        "ra-2019/gelijke-kansen/3.2.3": "Vrijheid van religie en levensbeschouwing",
        "ra-2019/justitie/3.2.3": "Wat betreft (justitiehuizen) en het Vlaams Centrum Elektronisch toezicht:",
    }


@needs_real_data
def test_seeded_section_323_is_the_imported_one_with_its_links_and_child(imported) -> None:  # type: ignore[no-untyped-def]
    matches = imported.scalars(select(Commitment).where(
        Commitment.reference == "3.2.3", Commitment.title == "ICT en Informatie")).all()
    assert len(matches) == 1
    section = matches[0]
    assert section.key == SECTION_323
    # The seeded text is the cleaned-up one and is kept.
    assert section.text.startswith("Programma Vlaanderen Radicaal Digitaal II\n\nDeze Vlaamse regering")
    assert section.cite.startswith("004,")
    links = imported.scalars(select(Link).where(Link.commitment_id == section.id, Link.decision_id.is_not(None))).all()
    assert len(links) == 35
    assert [c.key for c in section.children] == [f"{SECTION_323}/a"]
    concrete = section.parent
    assert concrete.key == "ra-2019/bestuurzaken/3.2"
    assert sorted(c.reference for c in concrete.children) == ["3.2.1", "3.2.2", "3.2.3", "3.2.4"]
    chapter = concrete.parent
    assert chapter.key == "ra-2019/bestuurzaken" and chapter.parent is None
    assert sorted(c.reference for c in chapter.children) == ["3.1", "3.2"]


@needs_real_data
def test_unnumbered_headings_and_document_order(imported) -> None:  # type: ignore[no-untyped-def]
    heading = _node(imported, "ra-2019/werk-en-sociale-economie/3.2.1/elk-talent-telt-alle-arbeidspotentieel-benutten")
    assert heading.reference == "" and heading.parent.key == "ra-2019/werk-en-sociale-economie/3.2.1"
    assert [c.reference for c in heading.children] == [f"3.2.1.{i}" for i in range(1, 6)]
    # The file lists 1.10 before 1.1; the tree keeps the agreement's order.
    transport = _node(imported, "ra-2019/mobiliteit-en-openbare-werken")
    assert [c.reference for c in transport.children] == [f"1.{i}" for i in range(1, 13)]
    assert [c.position for c in transport.children] == list(range(1, 13))
    animals = _node(imported, "ra-2019/dierenwelzijn")
    assert animals.level is Level.HOOFDSTUK and animals.text.startswith("Sinds de afgelopen regeerperiode")


@needs_real_data
def test_section_text_drops_repeated_heading_and_safe_hyphenation(imported) -> None:  # type: ignore[no-untyped-def]
    raw = _rows(AGREEMENT_FILE)[0]["text"]
    assert raw.startswith("1.1 Uitdagingen en visie") and "klimaatam-bitie" in raw
    text = _node(imported, "ra-2019/energie-en-klimaat/1.1").text
    assert text.startswith("De zorg voor het klimaat")
    assert "klimaatambitie" in text and "klimaatam-bitie" not in text
    assert "infrastructuurinvesteringen" in text
    # A real compound stays; an artefact without an unhyphenated form elsewhere in the file stays too.
    assert "energie-efficiëntie" in text and "voort-gang" in text
    justice = _node(imported, "ra-2019/justitie/3.2.3").text
    assert not justice.startswith("3.2.3")


def test_join_hyphenation_only_where_the_word_is_known() -> None:
    vocabulary = word_counts(["informatie en digitalisering"])
    assert join_hyphenation("de centrale infor-matie- en ICT-diensten", vocabulary) == \
        "de centrale informatie- en ICT-diensten"
    for kept in ("e-commerce", "milieu-uitdagingen", "informatie- en", "ICT-diensten"):
        assert join_hyphenation(kept, vocabulary) == kept
    # Capitals mark a real compound, even when the joined word occurs somewhere.
    for kept in ("Vlaams-Europees", "IT-projecten"):
        assert join_hyphenation(kept, word_counts(["vlaamseuropees itprojecten"])) == kept


def test_strip_heading_and_slugify() -> None:
    assert strip_heading("2.2.1. We voeren beleid. Daarom ...", "2.2.1 We voeren beleid.") == "Daarom ..."
    assert strip_heading("3 Dierenwelzijn Sinds ...", "Dierenwelzijn") == "Sinds ..."
    assert strip_heading("Iets anders", "1.1 Kop") == "Iets anders"
    assert slugify("Fusie van entiteiten – bijlage bij het  regeerakkoord") == \
        "fusie-van-entiteiten-bijlage-bij-het-regeerakkoord"
    assert slugify("Financiën en begroting") == "financien-en-begroting"
    assert len(slugify("woord " * 40)) <= 60


# --------------------------------------------------------------------------- decisions

@needs_real_data
def test_decisions_imported_once_and_seeded_ones_matched(imported) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(DECISIONS_FILE)
    assert len(rows) == 3003
    assert _count(Decision, Decision.site_id.is_not(None)) == 3003
    not_in_file = imported.scalars(select(Decision.key).where(Decision.site_id.is_(None))).all()
    assert not_in_file and not any(key.startswith("ana-") for key in not_in_file)
    assert _count(Decision) == 3003 + len(not_in_file)
    source = imported.scalar(select(Source).where(Source.key == "vr-beslissingen"))
    assert source.title == "Beslissingen van de Vlaamse Regering (publieke beslissingensite)"
    assert "data minded" in source.summary
    assert len([d for d in imported.scalars(select(Decision)) if source in d.sources]) == 3003
    by_site = {r["id"]: r for r in rows}
    analysis = imported.scalars(select(Decision).where(Decision.key.like("ana-%"))).all()
    assert len(analysis) == 35
    for decision in analysis:
        row = by_site[decision.site_id]
        assert (decision.meeting_date.isoformat(), decision.title) == (row["meeting_date"], row["title"])
        assert decision.text == row["text"] and decision.url == row["source_url"]
    counts = dict(imported.execute(select(Decision.kind, func.count()).where(Decision.site_id.is_not(None))
                                   .group_by(Decision.kind)).all())
    assert counts == {DecisionKind.NOTA: 2742, DecisionKind.MEDEDELING: 261}


@needs_real_data
def test_empty_titles_get_a_readable_fallback(imported) -> None:  # type: ignore[no-untyped-def]
    untitled = {r["id"] for r in _rows(DECISIONS_FILE) if not r["title"].strip()}
    assert len(untitled) == 62
    titles = {d.site_id: d.title for d in imported.scalars(select(Decision).where(Decision.site_id.in_(untitled)))}
    assert len(titles) == 62
    assert all(0 < len(t) <= 120 for t in titles.values())
    assert "VDAB oproep ‘mentoring naar werk’" in titles.values()
    assert any(t.endswith("…") for t in titles.values())


def test_fallback_title() -> None:
    assert fallback_title("Aanpak discriminatie   Motie tot besluit van ...") == "Aanpak discriminatie"
    long = "Schriftelijke vraag " + "over een heel lang onderwerp " * 10
    title = fallback_title(long)
    assert title.endswith("…") and len(title) <= 101 and not title[:-1].endswith(" ")


@needs_real_data
def test_document_number_in_text_becomes_a_document(imported) -> None:  # type: ignore[no-untyped-def]
    doc = imported.scalar(select(DecisionDocument).where(DecisionDocument.canonical == "VR 2020 2703 DOC.0273/1"))
    assert doc.decision.site_id == "5E79BFDA5AB66F000800002B"


@needs_real_data
def test_one_audit_entry_per_import(imported) -> None:  # type: ignore[no-untyped-def]
    entries = imported.scalars(select(LogEntry).where(LogEntry.realm == "import").order_by(LogEntry.id)).all()
    assert [e.kind for e in entries] == ["regeerakkoord", "beslissingen"]
    assert entries[1].data["created"]["beslissingen"] == 3003 - 35
    assert entries[1].data["updated"]["beslissingen"] == 35


# --------------------------------------------------------------------------- idempotency

@needs_real_data
def test_second_import_changes_nothing(imported) -> None:  # type: ignore[no-untyped-def]
    before = (_count(Commitment), _count(Decision), _count(DecisionDocument), _count(LogEntry))
    for importer, name in ((import_agreement, AGREEMENT_FILE), (import_decisions, DECISIONS_FILE)):
        report = importer(imported, REAL_DATA / name)
        assert report.ok and not report.changed, report.summary()
        assert "Niets gewijzigd" in report.summary()
        assert not imported.dirty and not imported.new
    assert report.unchanged["beslissingen"] == 3003
    imported.commit()
    assert (_count(Commitment), _count(Decision), _count(DecisionDocument), _count(LogEntry)) == before


def _edited_copy(tmp_path: Path, name: str, edit) -> Path:  # type: ignore[no-untyped-def]
    rows = _rows(name)
    for row in rows:
        edit(row)
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@needs_real_data
def test_a_changed_file_updates_imported_records_but_never_seeded_ones(imported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ana00 = imported.scalar(select(Decision).where(Decision.key == "ana-00"))
    seeded_title = ana00.title

    def edit_decision(row: dict) -> None:  # type: ignore[type-arg]
        if row["id"] in (ana00.site_id, "5D9C56D56B1B8100080001EA"):
            row["title"] = "Gewijzigde titel"
            row["text"] += " Zie VR 2020 2711 DOC.1294/1."

    report = import_decisions(imported, _edited_copy(tmp_path, DECISIONS_FILE, edit_decision))
    assert report.ok and report.updated["beslissingen"] == 1, report.summary()
    assert imported.scalar(select(Decision).where(Decision.site_id == "5D9C56D56B1B8100080001EA")).title == \
        "Gewijzigde titel"
    assert ana00.title == seeded_title
    # The number is ana-00's own (from the seeds); the other decision only gets a note.
    assert any("VR 2020 2711 DOC.1294/1 hoort al bij beslissing ana-00" in note for note in report.notes)

    def edit_section(row: dict) -> None:  # type: ignore[type-arg]
        if row["number"] in ("3.2.3", "3.2.4") and row["path"][0] == "Bestuurzaken":
            row["text"] += " Extra zin."

    seeded_text = _node(imported, SECTION_323).text
    report = import_agreement(imported, _edited_copy(tmp_path, AGREEMENT_FILE, edit_section))
    assert report.ok and report.updated["engagementen"] == 1, report.summary()
    assert _node(imported, "ra-2019/bestuurzaken/3.2.4").text.endswith("Extra zin.")
    assert _node(imported, SECTION_323).text == seeded_text


@needs_real_data
def test_seeds_and_import_do_not_undo_each_other(imported) -> None:  # type: ignore[no-untyped-def]
    report = load_seeds(imported, SEEDS)
    assert not report.changed, report.summary()


@needs_real_data
def test_import_into_a_database_without_seeds(empty_app: Flask) -> None:
    with empty_app.app_context():
        agreement = import_agreement(db.session, REAL_DATA / AGREEMENT_FILE)
        decisions = import_decisions(db.session, REAL_DATA / DECISIONS_FILE)
        db.session.commit()
        assert agreement.created["bronnen"] == 1 and decisions.created["beslissingen"] == 3003
        source = db.session.scalar(select(Source).where(Source.key == "ra-2019"))
        assert source.title == "Regeerakkoord Vlaamse Regering 2019-2024"
        assert source.government == "Vlaamse Regering 2019-2024"
        assert _node(db.session, SECTION_323).text.startswith("Programma Vlaanderen Radicaal Digitaal II")
        assert _count(Decision) == 3003


# --------------------------------------------------------------------------- malformed files

def _broken_copy(tmp_path: Path) -> Path:
    lines = (REAL_DATA / DECISIONS_FILE).read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[4])
    row["meeting_date"] = "2020-13-01"
    lines[4] = json.dumps(row, ensure_ascii=False)
    lines[16] = lines[16][:40]
    row = json.loads(lines[20])
    row["kind"] = "besluit"
    lines[20] = json.dumps(row, ensure_ascii=False)
    row = json.loads(lines[30])
    del row["title"]
    lines[30] = json.dumps(row, ensure_ascii=False)
    path = tmp_path / "kapot.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@needs_real_data
def test_malformed_decisions_file_writes_nothing(app: Flask, tmp_path: Path) -> None:
    path = _broken_copy(tmp_path)
    with app.app_context():
        before = (_count(Decision), _count(Source), _count(LogEntry))
    result = app.test_cli_runner().invoke(args=["import", "beslissingen", str(path)])
    assert result.exit_code == 1
    assert "niet geïmporteerd; er is niets gewijzigd. 4 fouten" in result.output
    assert 'regel 5: meeting_date "2020-13-01" is geen geldige datum (JJJJ-MM-DD).' in result.output
    assert "regel 17: geen geldige JSON" in result.output
    assert 'regel 21: kind "besluit" is onbekend (toegelaten: nota, mededeling).' in result.output
    assert 'regel 31: veld "title" ontbreekt.' in result.output
    with app.app_context():
        assert (_count(Decision), _count(Source), _count(LogEntry)) == before


def test_malformed_sections_are_reported_per_line(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "secties.jsonl"
    path.write_text("\n".join([
        json.dumps({"part": 1, "path": ["Onderwijs", "1.1 Visie"], "number": "1.1", "title": "Visie", "text": "x"}),
        json.dumps({"part": "een", "path": [], "number": "1.x", "title": "", "text": "x"}),
        json.dumps({"part": 1, "path": ["Onderwijs", "1.1 Visie"], "number": "1.1", "title": "Visie", "text": "y"}),
        "{niet: json}",
    ]), encoding="utf-8")
    with app.app_context():
        before = _count(Commitment)
        report = import_agreement(db.session, path)
        assert not report.ok and not db.session.new
        assert report.errors == [
            'regel 2: veld "part" moet een getal zijn, niet tekst.',
            'regel 2: veld "path" is leeg.',
            'regel 2: number "1.x" is geen nummer zoals 3.2.3.',
            'regel 2: veld "title" is leeg.',
            "regel 3: dezelfde sectie (ra-2019/onderwijs/1.1) staat al op regel 1.",
            "regel 4: geen geldige JSON: veldnaam tussen dubbele aanhalingstekens verwacht (kolom 2).",
        ]
        db.session.rollback()
        assert _count(Commitment) == before


def test_long_error_lists_are_capped(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "rommel.jsonl"
    path.write_text("nee\n" * 200, encoding="utf-8")
    with app.app_context():
        report = import_decisions(db.session, path)
    assert report.error_count == 200
    assert len(report.errors) == MAX_ERRORS + 1
    assert report.errors[0].startswith("regel 1: geen geldige JSON")
    assert report.errors[-1] == "… en nog 150 fouten."


def test_missing_file_is_an_error(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["import", "regeerakkoord", str(tmp_path / "weg.jsonl")])
    assert result.exit_code == 1
    assert "weg.jsonl bestaat niet" in result.output


# --------------------------------------------------------------------------- command line and init

@needs_real_data
def test_cli_second_run_reports_no_change(imported_app: Flask) -> None:
    result = imported_app.test_cli_runner().invoke(args=["import", "alles", str(REAL_DATA)])
    assert result.exit_code == 0, result.output
    assert result.output.count("Niets gewijzigd: alles stond al in de database.") == 2
    assert "beslissingen: 0 nieuw, 0 bijgewerkt, 3.003 ongewijzigd" in result.output


@pytest.mark.slow
@needs_real_data
def test_cli_imports_into_the_seeded_database(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "regeerakkoord", str(REAL_DATA / AGREEMENT_FILE), "--yes"])
    assert result.exit_code == 0, result.output
    assert "224 secties gelezen" in result.output
    assert "engagementen: 284 nieuw, 0 bijgewerkt, 3 ongewijzigd" in result.output
    result = runner.invoke(args=["import", "beslissingen", str(REAL_DATA / DECISIONS_FILE), "--yes"])
    assert result.exit_code == 0, result.output
    assert "beslissingen: 2.968 nieuw, 35 bijgewerkt, 0 ongewijzigd" in result.output
    assert "35 beslissing(en) uit de seeddata herkend" in result.output


def test_import_all_needs_an_existing_folder(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["import", "alles", str(tmp_path / "geen-map")])
    assert result.exit_code == 1
    assert "bestaat niet; er is niets geïmporteerd" in result.output


def test_init_step_skips_a_missing_real_data_folder(app: Flask, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tracker.importers.cli import import_real_data

    with app.app_context():
        import_real_data(tmp_path / "geen-map")
    assert "Geen echte data gevonden in" in capsys.readouterr().out
