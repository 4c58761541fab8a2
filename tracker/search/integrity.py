"""Whether the index's files can be read: finding a deleted, truncated or garbled segment file.

``find_damage`` reads the table of contents of the latest generation and then every segment the
way a search would, all of it: stored fields, every term's postings with their values, the columns
and the field lengths. A missing or damaged file raises somewhere on the way; that becomes a
Dutch description of the problem. It takes about as long as reading the index once (see
README, "When the index is damaged"), so callers cache the answer per state of the folder
(``SearchIndex.damage``).
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path
from pickle import UnpicklingError

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, EmptyIndexError
from whoosh.reading import SegmentReader

INDEX_NAME = "MAIN"

# What reading a damaged file raises inside Whoosh. Anything else is a bug, not damage.
READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError, EOFError, struct.error, UnpicklingError, zlib.error, ValueError, IndexError, KeyError,
    TypeError, AttributeError, AssertionError, OverflowError, MemoryError, UnicodeDecodeError,
)


def find_damage(path: str | Path) -> list[str]:
    """Problems that make the index in ``path`` unreadable, in Dutch; [] when it reads completely.

    Only for an index that exists (a table of contents is present).
    """
    storage = FileStorage(str(path))
    try:
        toc = TOC.read(storage, INDEX_NAME)
    except EmptyIndexError:
        return ["de map bevat geen zoekindex"]
    except READ_ERRORS as exc:
        return [f"de inhoudstabel van de index is onleesbaar ({_why(exc)})"]
    problems = []
    files = set(storage.list())
    for segment in toc.segments:
        name = segment.segment_id()
        if segment.is_compound():
            filename = f"{name}.seg"
            if filename not in files:
                problems.append(f"het segmentbestand {filename} ontbreekt")
                continue
        else:  # pragma: no cover - the tracker writes compound segments only
            filename = name
        try:
            _read_segment(storage, toc, segment)
        except READ_ERRORS as exc:
            problems.append(f"het segmentbestand {filename} is onvolledig of beschadigd ({_why(exc)})")
    return problems


def _read_segment(storage: FileStorage, toc: TOC, segment: object) -> None:
    reader = SegmentReader(storage, toc.schema, segment, generation=toc.generation)
    try:
        count = reader.doc_count_all()
        for docnum in range(count):
            if not reader.is_deleted(docnum):
                reader.stored_fields(docnum)
        scorable = [name for name, field in toc.schema.items() if field.scorable]
        for name in scorable:
            for docnum in range(count):
                reader.doc_field_length(docnum, name)
        for name, field in toc.schema.items():
            if field.column_type is not None and reader.has_column(name):
                list(reader.column_reader(name))
        for fieldname, btext in reader.all_terms():
            postings = reader.postings(fieldname, btext)
            if postings.supports("positions") or postings.supports("characters"):
                for _ in postings.all_items():
                    pass
            else:
                for _ in postings.all_ids():
                    pass
    finally:
        reader.close()


def _why(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"bestand niet gevonden: {Path(exc.filename or '?').name}"
    if isinstance(exc, (EOFError, struct.error)):
        return "het bestand houdt te vroeg op"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__
