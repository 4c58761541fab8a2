"""Pagination of select() statements: one count query and one page query."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import abort, request
from sqlalchemy import Select, func, select

from tracker.core.db import db

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def page_arg() -> int:
    """The ?pagina= argument (empty is page 1). :raise 404: for a page number that is not a positive integer."""
    raw = request.args.get("pagina", "").strip() or "1"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or not 1 <= int(raw) <= 100_000:
        abort(404)
    return int(raw)


def paginate(stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    if page > 1 and not items:
        abort(404)
    return Page(items, total, page, per_page)
