"""Reading decision files: the formats, and a clear Dutch refusal for every way a file can be wrong."""
from __future__ import annotations

import json

import pytest

from tests.intake.conftest import FIXTURES
from tracker.decisions.models import DecisionKind
from tracker.intake.formats import MAX_FILE_BYTES, FileRefused, read_file

HEADER = "meeting_date,title,document_numbers,kind\n"


def _refusal(data: bytes) -> str:
    with pytest.raises(FileRefused) as caught:
        read_file(data)
    return str(caught.value)


def test_the_example_csv_reads_every_documented_column() -> None:
    result = read_file((FIXTURES / "besluiten.csv").read_bytes())
    assert result.format == "CSV" and result.refused == []
    first, second, third = result.rows
    assert first.line == 2 and first.title == "Proefproject digitale loketten, fase 2"
    assert [n.canonical for n, _ in first.numbers] == ["VR 2024 0103 DOC.0250/1", "VR 2024 0103 DOC.0250/2"]
    assert first.text.endswith("goed.\n\nHet project loopt tot eind 2025.")  # a quoted cell keeps its paragraphs
    assert first.summary and first.url.startswith("https://")
    assert second.line == 5 and second.site_id == "65F0A1B2C3D4E5F6A7B8C9D0" and second.kind is DecisionKind.MEDEDELING
    assert third.meeting_date.isoformat() == "2021-12-17"


def test_a_json_array_and_json_lines_give_the_same_rows() -> None:
    objects = json.loads((FIXTURES / "besluiten.json").read_text())
    array = read_file((FIXTURES / "besluiten.json").read_bytes())
    lines = read_file("\n".join(json.dumps(o) for o in objects).encode())
    assert (array.format, lines.format) == ("JSON", "JSON Lines")
    assert [(r.site_id, r.title, r.numbers) for r in array.rows] == [(r.site_id, r.title, r.numbers) for r in lines.rows]
    assert [r.where for r in array.rows] == ["object 1 (regel 2)", "object 2 (regel 5)"]


def test_the_real_data_format_is_read() -> None:
    line = {"id": "5D9C56D56B1B8100080001EA", "meeting_date": "2019-10-02", "kind": "nota", "title": "",
            "text": "Bevoegdheidsbesluit  De Vlaamse Regering keurt het besluit goed.",
            "source_url": "https://beslissingenvlaamseregering.vlaanderen.be/?search=x"}
    (row,) = read_file(json.dumps(line).encode()).rows
    assert row.site_id == line["id"] and row.url == line["source_url"] and row.title == "Bevoegdheidsbesluit"


def test_semicolons_and_a_byte_order_mark_are_read() -> None:
    (row,) = read_file("\ufeffmeeting_date;title;kind\n2024-03-01;Titel, met komma;Mededeling\n".encode()).rows
    assert row.title == "Titel, met komma" and row.kind is DecisionKind.MEDEDELING


@pytest.mark.parametrize(("data", "expected"), [
    ("meeting_date,title\n2024-03-01,Een beslissing\n".encode("utf-16"), "UTF-16"),
    ("meeting_date,title\n2024-03-01,\u201cCitaat\u201d over één beslissing\n".encode("cp1252"), "Windows-1252"),
    ("meeting_date,title\n2024-03-01,Beslissing over één café\n".encode("latin-1"), "Latin-1"),
])
def test_a_wrong_encoding_is_named(data: bytes, expected: str) -> None:
    message = _refusal(data)
    assert expected in message and "UTF-8" in message
    if expected == "UTF-16":
        assert "begint met een UTF-16-bytevolgordeteken" in message
    else:
        assert "regel 2" in message


def test_utf16_without_a_byte_order_mark_is_named_too() -> None:
    message = _refusal("meeting_date,title\n2024-03-01,Een beslissing\n".encode("utf-16-le"))
    assert "lijkt UTF-16 te zijn (zonder bytevolgordeteken)" in message


def test_unknown_and_missing_columns_are_refused() -> None:
    assert 'Onbekende kolom "datum"' in _refusal(b"datum,title\n2024-03-01,x\n")
    assert "De kolom meeting_date ontbreekt" in _refusal(b"title,kind\nx,nota\n")
    assert "meer dan eens" in _refusal(b"meeting_date,title,title\n2024-03-01,x,y\n")
    assert 'Onbekende kolom "amount"' in _refusal(b'[{"meeting_date": "2024-03-01", "title": "x", "amount": "5"}]')


@pytest.mark.parametrize(("cells", "expected"), [
    ("2024-02-30,Titel,,", 'meeting_date "2024-02-30" is geen geldige datum (30 februari 2024 bestaat niet); schrijf JJJJ-MM-DD'),
    ("01/03/2024,Titel,,", 'meeting_date "01/03/2024" is geen geldige datum; schrijf JJJJ-MM-DD'),
    (",Titel,,", "meeting_date is leeg"),
    ("2024-03-01,Titel,DOC.1294/1,", "het VR-deel met jaar en vergaderdatum ontbreekt"),
    ("2024-03-01,Titel,VR 2024 3102 DOC.0250/1,", "de vergaderdatum klopt niet"),
    ("2024-03-01,Titel,,besluit", 'kind "besluit" is onbekend; schrijf nota, mededeling, beslissing'),
    ("2024-03-01,,,", "title en text zijn allebei leeg"),
])
def test_a_malformed_row_is_refused_with_its_line_and_what_to_write(cells: str, expected: str) -> None:
    result = read_file((HEADER + "2024-03-01,Goed,,nota\n" + cells + "\n").encode())
    assert len(result.rows) == 1
    (refusal,) = result.refused
    assert refusal.line == 3 and expected in refusal.reason, refusal.reason


def test_a_row_with_too_few_cells_or_a_bad_address_is_refused() -> None:
    result = read_file(b"meeting_date,title,url\n2024-03-01,x\n2024-03-01,y,javascript:alert(1)\n")
    assert [r.line for r in result.refused] == [2, 3]
    assert "2 cellen" in result.refused[0].reason and "geen webadres" in result.refused[1].reason


def test_a_file_over_the_limit_is_refused_unread() -> None:
    assert "te groot" in _refusal(b" " * (MAX_FILE_BYTES + 1))


@pytest.mark.parametrize("data", [
    b"Dit is een gewone tekst zonder kolommen.\nEn nog een regel.\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    b"",
])
def test_content_that_is_neither_csv_nor_json_is_refused(data: bytes) -> None:
    message = _refusal(data)
    assert "geen CSV" in message or "leeg" in message


def test_malformed_json_is_refused_with_its_place() -> None:
    assert "regel 2" in _refusal(b'[\n{"meeting_date": "2024-03-01", "title": }]')
    result = read_file(b'{"meeting_date": "2024-03-01", "title": "x"}\n{"meeting_date": \n')
    assert len(result.rows) == 1 and result.refused[0].line == 2 and "geen geldige JSON" in result.refused[0].reason
    assert "moet tekst zijn" in read_file(b'[{"meeting_date": "2024-03-01", "title": 5}]').refused[0].reason


def test_a_broken_quote_in_csv_is_refused() -> None:
    assert "aanhalingstekens" in _refusal(b'meeting_date,title\n2024-03-01,"niet afgesloten\n')
