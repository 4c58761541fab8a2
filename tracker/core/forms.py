"""Choices for WTForms select fields, written once for every domain's forms."""
from __future__ import annotations

from enum import Enum
from typing import Any, Iterable

from wtforms.fields.choices import (
    SelectChoice,  # WTForms 3.3 deprecates (value, label) tuples
)


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Options for a select field from ``(value, label)`` pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def enum_choices(enum_cls: type[Enum]) -> list[SelectChoice]:
    """One option per member: its value, and its Dutch ``label`` when it has one."""
    return choices((member.value, getattr(member, "label", member.value)) for member in enum_cls)
