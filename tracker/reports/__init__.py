"""Fulfilment reports: what a staffer cites, prints and attaches, from the tracker's reviewed data."""
