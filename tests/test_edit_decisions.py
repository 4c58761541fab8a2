"""Editors create, edit and delete decisions in the browser: forms, refusals, duplicates, conflicts."""
from __future__ import annotations

from sqlalchemy import func, select

from tracker.audit.models import LogEntry
from tracker.core.db import db
from tracker.decisions.models import Decision, DecisionDocument

NEW = {"title": "Conceptnota Vlaamse datastrategie", "kind": "nota", "meeting_date": "",
       "documents": "VR 2022 0701 DOC 0012/1 en 2", "policy_domain": "Digitalisering",
       "summary": "De Vlaamse Regering keurt de conceptnota goed.", "text": "", "url": "", "cite": "",
       "opslaan": "Opslaan"}


def count(app, model=Decision) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def decision(app, key: str) -> Decision:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalar(select(Decision).where(Decision.key == key))
        assert found is not None
        db.session.expunge_all()
        return found


def by_title(app, title: str) -> Decision | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalar(select(Decision).where(Decision.title == title))
        if found is not None:
            found.numbers = [d.canonical for d in found.documents]  # type: ignore[attr-defined]
            found.source_keys = [s.key for s in found.sources]  # type: ignore[attr-defined]
        db.session.expunge_all()
        return found


# --------------------------------------------------------------------------- access and controls


def test_public_sees_no_editor_controls_and_cannot_open_the_form(app, client_as):  # type: ignore[no-untyped-def]
    public = client_as(None)
    page = public.get("/beslissingen").get_data(as_text=True)
    assert "Nieuwe beslissing" not in page
    assert public.get("/beslissingen/nieuw").status_code == 302
    assert public.post("/beslissingen/nieuw", data=NEW).status_code == 401
    reviewer_page = client_as("editor").get("/beslissingen").get_data(as_text=True)
    assert "Nieuwe beslissing" in reviewer_page


def test_forms_need_their_csrf_token(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        before = count(app)
        response = editor.post("/beslissingen/nieuw", data={**NEW, "not_duplicate": "y"})
        assert response.status_code == 400
        assert "Het formulier is verlopen of onvolledig" in response.get_data(as_text=True)
        target = decision(app, "ana-00")
        assert editor.post(f"/beslissingen/{target.id}/verwijderen").status_code == 400
        assert count(app) == before
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --------------------------------------------------------------------------- create


def test_create_reads_the_documents_spelling_and_stores_it_canonically(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    before = count(app)
    response = editor.post("/beslissingen/nieuw", data=NEW)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert count(app) == before + 1
    created = by_title(app, NEW["title"])
    assert created.numbers == ["VR 2022 0701 DOC.0012/1", "VR 2022 0701 DOC.0012/2"]
    assert created.meeting_date.isoformat() == "2022-01-07"
    assert created.source_keys == []
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "VR 2022 0701 DOC.0012/2" in page and "gedrukt als VR 2022 0701 DOC 0012/1 en 2" in page


def test_nakijken_shows_how_the_form_reads_the_numbers_without_saving(app, client_as):  # type: ignore[no-untyped-def]
    before = count(app)
    response = client_as("editor").post("/beslissingen/nieuw", data={**NEW, "opslaan": "", "nakijken": "Nakijken"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Gelezen als: <strong>VR 2022 0701 DOC.0012/1, VR 2022 0701 DOC.0012/2</strong>" in page
    assert "Gelezen als: <strong>7 januari 2022 (uit het documentnummer)</strong>" in page
    assert count(app) == before


def test_create_refuses_unreadable_input_beside_its_field(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    before = count(app), count(app, DecisionDocument)
    for data, message in [
        ({"documents": "VR 2022 0701 DOC 12"}, "documentnummer"),
        ({"title": "   "}, "Vul de titel in"),
        ({"meeting_date": "31 februari 2021"}, "februari"),
        ({"kind": "wet"}, "Kies een geldige soort"),
        ({"title": "x" * 1001}, "De titel is te lang"),
    ]:
        response = editor.post("/beslissingen/nieuw", data={**NEW, **data})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, (data, page[:2000])
        assert message in page, (data, message)
        assert 'class="field has-error' in page
    assert (count(app), count(app, DecisionDocument)) == before


# --------------------------------------------------------------------------- possible duplicates


def test_same_document_number_is_shown_as_a_possible_duplicate(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    existing = decision(app, "ana-00")
    before = count(app)
    data = {**NEW, "title": "Een heel andere titel", "documents": "VR 2020 2711 DOC 1294/1"}
    response = editor.post("/beslissingen/nieuw", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mogelijke dubbels" in page and "heeft al documentnummer VR 2020 2711 DOC.1294/1" in page
    assert f'href="/beslissingen/{existing.id}"' in page
    assert "Dit is geen dubbel; toch opslaan" in page
    assert count(app) == before
    # Ticking the box does not let a number belong to two decisions: the refusal sits beside the field.
    response = editor.post("/beslissingen/nieuw", data={**data, "not_duplicate": "y"})
    assert response.status_code == 422
    assert "hoort al bij beslissing ana-00" in response.get_data(as_text=True)
    assert count(app) == before


def test_near_identical_title_on_the_same_date_needs_the_tick(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    existing = decision(app, "ana-10")
    before = count(app)
    data = {**NEW, "documents": "", "meeting_date": "26 juni 2020",
            "title": "strategisch plan stuurorgaan Vlaams informatie en ICT beleid."}
    response = editor.post("/beslissingen/nieuw", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "zelfde vergaderdatum en een bijna gelijke titel" in page
    assert f'href="/beslissingen/{existing.id}"' in page
    assert count(app) == before
    # Another date: no candidate.
    response = editor.post("/beslissingen/nieuw", data={**data, "meeting_date": "27 juni 2020"})
    assert response.status_code == 302
    response = editor.post("/beslissingen/nieuw", data={**data, "not_duplicate": "y"})
    assert response.status_code == 302
    assert count(app) == before + 2


# --------------------------------------------------------------------------- edit and conflicts


def form_of(client, decision_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The values the edit form shows, as a browser would send them back."""
    import re
    from html import unescape

    page = client.get(f"/beslissingen/{decision_id}/bewerken").get_data(as_text=True)
    values = {name: unescape(value) for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)}
    for name, value in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>\r?\n?(.*?)</textarea>', page, re.S):
        values[name] = unescape(value)
    values["kind"] = re.search(r'<option selected value="(\w+)"|<option value="(\w+)" selected', page).group(1) or "nota"
    sources = re.search(r'<select[^>]*name="sources"[^>]*>(.*?)</select>', page, re.S).group(1)
    values["sources"] = re.findall(r'<option selected value="(\d+)"', sources)  # type: ignore[assignment]
    values.pop("not_duplicate", None)
    values.pop("nakijken", None)
    values["opslaan"] = "Opslaan"
    return values


def test_edit_changes_fields_and_document_numbers(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    target = decision(app, "ana-00")
    data = form_of(editor, target.id)
    assert data["documents"] == "VR 2020 2711 DOC.1294/1", data
    data.update(title="Invulling VRD 2", documents="VR 2020 2711 DOC.1294/1\nVR20202711 DOC.1294/2BIS")
    data["sources"] = list(reversed(data["sources"]))  # type: ignore[assignment]  # order is no change
    response = editor.post(f"/beslissingen/{target.id}/bewerken", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    changed = by_title(app, "Invulling VRD 2")
    assert changed.numbers == ["VR 2020 2711 DOC.1294/1", "VR 2020 2711 DOC.1294/2BIS"]
    assert changed.version == target.version + 1
    assert sorted(changed.source_keys) == ["analyse-ra-2019-3.2.3", "nota-vrd2-2021"]  # kept as shown
    with app.app_context():
        entry = db.session.scalars(select(LogEntry).where(LogEntry.target_type == "decisions",
                                                          LogEntry.target_id == target.id)
                                   .order_by(LogEntry.id.desc())).first()
        assert set(entry.data["after"]) == {"title", "documents"}  # the sources did not change
    # Dropping a number removes it.
    data = form_of(editor, target.id)
    data["documents"] = "VR 2020 2711 DOC.1294/1"
    data["sources"] = []  # type: ignore[assignment]
    assert editor.post(f"/beslissingen/{target.id}/bewerken", data=data).status_code == 302
    changed = by_title(app, "Invulling VRD 2")
    assert changed.numbers == ["VR 2020 2711 DOC.1294/1"] and changed.source_keys == []


def test_second_editor_gets_a_conflict_page_and_the_first_editors_values_stay(app, client_as, accounts):  # type: ignore[no-untyped-def]
    first, second = client_as("editor"), client_as("reviewer")
    target = decision(app, "ana-00")
    first_form, second_form = form_of(first, target.id), form_of(second, target.id)
    assert first.post(f"/beslissingen/{target.id}/bewerken",
                      data={**first_form, "title": "Titel van de eerste"}).status_code == 302
    response = second.post(f"/beslissingen/{target.id}/bewerken", data={**second_form, "title": "Titel van de tweede"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Deze beslissing is intussen gewijzigd door iemand anders" in page
    assert "Eva Redacteur" in page and "de titel" in page and "Titel van de eerste" in page
    assert 'value="Titel van de tweede"' in page  # the second editor's input is kept
    assert decision(app, "ana-00").title == "Titel van de eerste"


def test_a_change_of_document_numbers_alone_is_a_conflict_too(app, client_as, accounts):  # type: ignore[no-untyped-def]
    first, second = client_as("editor"), client_as("reviewer")
    target = decision(app, "ana-00")
    first_form, second_form = form_of(first, target.id), form_of(second, target.id)
    response = first.post(f"/beslissingen/{target.id}/bewerken",
                          data={**first_form, "documents": "VR 2020 2711 DOC 1294/1 en 2"})
    assert response.status_code == 302
    response = second.post(f"/beslissingen/{target.id}/bewerken", data={**second_form, "title": "Andere titel"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "de documentnummers" in page and "VR 2020 2711 DOC.1294/2" in page
    assert by_title(app, target.title).numbers == ["VR 2020 2711 DOC.1294/1", "VR 2020 2711 DOC.1294/2"]


def test_edit_refusal_stores_nothing(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    target = decision(app, "ana-00")
    data = form_of(editor, target.id)
    response = editor.post(f"/beslissingen/{target.id}/bewerken",
                           data={**data, "title": "Nieuw", "documents": "VR20202606 DOC.0643/1"})
    assert response.status_code == 422
    assert "hoort al bij beslissing ana-10" in response.get_data(as_text=True)
    unchanged = decision(app, "ana-00")
    assert unchanged.title == target.title and unchanged.version == target.version


# --------------------------------------------------------------------------- delete


def test_delete_refuses_a_decision_others_point_to(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    target = decision(app, "ana-00")
    page = editor.get(f"/beslissingen/{target.id}/verwijderen").get_data(as_text=True)
    assert "niet verwijderen" in page and "Definitief verwijderen" not in page
    for what in ("koppelingen", "1 bewijs bij een statusvoorstel", "projecten die ermee goedgekeurd zijn",
                 "budgetlijnen", "vermelde totalen"):
        assert what in page, what
    response = editor.post(f"/beslissingen/{target.id}/verwijderen")
    assert response.status_code == 422
    assert "kan niet verwijderd worden" in response.get_data(as_text=True)
    assert decision(app, "ana-00").id == target.id


def test_delete_a_decision_nobody_points_to_with_its_documents_and_an_audit_entry(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    assert editor.post("/beslissingen/nieuw", data=NEW).status_code == 302
    created = by_title(app, NEW["title"])
    page = editor.get(f"/beslissingen/{created.id}/verwijderen").get_data(as_text=True)
    assert "documentnummer VR 2022 0701 DOC.0012/2" in page and "Definitief verwijderen" in page
    assert count(app, DecisionDocument) > 0
    documents = count(app, DecisionDocument)
    response = editor.post(f"/beslissingen/{created.id}/verwijderen")
    assert response.status_code == 302
    assert by_title(app, NEW["title"]) is None
    assert count(app, DecisionDocument) == documents - 2
    with app.app_context():
        entry = db.session.scalar(select(LogEntry).where(LogEntry.target_type == "decisions",
                                                         LogEntry.target_id == created.id,
                                                         LogEntry.kind == "deleted"))
        assert entry.data["before"]["title"] == NEW["title"]
        assert [d["canonical"] for d in entry.data["before"]["documents"]] == [
            "VR 2022 0701 DOC.0012/1", "VR 2022 0701 DOC.0012/2"]
        assert entry.actor.name == "Eva Redacteur"
