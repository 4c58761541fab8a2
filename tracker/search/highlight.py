"""Snippets: the passage of a record's text where the query matched, with the matches marked."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from tracker.search.query_language import Highlights
from tracker.search.schema import fold, stem

_WORD_RE = re.compile(r"\w+(?:\.?\w+)*")
# Look for matches in the first characters only, and stop after enough of them: a snippet is a
# glimpse, and some sources run to 100,000 characters.
MAX_SCAN = 8_000
MAX_MATCHES = 40


def snippet(text: str, highlights: Highlights, width: int = 240) -> Markup:
    """The ``width`` characters of ``text`` with the most distinct matched words, matches in <mark>.

    Without a match the text's opening is returned. The text is escaped; only <mark> is markup.
    """
    text = text or ""
    exact, stems, prefixes = highlights.exact, highlights.stems, tuple(highlights.prefixes)
    matches = []
    for m in _WORD_RE.finditer(text, 0, MAX_SCAN):
        word = m.group().lower()
        if not word.isascii():
            word = fold(word)
        if word in exact or (stems and stem(word) in stems) or (prefixes and word.startswith(prefixes)):
            matches.append((m.start(), m.end(), word))
            if len(matches) >= MAX_MATCHES:
                break
    if not matches:
        return _plain(text, width)
    # Slide a window over the matches and keep the one covering most distinct words.
    best, best_score = (0, 0), -1
    j = 0
    for i, (start, _, _) in enumerate(matches):
        while j < len(matches) and matches[j][1] - start <= width:
            j += 1
        score = len({w for _, _, w in matches[i:j]}) * 100 + (j - i)
        if score > best_score:
            best, best_score = (i, j), score
    first, last = matches[best[0]], matches[best[1] - 1]
    span = last[1] - first[0]
    lead = max(0, (width - span) // 3)
    begin = _word_start(text, max(0, first[0] - lead))
    end = max(last[1], _word_end(text, min(len(text), begin + max(width, last[1] - begin))))
    out = [Markup("… ") if begin > 0 else Markup("")]
    pos = begin
    for start, stop, _ in matches[best[0]:best[1]]:
        if start < pos or stop > end:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:stop]) + Markup("</mark>"))
        pos = stop
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append(Markup(" …"))
    return Markup("").join(out)


def _plain(text: str, width: int) -> Markup:
    if len(text) <= width:
        return escape(text)
    return escape(text[:_word_end(text, width)]) + Markup(" …")


def _word_start(text: str, pos: int) -> int:
    """Move ``pos`` forward to the start of a word, so a snippet does not open mid-word."""
    if pos == 0:
        return 0
    space = text.find(" ", pos)
    return space + 1 if 0 <= space < pos + 30 else pos


def _word_end(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    space = text.rfind(" ", 0, pos)
    return space if space > pos - 30 else pos
