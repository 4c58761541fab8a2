"""Suggestions: which commitments a decision most likely serves, ranked, with why. Never links by itself."""
