"""The index follows the database: after commit, never after a rollback, and nothing lost in between."""
from __future__ import annotations

import multiprocessing
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from flask import abort
from sqlalchemy import select, text
from whoosh import index as whoosh_index

from tracker.accounts.models import User
from tracker.commitments.models import Commitment, Link, Relation
from tracker.commitments.operations import create_link, update_commitment
from tracker.core.db import db
from tracker.core.writes import unguarded
from tracker.decisions.models import Decision, DecisionKind
from tracker.decisions.operations import (
    add_document_numbers,
    create_decision,
    update_decision,
)
from tracker.parsing import parse_document_number
from tracker.projects.models import Organisation, Project
from tracker.projects.operations import update_organisation
from tracker.search.cli import build_on_init
from tracker.search.index import get_index
from tracker.search.models import IndexQueueItem
from tracker.workflow.operations import approve_proposal, propose_status
from tracker.workflow.status import Status


def indexed(app, key):
    """The stored fields of the document ``key`` as the index holds it now (None when absent)."""
    with get_index(app).reading() as view:
        docs = list(view.searcher.documents(id=key))
    assert len(docs) <= 1, f"{key} is indexed {len(docs)} times"
    return docs[0] if docs else None


def queued(app):
    with app.app_context():
        return set(db.session.execute(select(IndexQueueItem.doc_type, IndexQueueItem.doc_id)))


def decision(app, key="ana-00"):
    with app.app_context():
        return db.session.scalar(select(Decision).where(Decision.key == key))


def route(app, view, methods=("POST",)):
    """A test-only endpoint that changes data inside a real request (commit in after_request)."""
    app.add_url_rule("/_test/change", "test_change", view, methods=list(methods))


def rename(key, title):
    def view():
        obj = db.session.scalar(select(Decision).where(Decision.key == key))
        update_decision(obj, {"title": title}, None)
        return "ok"
    return view


# --------------------------------------------------------------------------- commit and rollback


def test_a_request_that_commits_updates_the_index(app, client, queue_size):
    route(app, rename("ana-00", "Zeppelinhangaar voor de digitale overheid"))
    assert client.post("/_test/change").status_code == 200
    assert queue_size() == 0
    target = decision(app)
    assert indexed(app, f"decision:{target.id}")["title"] == "Zeppelinhangaar voor de digitale overheid"
    found = client.get("/api/v1/search", query_string={"q": "zeppelinhangaar"}).get_json()
    assert [r["id"] for r in found["results"]] == [target.id]


def test_a_failed_request_writes_no_queue_row_and_leaves_the_index(app, client, queue_size):
    def view():
        update_decision(db.session.scalar(select(Decision).where(Decision.key == "ana-00")), {"title": "Luchtkasteel"}, None)
        db.session.flush()  # the queue row exists inside the transaction ...
        assert db.session.scalar(select(IndexQueueItem.id)) is not None
        abort(409)  # ... and goes with the rollback
    route(app, view)
    generation = whoosh_index.open_dir(app.config["INDEX_DIR"]).latest_generation()
    assert client.post("/_test/change").status_code == 409
    assert queue_size() == 0
    assert decision(app).title != "Luchtkasteel"
    assert whoosh_index.open_dir(app.config["INDEX_DIR"]).latest_generation() == generation
    assert client.get("/api/v1/search", query_string={"q": "luchtkasteel"}).get_json()["total"] == 0


def test_a_rolled_back_session_queues_nothing(app, queue_size):
    with app.app_context():
        create_decision({"key": "test-rollback", "title": "Nooit bewaard", "kind": DecisionKind.NOTA}, None)
        assert db.session.scalar(select(IndexQueueItem.doc_type)) == "decision"
        db.session.rollback()
    assert queue_size() == 0


# --------------------------------------------------------------------------- crash between commit and index


def _commit_without_indexing(app, title):
    """What a worker killed right after its commit leaves behind: the change and its queue row."""
    with app.app_context():
        obj = db.session.scalar(select(Decision).where(Decision.key == "ana-00"))
        update_decision(obj, {"title": title}, None)
        db.session.commit()
        return obj.id


def test_crash_after_commit_then_sync_applies_the_queue(app, runner, queue_size):
    decision_id = _commit_without_indexing(app, "Onderzeeboot voor Vlaanderen")
    assert queued(app) == {("decision", decision_id)}
    assert indexed(app, f"decision:{decision_id}")["title"] != "Onderzeeboot voor Vlaanderen"
    result = runner.invoke(args=["index", "sync"])
    assert result.exit_code == 0, result.output
    assert "Zoekindex bijgewerkt: 1 documenten vernieuwd, 0 verwijderd." in result.output
    assert queue_size() == 0
    assert indexed(app, f"decision:{decision_id}")["title"] == "Onderzeeboot voor Vlaanderen"


def test_crash_after_commit_then_the_next_request_applies_the_queue(app, client, queue_size):
    decision_id = _commit_without_indexing(app, "Onderzeeboot voor Vlaanderen")
    assert client.get("/").status_code == 200
    assert queue_size() == 0
    assert indexed(app, f"decision:{decision_id}")["title"] == "Onderzeeboot voor Vlaanderen"


def test_the_check_at_request_start_is_throttled(app, client, queue_size):
    app.config["SEARCH_SYNC_INTERVAL"] = 3600
    client.get("/")  # the first request of the process checks
    _commit_without_indexing(app, "Onderzeeboot voor Vlaanderen")
    client.get("/")
    assert queue_size() == 1  # left for the next check or `tracker index sync`


# --------------------------------------------------------------------------- two writers


def _hold_writer_lock(path, ready, release):  # runs in another process
    writer = whoosh_index.open_dir(path).writer()
    ready.set()
    release.wait(30)
    writer.cancel()


@pytest.fixture
def lock_holder(app):
    """Another process holding the index's writer lock until ``release()``."""
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    process = ctx.Process(target=_hold_writer_lock, args=(app.config["INDEX_DIR"], ready, release))
    process.start()
    assert ready.wait(10)

    def release_and_wait() -> None:
        # The lock is free once the holder has exited; a fixed sleep flaked on a loaded CI machine.
        release.set()
        process.join(10)
        assert not process.is_alive()

    yield release_and_wait
    release.set()
    process.join(10)


def test_a_locked_index_never_fails_a_request_and_the_queue_waits(app, client, lock_holder, queue_size):
    route(app, rename("ana-00", "Ruimtestation boven Brussel"))
    started = time.monotonic()
    response = client.post("/_test/change")
    assert response.status_code == 200
    assert time.monotonic() - started < app.config["SEARCH_LOCK_TIMEOUT"] + 1.5
    assert queue_size() == 1
    # Searching works while the other process holds the lock; the change is not visible yet.
    page = client.get("/zoeken", query_string={"q": "ruimtestation"})
    assert page.status_code == 200 and "Geen resultaten" in page.get_data(as_text=True)
    lock_holder()
    found = client.get("/api/v1/search", query_string={"q": "ruimtestation"}).get_json()
    assert found["total"] == 1 and queue_size() == 0


def test_sync_reports_a_lock_that_stays_taken(app, runner, lock_holder, queue_size):
    _commit_without_indexing(app, "Onderzeeboot voor Vlaanderen")
    result = runner.invoke(args=["index", "sync", "--timeout", "0.2"])
    assert result.exit_code == 1 and "in gebruik door een ander proces" in result.output
    assert queue_size() == 1


# --------------------------------------------------------------------------- what gets queued


def test_related_records_are_queued(app, queue_size):
    with app.app_context():
        commitment = db.session.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
        target = db.session.scalar(select(Decision).where(Decision.key == "ana-05"))
        create_link({"commitment": commitment, "decision": target, "relation": Relation.BEREIDT_VOOR}, None)
        assert {("commitment", commitment.id), ("decision", target.id)} <= _in_transaction()
        db.session.rollback()

        target = db.session.scalar(select(Decision).where(Decision.key == "ana-05"))
        add_document_numbers(target, [(parse_document_number("VR 2022 0101 DOC.0001/1"), "VR 2022 0101 DOC.0001/1")],
                             None)
        assert ("decision", target.id) in _in_transaction()
        db.session.rollback()

        organisation = db.session.scalar(
            select(Organisation).join(Project, Project.organisation_id == Organisation.id).limit(1))
        projects = set(db.session.scalars(select(Project.id).where(Project.organisation_id == organisation.id)))
        update_organisation(organisation, {"name": organisation.name + " (nieuwe naam)"}, None)
        assert {("project", p) for p in projects} | {("organisation", organisation.id)} <= _in_transaction()
        db.session.rollback()
    assert queue_size() == 0


def _in_transaction():
    return set(db.session.execute(select(IndexQueueItem.doc_type, IndexQueueItem.doc_id)))


def test_an_approved_status_change_reaches_the_index(app, commit_and_index):
    with app.app_context():
        commitment = db.session.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
        editor = db.session.scalar(select(User).where(User.username == "seed-redacteur"))
        reviewer = db.session.scalar(select(User).where(User.username == "seed-beoordelaar"))
        proposal = propose_status(commitment, to_status=Status.IN_VOORBEREIDING, effective_date=date(2024, 1, 5),
                                  motivation="Er ligt een conceptnota klaar voor de regering.", actor=editor,
                                  seen_version=commitment.version)
        commit_and_index()
        approve_proposal(proposal, reviewer)
        commit_and_index()
        key = f"commitment:{commitment.id}"
    with get_index(app).reading() as view:
        docnum = view.searcher.document_number(id=key)
        assert view.columns["status"][docnum] == ("in_voorbereiding",)
        assert view.columns["day"][docnum] == date(2024, 1, 5).toordinal()


def test_a_deleted_record_leaves_the_index(app, commit_and_index):
    with app.app_context():
        target = db.session.scalar(select(Decision).where(Decision.key == "ana-34"))
        key = f"decision:{target.id}"
        assert indexed(app, key) is not None
        # No operation deletes a decision yet: this probes the outbox below the operations.
        with unguarded(db.session):
            for link in db.session.scalars(select(Link).where(Link.decision_id == target.id)):
                db.session.delete(link)  # through the ORM, so the linked commitments are queued too
            db.session.delete(target)
            db.session.flush()
        commit_and_index()
    assert indexed(app, key) is None


def test_an_updated_record_is_found_once(app, client):
    route(app, rename("ana-00", "Eerste nieuwe titel"))
    client.post("/_test/change")
    app.view_functions["test_change"] = rename("ana-00", "Tweede nieuwe titel")
    client.post("/_test/change")
    found = client.get("/api/v1/search", query_string={"q": "DOC.1294/1"}).get_json()
    assert [r["title"] for r in found["results"]] == ["Tweede nieuwe titel"]


# --------------------------------------------------------------------------- rebuild, verify, init

QUERIES = [
    "digitaal", "digitale overheid", '"ICT en Informatie"', "cyber*", "DOC.1294/1", "21.4",
    "beleid* -onderwijs", "soort:beslissing jaar:2021", "Zeppelinhangaar", "gemeentearchieven",
    "status:in_voorbereiding", "kruispuntbank OF magda",
]


def _answers(client):
    """Every result of every query (all pages), its facet counts, and the order by date.

    Relevance scores may differ a little: Whoosh counts deleted documents in its term statistics
    until segments merge. So relevance is compared as the set of results.
    """
    answers = {}
    for q in QUERIES:
        for sort in ("relevance", "date"):
            results, page, pages = [], 1, 1
            while page <= pages:
                data = client.get("/api/v1/search", query_string={
                    "q": q, "per_page": 50, "sort": sort, "page": page}).get_json()
                results += [(r["type"], r["id"], r["title"], r["date"], r["status"]) for r in data["results"]]
                page, pages = page + 1, data["pages"]
            facets = {name: {v["value"]: v["count"] for v in values} for name, values in data["facets"].items()}
            answers[q, sort] = (data["total"], sorted(results) if sort == "relevance" else results, facets)
    return answers


def test_rebuild_gives_the_same_answers_as_incremental_updates(app, client, runner, commit_and_index):
    route(app, rename("ana-00", "Zeppelinhangaar voor de digitale overheid"))
    client.post("/_test/change")
    with app.app_context():
        new = create_decision({"key": "test-new", "title": "Digitale gemeentearchieven", "kind": DecisionKind.NOTA,
                               "meeting_date": date(2021, 6, 4), "text": "Over cyberveiligheid van archieven."}, None)
        add_document_numbers(new, [(parse_document_number("VR 2021 0406 DOC.0600/1"), "VR 2021 0406 DOC.0600/1")], None)
        commitment = db.session.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
        update_commitment(commitment, {"title": commitment.title + " en digitale archieven"}, None)
        target = db.session.scalar(select(Decision).where(Decision.key == "ana-34"))
        with unguarded(db.session):  # no operation deletes a decision yet
            for link in db.session.scalars(select(Link).where(Link.decision_id == target.id)):
                db.session.delete(link)  # through the ORM, so the linked commitments are queued too
            db.session.delete(target)
            db.session.flush()
        commit_and_index()
    incremental = _answers(client)
    assert runner.invoke(args=["index", "verify"]).exit_code == 0
    result = runner.invoke(args=["index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Zoekindex opgebouwd" in result.output
    assert _answers(client) == incremental


def test_verify_lists_what_differs(app, runner):
    result = runner.invoke(args=["index", "verify"])
    assert result.exit_code == 0 and "klopt met de database" in result.output
    with app.app_context():
        # Raw SQL bypasses the outbox: the index goes stale without knowing it.
        db.session.execute(text("UPDATE decisions SET title = 'Gewijzigd buiten de tracker' WHERE key = 'ana-01'"))
        db.session.commit()
        stale = db.session.scalar(select(Decision.id).where(Decision.key == "ana-01"))
        gone = db.session.scalar(select(Decision.id).where(Decision.key == "ana-02"))
    ix = whoosh_index.open_dir(app.config["INDEX_DIR"])
    writer = ix.writer()
    writer.delete_by_term("id", f"decision:{gone}")
    writer.add_document(id="decision:999999", type="decision", title="Spook", hash="x")
    writer.commit()
    result = runner.invoke(args=["index", "verify"])
    assert result.exit_code == 1
    assert f"Verouderd in de index (1):\n  - decision:{stale}" in result.output
    assert f"Ontbreken in de index (1):\n  - decision:{gone}" in result.output
    assert "Staan in de index maar bestaan niet meer (1):\n  - decision:999999" in result.output
    assert runner.invoke(args=["index", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["index", "verify"]).exit_code == 0


def test_init_builds_a_missing_index(app, tmp_path):
    get_index(app).close()
    shutil.rmtree(app.config["INDEX_DIR"])
    with app.app_context():
        build_on_init()
    assert get_index(app).doc_count() > 150


def test_sync_without_an_index_builds_one(app, runner):
    get_index(app).close()
    shutil.rmtree(app.config["INDEX_DIR"])
    result = runner.invoke(args=["index", "sync"])
    assert result.exit_code == 0 and "volledig opgebouwd" in result.output
    assert get_index(app).doc_count() > 150


def test_an_index_from_older_code_is_rebuilt_not_used(app, client, runner, queue_size):
    (Path(app.config["INDEX_DIR"]) / "tracker-schema-version").write_text("0\n")
    get_index(app).close()
    assert client.get("/zoeken?q=digitaal").status_code == 503
    _commit_without_indexing(app, "Onderzeeboot voor Vlaanderen")
    client.get("/")
    assert queue_size() == 1  # not applied to an index of another schema
    assert runner.invoke(args=["index", "verify"]).exit_code == 1
    result = runner.invoke(args=["index", "sync"])
    assert result.exit_code == 0 and "volledig opgebouwd" in result.output
    assert queue_size() == 0
    found = client.get("/api/v1/search", query_string={"q": "onderzeeboot"}).get_json()
    assert found["total"] == 1


# --------------------------------------------------------------------------- what mutation testing found


def test_a_moved_link_reindexes_both_its_old_and_its_new_end(app, commit_and_index):
    with app.app_context():
        link = db.session.scalar(select(Link).where(Link.decision_id.is_not(None), Link.commitment_id.is_not(None))
                                 .order_by(Link.id).limit(1))
        commitment_key = f"commitment:{link.commitment_id}"
        old = link.decision_id
        new = db.session.scalar(select(Decision.id).where(Decision.id.not_in(
            select(Link.decision_id).where(Link.commitment_id == link.commitment_id,
                                           Link.decision_id.is_not(None)))).order_by(Decision.id).limit(1))
        assert commitment_key in indexed(app, f"decision:{old}")["linked"].split()
        assert commitment_key not in indexed(app, f"decision:{new}")["linked"].split()
        with unguarded(db.session):  # links are not moved by an operation: this probes the outbox itself
            link.decision_id = new
            db.session.flush()
        commit_and_index()
    assert commitment_key not in indexed(app, f"decision:{old}")["linked"].split()  # the old end
    assert commitment_key in indexed(app, f"decision:{new}")["linked"].split()  # the new end


def test_sync_counts_what_it_updated_and_deleted(app, runner, queue_size):
    with app.app_context():
        keys = []
        for name in ("ana-34", "ana-32"):
            target = db.session.scalar(select(Decision).where(Decision.key == name))
            keys.append(f"decision:{target.id}")
            # Links go by raw SQL, so that only the decisions themselves are queued ...
            db.session.execute(text("DELETE FROM links WHERE decision_id = :id"), {"id": target.id})
            with unguarded(db.session):  # no operation deletes a decision yet
                db.session.delete(target)
                db.session.flush()
        update_decision(db.session.scalar(select(Decision).where(Decision.key == "ana-33")), {"title": "Zweefvliegveld"}, None)
        db.session.commit()  # ... and nothing is applied yet, as after a crash
    assert queue_size() == 3
    result = runner.invoke(args=["index", "sync"])
    assert result.exit_code == 0, result.output
    assert "Zoekindex bijgewerkt: 1 documenten vernieuwd, 2 verwijderd." in result.output
    assert all(indexed(app, key) is None for key in keys) and queue_size() == 0


def test_apply_pending_applies_the_batches_it_is_asked_for(app, queue_size):
    from tracker.search.outbox import apply_pending

    with app.app_context():
        for decision in db.session.scalars(select(Decision).order_by(Decision.id).limit(10)):
            update_decision(decision, {"title": decision.title + " (herzien)"}, None)
        db.session.commit()
        idx = get_index(app)
        assert apply_pending(idx, db.engine, 1, batch=3).updated == 3  # one batch by default
        assert queue_size() == 7
        result = apply_pending(idx, db.engine, 1, batches=2, batch=3)
        assert (result.updated, result.remaining, result.locked, result.missing_index) == (6, 1, False, False)
        result = apply_pending(idx, db.engine, 1, batches=None, batch=3)
        assert (result.updated, result.remaining) == (1, 0)


def test_apply_pending_leaves_the_queue_for_an_index_it_cannot_use(app, queue_size):
    from tracker.search.outbox import apply_pending

    _commit_without_indexing(app, "Onderzeeboot voor Vlaanderen")
    (Path(app.config["INDEX_DIR"]) / "tracker-schema-version").write_text("0\n")
    with app.app_context():
        result = apply_pending(get_index(app), db.engine, 1, batches=None)
    assert result.missing_index and (result.updated, result.remaining) == (0, 1)
    assert queue_size() == 1


def test_rebuild_drops_every_queue_row_it_covers_even_thousands(app, runner, queue_size):
    from sqlalchemy import insert

    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id).limit(1))
        # More rows than one DELETE statement takes (500) and than one batch (1000).
        db.session.execute(insert(IndexQueueItem), [{"doc_type": "decision", "doc_id": decision_id}] * 1234)
        db.session.commit()
    assert queue_size() == 1234
    assert runner.invoke(args=["index", "rebuild"]).exit_code == 0
    assert queue_size() == 0


def test_rebuild_reports_its_progress_and_count(app):
    from tracker.search.outbox import rebuild

    seen = []

    def progress(docs, total):  # type: ignore[no-untyped-def]
        seen.append(total)
        yield from docs

    with app.app_context():
        count = rebuild(get_index(app), db.engine, 5, progress=progress)
    assert seen == [count] and count == get_index(app).doc_count() > 150
