"""Enums with Dutch labels, stored as their string value with a CHECK constraint."""
from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Enum as SAEnum


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a Dutch label for the interface."""

    label: str

    def __new__(cls, value: str, label: str | None = None) -> "LabelledEnum":
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label or value
        return obj

    def __str__(self) -> str:
        return self.value

    @classmethod
    def from_label_or_value(cls, text: str) -> "LabelledEnum":
        wanted = (text or "").strip().lower()
        for member in cls:
            if wanted in (member.value.lower(), member.label.lower()):
                return member
        allowed = ", ".join(m.label for m in cls)
        raise ValueError(f'"{text}" is geen geldige waarde; kies uit: {allowed}.')


def enum_column(enum_cls: type[enum.Enum], name: str, **kw: Any) -> SAEnum:
    """A portable enum column: VARCHAR plus a named CHECK constraint."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
        **kw,
    )
