"""Editors confirm or dismiss suggestions in the browser; nothing is linked without a motivation."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import commitment
from tracker.commitments.models import Link
from tracker.decisions.models import Decision
from tracker.suggest.models import SuggestedLink, SuggestionState

MOTIVATION = "Het exploitatiebudget houdt de VRD-oplossingen in de lucht."


def test_suggestions_page_needs_an_editor(app, client, ctx) -> None:  # type: ignore[no-untyped-def]
    decision = ctx.scalar(select(Decision).where(Decision.key == "ana-05"))
    response = client.get(f"/beslissingen/{decision.id}/suggesties")
    assert response.status_code == 302 and response.headers["Location"].startswith("/aanmelden")


def test_confirm_and_dismiss_in_the_browser(app, ctx, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    decision = ctx.scalar(select(Decision).where(Decision.key == "ana-05"))
    page = editor.get(f"/beslissingen/{decision.id}/suggesties").get_data(as_text=True)
    assert "Welke engagementen dient deze beslissing?" in page and "gemeenschappelijke woorden:" in page
    assert '<option value="realiseert_gedeeltelijk" selected>realiseert gedeeltelijk</option>' in page
    target = commitment(ctx, "ra-2024/vrd3")
    assert f"/engagementen/{target.id}\"" in page
    links_before = ctx.scalar(select(func.count()).select_from(Link))
    url = f"/beslissingen/{decision.id}/suggesties/{target.id}"
    refused = editor.post(f"{url}/koppelen", data={"relation": "realiseert", "rationale": "kort"})
    assert refused.status_code == 422 and "niet gemaakt" in refused.get_data(as_text=True)
    ctx.expire_all()
    assert ctx.scalar(select(func.count()).select_from(Link)) == links_before
    done = editor.post(f"{url}/koppelen", data={"relation": "financiert", "rationale": MOTIVATION,
                                                "next": f"/beslissingen/{decision.id}/suggesties"})
    assert done.status_code == 302
    ctx.expire_all()
    link = ctx.scalar(select(Link).where(Link.decision_id == decision.id, Link.commitment_id == target.id))
    assert link.relation.value == "financiert" and link.rationale == MOTIVATION
    assert link.created_by.email == "redacteur@example.be"
    after = editor.get(f"/beslissingen/{decision.id}/suggesties").get_data(as_text=True)
    assert f"/engagementen/{target.id}\"" not in after.split("<ol class=\"suggestions\">")[1]
    other = commitment(ctx, "vds/2.7.4/3")
    editor.post(f"/beslissingen/{decision.id}/suggesties/{other.id}/afwijzen",
                data={"note": "Gaat over exploitatie, niet over EU-middelen."})
    ctx.expire_all()
    state = ctx.scalar(select(SuggestedLink.state).where(SuggestedLink.decision_id == decision.id,
                                                         SuggestedLink.commitment_id == other.id))
    assert state is SuggestionState.DISMISSED
    again = editor.get(f"/beslissingen/{decision.id}/suggesties").get_data(as_text=True)
    assert f"/engagementen/{other.id}\"" not in again


def test_decisions_suggested_for_a_commitment(ctx, client_as) -> None:  # type: ignore[no-untyped-def]
    editor = client_as("editor")
    target = commitment(ctx, "ra-2024/vrd3")
    page = editor.get(f"/engagementen/{target.id}/suggesties").get_data(as_text=True)
    assert "Welke beslissingen dienen dit engagement?" in page
    linked = {d for d in ctx.scalars(select(Link.decision_id).where(Link.commitment_id == target.id))}
    shown = {int(i) for i in __import__("re").findall(r'href="/beslissingen/(\d+)"><strong>', page)}
    assert shown and not shown & linked
