"""Reading what a person types into the search box, and turning it into a Whoosh query.

We do not hand the text to Whoosh's QueryParser: a small tokenizer and parser of our own know
the Dutch operators, read document numbers and project codes as one token, and treat any other
input as words. Everything the parser cannot make sense of is dropped (a stray quote, parenthesis
or ``*``); what a person must change is refused with a Dutch message (``QueryError``).

Syntax: words (all must match), ``"exact phrase"``, ``OF``/``OR`` between alternatives,
``-woord`` or ``NIET woord`` to exclude, ``prefix*`` (at least three letters), parentheses,
``titel:woord`` and facet filters such as ``soort:beslissing``, ``status:gerealiseerd``,
``jaar:2021``, ``bron:vds``, ``programma:vrd2``, ``beleidsdomein:"Zorg en gezondheid"``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Union

from whoosh import query as wq
from whoosh.lang import stopwords_for_language
from whoosh.reading import IndexReader

from tracker.parsing import SUFFIXES, normalise_document_token
from tracker.search.documents import DOC_TYPES
from tracker.search.schema import EXACT_ANALYZER, TEXT_ANALYZER
from tracker.workflow.status import Status

MAX_LENGTH = 500
MAX_TERMS = 32
MAX_DEPTH = 8
MIN_PREFIX = 3
MAX_EXPANSIONS = 32

STOP_WORDS = frozenset(stopwords_for_language("nl"))

TYPE_LABELS = {
    "commitment": "Engagement",
    "decision": "Beslissing",
    "project": "Project",
    "programme": "Programma",
    "organisation": "Organisatie",
    "source": "Bron",
}
# Words a person may use for a kind of record, in Dutch or English, singular or plural.
TYPE_WORDS = {
    **{t: t for t in DOC_TYPES},
    "engagement": "commitment", "engagementen": "commitment", "belofte": "commitment",
    "commitments": "commitment", "beslissing": "decision", "beslissingen": "decision",
    "decisions": "decision", "projecten": "project", "projects": "project",
    "programma": "programme", "programmas": "programme", "programma's": "programme",
    "programmes": "programme", "organisatie": "organisation", "organisaties": "organisation",
    "entiteit": "organisation", "organisations": "organisation", "bron": "source",
    "bronnen": "source", "brondocument": "source", "sources": "source",
}
FIELDS = {
    "soort": "type", "type": "type", "status": "status", "bron": "source", "source": "source",
    "beleidsdomein": "domain", "beleidsveld": "domain", "domein": "domain", "domain": "domain",
    "programma": "programme", "programme": "programme", "jaar": "year", "year": "year",
    "titel": "title", "title": "title",
}

# Scoring: a record's own document number or code first, then exact words, then stemmed words.
REF_BOOST = 8.0
MENTION_BOOST = 2.0
EXACT_BOOST = 1.5


class QueryError(ValueError):
    """The query cannot be run as typed; the message (Dutch) says what to change."""


# --------------------------------------------------------------------------- syntax tree


@dataclass
class Word:
    word: str  # folded
    raw: str  # as typed, for "Bedoelde u ...?"
    title_only: bool = False


@dataclass
class Exact:
    words: list[str]  # folded, unstemmed; one word or a phrase
    title_only: bool = False


@dataclass
class PrefixTerm:
    prefix: str


@dataclass
class Ref:
    token: str  # normalised document number or code
    words: list[str]  # the same text as words, for records that merely print it


@dataclass
class Filter:
    field: str
    value: str


@dataclass
class Group:
    op: str  # "and" | "or"
    items: list["Node"]


@dataclass
class Negation:
    item: "Node"


Node = Union[Word, Exact, PrefixTerm, Ref, Filter, Group, Negation]


@dataclass
class ParsedQuery:
    """The parsed query and what the results page needs from it."""

    text: str
    root: Node | None
    words: list[Word] = field(default_factory=list)  # positive plain words, for suggestions

    @property
    def is_empty(self) -> bool:
        return self.root is None

    @property
    def has_text(self) -> bool:
        """Whether the query ranks by words at all (not only facet filters)."""
        return self.root is not None and _has_text(self.root)


def _has_text(node: Node) -> bool:
    if isinstance(node, Group):
        return any(_has_text(i) for i in node.items)
    if isinstance(node, Negation):
        return False
    return not isinstance(node, Filter)


# --------------------------------------------------------------------------- tokenizer

_SUFFIX = "|".join(SUFFIXES)
_PIECE = rf"\s*/\s*\d{{1,3}}(?:\s?(?:{_SUFFIX}))?"
_REF_RE = re.compile(
    rf"(?:VR[\s/\-]*\d{{4}}[\s/\-]*\d{{4}}(?:[\s/\-]*DOC[\s.]*\d{{1,4}}(?:{_PIECE})?)?"
    rf"|DOC[\s.]*\d{{1,4}}(?:{_PIECE})?"
    rf"|\d{{3,4}}{_PIECE})(?![\w/])",
    re.IGNORECASE | re.ASCII,
)
_CODE_RE = re.compile(r"\d{1,3}(?:\.\d{1,3})+")
_CHUNK_RE = re.compile(r'[^\s()"]+')
_FIELD_RE = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_EDGE_PUNCT = ".,;:!?¿¡'`´‘’“”«»[]{}<>…/\\|&^%$#@~=+_"
OR_WORDS = {"OF", "OR", "|", "||"}
NOT_WORDS = {"NIET", "NOT", "!"}
AND_WORDS = {"EN", "AND", "&", "&&", "+"}


@dataclass
class Token:
    kind: str  # word, phrase, ref, field, lparen, rparen, or, not
    text: str = ""
    value: str = ""  # field value
    negated: bool = False


def clean_text(text: str) -> str:
    """Unicode-normalise, turn control and format characters into spaces, collapse whitespace."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return " ".join(text.split())


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    negate = False
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            negate = False
            continue
        if ch == "(":
            tokens.append(Token("lparen", negated=negate))
            i += 1
        elif ch == ")":
            tokens.append(Token("rparen"))
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end  # an unclosed quote runs to the end
            tokens.append(Token("phrase", text[i + 1:end], negated=negate))
            i = end + 1
        elif ch in "-+" and i + 1 < n and not text[i + 1].isspace():
            # "-woord" excludes; "+woord" is what all words already mean.
            negate = ch == "-"
            i += 1
            continue
        else:
            ref = _REF_RE.match(text, i)
            if ref:
                tokens.append(Token("ref", ref.group(), negated=negate))
                i = ref.end()
            else:
                chunk = _CHUNK_RE.match(text, i).group()  # type: ignore[union-attr]
                i += len(chunk)
                tokens.append(_classify(chunk, text, i, negate))
                if tokens[-1].kind == "field" and not tokens[-1].value and i < n and text[i] == '"':
                    end = text.find('"', i + 1)
                    end = n if end < 0 else end
                    tokens[-1].value = '"' + text[i + 1:end] + '"'
                    i = end + 1
        negate = False
    return tokens


def _classify(chunk: str, text: str, end: int, negate: bool) -> Token:
    if chunk in OR_WORDS:
        return Token("or")
    if chunk in NOT_WORDS:
        return Token("not")
    if chunk in AND_WORDS:
        return Token("and")
    match = _FIELD_RE.fullmatch(chunk)
    if match and match.group(1).lower() in FIELDS:
        return Token("field", FIELDS[match.group(1).lower()], match.group(2), negated=negate)
    return Token("word", chunk, negated=negate)


# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, tokens: list[Token], parsed: ParsedQuery) -> None:
        self.tokens = tokens
        self.pos = 0
        self.parsed = parsed
        self.terms = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def sequence(self, depth: int) -> list[Node]:
        items: list[Node] = []
        while (token := self.peek()) is not None:
            if token.kind == "rparen":
                self.take()
                if depth > 0:
                    break
                continue  # a stray ")" is ignored
            node = self.alternatives(depth)
            if node is not None:
                items.append(node)
        return items

    def alternatives(self, depth: int) -> Node | None:
        items = []
        first = self.unary(depth)
        if first is not None:
            items.append(first)
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("rparen", "or"):
                continue
            node = self.unary(depth)
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else Group("or", items)

    def unary(self, depth: int) -> Node | None:
        token = self.peek()
        if token is None or token.kind == "rparen":
            return None
        if token.kind in ("not", "and", "or"):
            self.take()
            if token.kind != "not":
                return None  # "EN" is what all words mean; a leading "OF" has nothing before it
            node = self.unary(depth)
            return Negation(node) if node is not None else None
        self.take()
        if token.kind == "lparen":
            if depth >= MAX_DEPTH:
                raise QueryError(f"Gebruik hoogstens {MAX_DEPTH} haakjes in elkaar.")
            items = self.sequence(depth + 1)
            node: Node | None = (items[0] if len(items) == 1 else Group("and", items)) if items else None
        else:
            node = self.leaf(token)
        if node is not None and token.negated:
            node = Negation(node)
        return node

    def count(self, n: int = 1) -> None:
        self.terms += n
        if self.terms > MAX_TERMS:
            raise QueryError(
                f"Uw zoekvraag bevat te veel zoektermen; gebruik er hoogstens {MAX_TERMS}.")

    def leaf(self, token: Token) -> Node | None:
        if token.kind == "phrase":
            return self.exact(token.text)
        if token.kind == "ref":
            self.count()
            words = _exact_words(token.text)
            return Ref(normalise_document_token(token.text), words)
        if token.kind == "field":
            return self.field(token)
        return self.word(token.text, negated=token.negated)

    def exact(self, text: str, title_only: bool = False) -> Node | None:
        words = _exact_words(text)
        if not words:
            return None
        self.count(len(words))
        return Exact(words, title_only)

    def word(self, chunk: str, negated: bool = False, title_only: bool = False) -> Node | None:
        stripped = chunk.strip(_EDGE_PUNCT)
        if _CODE_RE.fullmatch(stripped) and not title_only:
            self.count()
            return Ref(stripped, [stripped])
        prefix = stripped.rstrip("?").endswith("*")
        words = _exact_words(stripped.replace("*", " ").replace("?", " "))
        if not words:
            return None
        if prefix:
            if len(words[-1]) < MIN_PREFIX:
                raise QueryError(
                    f"Geef minstens {MIN_PREFIX} letters vóór het sterretje: "
                    f"“{chunk[:40]}” is te kort om mee te zoeken.")
            self.count(len(words))
            items: list[Node] = [self._word(w, chunk, negated, title_only) for w in words[:-1]]
            items.append(PrefixTerm(words[-1]))
            return items[0] if len(items) == 1 else Group("and", items)
        if len(words) > 1:  # "e-government", "nota/mededeling": the words side by side
            self.count(len(words))
            return Exact(words, title_only)
        self.count()
        return self._word(words[0], chunk, negated, title_only)

    def _word(self, word: str, raw: str, negated: bool, title_only: bool) -> Node:
        node = Word(word, raw.strip(_EDGE_PUNCT + "*"), title_only)
        if not negated and not title_only:
            self.parsed.words.append(node)
        return node

    def field(self, token: Token) -> Node | None:
        value = token.value.strip()
        phrase = value.startswith('"')
        if token.text == "title":
            if phrase:
                return self.exact(value.strip('"'), title_only=True)
            return self.word(value, title_only=True) if value else None
        value = value.strip('"').strip()
        if not value:
            return None
        self.count()
        return Filter(token.text, resolve_facet_value(token.text, value))


def resolve_facet_value(facet: str, value: str) -> str:
    """The indexed value for a facet value as a person writes it. :raise QueryError: for unknown values."""
    wanted = value.strip().lower()
    if facet == "type":
        if wanted in TYPE_WORDS:
            return TYPE_WORDS[wanted]
        choices = ", ".join(label.lower() for label in TYPE_LABELS.values())
        raise QueryError(f"Onbekende soort “{value[:40]}”; kies uit: {choices}.")
    if facet == "status":
        for status in Status:
            if wanted in (status.value, status.label.lower(), status.value.replace("_", " ")):
                return status.value
        choices = ", ".join(s.label.lower() for s in Status)
        raise QueryError(f"Onbekende status “{value[:40]}”; kies uit: {choices}.")
    if facet == "year":
        if not re.fullmatch(r"[0-9]{4}", wanted):
            raise QueryError(f"“{value[:40]}” is geen jaartal; schrijf het jaar met vier cijfers, bijvoorbeeld 2021.")
        return wanted
    return wanted


def _exact_words(text: str) -> list[str]:
    return [t.text for t in EXACT_ANALYZER(text)]


def parse(text: str) -> ParsedQuery:
    """Parse a query as typed. :raise QueryError: when the person must change it."""
    if len(text) > MAX_LENGTH * 4:
        raise QueryError(
            f"Uw zoekvraag is {len(text):,} tekens lang; gebruik hoogstens {MAX_LENGTH} tekens.".replace(",", "."))
    cleaned = clean_text(text)
    if len(cleaned) > MAX_LENGTH:
        raise QueryError(
            f"Uw zoekvraag is {len(cleaned):,} tekens lang; gebruik hoogstens {MAX_LENGTH} tekens.".replace(",", "."))
    parsed = ParsedQuery(cleaned, None)
    items = _Parser(tokenize(cleaned), parsed).sequence(0)
    if items:
        parsed.root = items[0] if len(items) == 1 else Group("and", items)
    return parsed


# --------------------------------------------------------------------------- compiling


@dataclass
class Highlights:
    """What a snippet should mark: stemmed terms, exact words and prefixes."""

    stems: set[str] = field(default_factory=set)
    exact: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


def phrase(words: list[str], boost: float = 1.0) -> wq.Query:
    """Words side by side in the exact field (tracker.search.engine checks the positions)."""
    return wq.Phrase("exact", words, boost=boost)


class _ArrayOr(wq.Or):
    # Whoosh's default union tree is very slow for many expanded terms above 5,000 documents
    # (notes/whoosh.md, trap 1); pre-loading the postings into an array is not.
    matcher_type = wq.Or.ARRAY_MATCHER


class Compiler:
    """Turns a parsed query into a Whoosh query against one index reader."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self.highlights = Highlights()

    def compile(self, node: Node) -> wq.Query:
        return self._node(node, top=True) or wq.NullQuery

    def _node(self, node: Node, top: bool = False) -> wq.Query | None:
        if isinstance(node, Group):
            return self._group(node, top)
        if isinstance(node, Negation):
            inner = self._node(node.item)
            if inner is None:
                return None
            return wq.AndNot(wq.Every(), inner) if top else wq.Not(inner)
        return self._leaf(node)

    def _group(self, group: Group, top: bool) -> wq.Query | None:
        if group.op == "or":
            parts = [q for q in (self._node(i) for i in group.items) if q is not None]
            return wq.Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
        positive: list[wq.Query] = []
        negative: list[wq.Query] = []
        for item in group.items:
            if isinstance(item, Negation):
                q = self._node(item.item)
                if q is not None:
                    negative.append(q)
            else:
                q = self._node(item)
                if q is not None:
                    positive.append(q)
        if not positive and not negative:
            return None
        base: wq.Query = wq.And(positive) if len(positive) > 1 else (positive[0] if positive else wq.Every())
        if negative:
            return wq.AndNot(base, wq.Or(negative) if len(negative) > 1 else negative[0])
        return base

    def _leaf(self, node: Node) -> wq.Query | None:
        h = self.highlights
        if isinstance(node, Word):
            stems = [t.text for t in TEXT_ANALYZER(node.word)]
            h.exact.add(node.word)
            h.stems.update(stems)
            fields = ["title"] if node.title_only else ["title", "body"]
            parts: list[wq.Query] = [wq.Term(f, s) for f in fields for s in stems]
            if not node.title_only:
                parts.append(wq.Term("exact", node.word, boost=EXACT_BOOST))
                parts.append(wq.Term("refs", node.word, boost=REF_BOOST))
            if not parts or (not stems and node.word in STOP_WORDS):
                return None  # "de", "het": in nearly every record; requiring them changes nothing
            return wq.Or(parts) if len(parts) > 1 else parts[0]
        if isinstance(node, Exact):
            h.exact.update(node.words)
            if node.title_only:
                stems = [s for w in node.words for s in (t.text for t in TEXT_ANALYZER(w))]
                h.stems.update(stems)
                if not stems:
                    return None
                return wq.Phrase("title", stems) if len(stems) > 1 else wq.Term("title", stems[0])
            if len(node.words) == 1:
                return wq.Or([wq.Term("exact", node.words[0], boost=EXACT_BOOST),
                              wq.Term("refs", node.words[0], boost=REF_BOOST)])
            return phrase(node.words, boost=EXACT_BOOST)
        if isinstance(node, PrefixTerm):
            h.prefixes.add(node.prefix)
            return self._prefix(node.prefix)
        if isinstance(node, Ref):
            h.exact.update(node.words)
            parts = [wq.Term("refs", node.token, boost=REF_BOOST),
                     wq.Term("mentions", node.token, boost=MENTION_BOOST)]
            if len(node.words) > 1:
                parts.append(phrase(node.words))
            elif node.words:
                parts.append(wq.Term("exact", node.words[0]))
            return wq.Or(parts)
        if isinstance(node, Filter):
            return wq.ConstantScoreQuery(wq.Term(node.field, node.value), 0.0)
        return None

    def _prefix(self, prefix: str) -> wq.Query:
        """The most frequent words starting with ``prefix``, at most MAX_EXPANSIONS of them."""
        expansions = []
        for term, info in self.reader.iter_prefix("exact", prefix):
            expansions.append((info.doc_frequency(), term))
        if not expansions:
            return wq.NullQuery
        expansions.sort(reverse=True)
        terms = [t if isinstance(t, str) else t.decode("utf8") for _, t in expansions[:MAX_EXPANSIONS]]
        if len(terms) == 1:
            return wq.Term("exact", terms[0])
        return _ArrayOr([wq.Term("exact", t) for t in terms])


__all__ = ["Compiler", "Highlights", "ParsedQuery", "QueryError", "TYPE_LABELS", "parse",
           "resolve_facet_value"]
