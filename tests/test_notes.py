"""Paste a note: every document number and every amount of the budget tables of seed documents 000 and 002."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from tracker.notes.extract import read_note
from tracker.projects.models import BudgetLine, StatedTotal

DOCUMENTS = ROOT.parent / "shared" / "seed-documents"
NUMBERS = {
    "000": {"VR 2025 2103 DOC.0167/1TER", "VR 2021 0204 DOC.0330/1BIS", "VR 2021 1712 DOC.1462/1",
            "VR 2021 1712 DOC.1462/2", "VR 2022 1811 DOC.1229/1", "VR 2025 0502 DOC.0328/1"},
    "002": {"VR 2020 2606 DOC.0643/1", "VR 2020 2711 DOC.1294/1", "VR 2015 2703 DOC.0283/1BIS"},
}
needs_documents = pytest.mark.skipif(not DOCUMENTS.is_dir(), reason="the seed documents are shared beside the repository")


def note(prefix: str) -> str:
    return next(DOCUMENTS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@needs_documents
@pytest.mark.parametrize("prefix", ["000", "002"])
def test_every_document_number_and_every_table_amount(ctx, prefix: str) -> None:  # type: ignore[no-untyped-def]
    reading = read_note(note(prefix))
    assert {n for n, _ in reading.document_numbers} == NUMBERS[prefix]
    found = [a.amount for a in reading.amounts]
    # Every amount of the budget tables, as the seeds transcribed them (lines and stated totals).
    lines = [line.amount for line in ctx.scalars(select(BudgetLine).where(BudgetLine.cite.like(f"{prefix},%")))]
    totals = [t.amount for t in ctx.scalars(select(StatedTotal).where(StatedTotal.cite.like(f"{prefix},%")))]
    assert lines and totals
    missing = [amount for amount in lines + totals if amount not in found]
    assert not missing, missing
    # Each table amount found as often as the table prints it (a total may also recur in the text).
    for amount in set(lines):
        assert found.count(amount) >= lines.count(amount), amount


@needs_documents
def test_labels_dates_and_known_names(ctx) -> None:  # type: ignore[no-untyped-def]
    reading = read_note(note("002"))
    labelled = {a.amount: a.label for a in reading.amounts}
    assert labelled[1_362_000] == "21.1 Vlotter Aansluiten op Generieke Componenten"
    assert reading.own_number is not None and reading.own_number[0] == "VR 2020 2711 DOC.1294/1"
    assert reading.own_number[1].isoformat() == "2020-11-27"
    assert reading.subject == "Programma Vlaanderen Radicaal Digitaal 2"
    assert "Vlaanderen Radicaal Digitaal 2" in {p.name for p in reading.programmes}
    assert {"Aanvraagmodule", "Documentendienst+"} <= {p.title for p in reading.projects}
    first = read_note(note("000"))
    assert {o.name for o in first.organisations} >= {"Agentschap Digitaal Vlaanderen", "Departement MOW"}
    assert 20_500_000 in {a.amount for a in first.amounts}  # "20.5 MEUR"


def test_amount_spellings() -> None:
    from tracker.notes.extract import read_amounts

    text = ("Alfa € 1.362.000\nBeta 5 000 000 €\nGamma 570.000EUR\nDelta 21.000 euro\nEpsilon 20.5 MEUR\n"
            "Zeta 5 miljoen euro\nEta in 2021 10.000.000 euro\nTheta:\n250.000 EUR")
    got = [(a.label, a.amount) for a in read_amounts(text)]
    assert got == [("Alfa", 1_362_000), ("Beta", 5_000_000), ("Gamma", 570_000), ("Delta", 21_000),
                   ("Epsilon", 20_500_000), ("Zeta", 5_000_000), ("Eta in 2021", 10_000_000), ("", 250_000)]


@needs_documents
def test_paste_page_for_editors(ctx, client, client_as) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/nota-plakken").status_code == 302
    editor = client_as("editor")
    page = editor.post("/nota-plakken", data={"text": note("002")}).get_data(as_text=True)
    assert "VR 2020 2711 DOC.1294/1 <strong>(nummer van deze nota)</strong>" in page
    assert "€ 1.362.000" in page and "21.1 Vlotter Aansluiten op Generieke Componenten" in page
    assert "ja: Stuurorgaan Vlaams Informatie- en ICT-beleid" in page  # already in the tracker
    empty = editor.post("/nota-plakken", data={"text": ""})
    assert empty.status_code == 422 and "Plak de tekst" in empty.get_data(as_text=True)
