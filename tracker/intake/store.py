"""Uploaded files kept on the server between the preview and its confirmation.

Each upload is ``<token>.bin`` (the bytes) and ``<token>.json`` (who uploaded it, its name, kind and
SHA-256) in INTAKE_UPLOAD_DIR (default instance/uploads). The browser only carries the random token;
the plan is recomputed from the stored bytes on confirmation, never taken from the client.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22}")
MAX_AGE_SECONDS = 24 * 3600


@dataclass
class Upload:
    token: str
    data: bytes
    name: str
    kind: str  # "file" or "vr"
    user_id: int | None
    sha256: str


def save(folder: Path, data: bytes, *, name: str, kind: str, user_id: int | None) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    sweep(folder)
    token = secrets.token_urlsafe(16)
    digest = hashlib.sha256(data).hexdigest()
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"name": name[:200], "kind": kind, "user_id": user_id,
                                                      "sha256": digest}), encoding="utf-8")
    return token


def load(folder: Path, token: str) -> Upload | None:
    """The upload of this token, or None when it is unknown, expired or altered on disk."""
    if not TOKEN_RE.fullmatch(token):
        return None
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        return None
    return Upload(token, data, meta["name"], meta["kind"], meta.get("user_id"), meta["sha256"])


def discard(folder: Path, token: str) -> None:
    if TOKEN_RE.fullmatch(token):
        for suffix in (".bin", ".json"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)


def sweep(folder: Path, max_age: float = MAX_AGE_SECONDS) -> None:
    """Remove uploads older than a day (previews nobody confirmed)."""
    cutoff = time.time() - max_age
    for path in folder.glob("*.bin"):
        try:
            if path.stat().st_mtime < cutoff:
                discard(folder, path.stem)
        except OSError:
            continue
