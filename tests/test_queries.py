"""Pages run a bounded number of queries, however many rows they show (no query per row)."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.sources.models import Source


@contextmanager
def counted(app):  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _id(app, model, key):  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(model.id).where(model.key == key))


def test_list_and_tree_pages_use_a_fixed_number_of_queries(app, client) -> None:  # type: ignore[no-untyped-def]
    vds = _id(app, Source, "vds")
    section = _id(app, Commitment, "ra-2019/bestuurzaken/3.2.3")
    # A source page also checks its document's claims: one query, and one count per claim (a handful).
    limits = {"/beslissingen": 4, f"/bronnen/{vds}": 6 + 1 + 1, f"/engagementen/{section}": 20, "/": 20}
    for url, limit in limits.items():
        with counted(app) as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= limit, (url, len(statements))


def test_commitment_page_queries_do_not_grow_with_its_links(app, client) -> None:  # type: ignore[no-untyped-def]
    """3.2.3 has 35 linked decisions; an action point has none. Both pages cost about the same."""
    many = _id(app, Commitment, "ra-2019/bestuurzaken/3.2.3")
    few = _id(app, Commitment, "vds/2.3.4/1")
    with counted(app) as with_many:
        client.get(f"/engagementen/{many}")
    with counted(app) as with_few:
        client.get(f"/engagementen/{few}")
    assert len(with_many) - len(with_few) <= 10, (len(with_many), len(with_few))

