"""Issue #9's "done when", end to end in the browser: from a new CSV of decisions to a confirmed link
with a motivation, through the preview, the suggestions and the link form."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from tests.conftest import commitment
from tracker.commitments.models import Link
from tracker.decisions.models import Decision

CSV = ("meeting_date,kind,title,document_numbers,text\n"
       "2026-02-06,nota,\"Overheidsbreed investeringsprogramma Vlaanderen Radicaal Digitaal 3: tweede "
       "oproep\",VR 2026 0602 DOC.0123/1,\"De Vlaamse Regering keurt de tweede oproep van het "
       "investeringsprogramma Vlaanderen Radicaal Digitaal 3 (VRD 3) goed, voor de digitale transformatie "
       "naar de overheid als platform.\"\n")
MOTIVATION = "De tweede oproep voert het investeringsprogramma VRD 3 van het regeerakkoord verder uit."


def test_from_a_new_csv_to_a_confirmed_link(app, ctx, client_as, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app.config["INTAKE_UPLOAD_DIR"] = str(tmp_path / "uploads")
    editor = client_as("editor")
    # 1. Upload and preview: one new decision, nothing written yet.
    upload = editor.post("/import", data={"kind": "beslissingen", "file": (io.BytesIO(CSV.encode()), "week.csv")},
                         content_type="multipart/form-data")
    preview = editor.get(upload.headers["Location"]).get_data(as_text=True)
    assert "<strong>1</strong> nieuw" in preview
    assert ctx.scalar(select(Decision).where(Decision.title.like("%tweede oproep%"))) is None
    # 2. Confirm.
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', preview).group(1)
    assert editor.post(upload.headers["Location"] + "/bevestigen", data={"digest": digest}).status_code == 200
    decision = ctx.scalar(select(Decision).where(Decision.title.like("%tweede oproep%")))
    assert [d.canonical for d in decision.documents] == ["VR 2026 0602 DOC.0123/1"]
    # 3. The decision's suggestions rank the VRD 3 commitment, with why.
    target = commitment(ctx, "ra-2024/vrd3")
    page = editor.get(f"/beslissingen/{decision.id}/suggesties").get_data(as_text=True)
    ranked = [int(i) for i in re.findall(r'href="/engagementen/(\d+)"><strong>', page)]
    assert target.id in ranked[:3], ranked[:10]
    assert "gemeenschappelijke woorden:" in page
    # 4. Link it with a motivation; the commitment's page shows the decision.
    url = f"/beslissingen/{decision.id}/suggesties/{target.id}/koppelen"
    done = editor.post(url, data={"relation": "realiseert_gedeeltelijk", "rationale": MOTIVATION})
    assert done.status_code == 302, done.get_data(as_text=True)[:500]
    ctx.expire_all()
    link = ctx.scalar(select(Link).where(Link.decision_id == decision.id, Link.commitment_id == target.id))
    assert link.rationale == MOTIVATION and link.created_by.email == "redacteur@example.be"
    shown = editor.get(f"/engagementen/{target.id}").get_data(as_text=True)
    assert f'/beslissingen/{decision.id}"' in shown
