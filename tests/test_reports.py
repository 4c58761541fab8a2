"""Fulfilment reports: the numbers equal the database's, the 3.2.3 report cites the analysis's 35 decisions."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import commitment
from tracker.commitments.models import Commitment, Link
from tracker.decisions.models import Decision
from tracker.projects.models import BudgetKind, BudgetLine
from tracker.reports.pdf import chromium_path

SECTION = "ra-2019/bestuurzaken/3.2.3"


def subtree_ids(ctx, root: Commitment) -> list[int]:  # type: ignore[no-untyped-def]
    ids, frontier = [root.id], [root.id]
    while frontier:
        frontier = list(ctx.scalars(select(Commitment.id).where(Commitment.parent_id.in_(frontier))))
        ids += frontier
    return ids


def report_page(client, ctx, key: str, suffix: str = "", **args: str):  # type: ignore[no-untyped-def]
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return client.get(f"/rapport/engagementen/{commitment(ctx, key).id}{suffix}" + (f"?{query}" if query else ""))


def test_report_on_323_cites_exactly_the_35_decisions_of_the_analysis(client, ctx) -> None:  # type: ignore[no-untyped-def]
    response = report_page(client, ctx, SECTION)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    analysed = set(ctx.scalars(select(Decision.title).where(Decision.key.like("ana-%"))))
    assert len(analysed) == 33 or len(analysed) <= 35  # some titles recur on two dates
    references = re.findall(r'<li id="ref-(\d+)" value="\d+">\s*(.*?)</li>', page, re.DOTALL)
    assert [int(n) for n, _ in references] == list(range(1, 36))
    keys = set(ctx.scalars(select(Decision.key).join(Link, Link.decision_id == Decision.id)
                           .where(Link.commitment_id.in_(subtree_ids(ctx, commitment(ctx, SECTION))))))
    assert keys == {f"ana-{i:02d}" for i in range(35)}
    # Each reference is cited in the text by its number, and carries date, title and address.
    for number, entry in references:
        assert f'href="#ref-{number}"' in page
        assert "beslissingenvlaamseregering.vlaanderen.be" in entry and "Beslissing van de Vlaamse Regering" in entry
    assert "VR 2021 1712 DOC.1462/1, VR 2021 1712 DOC.1462/2" in page
    # The status with its motivation and who reviewed it; the analysis is evidence, labelled as such.
    assert "Gedeeltelijk gerealiseerd</span> sinds 18 november 2022" in page
    assert "beoordeeld door Seed-beoordelaar" in page and "(externe analyse)" in page
    # The analysis's own [22] numbers in a quoted motivation are marked as the analysis's.
    assert "[analyse 22]" in page and "[22][23]" not in page


def test_report_numbers_equal_the_database(client, ctx) -> None:  # type: ignore[no-untyped-def]
    """For every node of three sources: decisions, projects and euros counted directly."""
    nodes = list(ctx.scalars(select(Commitment).where(
        Commitment.key.like("vds%") | Commitment.key.like("ra-2024%") | Commitment.key.like("nota-vrd2-2021%"))
        .order_by(Commitment.id)))
    checked_money = 0
    for node in nodes:
        ids = subtree_ids(ctx, node)
        decisions = ctx.scalar(select(func.count(func.distinct(Link.decision_id)))
                               .where(Link.commitment_id.in_(ids), Link.removed_dt.is_(None)))
        project_ids = set(ctx.scalars(select(Link.project_id).where(
            Link.commitment_id.in_(ids), Link.project_id.is_not(None), Link.removed_dt.is_(None))))
        euro = ctx.scalar(select(func.coalesce(func.sum(BudgetLine.amount), 0)).where(
            BudgetLine.project_id.in_(project_ids),
            BudgetLine.kind.in_((BudgetKind.INVESTERING, BudgetKind.EXPLOITATIE)))) if project_ids else 0
        page = report_page(client, ctx, node.key).get_data(as_text=True)
        table = page.split('<table class="report-counts">')[1].split("</table>")[0]
        assert f"<th scope=\"row\">Onderdelen (met dit engagement)</th><td>{len(ids)}</td>" in table, node.key
        assert f"Gekoppelde beslissingen</th><td>{decisions}</td>" in table, node.key
        assert f"Gekoppelde projecten</th><td>{len(project_ids)}</td>" in table, node.key
        shown = re.search(r"elk project één keer\)</th><td>€ ([\d.]+)</td>", table).group(1)
        assert int(shown.replace(".", "")) == euro, node.key
        checked_money += euro > 0
    assert checked_money > 0, "no node with linked project budgets was checked"


def test_report_as_of_a_date_before_the_assessment(client, ctx) -> None:  # type: ignore[no-untyped-def]
    page = report_page(client, ctx, SECTION, op="2020-12-31").get_data(as_text=True)
    assert "Stand op 31 december 2020" in page and "Niet beoordeeld" in page
    assert "Nog geen statuswijzigingen." in page
    cited = re.findall(r'<li id="ref-\d+"', page)
    expected = ctx.scalar(select(func.count()).select_from(Decision).where(
        Decision.key.like("ana-%"), Decision.meeting_date <= date(2020, 12, 31)))
    assert len(cited) == expected and 0 < expected < 35
    assert "?op=2020-12-31" in page  # the permalink keeps the date


def test_markdown_download(client, ctx) -> None:  # type: ignore[no-untyped-def]
    response = report_page(client, ctx, SECTION, ".md")
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="rapport-3-2-3-ict-en-informatie-' + \
        re.search(r"-(\d{4}-\d\d-\d\d)\.md", response.headers["Content-Disposition"]).group(1) + '.md"'
    text = response.get_data(as_text=True)
    assert text.startswith("# 3.2.3 ICT en Informatie\n")
    assert "Status: **Gedeeltelijk gerealiseerd** sinds 18 november 2022." in text
    assert len(re.findall(r"^\d+\. \d+ \w+ \d{4}\. ", text, re.MULTILINE)) == 35
    assert "\\[analyse 22\\]" in text  # Markdown specials are escaped, so the text shows as written
    assert "| Gekoppelde beslissingen | 35 |" in text


def test_print_stylesheet_breaks_pages_and_hides_actions(client, ctx) -> None:  # type: ignore[no-untyped-def]
    page = report_page(client, ctx, SECTION).get_data(as_text=True)
    assert '<html lang="nl">' in page and "/static/report.css" in page and "<main" in page
    with client.get("/static/report.css") as response:
        css = response.get_data(as_text=True)
    printed = css.split("@media print")[1]
    assert ".report-actions { display: none; }" in printed and "break-before: page" in printed


def test_report_of_an_unknown_commitment_or_bad_date(client, ctx) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/rapport/engagementen/999999").status_code == 404
    response = report_page(client, ctx, SECTION, op="gisteren")
    assert response.status_code == 400 and "JJJJ-MM-DD" in response.get_data(as_text=True)
    early = report_page(client, ctx, SECTION, op="2001-01-01")
    assert early.status_code == 404 and "bestond nog niet" in early.get_data(as_text=True)


def test_pdf_without_chromium_says_what_to_do(app, client, ctx) -> None:  # type: ignore[no-untyped-def]
    app.config["CHROMIUM"] = "/nergens/chromium"
    response = report_page(client, ctx, SECTION, ".pdf")
    assert response.status_code == 503 and "Afdrukken → Opslaan als PDF" in response.get_data(as_text=True)


@pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed (.ci/run installs it)")
def test_pdf_download(client, ctx) -> None:  # type: ignore[no-untyped-def]
    response = report_page(client, ctx, SECTION, ".pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and len(response.data) > 20_000
    assert response.headers["Content-Disposition"].startswith('attachment; filename="rapport-3-2-3-ict')
