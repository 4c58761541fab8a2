"""PDF through headless Chromium's print: the same HTML and print stylesheet, offline, no extra Python package."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    """No Chromium on this server, or it failed."""


def chromium_path(configured: str | None = None) -> str | None:
    """The configured Chromium (TRACKER_CHROMIUM), else the first one on PATH; None when there is none."""
    for candidate in ((configured,) if configured else ("chromium", "chromium-browser", "google-chrome")):
        if shutil.which(candidate):
            return shutil.which(candidate)
    return None


def html_to_pdf(html: str, chromium: str | None, timeout: float = 60) -> bytes:
    """Print ``html`` (self-contained: inline CSS, no network) to PDF bytes."""
    if chromium is None:
        raise PdfUnavailable("Chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="tracker-pdf-") as folder:
        source, target = Path(folder) / "rapport.html", Path(folder) / "rapport.pdf"
        source.write_text(html, encoding="utf-8")
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--no-first-run", "--disable-extensions",
                   f"--user-data-dir={folder}/profile", "--no-pdf-header-footer",
                   f"--print-to-pdf={target}", source.as_uri()]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(str(exc)) from exc
        if not target.exists() or target.stat().st_size == 0:
            raise PdfUnavailable("Chromium wrote no PDF")
        return target.read_bytes()
