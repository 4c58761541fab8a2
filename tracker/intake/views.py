"""The import pages for editors: upload or pull → preview → confirm → result."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from flask import abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from tracker.accounts.auth import requires
from tracker.accounts.models import Role
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.core.errors import TrackerError
from tracker.core.web import accepts_upload
from tracker.importers.agreement import AGREEMENT_FILE, import_agreement
from tracker.importers.jsonl import ImportReport
from tracker.intake import store
from tracker.intake.apply import apply_plan
from tracker.intake.formats import (
    MAX_FILE_BYTES,
    FileRefused,
    ReadResult,
    check_size,
    decode,
    read_file,
)
from tracker.intake.forms import AGREEMENT, REPORTS, ConfirmForm, PullForm, UploadForm
from tracker.intake.plan import Plan, make_plan
from tracker.intake.vr_api import VrApiError, last_pulled, read_items
from tracker.search.outbox import QUEUED_FLAG
from tracker.suggest.analyses import Plan as ReportsPlan
from tracker.suggest.analyses import apply_import, parse_reports, plan_import

VR = "vr"


def _folder() -> Path:
    return Path(current_app.config["INTAKE_UPLOAD_DIR"])


def _page(upload_form: UploadForm | None = None, pull_form: PullForm | None = None, error: str = "",
          status: int = 200):  # type: ignore[no-untyped-def]
    pull_form = pull_form or PullForm(formdata=None, van=last_pulled(db.session), tot=brussels_today())
    return render_template("intake/upload.html", form=upload_form or UploadForm(), pull_form=pull_form,
                           error=error, last=last_pulled(db.session),
                           limit_mb=MAX_FILE_BYTES // 1024 ** 2), status


@requires(Role.EDITOR)
@accepts_upload("INTAKE_MAX_UPLOAD_BYTES")
def upload():  # type: ignore[no-untyped-def]
    """The upload page; a posted file is read, kept server-side and previewed."""
    form = UploadForm()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, status=422)
    data = form.file.data.read()
    form.file.data.close()  # a large upload is spooled to a temporary file
    name = Path(form.file.data.filename or "bestand").name
    try:
        check_size(len(data))
        if form.kind.data == REPORTS:
            parse_reports(decode(data), name)
        elif form.kind.data == AGREEMENT:
            decode(data)  # the importer checks every line in the preview
        else:
            read_file(data, name)
    except (FileRefused, ValueError) as exc:
        return _page(form, error=f"{name} is niet ingelezen: {exc}", status=422)
    kind = {REPORTS: REPORTS, AGREEMENT: AGREEMENT}.get(form.kind.data, "file")
    token = store.save(_folder(), data, name=name, kind=kind, user_id=current_user.id)
    return redirect(url_for("intake.show", token=token))


@requires(Role.EDITOR)
def pull():  # type: ignore[no-untyped-def]
    """Fetch the decisions of a period from the public site, keep them server-side and preview them."""
    from tracker.intake.cli import fetcher

    form = PullForm()
    if not form.validate():
        return _page(pull_form=form, status=422)
    start, end = form.van.data, form.tot.data or brussels_today()
    try:
        items = fetcher().fetch(start, end)
    except VrApiError as exc:
        return _page(pull_form=form, error=str(exc), status=502)
    name = f"beslissingensite {start.isoformat()} tot {end.isoformat()}"
    token = store.save(_folder(), json.dumps(items).encode("utf-8"), name=name, kind=VR, user_id=current_user.id)
    return redirect(url_for("intake.show", token=token))


def _upload(token: str) -> store.Upload:
    upload = store.load(_folder(), token)
    if upload is None or upload.user_id != current_user.id:
        abort(404, "Dit voorbeeld bestaat niet (meer). Laad het bestand opnieuw op.")
    return upload


def _load(token: str) -> tuple[store.Upload, Plan]:
    upload = _upload(token)
    if upload.kind == VR:
        read: ReadResult = read_items([tuple(i) for i in json.loads(upload.data)])  # type: ignore[misc]
    else:
        read = read_file(upload.data, upload.name)
    return upload, make_plan(db.session, read, upload.name)


def _preview(upload: store.Upload, plan: Plan, error: str = "", status: int = 200):  # type: ignore[no-untyped-def]
    form = ConfirmForm(formdata=None, digest=plan.digest)
    return render_template("intake/preview.html", upload=upload, plan=plan, form=form, error=error), status


CHANGED = ("De database of het bestand is veranderd sinds het voorbeeld. Bekijk het nieuwe voorbeeld hieronder "
           "en bevestig opnieuw; er is niets gewijzigd.")


@requires(Role.EDITOR)
def show(token: str):  # type: ignore[no-untyped-def]
    """What the import would do; nothing is written."""
    upload = _upload(token)
    if upload.kind == REPORTS:
        return _reports_preview(upload, _reports_plan(upload))
    if upload.kind == AGREEMENT:
        return _agreement_preview(upload, _agreement_trial(upload))
    upload, plan = _load(token)
    return _preview(upload, plan)


@requires(Role.EDITOR)
def confirm(token: str):  # type: ignore[no-untyped-def]
    """Carry out the preview the editor saw, in one transaction; a changed database asks to look again."""
    upload = _upload(token)
    if upload.kind == REPORTS:
        return _confirm_reports(upload)
    if upload.kind == AGREEMENT:
        return _confirm_agreement(upload)
    upload, plan = _load(token)
    form = ConfirmForm()
    if not form.validate() or form.digest.data != plan.digest:
        return _preview(upload, plan, CHANGED, 409)
    try:
        counts = apply_plan(db.session, plan, current_user._get_current_object())
    except TrackerError as exc:
        db.session.rollback()
        _, plan = _load(token)
        return _preview(upload, plan, f"De import is niet doorgevoerd; er is niets gewijzigd: {exc}", 422)
    store.discard(_folder(), token)
    return render_template("intake/result.html", plan=plan, counts=counts, name=upload.name)


# --------------------------------------------------------------------------- fulfilment reports


def _reports_plan(upload: store.Upload) -> ReportsPlan:
    return plan_import(parse_reports(decode(upload.data), upload.name))


def _reports_preview(upload: store.Upload, plan: ReportsPlan, error: str = "", status: int = 200):  # type: ignore[no-untyped-def]
    form = ConfirmForm(formdata=None, digest=plan.digest)
    return render_template("intake/preview_reports.html", upload=upload, plan=plan, form=form,
                           error=error), status


def _confirm_reports(upload: store.Upload):  # type: ignore[no-untyped-def]
    plan = _reports_plan(upload)
    form = ConfirmForm()
    if not form.validate() or form.digest.data != plan.digest:
        return _reports_preview(upload, plan, CHANGED, 409)
    try:
        apply_import(plan, current_user._get_current_object())
    except TrackerError as exc:
        db.session.rollback()
        return _reports_preview(upload, _reports_plan(upload),
                                f"De import is niet doorgevoerd; er is niets gewijzigd: {exc}", 422)
    store.discard(_folder(), upload.token)
    return render_template("intake/result_reports.html", plan=plan, name=upload.name)


# --------------------------------------------------------------------------- the agreement's sections


def _run_agreement(upload: store.Upload) -> ImportReport:
    """Run the sections import on the uploaded bytes.

    Under the real-data file's own name, whatever the browser called it: the import cites that name in
    every commitment and recognises its own cites by it, so "secties (1).json" must not make a second
    upload rewrite every cite, or freeze the commitments as if an editor had written them.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / AGREEMENT_FILE
        path.write_bytes(upload.data)
        return import_agreement(db.session, path, current_user._get_current_object())


def _agreement_trial(upload: store.Upload) -> ImportReport:
    """What the sections import would do: run inside a savepoint and roll it back."""
    session = db.session()
    queued = session.info.get(QUEUED_FLAG)
    savepoint = session.begin_nested()
    try:
        return _run_agreement(upload)
    finally:
        savepoint.rollback()
        # The rolled-back flushes queued no index update that survives; none to apply after the commit.
        session.info.pop(QUEUED_FLAG, None)
        if queued:
            session.info[QUEUED_FLAG] = queued


def _agreement_preview(upload: store.Upload, report: ImportReport, error: str = "", status: int = 200):  # type: ignore[no-untyped-def]
    form = ConfirmForm(formdata=None, digest=report.fingerprint)
    return render_template("intake/preview_agreement.html", upload=upload, report=report, form=form,
                           error=error), status if report.ok else 422


def _confirm_agreement(upload: store.Upload):  # type: ignore[no-untyped-def]
    form = ConfirmForm()
    savepoint = db.session.begin_nested()
    report = _run_agreement(upload)
    if not report.ok or not form.validate() or form.digest.data != report.fingerprint:
        savepoint.rollback()
        return _agreement_preview(upload, _agreement_trial(upload), CHANGED, 409)
    savepoint.commit()
    store.discard(_folder(), upload.token)
    return render_template("intake/result_agreement.html", report=report, name=upload.name)
