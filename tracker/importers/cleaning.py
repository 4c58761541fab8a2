"""Cleaning the texts of the real data: slugs, spaces, hyphenation artefacts, repeated headings, titles.

Section texts: the heading that the PDF extraction repeats at the start is dropped, and a
hyphenation artefact ``infor-matie`` is joined only when the joined word (``informatie``) occurs
unhyphenated elsewhere in the same file, so ``e-commerce`` or ``milieu-uitdagingen`` stay as they are.
Decision texts are kept exactly as published.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable

FALLBACK_TITLE_LENGTH = 100



def slugify(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII words joined by dashes, cut at a word boundary: 'Gelijke kansen' -> 'gelijke-kansen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length + 1] else slug[:max_length]
    return slug or "kop"


def collapse_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space."""
    return " ".join(text.split())


_WORD_RE = re.compile(r"[^\W\d_]+")
# A word broken by a hyphen, also when it ends a suspended compound ("infor-matie- en ICT-diensten").
_HYPHENATED_RE = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?!\w|-\w)")


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each lower-cased word occurs (the vocabulary that decides which hyphens to join)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in _WORD_RE.findall(text))
    return counts


def join_hyphenation(text: str, vocabulary: Counter[str] | set[str]) -> str:
    """Join 'infor-matie' into 'informatie' when that word occurs unhyphenated in the vocabulary."""

    def repl(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if left[-1].islower() and right[0].islower() and (left + right).lower() in vocabulary:
            return left + right
        return match.group(0)

    return _HYPHENATED_RE.sub(repl, text)


def strip_heading(text: str, heading: str) -> str:
    """Drop the heading that the PDF extraction repeats at the start of a section's text.

    The heading's words must all follow in order (case-insensitive, any punctuation between, an
    optional leading part number such as '3 Dierenwelzijn'); otherwise the text is left as it is.
    """
    words = [w.lower() for w in re.findall(r"\w+", heading)]
    pos = 0
    tokens = list(re.finditer(r"\w+", text))
    index = 0
    if words and tokens and tokens[0].group(0).isdigit() and tokens[0].group(0).lower() != words[0]:
        index = 1
    for word in words:
        if index >= len(tokens) or tokens[index].group(0).lower() != word:
            return text
        pos = tokens[index].end()
        index += 1
    rest = text[pos:]
    stripped = rest.lstrip(" .:;–-\t\n")
    return stripped if stripped else text


def fallback_title(text: str, limit: int = FALLBACK_TITLE_LENGTH) -> str:
    """A readable title for an untitled decision: the text's heading, else its first sentence, cut with '…'."""
    # The published text runs title, formal title and body together, separated by runs of spaces.
    first = collapse_spaces(re.split(r"\s{2,}", text.strip(), maxsplit=1)[0])
    if len(first) <= limit + 20:
        return first
    sentence = re.split(r"(?<=[a-z][.!?])\s+(?=[A-ZÀ-Ý])", first, maxsplit=1)[0]
    if 20 <= len(sentence) <= limit + 20:
        return sentence
    cut = first[:limit + 1].rsplit(" ", 1)[0] if " " in first[:limit + 1] else first[:limit]
    return cut.rstrip(" ,;:–-") + "…"


