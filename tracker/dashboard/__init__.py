"""The dashboard: every tracked source with its progress, and the latest decisions."""
