"""The import page takes fulfilment reports and the agreement's sections too, each with its preview; and
files larger than the general request limit."""
from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import commitment
from tests.test_analyses import REPORT, SEED_REPORT, write_jsonl
from tracker.audit.models import LogEntry
from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.importers.agreement import AGREEMENT_FILE
from tracker.sources.models import Source, SourceKind
from tracker.suggest.models import SuggestedLink


def _upload(browser, data: bytes, name: str, kind: str):  # type: ignore[no-untyped-def]
    return browser.post("/import", data={"file": (io.BytesIO(data), name), "kind": kind},
                        content_type="multipart/form-data")


def _post_file(browser, data: bytes, name: str, kind: str = "beslissingen"):  # type: ignore[no-untyped-def]
    """A multipart POST built in memory (the test client would spool a large body to an unclosed temporary file)."""
    boundary, body = encode_multipart({"kind": kind, "file": FileStorage(io.BytesIO(data), name)})
    return browser.post("/import", input_stream=io.BytesIO(body), content_length=len(body),
                        content_type=f"multipart/form-data; boundary={boundary}")


def _digest(html: str) -> str:
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)


def _count(app, model, *where) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_reports_preview_lists_unmatched_references_and_confirm_makes_suggestions(intake_app, client_as, tmp_path) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    analyses = _count(intake_app, Source, Source.kind == SourceKind.ANALYSE)
    data = write_jsonl(tmp_path, ("Bestuurzaken/Concrete voorstellen/ICT en Informatie.md", REPORT)).read_bytes()
    response = _upload(editor, data, "rapporten.jsonl", "rapporten")
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.headers["Location"]
    html = editor.get(url).get_data(as_text=True)
    assert "Machinaal geschreven, niet nagekeken." in html
    assert "Niet herkende verwijzingen (1)" in html and "Een beslissing die niet bestaat" in html
    assert "Nieuwe suggesties (1)" in html and "Verdeling van 5 miljoen euro exploitatiebudget" in html
    assert _count(intake_app, SuggestedLink) == 0 and _count(intake_app, Source, Source.kind == SourceKind.ANALYSE) == analyses

    stale = editor.post(url + "/bevestigen", data={"digest": "0" * 64})
    assert stale.status_code == 409 and _count(intake_app, SuggestedLink) == 0
    done = editor.post(url + "/bevestigen", data={"digest": _digest(html)})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert "1 rapport gehecht als machinale analyse (1 nieuw, 0 bijgewerkt); 1 nieuwe suggestie wacht op een redacteur" in done.get_data(as_text=True)
    with intake_app.app_context():
        suggestion = db.session.scalar(select(SuggestedLink))
        assert suggestion.commitment.key == "ra-2019/bestuurzaken/3.2.3"
        assert suggestion.analysis.kind is SourceKind.ANALYSE
    # The same file again: nothing to confirm.
    again = editor.get(_upload(editor, data, "rapporten.jsonl", "rapporten").headers["Location"])
    assert "Er is niets te wijzigen" in again.get_data(as_text=True)
    assert _count(intake_app, SuggestedLink) == 1


@pytest.mark.skipif(not SEED_REPORT.is_file(), reason="the seed documents are shared beside the repository")
def test_seed_document_004_as_a_report_is_attached_to_section_3_2_3(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    response = _upload(editor, SEED_REPORT.read_bytes(), SEED_REPORT.name, "rapporten")
    html = editor.get(response.headers["Location"]).get_data(as_text=True)
    with intake_app.app_context():
        section = commitment(db.session, "ra-2019/bestuurzaken/3.2.3")
        assert f'/engagementen/{section.id}"' in html
    assert "Gehecht aan hun afdeling (1)" in html


def test_a_report_file_that_is_not_a_report_is_refused_in_dutch(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    response = _upload(editor, b'{"file": "x"}\n', "rapporten.jsonl", "rapporten")
    assert response.status_code == 422
    assert "regel 1: verwacht een object met &#39;file&#39; en &#39;markdown&#39;" in response.get_data(as_text=True)
    latin = _upload(editor, "# Rapport over één café".encode("latin-1"), "rapport.txt", "rapporten")
    assert latin.status_code == 422 and "Latin-1" in latin.get_data(as_text=True)


def _sections(*rows: dict) -> bytes:  # type: ignore[type-arg]
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


SECTION = {"part": 1, "path": ["Zeevaart", "1.1 Vuurtorens"], "number": "1.1", "title": "Vuurtorens",
           "text": "We onderhouden de vuurtorens."}


def test_agreement_sections_preview_then_confirm(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    commitments, entries = _count(intake_app, Commitment), _count(intake_app, LogEntry)
    url = _upload(editor, _sections(SECTION), "secties.jsonl", "regeerakkoord").headers["Location"]
    html = editor.get(url).get_data(as_text=True)
    assert "Nieuw (" in html and "ra-2019/zeevaart/1.1" in html and "Vuurtorens" in html
    assert (_count(intake_app, Commitment), _count(intake_app, LogEntry)) == (commitments, entries)
    stale = editor.post(url + "/bevestigen", data={"digest": "0" * 64})
    assert stale.status_code == 409 and _count(intake_app, Commitment) == commitments
    done = editor.post(url + "/bevestigen", data={"digest": _digest(html)})
    assert done.status_code == 200 and "Secties geïmporteerd" in done.get_data(as_text=True)
    assert _count(intake_app, Commitment) > commitments
    with intake_app.app_context():
        added = commitment(db.session, "ra-2019/zeevaart/1.1")
        # Cited as the real-data file, whatever the browser called it, so later imports recognise it.
        assert added.cite.startswith(f"{AGREEMENT_FILE}, regel 1")
    # The same file again changes nothing and offers nothing to confirm.
    again = editor.get(_upload(editor, _sections(SECTION), "secties.jsonl", "regeerakkoord").headers["Location"])
    assert "Er is niets te wijzigen" in again.get_data(as_text=True) and "Bevestigen" not in again.get_data(as_text=True)

    changed = {**SECTION, "text": "We onderhouden en verlichten de vuurtorens."}
    url = _upload(editor, _sections(changed), "secties (1).json", "regeerakkoord").headers["Location"]
    html = editor.get(url).get_data(as_text=True)
    assert "Bijgewerkt (1)" in html and "<del>We onderhouden de vuurtorens.</del>" in html
    assert "<ins>We onderhouden en verlichten de vuurtorens.</ins>" in html
    assert "cite" not in html  # only the text changes, not where it was read


def test_agreement_sections_with_errors_are_listed_and_offer_no_confirmation(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    url = _upload(editor, _sections(SECTION, {**SECTION, "number": "1.x"}), "secties.jsonl",
                  "regeerakkoord").headers["Location"]
    page = editor.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "regel 2: number &#34;1.x&#34; is geen nummer" in html
    assert "Bevestigen" not in html


def test_the_import_page_takes_files_over_the_general_request_limit(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    general = intake_app.config["MAX_CONTENT_LENGTH"]
    row = "2024-03-01,Beslissing over vuurtorens {n}," + "x" * 1000 + "\n"
    data = ("meeting_date,title,summary\n" + "".join(row.format(n=n) for n in range(general // 1000 + 50))).encode()
    assert len(data) > general
    response = _post_file(editor, data, "groot.csv")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    # Elsewhere the general limit holds, and so it does here for anyone not logged in.
    assert editor.post("/nota-plakken", data={"text": "x" * (general + 10)}).status_code == 413
    assert _post_file(intake_app.test_client(), data, "groot.csv").status_code == 413


def test_a_file_over_the_upload_limit_is_413_with_that_limit(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    intake_app.config["INTAKE_MAX_UPLOAD_BYTES"] = 200_000
    editor = client_as("editor")
    response = _post_file(editor, b"x" * 300_000, "groot.csv")
    assert response.status_code == 413
    assert "hoogstens 200.000 bytes" in response.get_data(as_text=True)


def test_a_report_address_that_is_no_web_address_is_not_a_link(intake_app, client_as, tmp_path) -> None:  # type: ignore[no-untyped-def]
    hostile = REPORT.replace("https://example.invalid/b", "javascript:alert%28document.domain%29")
    data = write_jsonl(tmp_path, ("Bestuurzaken/Concrete voorstellen/ICT en Informatie.md", hostile)).read_bytes()
    editor = client_as("editor")
    html = editor.get(_upload(editor, data, "rapporten.jsonl", "rapporten").headers["Location"]).get_data(as_text=True)
    assert "Een beslissing die niet bestaat" in html and "javascript:" not in html
