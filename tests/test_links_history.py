"""Links with history: made, edited and removed in the browser, found through the link panel's search,
gone from current pages, roll-ups and the search index once removed, but kept in the commitment's
history and in as-of views of the days they existed."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select

from tests.search.conftest import app, search_db  # noqa: F401  (this module's app has a search index)
from tracker.commitments.models import Commitment, Link, Relation
from tracker.commitments.operations import create_link, find_link, remove_link
from tracker.commitments.queries import combined_rollup, links_of, source_tree
from tracker.core.db import db
from tracker.core.writes import unguarded
from tracker.decisions.models import Decision
from tracker.projects.models import Project
from tracker.search.index import get_index
from tracker.search.models import IndexQueueItem

RATIONALE = "Het exploitatiebudget financiert het werk aan de datakwaliteit."


def ids(app, model, key: str) -> int:  # type: ignore[no-untyped-def]  # noqa: F811
    with app.app_context():
        return db.session.scalar(select(model.id).where(model.key == key))


def error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-fout"><strong>Fout:</strong> ([^<]*)</p>', page)
    assert match, f"no error beside {field_id}"
    return match.group(1)


def link_data(commitment_id: int, decision_id: int, **changes: str) -> dict[str, str]:
    return {"commitment": str(commitment_id), "decision": str(decision_id), "relation": "financiert",
            "rationale": RATIONALE, "quote": "", "volgende": f"/engagementen/{commitment_id}", **changes}


def current_links(app, commitment_id: int) -> list[Link]:  # type: ignore[no-untyped-def]  # noqa: F811
    with app.app_context():
        return links_of(commitment_id=commitment_id)


def linked_in_index(app, doc_id: str) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    with app.app_context(), get_index(app).reading() as view:
        return view.searcher.document(id=doc_id)["linked"] or ""


def test_editor_links_edits_and_removes_with_a_reason(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    editor = client_as("editor")
    cid, did = ids(app, Commitment, "vds/2.3.4/1"), ids(app, Decision, "ana-03")
    page = editor.get(f"/koppelingen/nieuw?engagement={cid}&beslissing={did}").get_data(as_text=True)
    assert "Nieuwe koppeling" in page and "realiseert gedeeltelijk" in page and "Minstens 20 tekens" in page
    response = editor.post("/koppelingen/nieuw", data=link_data(cid, did, quote="Budget voor data."))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/engagementen/{cid}")
    (link,) = current_links(app, cid)
    assert (link.relation, link.quote, link.created_by.name) == (Relation.FINANCIERT, "Budget voor data.", "Eva Redacteur")
    assert f"commitment:{cid}" in linked_in_index(app, f"decision:{did}")
    decision_page = client_as(None).get(f"/beslissingen/{did}").get_data(as_text=True)
    assert "We verhogen de datakwaliteit" in decision_page

    edit_url = f"/koppelingen/{link.id}/bewerken"
    page = editor.get(edit_url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="([0-9]+)"', page).group(1)
    response = editor.post(edit_url, data={"relation": "bereidt_voor", "rationale": RATIONALE, "quote": "",
                                           "version": version})
    assert response.status_code == 303
    assert current_links(app, cid)[0].relation is Relation.BEREIDT_VOOR
    response = editor.post(edit_url, data={"relation": "financiert", "rationale": "Te kort.", "quote": ""})
    assert response.status_code == 422
    assert "minstens 20 tekens" in error_beside(response.get_data(as_text=True), "rationale")
    assert current_links(app, cid)[0].relation is Relation.BEREIDT_VOOR

    remove_url = f"/koppelingen/{link.id}/verwijderen"
    response = editor.post(remove_url, data={"reason": "fout"})
    assert response.status_code == 422
    assert "minstens 10 tekens" in error_beside(response.get_data(as_text=True), "reason")
    assert len(current_links(app, cid)) == 1
    response = editor.post(remove_url, data={"reason": "Deze beslissing gaat over een ander budget."})
    assert response.status_code == 303
    assert current_links(app, cid) == []
    # Gone from the current pages and from the search index's links...
    page = client_as(None).get(f"/engagementen/{cid}").get_data(as_text=True)
    current = page[page.index('id="koppelingen-kop"'):page.index('id="koppelingsgeschiedenis-kop"')]
    assert "0 beslissingen, 0 projecten" in current
    assert "We verhogen de datakwaliteit" not in client_as(None).get(f"/beslissingen/{did}").get_data(as_text=True)
    assert f"commitment:{cid}" not in linked_in_index(app, f"decision:{did}")
    # ...but kept in the commitment's history: who linked it, who removed it, and why.
    history = page[page.index('id="koppelingsgeschiedenis-kop"'):]
    assert "Deze beslissing gaat over een ander budget." in history
    assert history.count("Eva Redacteur") == 2 and "bereidt voor" in history
    # A removed link cannot be removed or edited again; linking anew makes a new link.
    assert editor.post(remove_url, data={"reason": "Nog eens verwijderen."}).status_code == 422
    assert editor.post("/koppelingen/nieuw", data=link_data(cid, did)).status_code == 303
    (again,) = current_links(app, cid)
    assert again.id != link.id


def test_link_form_refusals_store_nothing(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    editor = client_as("editor")
    cid, did = ids(app, Commitment, "vds/2.3.4/2"), ids(app, Decision, "ana-03")
    for change, field_id, message in (({"rationale": "Hoort erbij."}, "rationale", "minstens 20 tekens"),
                                      ({"rationale": ""}, "rationale", "motivering"),
                                      ({"relation": "steunt"}, "relation", "Kies de aard van de koppeling")):
        response = editor.post("/koppelingen/nieuw", data=link_data(cid, did, **change))
        assert response.status_code == 422, change
        assert message in error_beside(response.get_data(as_text=True), field_id)
    assert current_links(app, cid) == []
    assert editor.post("/koppelingen/nieuw", data=link_data(cid, did)).status_code == 303
    response = editor.post("/koppelingen/nieuw", data=link_data(cid, did))
    assert response.status_code == 422 and "al gekoppeld" in response.get_data(as_text=True)
    assert len(current_links(app, cid)) == 1
    # One end only, or an unknown one: no such form.
    assert editor.post("/koppelingen/nieuw", data=link_data(cid, did, decision="")).status_code == 404
    assert editor.post("/koppelingen/nieuw", data=link_data(cid, 99999)).status_code == 404
    assert client_as(None).post("/koppelingen/nieuw", data=link_data(cid, did)).status_code == 401


def test_two_editors_on_one_link_get_a_conflict_page(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    first, second = client_as("editor"), client_as("reviewer")
    cid, did = ids(app, Commitment, "vds/2.3.4/3"), ids(app, Decision, "ana-03")
    first.post("/koppelingen/nieuw", data=link_data(cid, did))
    (link,) = current_links(app, cid)
    url = f"/koppelingen/{link.id}/bewerken"
    seen = re.search(r'name="version" type="hidden" value="([0-9]+)"', second.get(url).get_data(as_text=True)).group(1)
    data = {"relation": "financiert", "rationale": RATIONALE, "quote": "", "version": seen}
    assert first.post(url, data={**data, "relation": "realiseert"}).status_code == 303
    response = second.post(url, data={**data, "quote": "Mijn citaat"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Deze koppeling is intussen gewijzigd" in page and "Eva Redacteur: koppeling" in page
    assert "aard van de koppeling “financiert” → “realiseert”" in page
    assert "Mijn citaat" in page
    assert current_links(app, cid)[0].quote == ""
    # Removing it after someone else changed it is a conflict too.
    response = second.post(f"/koppelingen/{link.id}/verwijderen", data={"reason": "Klopt niet meer.", "version": seen})
    assert response.status_code == 409
    assert len(current_links(app, cid)) == 1


def test_removed_link_counts_in_as_of_views_of_the_days_it_existed(app, client) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with app.app_context():
        session = db.session
        section = session.scalar(select(Commitment).where(Commitment.key == "vds/2.3.4/4"))
        project = session.scalar(select(Project).where(Project.key == "vrd2/21.1"))
        decision = session.scalar(select(Decision).where(Decision.key == "ana-03"))
        funding = create_link({"commitment": section, "project": project, "relation": Relation.FINANCIERT}, None)
        preparing = create_link({"commitment": section, "decision": decision, "relation": Relation.BEREIDT_VOOR}, None)
        session.commit()
        vds = section.source_id
        euros = combined_rollup(source_tree(vds)).euro
        assert euros > 0
        remove_link(funding, "Het project financiert iets anders.", None)
        remove_link(preparing, "Deze beslissing bereidt iets anders voor.", None)
        # Removed on 1 March 2025 (the operation dates it now; the test moves it into the past).
        with unguarded(session):
            funding.removed_dt = preparing.removed_dt = datetime(2025, 3, 1, 10, 0)
            session.flush()
        session.commit()
        cid, did = section.id, decision.id
        assert combined_rollup(source_tree(vds)).euro == 0
        assert combined_rollup(source_tree(vds, date(2025, 2, 28))).euro == euros
        assert combined_rollup(source_tree(vds, date(2025, 3, 1))).euro == 0
        assert [link.id for link in links_of(commitment_id=cid, as_of=date(2025, 2, 28))] == [funding.id, preparing.id]
        assert links_of(commitment_id=cid, as_of=date(2025, 3, 1)) == []
        assert links_of(commitment_id=cid) == []
        # Before the strategy existed the link did not count either.
        assert links_of(commitment_id=cid, as_of=date(2024, 9, 1)) == []
    before = client.get(f"/engagementen/{cid}?op=2025-02-28").get_data(as_text=True)
    shown = before[before.index('id="koppelingen-kop"'):before.index('id="koppelingsgeschiedenis-kop"')]
    assert "1 beslissing, 1 project" in shown and f"/beslissingen/{did}" in shown
    assert "verwijderd op 1 maart 2025" in shown
    after = client.get(f"/engagementen/{cid}?op=2025-03-01").get_data(as_text=True)
    assert "0 beslissingen, 0 projecten" in after
    assert "Deze beslissing bereidt iets anders voor." in after  # the history stays on every view
    # The fulfilment report follows the same rule.
    assert "exploitatiebudget" not in client.get(f"/rapport/engagementen/{cid}.md").get_data(as_text=True)
    assert "exploitatiebudget" in client.get(f"/rapport/engagementen/{cid}.md?op=2025-02-28").get_data(as_text=True)
    source_page = client.get(f"/bronnen/{vds}?op=2025-02-28").get_data(as_text=True)
    assert "gekoppelde projecten" in source_page
    assert "gekoppelde projecten" not in client.get(f"/bronnen/{vds}").get_data(as_text=True)


def test_removal_queues_both_ends_for_the_search_index(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with app.app_context():
        session = db.session
        section = session.scalar(select(Commitment).where(Commitment.key == "vds/2.3.4/5"))
        decision = session.scalar(select(Decision).where(Decision.key == "ana-02"))
        link = create_link({"commitment": section, "decision": decision, "relation": Relation.REALISEERT}, None)
        session.commit()
        session.execute(IndexQueueItem.__table__.delete())
        remove_link(link, "Verkeerd gekoppeld in de test.", None)
        queued = set(session.execute(select(IndexQueueItem.doc_type, IndexQueueItem.doc_id)).all())
        assert {("commitment", section.id), ("decision", decision.id)} <= queued
        assert find_link(commitment=section, decision=decision) is None
        session.rollback()


def test_decision_page_finds_commitments_to_link_in_its_panel(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    editor = client_as("editor")
    did, cid = ids(app, Decision, "ana-03"), ids(app, Commitment, "vds/2.3.4/1")
    page = editor.get(f"/beslissingen/{did}").get_data(as_text=True)
    assert 'id="koppelen"' in page and 'name="koppel-q"' in page
    page = editor.get(f"/beslissingen/{did}?koppel-q=datakwaliteit").get_data(as_text=True)
    panel = page[page.index('id="koppelen"'):]
    assert "We verhogen de datakwaliteit" in panel
    assert f'name="commitment" value="{cid}"' in panel and f'name="decision" value="{did}"' in panel
    assert "Koppelen aan dit engagement" in panel
    # The public sees no panel, even with the query argument.
    assert 'id="koppelen"' not in client_as(None).get(f"/beslissingen/{did}?koppel-q=datakwaliteit").get_data(as_text=True)
    # The result's small form, posted as it stands, links and returns to the decision's page.
    response = editor.post("/koppelingen/nieuw", data={"decision": did, "commitment": cid, "relation": "realiseert",
                                                        "rationale": RATIONALE, "quote": "",
                                                        "volgende": f"/beslissingen/{did}#koppelen"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/beslissingen/{did}#koppelen")
    panel = editor.get(f"/beslissingen/{did}?koppel-q=datakwaliteit").get_data(as_text=True)
    panel = panel[panel.index('id="koppelen"'):]
    assert "Al gekoppeld." in panel and "/verwijderen" in panel


def test_commitment_and_project_pages_find_what_they_can_link(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    editor = client_as("editor")
    cid = ids(app, Commitment, "vds/2.3.4/1")
    page = editor.get(f"/engagementen/{cid}?koppel-q=exploitatiebudget").get_data(as_text=True)
    panel = page[page.index('id="koppelen"'):]
    assert "exploitatiebudget" in panel.lower() and 'name="decision" value="' in panel
    assert "Koppelen aan deze beslissing" in panel
    assert "Engagement</span>" not in panel  # a commitment links to decisions and projects only
    pid = ids(app, Project, "vrd2/21.1")
    page = editor.get(f"/projecten/{pid}?koppel-q=exploitatiebudget").get_data(as_text=True)
    panel = page[page.index('id="koppelen"'):]
    assert 'name="decision" value="' in panel and f'name="project" value="{pid}"' in panel
    empty = editor.get(f"/engagementen/{cid}?koppel-q=zzzqqqxx").get_data(as_text=True)
    assert "Niets gevonden" in empty


def test_panel_search_takes_hostile_arguments_calmly(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    editor = client_as("editor")
    did = ids(app, Decision, "ana-03")
    for query in ("koppel-q=%00", "koppel-q=(((", "koppel-q=" + "a" * 3000, "koppel-q=data&koppel-pagina=-1",
                  "koppel-q=data&koppel-pagina=99999999999", "koppel-q=data&koppel-pagina=%D9%A3",
                  "koppel-q=soort:beslissing", "koppel-q=%22"):
        response = editor.get(f"/beslissingen/{did}?{query}")
        assert response.status_code == 200, query
    page = editor.get(f"/beslissingen/{did}?koppel-q=data&koppel-pagina=2").get_data(as_text=True)
    assert "pagina 2 van" in page and "← Vorige" in page


def test_loading_the_seed_again_leaves_a_removed_link_removed(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from tests.conftest import SEEDS
    from tracker.importers.seeds import load_seeds

    with app.app_context():
        session = db.session
        link = session.scalar(select(Link).where(Link.project_id.is_not(None), Link.commitment_id.is_not(None)))
        remove_link(link, "Dit project hoort bij een ander engagement.", None)
        session.commit()
        load_seeds(session, SEEDS)
        session.commit()
        again = session.get(Link, link.id)
        assert again.removed_dt is not None and again.removal_reason == "Dit project hoort bij een ander engagement."
        assert find_link(commitment=again.commitment, project=again.project) is None


def test_editor_pages_label_every_field_and_repeat_no_id(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    editor = client_as("editor")
    cid, did = ids(app, Commitment, "vds/2.3.4/1"), ids(app, Decision, "ana-03")
    editor.post("/koppelingen/nieuw", data=link_data(cid, did))
    (link,) = current_links(app, cid)
    for url in (f"/engagementen/{cid}?koppel-q=exploitatiebudget", f"/beslissingen/{did}?koppel-q=data",
                f"/engagementen/{cid}/bewerken", f"/engagementen/{cid}/nieuw-onderdeel",
                f"/engagementen/{cid}/verplaatsen", f"/engagementen/{cid}/verwijderen", "/bronnen/nieuw",
                f"/koppelingen/{link.id}/bewerken", f"/koppelingen/{link.id}/verwijderen",
                f"/koppelingen/nieuw?engagement={cid}&project={ids(app, Project, 'vrd2/21.1')}"):
        response = editor.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert page.count("<h1") == 1, url
        found = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
        assert found, url
        for field in found:
            assert f'for="{field}"' in page, (url, field)
        every = re.findall(r'\bid="([^"]+)"', page)
        assert len(every) == len(set(every)), (url, sorted(i for i in every if every.count(i) > 1))


def test_a_link_that_evidences_a_status_cannot_be_removed(app, client_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from tracker.workflow.models import Evidence

    with app.app_context():
        evidence = db.session.scalar(select(Evidence).where(Evidence.decision_id.is_not(None)))
        link = db.session.scalar(select(Link).where(Link.decision_id == evidence.decision_id,
                                                    Link.commitment_id == evidence.proposal.commitment_id))
        link_id = link.id
    response = client_as("editor").post(f"/koppelingen/{link_id}/verwijderen",
                                        data={"reason": "Ik wil deze koppeling weg."})
    assert response.status_code == 422 and "staaft een status" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Link, link_id).removed_dt is None
