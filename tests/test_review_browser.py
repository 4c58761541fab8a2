"""Status proposals and their review in the browser: the propose panel, /voorstellen, approve and reject."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import ACCOUNTS
from tracker.accounts.models import User
from tracker.commitments.models import Commitment, Link
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.core.writes import unguarded
from tracker.workflow.models import ProposalState, StatusChange, StatusProposal
from tracker.workflow.operations import EvidenceInput, approve_proposal, propose_status
from tracker.workflow.status import ALLOWED_TRANSITIONS, Status

LINKED = "ra-2024/vrd3"  # not assessed, with current links to decisions and projects
ASSESSED = "ra-2019/bestuurzaken/3.2.3"  # gedeeltelijk, with a status history
MOTIVATION = "De beslissing van de Vlaamse Regering voert dit engagement volledig uit."
PASSAGE = "De Vlaamse Regering keurt het programma goed."


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def field_error(page: str, field_id: str) -> str:
    """The error shown beside one field ('' when there is none)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-fout"><strong>Fout:</strong> ([^<]*)</p>', page)
    return match.group(1) if match else ""


def facts(app, key: str = LINKED) -> dict:  # type: ignore[no-untyped-def]
    """The commitment's id, version and status, its first linked decision and its source, and the proposal count."""
    with app.app_context():
        c = db.session.scalar(select(Commitment).where(Commitment.key == key))
        link = db.session.scalar(select(Link).where(Link.commitment_id == c.id, Link.decision_id.is_not(None),
                                                    Link.removed_dt.is_(None)).order_by(Link.id))
        return {"id": c.id, "version": c.version, "status": c.status, "source": c.source_id,
                "decision": link.decision_id if link else None,
                "proposals": db.session.scalar(select(func.count(StatusProposal.id))),
                "changes": db.session.scalar(select(func.count(StatusChange.id)))}


def form_data(f: dict, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {"version": str(f["version"]), "to_status": "gerealiseerd", "effective_date": "2024-03-01",
            "motivation": MOTIVATION, "reason": "", "bewijs": [f"decision-{f['decision']}"],
            f"passage-decision-{f['decision']}": PASSAGE}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def user(app, role: str) -> User:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(User).where(User.email == ACCOUNTS[role]))


def open_proposal(app, author: str = "editor", key: str = LINKED) -> int:  # type: ignore[no-untyped-def]
    """A proposal made through the operation (as the CLI does), committed; its id."""
    f = facts(app, key)
    with app.app_context():
        c = db.session.get(Commitment, f["id"])
        proposal = propose_status(c, to_status=Status.GEREALISEERD, effective_date=date(2024, 3, 1),
                                  motivation=MOTIVATION, actor=user(app, author), seen_version=c.version,
                                  evidence=[EvidenceInput("decision", f["decision"], PASSAGE)])
        db.session.commit()
        return proposal.id


def proposal_state(app, proposal_id: int) -> ProposalState:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(StatusProposal, proposal_id).state


# --------------------------------------------------------------------------- the propose panel


def test_the_public_sees_no_panel_and_cannot_propose(app, client_as) -> None:  # type: ignore[no-untyped-def]
    f = facts(app)
    anonymous = client_as(None)
    page = text(anonymous.get(f"/engagementen/{f['id']}"))
    assert "Status voorstellen" not in page and "status-voorstellen" not in page
    assert anonymous.post(f"/engagementen/{f['id']}/status-voorstellen", data=form_data(f)).status_code == 401
    assert anonymous.get(f"/engagementen/{f['id']}/status-voorstellen").status_code == 302
    assert facts(app)["proposals"] == f["proposals"]


def test_an_editor_sees_the_panel_with_allowed_statuses_and_current_evidence(app, client_as) -> None:  # type: ignore[no-untyped-def]
    f = facts(app, ASSESSED)
    with app.app_context():
        latest = db.session.scalar(select(StatusChange).where(StatusChange.commitment_id == f["id"])
                                   .order_by(StatusChange.recorded_dt.desc(), StatusChange.id.desc()))
        allowed = ALLOWED_TRANSITIONS[f["status"]] | ALLOWED_TRANSITIONS[latest.from_status]
        removed = db.session.scalar(select(Link).where(Link.commitment_id == f["id"], Link.decision_id.is_not(None))
                                    .order_by(Link.id.desc()))
        with unguarded(db.session()):
            removed.removed_dt = removed.created_dt
            db.session.commit()
        removed_decision = removed.decision_id
    page = text(client_as("editor").get(f"/engagementen/{f['id']}"))
    assert f'action="/engagementen/{f["id"]}/status-voorstellen"' in page
    offered = set(re.findall(r'<option (?:selected )?value="([a-z_]+)"', page.split('id="to_status"')[1].split("</select>")[0]))
    assert offered == {s.value for s in allowed}
    assert f'name="version" value="{f["version"]}"' in page
    assert f'value="source-{f["source"]}"' in page  # the commitment's own source
    assert f'value="decision-{removed_decision}"' not in page  # a removed link is history, not evidence
    assert "corrigeert de laatste statuswijziging" in page


def test_an_editor_proposes_a_status_in_the_browser(app, client_as) -> None:  # type: ignore[no-untyped-def]
    f = facts(app)
    browser = client_as("editor")
    response = browser.post(f"/engagementen/{f['id']}/status-voorstellen", data=form_data(f))
    assert response.status_code == 302 and response.headers["Location"] == f"/engagementen/{f['id']}"
    with app.app_context():
        proposal = db.session.scalar(select(StatusProposal).order_by(StatusProposal.id.desc()))
        assert (proposal.commitment_id, proposal.to_status, proposal.state) == (f["id"], Status.GEREALISEERD,
                                                                               ProposalState.OPEN)
        assert proposal.author.email == ACCOUNTS["editor"]
        assert [(e.decision_id, e.passage) for e in proposal.evidence] == [(f["decision"], PASSAGE)]
    page = text(browser.get(f"/engagementen/{f['id']}"))
    assert "wacht nu op een beoordelaar" in page
    # Not public yet: the status stays until a reviewer approves.
    assert facts(app)["status"] is Status.NIET_BEOORDEELD
    assert "Er staat al een voorstel open" in page


@pytest.mark.parametrize("changes,field,message", [
    ({"motivation": "te kort"}, "motivation", "motivering van minstens 20 tekens"),
    ({"bewijs": None}, "bewijs", "minstens één bewijsstuk"),
    ({"passage-decision-{d}": ""}, "bewijs", "Geef bij het bewijsstuk"),
    ({"to_status": "niet_gerealiseerd"}, "reason", "Kies bij Niet gerealiseerd de reden"),
    ({"to_status": "in_uitvoering", "reason": "budgettair"}, "reason", "hoort alleen bij de status Niet gerealiseerd"),
    ({"effective_date": (brussels_today() + timedelta(days=1)).isoformat()}, "effective_date", "ligt in de toekomst"),
    ({"effective_date": "1-3-2024"}, "effective_date", "geen geldige datum"),
    ({"to_status": "niet_beoordeeld"}, "to_status", "geen toegelaten overgang"),
    ({"to_status": ""}, "to_status", "Kies de nieuwe status"),
    ({"corrects": "y"}, "corrects", ""),  # no change to correct
])
def test_workflow_rules_show_as_dutch_field_errors_and_store_nothing(app, client_as, changes, field,  # type: ignore[no-untyped-def]
                                                                      message) -> None:
    f = facts(app)
    changes = {k.format(d=f["decision"]): v for k, v in changes.items()}
    response = client_as("editor").post(f"/engagementen/{f['id']}/status-voorstellen", data=form_data(f, **changes))
    assert response.status_code == 422
    page = text(response)
    assert "Niet opgeslagen" in page
    if message:
        assert message in field_error(page, field), page[:3000]
    else:
        assert "nog geen statuswijziging om te corrigeren" in page
    after = facts(app)
    assert (after["proposals"], after["version"], after["status"]) == (f["proposals"], f["version"], f["status"])


def test_a_proposal_on_a_stale_version_shows_the_conflict_page(app, client_as) -> None:  # type: ignore[no-untyped-def]
    f = facts(app)
    open_id = open_proposal(app)
    with app.app_context():  # someone else's proposal is reviewed meanwhile: the version moves on
        db.session.get(StatusProposal, open_id)
        from tracker.workflow.operations import reject_proposal

        reject_proposal(db.session.get(StatusProposal, open_id), user(app, "reviewer"), "Nog niet gestaafd.")
        db.session.commit()
    response = client_as("editor").post(f"/engagementen/{f['id']}/status-voorstellen", data=form_data(f))
    assert response.status_code == 409
    page = text(response)
    assert "Intussen gewijzigd" in page and "Wat er intussen veranderde" in page
    assert facts(app)["proposals"] == f["proposals"] + 1


def test_a_correction_of_the_latest_change_in_the_browser(app, client_as) -> None:  # type: ignore[no-untyped-def]
    f = facts(app, ASSESSED)
    with app.app_context():
        latest = db.session.scalar(select(StatusChange).where(StatusChange.commitment_id == f["id"])
                                   .order_by(StatusChange.recorded_dt.desc(), StatusChange.id.desc()))
        latest_id, to_status, day = latest.id, latest.to_status, latest.effective_date
    target = next(s for s in ALLOWED_TRANSITIONS[latest.from_status] if s is not to_status
                  and not s.info.needs_evidence)
    data = form_data(f, to_status=target.value, effective_date=day.isoformat(), corrects="y", bewijs=None)
    response = client_as("editor").post(f"/engagementen/{f['id']}/status-voorstellen", data=data)
    assert response.status_code == 302, text(response)[:3000]
    with app.app_context():
        proposal = db.session.scalar(select(StatusProposal).order_by(StatusProposal.id.desc()))
        assert proposal.corrects_id == latest_id and proposal.to_status is target


def test_a_removed_link_is_no_evidence(ctx, accounts) -> None:  # type: ignore[no-untyped-def]
    c = ctx.scalar(select(Commitment).where(Commitment.key == LINKED))
    link = ctx.scalar(select(Link).where(Link.commitment_id == c.id, Link.decision_id.is_not(None)))
    with unguarded(ctx()):
        link.removed_dt = link.created_dt
        ctx.flush()
    editor = ctx.scalar(select(User).where(User.email == accounts["editor"]))
    with pytest.raises(ValidationError) as info:
        propose_status(c, to_status=Status.GEREALISEERD, effective_date=date(2024, 3, 1), motivation=MOTIVATION,
                       actor=editor, seen_version=c.version, evidence=[EvidenceInput("decision", link.decision_id, PASSAGE)])
    assert info.value.field == "evidence" and "niet aan dit engagement gekoppeld" in str(info.value)


# --------------------------------------------------------------------------- /voorstellen


def test_proposals_are_for_editors_not_the_public(app, client_as) -> None:  # type: ignore[no-untyped-def]
    open_proposal(app)
    response = client_as(None).get("/voorstellen")
    assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]
    assert "Voorstellen" not in text(client_as(None).get("/"))  # no link in the nav for the public
    page = text(client_as("editor").get("/voorstellen"))
    assert "Wachten op beoordeling (1)" in page and MOTIVATION in page and PASSAGE in page
    assert "Goedkeuren" not in page  # an editor reads, a reviewer reviews
    assert client_as("editor").get("/voorstellen?pagina=%C2%B2").status_code == 404


def test_a_reviewer_approves_and_the_status_is_public_at_once(app, client_as) -> None:  # type: ignore[no-untyped-def]
    proposal_id = open_proposal(app)
    f = facts(app)
    reviewer = client_as("reviewer")
    page = text(reviewer.get("/voorstellen"))
    assert f'action="/voorstellen/{proposal_id}/goedkeuren"' in page
    response = reviewer.post(f"/voorstellen/{proposal_id}/goedkeuren", data={"note": "In orde."})
    assert response.status_code == 302
    assert proposal_state(app, proposal_id) is ProposalState.APPROVED
    public = text(client_as(None).get(f"/engagementen/{f['id']}"))
    status_line = public.split('class="status-line"')[1].split("</p>")[0]
    assert "Gerealiseerd" in status_line and "1 maart 2024" in status_line
    assert PASSAGE in public
    assert facts(app)["changes"] == f["changes"] + 1


def test_a_reviewer_rejects_with_a_note_and_the_editor_sees_it(app, client_as) -> None:  # type: ignore[no-untyped-def]
    proposal_id = open_proposal(app)
    reviewer = client_as("reviewer")
    refused = reviewer.post(f"/voorstellen/{proposal_id}/afwijzen", data={"note": ""})
    assert refused.status_code == 422
    assert "Schrijf waarom u het voorstel afwijst" in text(refused)
    assert proposal_state(app, proposal_id) is ProposalState.OPEN
    assert reviewer.post(f"/voorstellen/{proposal_id}/afwijzen",
                         data={"note": "De beslissing staaft dit nog niet."}).status_code == 302
    assert proposal_state(app, proposal_id) is ProposalState.REJECTED
    mine = text(client_as("editor").get("/voorstellen?van=mij"))
    assert "Afgewezen" in mine and "De beslissing staaft dit nog niet." in mine
    assert facts(app)["status"] is Status.NIET_BEOORDEELD


def test_nobody_approves_their_own_proposal(app, client_as) -> None:  # type: ignore[no-untyped-def]
    proposal_id = open_proposal(app, author="reviewer")
    reviewer = client_as("reviewer")
    page = text(reviewer.get("/voorstellen"))
    article = page.split(f'id="voorstel-{proposal_id}"')[1].split("</article>")[0]
    assert "Goedkeuren" not in article and "uw eigen voorstel" in article
    response = reviewer.post(f"/voorstellen/{proposal_id}/goedkeuren", data={"note": ""})
    assert response.status_code == 403 and "eigen voorstel niet beoordelen" in text(response)
    assert proposal_state(app, proposal_id) is ProposalState.OPEN
    # Another reviewer (the admin) may.
    assert client_as("admin").post(f"/voorstellen/{proposal_id}/goedkeuren", data={}).status_code == 302
    assert proposal_state(app, proposal_id) is ProposalState.APPROVED


def test_editors_cannot_review_and_reviewing_is_post_only(app, client_as) -> None:  # type: ignore[no-untyped-def]
    proposal_id = open_proposal(app)
    editor = client_as("editor")
    assert editor.post(f"/voorstellen/{proposal_id}/goedkeuren", data={}).status_code == 403
    assert editor.post(f"/voorstellen/{proposal_id}/afwijzen", data={"note": "Niet goed genoeg."}).status_code == 403
    assert client_as("reviewer").get(f"/voorstellen/{proposal_id}/goedkeuren").status_code == 405
    assert client_as(None).post(f"/voorstellen/{proposal_id}/goedkeuren").status_code == 401
    assert proposal_state(app, proposal_id) is ProposalState.OPEN


def test_a_reviewed_proposal_cannot_be_reviewed_again(app, client_as) -> None:  # type: ignore[no-untyped-def]
    proposal_id = open_proposal(app)
    with app.app_context():
        approve_proposal(db.session.get(StatusProposal, proposal_id), user(app, "reviewer"))
        db.session.commit()
    response = client_as("admin").post(f"/voorstellen/{proposal_id}/afwijzen", data={"note": "Toch niet goed."})
    assert response.status_code == 409 and "al beoordeeld" in text(response)
    assert proposal_state(app, proposal_id) is ProposalState.APPROVED


def test_review_needs_the_csrf_token(app, accounts) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import log_in

    proposal_id = open_proposal(app)
    browser = log_in(app, accounts["reviewer"])  # logged in without a token (TestConfig), then CSRF on
    app.config["WTF_CSRF_ENABLED"] = True
    response = browser.post(f"/voorstellen/{proposal_id}/goedkeuren", data={"note": ""})
    assert response.status_code == 400 and "Het formulier is verlopen" in text(response)
    assert proposal_state(app, proposal_id) is ProposalState.OPEN


# --------------------------------------------------------------------------- the workbench


def test_the_workbench_shows_my_proposals_and_what_awaits_review(app, client_as) -> None:  # type: ignore[no-untyped-def]
    proposal_id = open_proposal(app)
    assert client_as(None).get("/werkbank").status_code == 302
    editor_page = text(client_as("editor").get("/werkbank"))
    assert "Mijn open voorstellen" in editor_page and "Wacht op uw beoordeling" not in editor_page
    assert "vrd3" in editor_page.lower() or "Vlaanderen Radicaal Digitaal" in editor_page
    assert "Gebruikers beheren" not in editor_page
    reviewer_page = text(client_as("reviewer").get("/werkbank"))
    assert "Wacht op uw beoordeling (1)" in reviewer_page and f"#voorstel-{proposal_id}" in reviewer_page
    assert "stelde status Gerealiseerd voor" in reviewer_page  # recently changed, from the audit log
    admin_page = text(client_as("admin").get("/werkbank"))
    assert "Gebruikers beheren" in admin_page and "Auditspoor" in admin_page
    # The nav links to the workbench and the proposals for logged-in users.
    assert 'href="/werkbank"' in admin_page and 'href="/voorstellen"' in admin_page
