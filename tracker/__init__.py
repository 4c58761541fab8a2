"""Regeerakkoord-tracker: how the Flemish Government fulfils its commitments."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from tracker.config import ROOT, Config


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    """Build the application: configuration, database, CSRF, blueprints, error pages, CLI."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or Config())
    app.config.update(overrides)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", app.config["DATABASE_URL"])
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    import tracker.models  # noqa: F401  (every mapper, before the first query)
    from tracker.accounts.auth import init_app as init_accounts
    from tracker.core.cli import register_cli
    from tracker.core.db import db
    from tracker.core.errors import bp as errors_bp
    from tracker.core.web import csrf, register_request_hooks, register_template_helpers

    db.init_app(app)
    csrf.init_app(app)
    init_accounts(app)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"])  # type: ignore[method-assign]
    register_request_hooks(app)
    register_template_helpers(app)
    app.register_blueprint(errors_bp)
    register_cli(app)

    from tracker.accounts.auth import check_every_view_declares_access
    from tracker.accounts.blueprint import bp as accounts_bp
    from tracker.accounts.cli import register as register_accounts_cli
    from tracker.audit.blueprint import bp as audit_bp
    from tracker.claims.blueprint import bp as claims_bp
    from tracker.commitments.blueprint import bp as commitments_bp
    from tracker.dashboard.blueprint import bp as dashboard_bp
    from tracker.decisions.blueprint import bp as decisions_bp
    from tracker.importers.cli import register as register_import_cli
    from tracker.notes.blueprint import bp as notes_bp
    from tracker.projects.blueprint import bp as projects_bp
    from tracker.reports.blueprint import bp as reports_bp
    from tracker.search import init_app as init_search
    from tracker.sources.blueprint import bp as sources_bp
    from tracker.suggest.blueprint import bp as suggest_bp
    from tracker.workbench.blueprint import bp as workbench_bp
    from tracker.workflow.blueprint import bp as workflow_bp
    from tracker.workflow.cli import register as register_workflow_cli

    for bp in (accounts_bp, dashboard_bp, sources_bp, commitments_bp, decisions_bp, projects_bp, workflow_bp,
               audit_bp, workbench_bp, reports_bp, claims_bp, suggest_bp, notes_bp):
        app.register_blueprint(bp)
    register_accounts_cli(app)
    register_workflow_cli(app)
    register_import_cli(app)
    from tracker.suggest.cli import register as register_suggest_cli

    register_suggest_cli(app)
    init_search(app)
    from tracker.intake import init_app as init_intake
    from tracker.opendata import init_app as init_opendata

    init_intake(app)
    init_opendata(app)
    check_every_view_declares_access(app)
    return app
