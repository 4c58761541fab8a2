"""Parse and format amounts, document numbers and dates as Flemish government texts write them.

Three groups of helpers, all stdlib only:

* Amounts: ``parse_amount`` turns Belgian spellings such as ``€ 1.362.000``,
  ``5 000 000 €`` or ``1.362.000,00 EUR`` into whole euros; ``format_euro`` writes
  them back as ``€ 1.362.000``.
* Document numbers of the Flemish Government (``VR 2020 2711 DOC.1294/1BIS``):
  ``DocumentNumber`` plus ``parse_document_number(s)`` for one field,
  ``find_document_numbers`` for running text and ``normalise_document_token`` for
  search indexes.
* Dates: ``parse_dutch_date`` / ``format_dutch_date`` (``27 november 2020``).

One module per group (``amounts``, ``document_numbers``, ``dates``; ``text`` holds what they share).
Every error is a ``ValueError`` subclass from ``text`` with a Dutch message that
quotes the input and says what is wrong, because users see these messages.
"""

from tracker.parsing.amounts import MAX_AMOUNT_DIGITS, format_euro, parse_amount
from tracker.parsing.dates import format_dutch_date, parse_dutch_date
from tracker.parsing.document_numbers import (
    SUFFIXES,
    DocumentNumber,
    find_document_numbers,
    normalise_document_token,
    parse_document_number,
    parse_document_numbers,
)
from tracker.parsing.text import (
    DUTCH_MONTHS,
    AmountError,
    DateError,
    DocumentNumberError,
)

__all__ = [
    "AmountError",
    "DateError",
    "DocumentNumber",
    "DocumentNumberError",
    "DUTCH_MONTHS",
    "MAX_AMOUNT_DIGITS",
    "SUFFIXES",
    "find_document_numbers",
    "format_dutch_date",
    "format_euro",
    "normalise_document_token",
    "parse_amount",
    "parse_document_number",
    "parse_document_numbers",
    "parse_dutch_date",
]
