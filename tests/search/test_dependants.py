"""Documents that copy another record's field follow it; the queue drains in batches of SEARCH_BATCH_SIZE."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from tracker.commitments.models import Commitment
from tracker.core.cli import committed
from tracker.core.db import db
from tracker.decisions.models import Decision, decision_sources
from tracker.decisions.operations import update_decision
from tracker.projects.models import Programme, Project
from tracker.projects.operations import update_programme
from tracker.sources.models import Source
from tracker.sources.operations import update_source


def counts_by_type(data):  # type: ignore[no-untyped-def]
    return {v["value"]: v["count"] for v in data["facets"].get("type", [])}


# --------------------------------------------------------------------------- dependants


def test_a_new_source_key_reaches_its_commitments_and_decisions(app, api, commit_and_index):
    with app.app_context():
        source = db.session.scalar(select(Source).where(Source.key == "nota-vrd2-2021"))
        commitments = db.session.scalar(select(func.count()).select_from(Commitment)
                                        .where(Commitment.source_id == source.id))
        decisions = db.session.scalar(select(func.count()).select_from(decision_sources)
                                      .where(decision_sources.c.source_id == source.id))
        assert commitments > 0 and decisions > 0
        assert counts_by_type(api(source="nota-vrd2-2021", per_page=50)) == {
            "commitment": commitments, "decision": decisions, "source": 1}
        update_source(source, {"key": "nota-vrd2-herzien"}, None)
        commit_and_index()
    assert api(source="nota-vrd2-2021")["total"] == 0
    renamed = api(source="nota-vrd2-herzien", per_page=50)
    assert counts_by_type(renamed) == {"commitment": commitments, "decision": decisions, "source": 1}
    # The filter in the query finds them under the new key too.
    assert api(q="bron:nota-vrd2-herzien soort:beslissing")["total"] == decisions


def test_a_new_programme_name_reaches_its_projects(app, client, api):
    def view():  # type: ignore[no-untyped-def]
        programme = db.session.scalar(select(Programme).where(Programme.key == "vrd2"))
        update_programme(programme, {"name": "Zeppelinprogramma Vlaanderen"}, None)
        return "ok"

    app.add_url_rule("/_test/change", "test_change", view, methods=["POST"])
    with app.app_context():
        projects = db.session.scalar(select(func.count()).select_from(Project).join(Programme)
                                     .where(Programme.key == "vrd2"))
    assert projects > 0
    assert api(q="zeppelinprogramma")["total"] == 0
    assert client.post("/_test/change").status_code == 200  # a request: committed, then indexed
    found = api(q="zeppelinprogramma", per_page=50)
    assert counts_by_type(found) == {"project": projects, "programme": 1}
    assert all(r["detail"].endswith("Zeppelinprogramma Vlaanderen") for r in found["results"] if r["type"] == "project")


# --------------------------------------------------------------------------- batches


def _rename_decisions(app, n, prefix):  # type: ignore[no-untyped-def]
    """Commit new titles for ``n`` decisions without indexing them (queue rows only)."""
    with app.app_context():
        decisions = list(db.session.scalars(select(Decision).order_by(Decision.id).limit(n)))
        for i, decision in enumerate(decisions):
            update_decision(decision, {"title": f"{prefix}{i} nieuwe titel"}, None)
        db.session.commit()


def test_a_request_applies_one_batch_and_a_cli_commit_the_whole_queue(app, client, api, queue_size):
    app.config["SEARCH_BATCH_SIZE"] = 3

    def view():  # type: ignore[no-untyped-def]
        update_decision(db.session.scalar(select(Decision).where(Decision.key == "ana-30")), {"title": "Luchtschipwerf in Antwerpen"}, None)
        return "ok"

    app.add_url_rule("/_test/change", "test_change", view, methods=["POST"])
    _rename_decisions(app, 10, "kwartel")
    assert queue_size() == 10
    client.get("/")  # the check at the start of a request: one batch
    assert queue_size() == 7
    client.post("/_test/change")  # one batch before, one after its own commit (which queued one)
    assert queue_size() == 7 - 3 + 1 - 3
    with app.app_context():  # a CLI command: the whole queue, batch after batch
        update_decision(db.session.scalar(select(Decision).where(Decision.key == "ana-31")), {"title": "Ballonhaven in Gent"}, None)
        db.session.commit()
        committed()
    assert queue_size() == 0
    assert api(q="kwartel0")["total"] == 1 and api(q="kwartel9")["total"] == 1
    assert api(q="luchtschipwerf")["total"] == 1 and api(q="ballonhaven")["total"] == 1


def test_sync_drains_many_batches(app, runner, api, queue_size):
    app.config["SEARCH_BATCH_SIZE"] = 2
    _rename_decisions(app, 7, "wachtel")
    result = runner.invoke(args=["index", "sync"])
    assert result.exit_code == 0, result.output
    assert "Zoekindex bijgewerkt: 7 documenten vernieuwd, 0 verwijderd." in result.output
    assert queue_size() == 0 and api(q="wachtel6")["total"] == 1


def test_verify_is_clean_right_after_a_cli_command_that_writes(app, runner, api, queue_size, tmp_path):
    app.config["SEARCH_BATCH_SIZE"] = 2
    rows = [{"id": f"TEST-{i:04d}", "meeting_date": f"2023-03-{i + 1:02d}", "kind": "nota",
             "title": f"Proefbeslissing {i} over klokkentorens", "text": f"Tekst {i} over klokkentorens.",
             "source_url": f"https://beslissingenvlaamseregering.vlaanderen.be/?search=test-{i}"}
            for i in range(7)]
    path = tmp_path / "beslissingen.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = runner.invoke(args=["import", "beslissingen", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert queue_size() == 0
    result = runner.invoke(args=["index", "verify"])
    assert result.exit_code == 0, result.output
    assert "De zoekindex klopt met de database." in result.output and "wachten" not in result.output
    assert api(q="klokkentorens")["total"] == 7
