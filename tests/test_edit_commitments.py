"""Editing sources and commitment trees in the browser: happy paths, refusals beside their fields (422),
version conflicts between two editors (409), moving within a tree, deleting only what nothing points to."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import commitment
from tracker.audit.models import LogEntry
from tracker.commitments.models import Commitment, Level, Relation
from tracker.commitments.operations import create_link, remove_link
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.sources.models import Source, SourceKind

NEW_SOURCE = {"key": "nota-test-2025", "kind": "nota", "title": "Nota aan de Vlaamse Regering: test",
              "government": "Vlaamse Regering 2024-2029", "date": "2025-02-14", "url": "", "read_from": "",
              "summary": "Een samenvatting.", "text": ""}


def source_id(app, key: str = "vds") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(Source.id).where(Source.key == key))


def node(app, key: str) -> Commitment:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalar(select(Commitment).where(Commitment.key == key))
        db.session.expunge(found)
        return found


def error_beside(page: str, field_id: str) -> str:
    """The error message shown beside the field ``field_id`` (its ``-fout`` paragraph)."""
    match = re.search(rf'<p class="error" id="{field_id}-fout"><strong>Fout:</strong> ([^<]*)</p>', page)
    assert match, f"no error beside {field_id}"
    return match.group(1)


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def form_version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="([0-9]+)"', page).group(1)


def commitment_form(c: Commitment, **changes: str) -> dict[str, str]:
    values = {"reference": c.reference, "title": c.title, "level": c.level.value, "text": c.text,
              "policy_domain": c.policy_domain, "responsible": c.responsible, "cite": c.cite,
              "version": str(c.version)}
    return {**values, **changes}


# --------------------------------------------------------------------------- sources


def test_editor_creates_and_edits_a_source(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    assert editor.get("/bronnen/nieuw").status_code == 200
    response = editor.post("/bronnen/nieuw", data=NEW_SOURCE)
    assert response.status_code == 303
    with app.app_context():
        source = db.session.scalar(select(Source).where(Source.key == "nota-test-2025"))
        assert source.kind is SourceKind.NOTA and source.date.isoformat() == "2025-02-14"
        assert response.headers["Location"].endswith(f"/bronnen/{source.id}")
        created = db.session.scalar(select(LogEntry).where(LogEntry.target_type == "sources",
                                                           LogEntry.target_id == source.id))
        assert created.kind == "created" and created.actor.name == "Eva Redacteur"
    page = editor.get(f"/bronnen/{source.id}/bewerken").get_data(as_text=True)
    assert 'value="Nota aan de Vlaamse Regering: test"' in page and "Sleutel" in page
    response = editor.post(f"/bronnen/{source.id}/bewerken",
                           data={**NEW_SOURCE, "title": "Nieuwe titel", "version": form_version(page)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Source, source.id).title == "Nieuwe titel"
        assert db.session.get(Source, source.id).version == 2
    # The source's page offers the editor the edit link; the public sees none.
    assert f"/bronnen/{source.id}/bewerken" in editor.get(f"/bronnen/{source.id}").get_data(as_text=True)
    assert "/bewerken" not in client_as(None).get(f"/bronnen/{source.id}").get_data(as_text=True)


def test_source_form_refuses_bad_input_beside_its_field(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    before = count(app, Source)
    cases = [({"key": "vds"}, "key", "Er is al een bron met sleutel"),
             ({"date": "14-02-2025"}, "date", "JJJJ-MM-DD"),
             ({"title": "  "}, "title", "titel"),
             ({"kind": "roman"}, "kind", "soort bron"),
             ({"title": "t" * 501}, "title", "te lang")]
    for change, field_id, message in cases:
        response = editor.post("/bronnen/nieuw", data={**NEW_SOURCE, **change})
        assert response.status_code == 422, change
        page = response.get_data(as_text=True)
        assert message in error_beside(page, field_id), change
        assert "Niet opgeslagen" in page
        # The editor's own input is shown again.
        assert 'value="Een samenvatting.' in page or "Een samenvatting." in page
    assert count(app, Source) == before


def test_two_editors_on_one_source_get_a_conflict_page(app, client_as) -> None:  # type: ignore[no-untyped-def]
    first, second = client_as("editor"), client_as("reviewer")
    sid = source_id(app)
    url = f"/bronnen/{sid}/bewerken"
    page = first.get(url).get_data(as_text=True)
    second.get(url)
    with app.app_context():
        source = db.session.get(Source, sid)
        data = {"key": source.key, "kind": source.kind.value, "title": source.title, "government": source.government,
                "date": "", "url": source.url, "read_from": source.read_from, "summary": source.summary,
                "text": source.text, "version": form_version(page)}
    assert first.post(url, data={**data, "title": "Titel van de eerste"}).status_code == 303
    response = second.post(url, data={**data, "title": "Titel van de tweede"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Intussen gewijzigd" in page and "deze bron is intussen gewijzigd" in page.lower()
    # What changed meanwhile, by whom, field by field.
    assert "Eva Redacteur: bron vds bijgewerkt: titel “Vlaamse Digitale Strategie” → “Titel van de eerste”" in page
    assert 'value="Titel van de tweede"' in page  # the second editor's own input
    with app.app_context():
        assert db.session.get(Source, sid).title == "Titel van de eerste"
    # Saving again after seeing the change is a choice, not a silent overwrite.
    assert second.post(url, data={**data, "title": "Titel van de tweede", "version": form_version(page)}).status_code == 303
    with app.app_context():
        assert db.session.get(Source, sid).title == "Titel van de tweede"


def test_only_editors_reach_the_forms(app, client_as) -> None:  # type: ignore[no-untyped-def]
    anonymous = client_as(None)
    c = node(app, "vds/2.3")
    for url in ("/bronnen/nieuw", f"/engagementen/{c.id}/bewerken", f"/engagementen/{c.id}/verplaatsen",
                f"/engagementen/{c.id}/verwijderen", f"/engagementen/{c.id}/nieuw-onderdeel"):
        assert anonymous.get(url).status_code == 302
        assert anonymous.post(url, data={}).status_code == 401
    assert "/bewerken" not in anonymous.get(f"/engagementen/{c.id}").get_data(as_text=True)
    vds = source_id(app)
    assert "/bewerken" not in anonymous.get(f"/bronnen/{vds}").get_data(as_text=True)
    tree = client_as("editor").get(f"/bronnen/{vds}").get_data(as_text=True)
    assert f'href="/engagementen/{c.id}/bewerken"' in tree and f"/bronnen/{vds}/nieuw-engagement" in tree


# --------------------------------------------------------------------------- commitments


def test_editor_edits_a_commitment(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    c = node(app, "vds/2.3.4/1")
    page = editor.get(f"/engagementen/{c.id}/bewerken").get_data(as_text=True)
    assert "Engagement bewerken" in page and c.title in page
    response = editor.post(f"/engagementen/{c.id}/bewerken",
                           data=commitment_form(c, title="Betere datakwaliteit", level="engagement",
                                                responsible="Agentschap Digitaal Vlaanderen"))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/engagementen/{c.id}")
    with app.app_context():
        changed = db.session.get(Commitment, c.id)
        assert (changed.title, changed.level, changed.responsible) == (
            "Betere datakwaliteit", Level.ENGAGEMENT, "Agentschap Digitaal Vlaanderen")
        assert changed.version == c.version + 1


def test_commitment_edit_refusals_stay_beside_their_fields(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    c = node(app, "vds/2.3.4/1")
    for change, field_id, message in ((({"title": ""}), "title", "titel"),
                                      ({"level": "hoofdstukje"}, "level", "geldig niveau"),
                                      ({"reference": "x" * 41}, "reference", "te lang")):
        response = editor.post(f"/engagementen/{c.id}/bewerken", data=commitment_form(c, **change))
        assert response.status_code == 422, change
        assert message in error_beside(response.get_data(as_text=True), field_id)
    with app.app_context():
        assert db.session.get(Commitment, c.id).title == c.title
        assert db.session.get(Commitment, c.id).version == c.version


def test_two_editors_on_one_commitment_get_a_conflict_page(app, client_as) -> None:  # type: ignore[no-untyped-def]
    first, second = client_as("editor"), client_as("admin")
    c = node(app, "vds/2.3.4/2")
    url = f"/engagementen/{c.id}/bewerken"
    assert first.post(url, data=commitment_form(c, title="Eerste versie")).status_code == 303
    response = second.post(url, data=commitment_form(c, title="Tweede versie"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Dit engagement is intussen gewijzigd" in page
    assert "Eva Redacteur: engagement vds/2.3.4/2 bijgewerkt: titel “" in page and "” → “Eerste versie”" in page
    assert 'value="Tweede versie"' in page
    with app.app_context():
        assert db.session.get(Commitment, c.id).title == "Eerste versie"


def test_editor_adds_a_part_under_a_node_and_at_the_top(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    parent = node(app, "vds/2.3")
    page = editor.get(f"/engagementen/{parent.id}/nieuw-onderdeel").get_data(as_text=True)
    assert 'value="vds/2.3/7"' in page  # a key proposed after the six action points
    data = {"key": "vds/2.3.4/7", "reference": "", "title": "We openen meer data", "level": "actiepunt",
            "text": "", "policy_domain": "", "responsible": "", "cite": ""}
    response = editor.post(f"/engagementen/{parent.id}/nieuw-onderdeel", data=data)
    assert response.status_code == 303
    with app.app_context():
        child = db.session.scalar(select(Commitment).where(Commitment.key == "vds/2.3.4/7"))
        assert child.parent_id == parent.id and child.position == 7 and child.source.key == "vds"
    # The same key again: refused beside the key field, nothing stored.
    before = count(app, Commitment)
    response = editor.post(f"/engagementen/{parent.id}/nieuw-onderdeel", data=data)
    assert response.status_code == 422
    assert "al een engagement met sleutel" in error_beside(response.get_data(as_text=True), "key")
    assert count(app, Commitment) == before
    response = editor.post(f"/bronnen/{source_id(app)}/nieuw-engagement", data={**data, "key": "vds/bijlage",
                                                                                "level": "hoofdstuk"})
    assert response.status_code == 303
    with app.app_context():
        top = db.session.scalar(select(Commitment).where(Commitment.key == "vds/bijlage"))
        assert top.parent_id is None and top.position == 14


def positions(app, parent_key: str) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        parent = db.session.scalar(select(Commitment).where(Commitment.key == parent_key))
        return [f"{c.position}:{c.key}" for c in sorted(parent.children, key=lambda c: c.position)]


def test_editor_moves_a_node_within_its_tree(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    moved = node(app, "vds/2.3.4/6")  # Digitale Tweelingen, under Datagedreven overheid
    target = node(app, "vds/2.4")
    page = editor.get(f"/engagementen/{moved.id}/verplaatsen").get_data(as_text=True)
    assert "(bovenaan in Vlaamse Digitale Strategie)" in page
    response = editor.post(f"/engagementen/{moved.id}/verplaatsen",
                           data={"parent": str(target.id), "position": "2", "version": str(moved.version)})
    assert response.status_code == 303
    assert positions(app, "vds/2.4")[:3] == ["1:vds/2.4.4/1", "2:vds/2.3.4/6", "3:vds/2.4.4/2"]
    assert positions(app, "vds/2.4")[-1] == "6:vds/2.4.4/5"
    assert positions(app, "vds/2.3")[-1] == "5:vds/2.3.4/5"
    with app.app_context():
        logged = db.session.scalars(select(LogEntry).where(LogEntry.target_type == "commitments",
                                                           LogEntry.target_id == moved.id)).all()
        assert logged[-1].data["after"] == {"parent": "vds/2.4", "position": 2}


def test_moves_into_its_own_subtree_or_another_source_are_refused(app, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    moved = node(app, "vds/2.3")
    url = f"/engagementen/{moved.id}/verplaatsen"
    for parent_key, message in (("vds/2.3.4/1", "onder zichzelf of onder een van zijn onderdelen"),
                                ("vds/2.3", "onder zichzelf"),
                                ("ra-2024/vrd3", "hoort bij een andere bron")):
        response = editor.post(url, data={"parent": str(node(app, parent_key).id), "position": "1",
                                          "version": str(moved.version)})
        assert response.status_code == 422, parent_key
        assert message in error_beside(response.get_data(as_text=True), "parent")
    response = editor.post(url, data={"parent": "", "position": "nul", "version": str(moved.version)})
    assert response.status_code == 422
    assert "geheel getal" in error_beside(response.get_data(as_text=True), "position")
    with app.app_context():
        assert db.session.get(Commitment, moved.id).parent_id is None
        assert db.session.get(Commitment, moved.id).version == moved.version


def test_a_move_after_someone_else_changed_the_node_is_a_conflict(app, client_as) -> None:  # type: ignore[no-untyped-def]
    first, second = client_as("editor"), client_as("reviewer")
    moved = node(app, "vds/2.3.4/6")
    assert first.post(f"/engagementen/{moved.id}/bewerken",
                      data=commitment_form(moved, title="Digitale tweelingen")).status_code == 303
    response = second.post(f"/engagementen/{moved.id}/verplaatsen",
                           data={"parent": "", "position": "1", "version": str(moved.version)})
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Commitment, moved.id).parent_id == moved.parent_id


def test_delete_only_what_nothing_points_to(app, client_as, ctx) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    leaf = node(app, "vds/2.9.1/10")
    page = editor.get(f"/engagementen/{leaf.id}/verwijderen").get_data(as_text=True)
    assert "Weet u zeker" in page and "Definitief verwijderen" in page
    response = editor.post(f"/engagementen/{leaf.id}/verwijderen")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Commitment, leaf.id) is None
        gone = db.session.scalar(select(LogEntry).where(LogEntry.target_type == "commitments",
                                                        LogEntry.target_id == leaf.id, LogEntry.kind == "deleted"))
        assert gone.data["before"]["title"] == leaf.title
    # A node with parts: refused, naming them.
    parent = node(app, "vds/2.9")
    page = editor.get(f"/engagementen/{parent.id}/verwijderen").get_data(as_text=True)
    assert "kan niet verwijderd worden" in page and "9 onderdelen" in page
    response = editor.post(f"/engagementen/{parent.id}/verwijderen")
    assert response.status_code == 422 and "9 onderdelen" in response.get_data(as_text=True)
    # A removed link still points to the node: it stays.
    other = commitment(ctx, "vds/2.9.1/9")
    decision = ctx.scalar(select(Decision).where(Decision.key == "ana-03"))
    link = create_link({"commitment": other, "decision": decision, "relation": Relation.BEREIDT_VOOR}, None)
    remove_link(link, "Verkeerd gekoppeld bij de test.", None)
    ctx.commit()
    response = editor.post(f"/engagementen/{other.id}/verwijderen")
    assert response.status_code == 422
    assert "1 koppeling (ook verwijderde tellen mee)" in response.get_data(as_text=True)
    # Status history points to the assessed section.
    assessed = node(app, "ra-2019/bestuurzaken/3.2.3")
    page = editor.get(f"/engagementen/{assessed.id}/verwijderen").get_data(as_text=True)
    assert "statuswijziging" in page and "koppelingen" in page
    with app.app_context():
        assert db.session.get(Commitment, other.id) is not None


def test_a_move_within_the_same_parent_renumbers_its_siblings(app, ctx) -> None:  # type: ignore[no-untyped-def]
    from tracker.commitments.operations import move_commitment

    last = commitment(ctx, "vds/2.3.4/6")
    assert move_commitment(last, last.parent, 1, None) == {"position": (6, 1)}
    ctx.commit()
    assert positions(app, "vds/2.3")[:2] == ["1:vds/2.3.4/6", "2:vds/2.3.4/1"]
    assert positions(app, "vds/2.3")[-1] == "6:vds/2.3.4/5"
    # The same place again changes nothing.
    assert move_commitment(commitment(ctx, "vds/2.3.4/6"), last.parent, 1, None) == {}
