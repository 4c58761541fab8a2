"""The Whoosh schema: Dutch text analysis, reference tokens, facet columns and stored display fields."""
from __future__ import annotations

from functools import lru_cache

from whoosh import columns
from whoosh.analysis import (
    CharsetFilter,
    LanguageAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
)
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

# Bump when the schema or the document builders change: `tracker init` then rebuilds the index.
SCHEMA_VERSION = "3"

# Dutch stemming and stop words, then accent folding: "Artificiële" and "artificiele" become one
# term, and so do "digitalisering" and "digitaliseren".
TEXT_ANALYZER = LanguageAnalyzer("nl") | CharsetFilter(accent_map)
# The same words, unstemmed and with stop words kept: exact matches and phrases.
EXACT_ANALYZER = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)

_STEM = stemmer_for_language("nl")
_FOLD = CharsetFilter(accent_map).charmap


def fold(word: str) -> str:
    """Lower-case and strip accents, as the exact field does."""
    return word.lower().translate(_FOLD)


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The stemmed, folded form of one word, as the title and body fields hold it."""
    return _STEM(word.lower()).translate(_FOLD)


# Facet fields hold comma-separated values (a decision can belong to several sources) and are
# sortable, so their values come from per-document columns instead of stored fields.
FACETS = ("type", "status", "source", "domain", "programme", "year")


def _facet() -> KEYWORD:
    # Terms are lower-cased for "bron:VDS" in a query; the column keeps the value as written.
    return KEYWORD(commas=True, lowercase=True, sortable=True)


SCHEMA = Schema(
    # "decision:12": the unique key; update_document() replaces by it (without unique=True it
    # would silently add a duplicate).
    id=ID(unique=True, stored=True),
    title=TEXT(analyzer=TEXT_ANALYZER, stored=True, field_boost=3.0),
    # No positions: phrases are matched in the exact field.
    body=TEXT(analyzer=TEXT_ANALYZER, stored=True, phrase=False),
    # With positions, for phrases (tracker.search.engine reads them).
    exact=TEXT(analyzer=EXACT_ANALYZER),
    # Normalised document-number tokens and codes of the record itself ("doc12941", "21.4").
    refs=KEYWORD(lowercase=True, scorable=True),
    # Document numbers the record's text mentions; they rank below the record's own numbers.
    mentions=KEYWORD(lowercase=True, scorable=True),
    # "commitment:12 project:4": the records linked to this one.
    linked=KEYWORD(stored=True),
    type=_facet(),
    status=_facet(),
    source=_facet(),
    domain=_facet(),
    programme=_facet(),
    year=_facet(),
    # The record's date as an ordinal day (0: no date), for date ranges and sorting by date.
    day=COLUMN(columns.NumericColumn("i", default=0)),
    # A stable tie-break for sorting by date, independent of internal document numbers.
    seq=COLUMN(columns.NumericColumn("q", default=0)),
    date=STORED(),
    subkind=STORED(),
    context=STORED(),
    hash=STORED(),
)
