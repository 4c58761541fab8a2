

from tracker.core.writes import operation_failed, operation_flushed  # noqa: E402


@operation_flushed.connect
def _write_entries(session):  # type: ignore[no-untyped-def]
    from tracker.audit.operations import write_pending_entries

    write_pending_entries(session)


@operation_failed.connect
def _drop_entries(session):  # type: ignore[no-untyped-def]
    from tracker.audit.operations import PENDING_KEY

    session.info.pop(PENDING_KEY, None)


from tracker.audit import guard as _guard  # noqa: E402,F401  (the append-only listeners)
