"""Bringing in decisions: files (CSV, JSON, JSON Lines) and pulls from the public decisions site, always
through a preview (tracker.intake.plan) that an editor confirms before one transaction writes it."""
from __future__ import annotations

import logging
import os

from flask import Flask

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Register the import pages (/import) and the commands `tracker import besluiten` and `tracker import vr`."""
    from tracker.importers.cli import import_group
    from tracker.intake.blueprint import bp
    from tracker.intake.cli import import_file_command, import_vr_command
    from tracker.intake.formats import MAX_FILE_BYTES
    from tracker.intake.vr_api import DEFAULT_BASE

    app.config.setdefault("TRACKER_VR_API_BASE", os.environ.get("TRACKER_VR_API_BASE", DEFAULT_BASE))
    app.config.setdefault("INTAKE_UPLOAD_DIR", os.path.join(app.instance_path, "uploads"))
    # A browser upload takes a file up to the importers' own limit, plus room for the form around it.
    app.config.setdefault("INTAKE_MAX_UPLOAD_BYTES", MAX_FILE_BYTES + 64 * 1024)
    app.register_blueprint(bp)
    import_group.add_command(import_file_command)
    import_group.add_command(import_vr_command)
