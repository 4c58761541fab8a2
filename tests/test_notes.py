"""Paste a note: every document number and every amount of the budget tables of seed documents 000 and 002."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from tracker.decisions.models import DecisionDocument
from tracker.notes.extract import read_note
from tracker.parsing import format_euro, parse_amount
from tracker.projects.models import BudgetLine, Organisation, Programme, Project, StatedTotal

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
    # The pre-filled decision form posts to the decisions' own create page, which checks it.
    assert 'action="/beslissingen/nieuw"' in page and 'value="VR 2020 2711 DOC.1294/1"' in page.replace("\n", "")        or "VR 2020 2711 DOC.1294/1</textarea>" in page
    assert 'value="2020-11-27"' in page and 'value="Programma Vlaanderen Radicaal Digitaal 2"' in page
    checked = editor.post("/beslissingen/nieuw", data={"title": "Programma Vlaanderen Radicaal Digitaal 2",
                                                      "kind": "nota", "meeting_date": "2020-11-27",
                                                      "documents": "VR 2020 2711 DOC.1294/1", "nakijken": "Nakijken"})
    assert "Stuurorgaan Vlaams Informatie- en ICT-beleid" in checked.get_data(as_text=True)  # the duplicate shown
    empty = editor.post("/nota-plakken", data={"text": ""})
    assert empty.status_code == 422 and "Plak de tekst" in empty.get_data(as_text=True)


# --------------------------------------------------------------------------- budget lines offered from a note

class Forms(HTMLParser):
    """The forms of a page: action, method, and each named input, select and textarea with its value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []  # type: ignore[type-arg]
        self.labels: dict[str, str] = {}
        self._select: str | None = None
        self._label: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"), "fields": {},
                               "ids": []})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name") and (a.get("type") not in ("submit", "checkbox") or "checked" in a):
            fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            fields.setdefault(self._select, "")
            self.forms[-1]["ids"].append(a.get("id", ""))
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            fields[self._textarea] = ""
        elif tag == "label":
            self._label = a.get("for", "")
            self.labels[self._label] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "label":
            self._label = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self.labels[self._label] += data
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data.removeprefix("\n") if not \
                self.forms[-1]["fields"][self._textarea] else data


def forms_of(html: str) -> Forms:
    parser = Forms()
    parser.feed(html)
    return parser


def budget_offers(page: str) -> tuple[list[dict], Forms]:  # type: ignore[type-arg]
    parsed = forms_of(page)
    return [f for f in parsed.forms if f["action"] == "/nota-plakken/budgetlijn"], parsed


@needs_documents
@pytest.mark.parametrize("prefix", ["000", "002"])
def test_paste_page_offers_a_budget_line_for_every_amount(ctx, client_as, prefix: str) -> None:  # type: ignore[no-untyped-def]
    reading = read_note(note(prefix))
    page = client_as("editor").post("/nota-plakken", data={"text": note(prefix)}).get_data(as_text=True)
    assert "Budgetlijnen, vooraf ingevuld" in page
    offers, parsed = budget_offers(page)
    assert len(offers) == len(reading.amounts) > 20
    own = reading.own_number
    for offer, found in zip(offers, reading.amounts):
        fields = offer["fields"]
        assert offer["method"] == "get"
        assert fields["bedrag"] == found.printed
        assert fields.get("omschrijving", "") == found.label
        assert fields.get("beslissing", "") == (own[0] if own else "")
        assert f"regel {found.line}" in fields["bron"]
        # Each owner select has its own id and a label naming the amount.
        (select_id,) = offer["ids"]
        assert format_euro(found.amount) in parsed.labels[select_id] and f"regel {found.line}" in parsed.labels[select_id]
    ids = [offer["ids"][0] for offer in offers]
    assert len(set(ids)) == len(ids)
    # The year: a 4-digit year in the label, else the year of the note's meeting (002: 27 November 2020).
    years = {f["fields"].get("omschrijving", ""): f["fields"].get("jaar") for f in offers}
    if prefix == "002":
        assert years["21.1 Vlotter Aansluiten op Generieke Componenten"] == "2020"
        assert "staat al in de tracker" in page and "sla eerst de beslissing" not in page  # seeded
    else:
        assert years["Dit VRD-exploitatiebudget bedroeg in 2024"] == "2024"
        assert "vond het documentnummer van deze nota niet" in page
    # The owner is offered pre-selected when the label is its name, else "(kies)".
    chosen = {f["fields"].get("omschrijving", ""): f["fields"]["eigenaar"] for f in offers}
    if prefix == "002":
        project = ctx.scalar(select(Project).where(Project.code == "21.1"))
        assert chosen["21.1 Vlotter Aansluiten op Generieke Componenten"] == f"project:{project.id}"
        assert chosen["TOTAAL"] == ""
    else:
        adv = ctx.scalar(select(Organisation).where(Organisation.name == "Agentschap Digitaal Vlaanderen"))
        assert chosen["Agentschap Digitaal Vlaanderen"] == f"organisation:{adv.id}"


def _follow_offer(editor, ctx, text: str, amount: int):  # type: ignore[no-untyped-def]
    """Paste ``text``, pick the offer of ``amount`` with programme VRD 2 as owner, follow it to the create page."""
    vrd2 = ctx.scalar(select(Programme).where(Programme.name == "Vlaanderen Radicaal Digitaal 2"))
    offers, _ = budget_offers(editor.post("/nota-plakken", data={"text": text}).get_data(as_text=True))
    fields = next(f["fields"] for f in offers if parse_amount(f["fields"]["bedrag"]) == amount)
    assert f'programme:{vrd2.id}' in {f"programme:{p.id}" for p in read_note(text).programmes}
    redirect = editor.get("/nota-plakken/budgetlijn", query_string={**fields, "eigenaar": f"programme:{vrd2.id}"})
    assert redirect.status_code == 302
    location = redirect.headers["Location"]
    assert location.startswith(f"/programmas/{vrd2.id}/begrotingslijnen/nieuw?")
    page = editor.get(location)
    assert page.status_code == 200
    return vrd2, location, forms_of(page.get_data(as_text=True))


@needs_documents
def test_following_an_offer_prefills_the_create_page_and_saving_stores_the_line(ctx, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    vrd2, location, parsed = _follow_offer(editor, ctx, note("002"), 1_362_000)
    (form,) = [f for f in parsed.forms if f["action"] == location.split("?")[0]]
    fields = form["fields"]
    assert fields["amount"] == "€ 1.362.000"
    assert fields["year"] == "2020"
    assert fields["label"] == "21.1 Vlotter Aansluiten op Generieke Componenten"
    assert fields["decision"] == "VR 2020 2711 DOC.1294/1"  # the seeded decision of this note
    assert fields["cite"] == "Nota VR 2020 2711 DOC.1294/1, regel 412"
    assert fields["kind"] == "investering"
    assert ctx.scalar(select(BudgetLine).where(BudgetLine.cite == fields["cite"])) is None  # GET stored nothing
    saved = editor.post(location.split("?")[0], data={**fields, "opslaan": "Opslaan"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    ctx.expire_all()
    line = ctx.scalar(select(BudgetLine).where(BudgetLine.cite == fields["cite"]))
    assert line is not None and line.amount == 1_362_000 and line.programme_id == vrd2.id and line.year == 2020
    assert line.printed == "€ 1.362.000" and line.label == "21.1 Vlotter Aansluiten op Generieke Componenten"
    decision = ctx.scalar(select(DecisionDocument).where(DecisionDocument.canonical == "VR 2020 2711 DOC.1294/1"))
    assert line.decision_id == decision.decision_id


def test_the_decision_must_be_saved_first(ctx, client_as) -> None:  # type: ignore[no-untyped-def]
    """A note whose decision is new: the line is refused until the decision form saved the decision."""
    text = ("VR 2030 1501 DOC.0042/1\n\nNOTA AAN DE VLAAMSE REGERING\n\n"
            "Betreft: Programma Vlaanderen Radicaal Digitaal 2, een proef\n\nProefproject 2031, bedrag € 123.000\n")
    editor = client_as("editor")
    pasted = editor.post("/nota-plakken", data={"text": text}).get_data(as_text=True)
    assert "sla eerst de beslissing hierboven op" in pasted and "staat al in de tracker" not in pasted
    _, location, parsed = _follow_offer(editor, ctx, text, 123_000)
    fields = next(f for f in parsed.forms if f["action"] == location.split("?")[0])["fields"]
    assert (fields["amount"], fields["year"], fields["decision"]) == ("€ 123.000", "2031", "VR 2030 1501 DOC.0042/1")
    refused = editor.post(location.split("?")[0], data={**fields, "opslaan": "Opslaan"})
    assert refused.status_code == 422 and "voeg de beslissing eerst toe" in refused.get_data(as_text=True)
    # The paste page's own pre-filled decision form, saved.
    decision_form = next(f for f in forms_of(editor.post("/nota-plakken", data={"text": text})
                                             .get_data(as_text=True)).forms if f["action"] == "/beslissingen/nieuw")
    made = editor.post("/beslissingen/nieuw", data={**decision_form["fields"], "kind": "nota", "opslaan": "Opslaan"})
    assert made.status_code == 302, made.get_data(as_text=True)
    saved = editor.post(location.split("?")[0], data={**fields, "opslaan": "Opslaan"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    ctx.expire_all()
    line = ctx.scalar(select(BudgetLine).where(BudgetLine.cite == fields["cite"]))
    assert line is not None and line.amount == 123_000 and line.decision.documents[0].canonical == fields["decision"]


@pytest.mark.parametrize("owner, code", [("", 400), ("project", 400), ("project:abc", 400), ("commitment:1", 400),
                                          ("project:0", 400), ("project:1;drop", 400), ("project:99999", 404),
                                          ("organisation:9999999999", 404), ("organisation:99999999999", 400), ("programme:999999", 404)])
def test_an_invalid_owner_is_a_dutch_error(client_as, owner: str, code: int) -> None:  # type: ignore[no-untyped-def]
    response = client_as("editor").get("/nota-plakken/budgetlijn", query_string={"eigenaar": owner, "bedrag": "€ 1"})
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert "programma, project" in body and "entiteit" in body


def test_prefill_only_named_fields_and_a_known_kind(ctx, client_as) -> None:  # type: ignore[no-untyped-def]
    vrd2 = ctx.scalar(select(Programme).where(Programme.name == "Vlaanderen Radicaal Digitaal 2"))
    editor = client_as("editor")
    url = f"/programmas/{vrd2.id}/begrotingslijnen/nieuw"
    fields = forms_of(editor.get(url, query_string={"soort": "exploitatie", "bedrag": "5 000 000 €", "maand": "3",
                                                    "jaar": "2021"}).get_data(as_text=True)).forms
    (form,) = [f for f in fields if f["action"] == url]
    assert form["fields"]["kind"] == "exploitatie" and form["fields"]["amount"] == "5 000 000 €"
    assert form["fields"]["year"] == "2021" and form["fields"]["month"] == ""  # maand is no pre-fill parameter
    odd = forms_of(editor.get(url, query_string={"soort": "iets anders"}).get_data(as_text=True)).forms
    assert next(f for f in odd if f["action"] == url)["fields"]["kind"] == "investering"
    plain = editor.get(url).get_data(as_text=True)
    assert "Vooraf ingevuld" not in plain  # only a pre-filled form says so


def test_a_note_naming_no_owner_points_to_the_programmes(client_as) -> None:  # type: ignore[no-untyped-def]
    page = client_as("editor").post("/nota-plakken", data={"text": "Betreft: iets\n\nEen bedrag van € 12.000\n"})
    body = page.get_data(as_text=True)
    assert "noemt geen programma, project of entiteit" in body and 'href="/programmas"' in body
    assert not budget_offers(body)[0]


@needs_documents
def test_budget_offers_write_nothing(app, ctx, client_as) -> None:  # type: ignore[no-untyped-def]
    from tests.test_route_matrix import table_counts

    editor = client_as("editor")  # logging in writes an audit entry: count after it
    before = table_counts()
    offers, _ = budget_offers(editor.post("/nota-plakken", data={"text": note("002")}).get_data(as_text=True))
    vrd2 = ctx.scalar(select(Programme).where(Programme.name == "Vlaanderen Radicaal Digitaal 2"))
    for offer in offers:
        response = editor.get("/nota-plakken/budgetlijn",
                              query_string={**offer["fields"], "eigenaar": f"programme:{vrd2.id}"})
        assert response.status_code == 302
        assert editor.get(response.headers["Location"]).status_code == 200
    ctx.expire_all()
    assert table_counts() == before
