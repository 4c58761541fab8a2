"""`tracker import ...` commands for the real data."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the import commands to the app's CLI."""
