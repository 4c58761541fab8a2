"""Signals through which the domains hook into the core, without the core importing them.

Every signal's sender is the Flask application, so that a receiver acts on that app's index,
database and configuration even when several apps live in one process.
"""
from blinker import Namespace

_signals = Namespace()

transaction_committed = _signals.signal("transaction-committed", doc="""
Sent after a request or CLI command committed its transaction. ``in_request`` is True inside a
web request, where a receiver must keep its work short; a CLI command waits for it to finish.
""")

loading_initial_data = _signals.signal("loading-initial-data", doc="""
Sent by ``tracker init`` after the schema is up to date: load the seed data and real data.
``real_data`` is the folder of the real data. A receiver that fails raises ``click.ClickException``.
""")

initial_data_loaded = _signals.signal("initial-data-loaded", doc="""
Sent by ``tracker init`` when every data set is loaded: build or bring up to date what is derived
from the data (the search index).
""")
