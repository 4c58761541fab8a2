"""Paste a note to the government: what the tracker can read from it, to pre-fill a decision."""
