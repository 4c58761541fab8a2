"""The import pages: upload → preview → Bevestigen → result, for editors only; the pull button."""
from __future__ import annotations

import io
import re
from pathlib import Path

from sqlalchemy import func, select

from tests.intake.conftest import FIXTURES, FakeSite
from tracker.core.db import db
from tracker.decisions.models import Decision


def _decisions(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Decision))


def _upload(browser, data: bytes, name: str = "besluiten.csv"):  # type: ignore[no-untyped-def]
    return browser.post("/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _digest(html: str) -> str:
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)


def test_the_anonymous_get_the_login_page(intake_app, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/import")
    assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]
    assert client.post("/import", data={}).status_code in (401, 302)
    assert _decisions(intake_app) == _decisions(intake_app)


def test_upload_preview_confirm_and_a_second_upload_changes_nothing(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    page = editor.get("/import")
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)
    before = _decisions(intake_app)
    data = (FIXTURES / "besluiten.csv").read_bytes()
    response = _upload(editor, data)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = editor.get(preview_url)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>2</strong> nieuw, <strong>1</strong> bijgewerkt" in html
    assert "herkend aan documentnummer" in html and "Bevestigen" in html
    assert _decisions(intake_app) == before  # a preview writes nothing
    stored = list(Path(intake_app.config["INTAKE_UPLOAD_DIR"]).glob("*.bin"))
    assert [p.read_bytes() for p in stored] == [data]  # kept server-side, not in the page
    done = editor.post(preview_url + "/bevestigen", data={"digest": _digest(html)})
    assert done.status_code == 200 and "Import voltooid" in done.get_data(as_text=True)
    assert _decisions(intake_app) == before + 2
    assert not list(Path(intake_app.config["INTAKE_UPLOAD_DIR"]).glob("*.bin"))
    assert editor.post(preview_url + "/bevestigen", data={"digest": _digest(html)}).status_code == 404
    again = editor.get(_upload(editor, data).headers["Location"]).get_data(as_text=True)
    assert "<strong>3</strong> ongewijzigd" in again and "Bevestigen" not in again


def test_a_refused_file_says_why_and_keeps_nothing(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    response = _upload(editor, "meeting_date,title\n2024-03-01,Beslissing over één café\n".encode("utf-16"))
    assert response.status_code == 422 and "UTF-16" in response.get_data(as_text=True)
    assert _upload(editor, b"", "leeg.csv").status_code == 422
    assert not Path(intake_app.config["INTAKE_UPLOAD_DIR"]).exists() or \
        not list(Path(intake_app.config["INTAKE_UPLOAD_DIR"]).glob("*.bin"))


def test_refused_rows_are_listed_with_their_line(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    url = _upload(editor, b"meeting_date,title\n2024-03-01,Goed\n2024-02-30,Fout\n").headers["Location"]
    html = editor.get(url).get_data(as_text=True)
    assert "Geweigerd (1)" in html and "regel 3" in html and "30 februari 2024 bestaat niet" in html


def test_a_confirmation_of_an_outdated_preview_writes_nothing(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    url = _upload(editor, (FIXTURES / "besluiten.csv").read_bytes()).headers["Location"]
    before = _decisions(intake_app)
    stale = editor.post(url + "/bevestigen", data={"digest": "0" * 64})
    assert stale.status_code == 409 and "veranderd sinds het voorbeeld" in stale.get_data(as_text=True)
    assert _decisions(intake_app) == before


def test_a_preview_belongs_to_the_editor_who_uploaded_it(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    url = _upload(client_as("editor"), (FIXTURES / "besluiten.csv").read_bytes()).headers["Location"]
    assert client_as("admin").get(url).status_code == 404
    assert client_as("editor").get("/import/..%2F..%2Fsecret_key").status_code == 404
    assert client_as("editor").get("/import/" + "a" * 22).status_code == 404


def test_the_pull_button_fetches_previews_and_imports(intake_app, client_as, site) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    assert "Ophalen sinds de laatste ophaling" in editor.get("/import").get_data(as_text=True)
    before = _decisions(intake_app)
    response = editor.post("/import/vr", data={"van": "2024-01-01", "tot": "2024-03-31"})
    assert response.status_code == 302, response.get_data(as_text=True)
    html = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>3</strong> nieuw" in html and _decisions(intake_app) == before
    done = editor.post(response.headers["Location"] + "/bevestigen", data={"digest": _digest(html)})
    assert done.status_code == 200 and _decisions(intake_app) == before + 3
    assert 'value="2024-02-02"' in editor.get("/import").get_data(as_text=True)  # since the last pull


def test_a_failing_site_is_reported_on_the_page(intake_app, client_as) -> None:  # type: ignore[no-untyped-def]
    intake_app.config["INTAKE_VR_OPENER"] = FakeSite(script=[503, 503, 503])
    response = client_as("editor").post("/import/vr", data={"van": "2024-01-01", "tot": "2024-03-31"})
    assert response.status_code == 502 and "HTTP-status 503" in response.get_data(as_text=True)
