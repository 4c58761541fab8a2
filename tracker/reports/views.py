"""Fulfilment reports of a commitment or node: printable HTML, Markdown and PDF."""
from __future__ import annotations

import re

from flask import Response, current_app, render_template, url_for
from werkzeug.exceptions import NotFound, ServiceUnavailable

from tracker.accounts.auth import public
from tracker.commitments.models import Commitment
from tracker.config import ROOT
from tracker.core.clock import today as brussels_today
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.reports.pdf import PdfUnavailable, chromium_path, html_to_pdf
from tracker.reports.queries import Report, build_report

FOREIGN_REFERENCE = re.compile(r"\[(\d{1,3})\]")


def _report(commitment_id: int) -> Report:
    commitment = db.get_or_404(Commitment, commitment_id)
    as_of = date_arg("op", "datum")
    report = build_report(commitment, as_of)
    if report is None:
        raise NotFound(f"{commitment.label} bestond nog niet op {as_of:%d-%m-%Y}; kies een latere datum.")
    return report


def _context(report: Report, **extra: object) -> dict[str, object]:
    permalink = url_for("reports.commitment", commitment_id=report.commitment.id, op=report.as_of, _external=True)
    return {"report": report, "today": brussels_today(), "permalink": permalink, **extra}


def _filename(report: Report, extension: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", f"{report.commitment.reference} {report.commitment.title}".lower()).strip("-")
    day = (report.as_of or brussels_today()).isoformat()
    return f"rapport-{stem[:60] or report.commitment.id}-{day}.{extension}"


def _download(body: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@public
def commitment_report(commitment_id: int):  # type: ignore[no-untyped-def]
    return render_template("reports/report.html", **_context(_report(commitment_id)))


@public
def commitment_markdown(commitment_id: int):  # type: ignore[no-untyped-def]
    report = _report(commitment_id)
    text = render_template("reports/report.md", **_context(report))
    return _download(text, "text/markdown; charset=utf-8", _filename(report, "md"))


@public
def commitment_pdf(commitment_id: int):  # type: ignore[no-untyped-def]
    report = _report(commitment_id)
    css = "\n".join((ROOT / "static" / name).read_text(encoding="utf-8") for name in ("style.css", "report.css"))
    html = render_template("reports/report.html", **_context(report, inline_css=css))
    try:
        pdf = html_to_pdf(html, chromium_path(current_app.config.get("CHROMIUM")))
    except PdfUnavailable as exc:
        current_app.logger.warning("PDF report failed: %s", exc)
        raise ServiceUnavailable("Een PDF maken lukt nu niet op deze server. Open het rapport en kies "
                                 "Afdrukken → Opslaan als PDF, of download de Markdown.") from exc
    return _download(pdf, "application/pdf", _filename(report, "pdf"))
