"""Editors create, edit and delete programmes, organisations, projects, budget lines and stated totals."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from tracker.audit.models import LogEntry
from tracker.core.db import db
from tracker.projects.models import BudgetKind, BudgetLine, Organisation, Programme, Project, StatedTotal


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def get(app, model, **where):  # type: ignore[no-untyped-def]
    """A record by column values, detached (None when there is none)."""
    with app.app_context():
        found = db.session.scalar(select(model).filter_by(**where))
        db.session.expunge_all()
        return found


def form_of(client, url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The values an edit form shows, as a browser sends them back on "Opslaan"."""
    page = client.get(url).get_data(as_text=True)
    form = page[page.index('<form method="post"', page.index("<h1>")):]
    values = {n: unescape(v) for n, v in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form)}
    values.update({n: unescape(v) for n, v in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>\r?\n?(.*?)</textarea>',
                                                        form, re.S)})
    for name, options in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options)
        values[name] = chosen.group(1) if chosen else ""
    for name in ("nakijken", "q"):
        values.pop(name, None)
    values.pop("partial", None) if 'name="partial" type="checkbox" value="y">' in form else None
    values["opslaan"] = "Opslaan"
    return values


def audit(app, table: str, target_id: int, kind: str) -> LogEntry | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        entry = db.session.scalar(select(LogEntry).where(LogEntry.target_type == table, LogEntry.target_id == target_id,
                                                         LogEntry.kind == kind))
        if entry is not None:
            entry.who = entry.actor.name if entry.actor else None  # type: ignore[attr-defined]
        db.session.expunge_all()
        return entry


# --------------------------------------------------------------------------- programmes and organisations


def test_programme_create_edit_and_refusals(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    assert "Nieuw programma" in editor.get("/programmas").get_data(as_text=True)
    assert "Nieuw programma" not in client_as(None).get("/programmas").get_data(as_text=True)
    before = count(app, Programme)
    response = editor.post("/programmas/nieuw", data={"name": "  ", "short_name": "PVV", "opslaan": "Opslaan"})
    assert response.status_code == 422 and "Vul de naam in" in response.get_data(as_text=True)
    response = editor.post("/programmas/nieuw", data={"name": "Dubbel", "key": "vrd2", "opslaan": "Opslaan"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Er is al een programma met de sleutel" in page
    assert re.search(r'id="key"[^>]*>\s*<p class="error" id="key-fout">', page) or 'id="key-fout"' in page
    assert count(app, Programme) == before
    response = editor.post("/programmas/nieuw", data={"name": "Plan Vlaamse Veerkracht", "short_name": "PVV",
                                                     "opslaan": "Opslaan"})
    assert response.status_code == 302
    created = get(app, Programme, key="pvv")
    assert created.name == "Plan Vlaamse Veerkracht"
    data = form_of(editor, f"/programmas/{created.id}/bewerken")
    response = editor.post(f"/programmas/{created.id}/bewerken", data={**data, "description": "Relance."})
    assert response.status_code == 302
    assert get(app, Programme, key="pvv").description == "Relance."


def test_organisation_name_is_unique_and_refused_beside_the_field(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    existing = get(app, Organisation, name="Agentschap Informatie Vlaanderen")
    before = count(app, Organisation)
    response = editor.post("/organisaties/nieuw", data={"name": existing.name, "opslaan": "Opslaan"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="name-fout"' in page and "Er is al een entiteit" in page
    assert count(app, Organisation) == before
    assert editor.post("/organisaties/nieuw", data={"name": "Departement Omgeving", "abbreviation": "DO",
                                                    "opslaan": "Opslaan"}).status_code == 302
    assert count(app, Organisation) == before + 1
    assert "Departement Omgeving" in editor.get("/organisaties").get_data(as_text=True)


# --------------------------------------------------------------------------- projects


def test_project_create_reads_the_decision_number_and_refuses_bad_input(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    vrd2 = get(app, Programme, key="vrd2")
    before = count(app, Project)
    base = {"title": "Datagedreven beleid", "code": "21.9", "level": "project", "parent": "", "execution_year": "2021",
            "position": "10", "organisation": "", "decision": "VR 2020 2711 DOC 1294/1", "description": "",
            "cite": "", "key": ""}
    response = editor.post(f"/programmas/{vrd2.id}/projecten/nieuw", data={**base, "nakijken": "Nakijken"})
    assert response.status_code == 200
    assert "Gelezen als: <strong>Stuurorgaan Vlaams Informatie- en ICT-beleid" in response.get_data(as_text=True)
    for data, message in [({"execution_year": "twintig"}, "geen geheel getal"),
                          ({"execution_year": "3021"}, "tussen 1980 en 2100"),
                          ({"decision": "VR 2020 2711 DOC 9999/1"}, "Geen beslissing met documentnummer"),
                          ({"level": "hoofdstuk"}, "Kies een geldig niveau"),
                          ({"parent": "999999"}, "Kies een van de mogelijkheden")]:
        response = editor.post(f"/programmas/{vrd2.id}/projecten/nieuw", data={**base, **data, "opslaan": "Opslaan"})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert count(app, Project) == before
    response = editor.post(f"/programmas/{vrd2.id}/projecten/nieuw", data={**base, "opslaan": "Opslaan"})
    assert response.status_code == 302
    created = get(app, Project, key="vrd2/21-9")
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Datagedreven beleid" in page and "Goedgekeurd met" in page
    assert created.decision_id is not None and created.execution_year == 2021


def test_project_version_conflict_keeps_the_first_editors_values(app, client_as):  # type: ignore[no-untyped-def]
    first, second = client_as("editor"), client_as("reviewer")
    project = get(app, Project, key="vrd2/21.4")
    url = f"/projecten/{project.id}/bewerken"
    one, two = form_of(first, url), form_of(second, url)
    assert one["decision"] == "VR 2020 2711 DOC.1294/1"
    assert first.post(url, data={**one, "title": "Titel van de eerste"}).status_code == 302
    response = second.post(url, data={**two, "title": "Titel van de tweede"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Dit project is intussen gewijzigd door iemand anders" in page
    assert "Eva Redacteur" in page and "Titel van de eerste" in page
    assert 'value="Titel van de tweede"' in page
    assert get(app, Project, key="vrd2/21.4").title == "Titel van de eerste"
    # Having seen the changes, the second editor may save again: the form now carries the current version.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert int(version) == get(app, Project, key="vrd2/21.4").version
    assert second.post(url, data={**two, "title": "Titel van de tweede", "version": version}).status_code == 302
    assert get(app, Project, key="vrd2/21.4").title == "Titel van de tweede"


def test_a_project_cannot_move_under_its_own_sub_project(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    parent = get(app, Project, key="vrd2/21.4")
    editor.post(f"/projecten/{parent.id}/deelprojecten/nieuw",
                data={"title": "Onderdeel", "level": "deelproject", "parent": str(parent.id), "position": "1",
                      "organisation": "", "opslaan": "Opslaan"})
    child = get(app, Project, key="vrd2/onderdeel")
    assert child.parent_id == parent.id
    url = f"/projecten/{parent.id}/bewerken"
    response = editor.post(url, data={**form_of(editor, url), "parent": str(child.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="parent-fout"' in page and "niet onder zichzelf" in page
    assert get(app, Project, id=parent.id).parent_id is None


def test_project_delete_refused_when_others_point_to_it_even_a_removed_link(app, client_as):  # type: ignore[no-untyped-def]
    from tracker.commitments.models import Link, Relation
    from tracker.core.writes import unguarded

    editor = client_as("editor")
    vrd2 = get(app, Programme, key="vrd2")
    response = editor.post(f"/programmas/{vrd2.id}/projecten/nieuw",
                           data={"title": "Tijdelijk", "code": "", "level": "project", "parent": "", "position": "1",
                                 "organisation": "", "decision": "", "opslaan": "Opslaan"})
    assert response.status_code == 302
    created = get(app, Project, key="vrd2/tijdelijk")
    with app.app_context():
        # A link that was removed stays as history: it still stops the deletion.
        other = db.session.scalar(select(Project).where(Project.key == "vrd2/21.1"))
        session = db.session()
        with unguarded(session):
            session.add(Link(project_id=created.id, decision_id=other.decision_id, relation=list(Relation)[0],
                             removed_dt=db.func.now()))
            session.commit()
    response = editor.post(f"/projecten/{created.id}/verwijderen")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "kan niet verwijderd worden" in page and "1 koppeling" in page and "verwijderd, blijft als geschiedenis" in page
    assert get(app, Project, key="vrd2/tijdelijk") is not None
    seeded = get(app, Project, key="vrd2/21.1")
    page = editor.get(f"/projecten/{seeded.id}/verwijderen").get_data(as_text=True)
    assert "budgetlijn" in page and "Definitief verwijderen" not in page


def test_project_delete_succeeds_and_audits_the_record(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    vrd2 = get(app, Programme, key="vrd2")
    editor.post(f"/programmas/{vrd2.id}/projecten/nieuw",
                data={"title": "Tijdelijk", "level": "project", "parent": "", "position": "1", "organisation": "",
                      "opslaan": "Opslaan"})
    created = get(app, Project, key="vrd2/tijdelijk")
    assert "Definitief verwijderen" in editor.get(f"/projecten/{created.id}/verwijderen").get_data(as_text=True)
    assert editor.post(f"/projecten/{created.id}/verwijderen").status_code == 302
    assert get(app, Project, key="vrd2/tijdelijk") is None
    entry = audit(app, "projects", created.id, "deleted")
    assert entry.data["before"]["title"] == "Tijdelijk" and entry.who == "Eva Redacteur"


def test_programme_and_organisation_with_projects_cannot_be_deleted(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    vrd2 = get(app, Programme, key="vrd2")
    response = editor.post(f"/programmas/{vrd2.id}/verwijderen")
    assert response.status_code == 422 and "projecten" in response.get_data(as_text=True)
    organisation = get(app, Organisation, name="Agentschap Informatie Vlaanderen")
    response = editor.post(f"/organisaties/{organisation.id}/verwijderen")
    assert response.status_code == 422 and "21.0" in response.get_data(as_text=True)
    assert get(app, Programme, key="vrd2") and get(app, Organisation, name=organisation.name)
    editor.post("/organisaties/nieuw", data={"name": "Weg ermee", "opslaan": "Opslaan"})
    gone = get(app, Organisation, name="Weg ermee")
    assert editor.post(f"/organisaties/{gone.id}/verwijderen").status_code == 302
    assert get(app, Organisation, name="Weg ermee") is None
    assert audit(app, "organisations", gone.id, "deleted").data["before"]["name"] == "Weg ermee"


# --------------------------------------------------------------------------- budget lines and stated totals


LINE = {"amount": "39.500.000EUR", "year": "2022", "month": "", "kind": "exploitatie", "label": "Exploitatie",
        "decision": "", "total": "", "cite": ""}


def test_budget_line_added_from_the_project_page_in_the_documents_spelling(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    project = get(app, Project, key="vrd2/21.4")
    assert f"/projecten/{project.id}/begrotingslijnen/nieuw" in editor.get(f"/projecten/{project.id}").get_data(as_text=True)
    url = f"/projecten/{project.id}/begrotingslijnen/nieuw"
    before = count(app, BudgetLine)
    page = editor.post(url, data={**LINE, "nakijken": "Nakijken"}).get_data(as_text=True)
    assert "Gelezen als: <strong>€ 39.500.000</strong>" in page
    for data, message in [({"amount": "1,5"}, "eurocent"), ({"amount": ""}, "Vul het bedrag in"),
                          ({"year": ""}, "Vul het jaar in"), ({"month": "13"}, "tussen 1 en 12"),
                          ({"kind": "lening"}, "Kies een geldige soort")]:
        response = editor.post(url, data={**LINE, **data, "opslaan": "Opslaan"})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert count(app, BudgetLine) == before
    response = editor.post(url, data={**LINE, "opslaan": "Opslaan"})
    assert response.status_code == 302
    line = get(app, BudgetLine, project_id=project.id, year=2022)
    assert (line.amount, line.printed, line.kind) == (39_500_000, "39.500.000EUR", BudgetKind.EXPLOITATIE)
    assert "€ 39.500.000" in editor.get(f"/projecten/{project.id}").get_data(as_text=True)


def test_budget_line_edit_conflict_and_delete(app, client_as):  # type: ignore[no-untyped-def]
    first, second = client_as("editor"), client_as("reviewer")
    project = get(app, Project, key="vrd2/21.1")
    line = get(app, BudgetLine, project_id=project.id, year=2021)
    url = f"/begrotingslijnen/{line.id}/bewerken"
    one, two = form_of(first, url), form_of(second, url)
    assert one["amount"] == "€ 1.362.000" and one["total"] != ""
    assert first.post(url, data={**one, "amount": "€ 1.400.000"}).status_code == 302
    response = second.post(url, data={**two, "amount": "1.500.000 EUR"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Deze budgetlijn is intussen gewijzigd" in page
    assert "het bedrag: € 1.362.000 → € 1.400.000" in page
    assert get(app, BudgetLine, id=line.id).amount == 1_400_000
    assert second.post(f"/begrotingslijnen/{line.id}/verwijderen").status_code == 302
    assert get(app, BudgetLine, id=line.id) is None
    assert audit(app, "budget_lines", line.id, "deleted").data["before"]["amount"] == 1_400_000


def test_stated_total_create_edit_and_delete(app, client_as):  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    vrd2 = get(app, Programme, key="vrd2")
    seeded = get(app, StatedTotal, key="vrd2-2021-portfolio")
    response = editor.post(f"/totalen/{seeded.id}/verwijderen")
    assert response.status_code == 422 and "budgetlijnen" in response.get_data(as_text=True)
    url = f"/programmas/{vrd2.id}/totalen/nieuw"
    data = {"title": "Totaal VRD 2, 2022", "amount": "€ 6.000.000", "year": "2022", "kind": "investering",
            "decision": "", "cite": "", "key": ""}
    response = editor.post(url, data={**data, "amount": "zes miljoen", "opslaan": "Opslaan"})
    assert response.status_code == 422 and 'id="amount-fout"' in response.get_data(as_text=True)
    assert editor.post(url, data={**data, "opslaan": "Opslaan"}).status_code == 302
    total = get(app, StatedTotal, label="Totaal VRD 2, 2022")
    assert (total.amount, total.printed, total.programme_id) == (6_000_000, "€ 6.000.000", vrd2.id)
    edit = form_of(editor, f"/totalen/{total.id}/bewerken")
    assert edit["title"] == "Totaal VRD 2, 2022"
    assert editor.post(f"/totalen/{total.id}/bewerken", data={**edit, "amount": "6.500.000 EUR"}).status_code == 302
    assert get(app, StatedTotal, id=total.id).amount == 6_500_000
    assert editor.post(f"/totalen/{total.id}/verwijderen").status_code == 302
    assert get(app, StatedTotal, id=total.id) is None
    assert audit(app, "stated_totals", total.id, "deleted") is not None
