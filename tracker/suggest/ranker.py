"""Ranking the commitments a decision most likely serves.

The text similarity is Okapi BM25 between the decision (title twice, then its text) and each
commitment (its title twice, the titles above it, its text, and the titles of the decisions editors
already linked to it), with the search index's own Dutch analysis (stemming, stop words, accents
folded; tracker.search.schema). Linked decisions' titles are how confirmed links teach the ranking:
a commitment becomes easier to find for decisions like the ones linked to it. Two structured cues
add to the score: the same policy domain, and a programme or document number the decision and the
commitment's linked decisions share. Dismissed suggestions are never offered again; commitments the
decision is already linked to are left out.

The model is built once per process from the database and rebuilt when commitments or links
change (a fingerprint query per call).
"""
from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.commitments.models import Commitment, Level, Link
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.search.schema import TEXT_ANALYZER, stem
from tracker.suggest.models import SuggestedLink, SuggestionState

K1, B = 2.0, 0.75
# Chapters and parts are too broad to be linked to one decision.
TOO_BROAD = (Level.DEEL, Level.HOOFDSTUK)
DOMAIN_BONUS = 0.15  # of the best text score
SHARED_BONUS = 0.25
_WORD = re.compile(r"\w+", re.UNICODE)


def terms(text: str) -> list[str]:
    return [t.text for t in TEXT_ANALYZER(text or "")]


@dataclass
class Corpus:
    """Each source's tree is its own collection: its term statistics are its own."""

    fingerprint: tuple[Any, ...]
    ids: list[int]
    docs: dict[int, Counter[str]]
    lengths: dict[int, int]
    keys: dict[int, str]
    domains: dict[int, str]
    sources: dict[int, int]
    # Document numbers and programme words of the decisions linked to each commitment.
    shared: dict[int, set[str]] = field(default_factory=dict)
    linked: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    df: dict[int, Counter[str]] = field(default_factory=dict)
    average: dict[int, float] = field(default_factory=dict)
    size: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for cid in self.ids:
            source = self.sources[cid]
            self.df.setdefault(source, Counter()).update(self.docs[cid].keys())
            self.size[source] = self.size.get(source, 0) + 1
            self.average[source] = self.average.get(source, 0) + self.lengths[cid]
        for source in self.average:
            self.average[source] /= self.size[source]

    def idf(self, source: int, term: str) -> float:
        n = self.df[source].get(term, 0)
        return math.log(1 + (self.size[source] - n + 0.5) / (n + 0.5))

    def scores(self, query: Counter[str], source_id: int | None = None) -> dict[int, tuple[float, Counter[str]]]:
        """BM25 of every commitment for the query, with each term's contribution (for the why)."""
        result: dict[int, tuple[float, Counter[str]]] = {}
        weights = {source: {t: w * self.idf(source, t) for t, w in query.items() if t in df}
                   for source, df in self.df.items() if source_id is None or source == source_id}
        for cid in self.ids:
            source = self.sources[cid]
            if source not in weights:
                continue
            doc = self.docs[cid]
            norm = K1 * (1 - B + B * self.lengths[cid] / self.average[source])
            parts: Counter[str] = Counter()
            for term, weight in weights[source].items():
                f = doc.get(term)
                if f:
                    parts[term] = weight * f * (K1 + 1) / (f + norm)
            if parts:
                result[cid] = (sum(parts.values()), parts)
        return result


_lock = threading.Lock()
_cache: dict[str, Corpus] = {}


def _fingerprint() -> tuple[Any, ...]:
    c = db.session.execute(select(func.count(Commitment.id), func.coalesce(func.sum(Commitment.version), 0))).one()
    link = db.session.execute(select(func.count(Link.id), func.max(Link.id)).where(Link.removed_dt.is_(None))).one()
    return (*c, *link, db.engine.url.render_as_string(hide_password=True))


def document_tokens(decision: Decision) -> set[str]:
    """Document numbers and programme short names a decision carries: cues shared with other decisions."""
    found = {doc.case_key for doc in decision.documents}
    text = f"{decision.title} {decision.text or ''} {decision.summary or ''}"
    found |= {f"vrd{n}" for n in re.findall(r"Radicaal Digitaal\s*(\d)|VRD\s*(\d)", text) for n in n if n}
    return {t for t in found if t}


def corpus() -> Corpus:
    fingerprint = _fingerprint()
    key = fingerprint[-1]
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.fingerprint == fingerprint:
            return cached
    commitments = list(db.session.scalars(select(Commitment).where(Commitment.level.not_in(TOO_BROAD))))
    every = {c.id: c for c in db.session.scalars(select(Commitment))}
    links = list(db.session.scalars(
        select(Link).where(Link.removed_dt.is_(None), Link.decision_id.is_not(None), Link.commitment_id.is_not(None))
        .options(selectinload(Link.decision).selectinload(Decision.documents))))
    linked_titles: dict[int, list[str]] = defaultdict(list)
    shared: dict[int, set[str]] = defaultdict(set)
    linked: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for link in links:
        linked_titles[link.commitment_id].append(link.decision.title)  # type: ignore[index,union-attr]
        shared[link.commitment_id] |= document_tokens(link.decision)  # type: ignore[index,arg-type]
        linked[link.commitment_id].append((link.decision_id, link.decision.title))  # type: ignore[index,arg-type,union-attr]
    docs: dict[int, Counter[str]] = {}
    for c in commitments:
        path, node = [], every.get(c.parent_id) if c.parent_id else None
        while node is not None:
            path.append(node.title)
            node = every.get(node.parent_id) if node.parent_id else None
        doc = Counter(terms(" ".join([c.title, c.title, *path, c.text])))
        # What editors linked here, each word once: enough to find similar decisions, too little
        # to let a commitment with many links draw every decision.
        doc.update(set(terms(" ".join(linked_titles.get(c.id, [])))))
        docs[c.id] = doc
    lengths = {cid: sum(doc.values()) for cid, doc in docs.items()}
    built = Corpus(fingerprint, [c.id for c in commitments], docs, lengths,
                   {c.id: c.key for c in commitments}, {c.id: c.policy_domain for c in commitments},
                   {c.id: c.source_id for c in commitments}, dict(shared), dict(linked))
    with _lock:
        _cache[key] = built
    return built


@dataclass
class Suggestion:
    commitment: Commitment
    score: float
    words: list[str]
    same_domain: bool = False
    shared: list[str] = field(default_factory=list)
    similar: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Why, in Dutch, for the editor."""
        out = []
        if self.words:
            out.append("gemeenschappelijke woorden: " + ", ".join(self.words))
        if self.same_domain:
            out.append(f"zelfde beleidsdomein ({self.commitment.policy_domain})")
        if self.shared:
            out.append("zelfde programma of dossier als reeds gekoppelde beslissingen: " + ", ".join(self.shared))
        if self.similar:
            out.append("gelijkaardige beslissingen zijn hier al gekoppeld: " + "; ".join(self.similar))
        return out


def _surface_words(text: str) -> dict[str, str]:
    """For each stem, the first word of the decision that has it (the why shows words, not stems)."""
    words: dict[str, str] = {}
    for word in _WORD.findall(text or ""):
        words.setdefault(stem(word), word.lower())
    return words


def suggest(decision: Decision, limit: int = 10, source_id: int | None = None) -> list[Suggestion]:
    """The commitments ``decision`` most likely serves, best first (excluding linked and dismissed ones).

    :param source_id: only commitments of this source (a coalition agreement, say).
    """
    model = corpus()
    query = Counter(terms(f"{decision.title} {decision.title} {decision.text or decision.summary or ''}"))
    scored = model.scores(query, source_id)
    if not scored:
        return []
    best = max(score for score, _ in scored.values())
    mine = document_tokens(decision)
    excluded = set(db.session.scalars(select(Link.commitment_id).where(
        Link.decision_id == decision.id, Link.removed_dt.is_(None), Link.commitment_id.is_not(None))))
    excluded |= set(db.session.scalars(select(SuggestedLink.commitment_id).where(
        SuggestedLink.decision_id == decision.id, SuggestedLink.state == SuggestionState.DISMISSED)))
    ranked = []
    for cid, (score, parts) in scored.items():
        if cid in excluded:
            continue
        same_domain = bool(decision.policy_domain) and decision.policy_domain == model.domains.get(cid)
        shared = sorted(mine & model.shared.get(cid, set()))
        total = score + best * (DOMAIN_BONUS * same_domain + SHARED_BONUS * bool(shared))
        ranked.append((total, cid, parts, same_domain, shared))
    ranked.sort(key=lambda r: (-r[0], model.keys[r[1]]))
    top = ranked[:limit]
    objects = {c.id: c for c in db.session.scalars(
        select(Commitment).where(Commitment.id.in_([cid for _, cid, *_ in top]))
        .options(selectinload(Commitment.source)))}
    surface = _surface_words(f"{decision.title} {decision.text or decision.summary or ''}")
    result = []
    for total, cid, parts, same_domain, shared in top:
        words = [surface.get(t, t) for t, _ in parts.most_common(5)]
        similar = [title for _, title in model.linked.get(cid, [])
                   if set(terms(title)) & set(query) and len(set(terms(title)) & set(query)) >= 2][:3]
        result.append(Suggestion(objects[cid], round(total, 3), words, same_domain, shared, similar))
    return result


def path_of(commitment: Commitment) -> list[str]:
    """The titles from the source's root down to the commitment."""
    chain, node = [], commitment
    while node is not None:
        chain.append(node.label)
        node = node.parent
    return [commitment.source.title, *reversed(chain)]


# --------------------------------------------------------------------------- the other way round


@dataclass
class DecisionCorpus:
    fingerprint: tuple[Any, ...]
    docs: dict[int, Counter[str]]
    lengths: dict[int, int]
    df: Counter[str]
    average: float


_decision_cache: dict[str, DecisionCorpus] = {}


def decision_corpus() -> DecisionCorpus:
    fingerprint = tuple(db.session.execute(
        select(func.count(Decision.id), func.max(Decision.id), func.coalesce(func.sum(Decision.version), 0))).one())
    key = db.engine.url.render_as_string(hide_password=True)
    with _lock:
        cached = _decision_cache.get(key)
        if cached is not None and cached.fingerprint == fingerprint:
            return cached
    docs = {did: Counter(terms(f"{title} {title} {text or summary or ''}")) for did, title, text, summary in
            db.session.execute(select(Decision.id, Decision.title, Decision.text, Decision.summary))}
    df: Counter[str] = Counter()
    for doc in docs.values():
        df.update(doc.keys())
    lengths = {did: sum(doc.values()) for did, doc in docs.items()}
    built = DecisionCorpus(fingerprint, docs, lengths, df, (sum(lengths.values()) / len(lengths)) if lengths else 1.0)
    with _lock:
        _decision_cache[key] = built
    return built


def suggest_decisions(commitment: Commitment, limit: int = 10) -> list[tuple[Decision, float, list[str]]]:
    """The unlinked, undismissed decisions that most likely serve ``commitment``, with the words in common."""
    model = decision_corpus()
    query = Counter(terms(f"{commitment.title} {commitment.title} {commitment.text}"))
    n = len(model.docs)
    weights = {t: w * math.log(1 + (n - model.df[t] + 0.5) / (model.df[t] + 0.5))
               for t, w in query.items() if t in model.df}
    excluded = set(db.session.scalars(select(Link.decision_id).where(
        Link.commitment_id == commitment.id, Link.removed_dt.is_(None), Link.decision_id.is_not(None))))
    excluded |= set(db.session.scalars(select(SuggestedLink.decision_id).where(
        SuggestedLink.commitment_id == commitment.id, SuggestedLink.state == SuggestionState.DISMISSED)))
    scored = []
    for did, doc in model.docs.items():
        if did in excluded:
            continue
        norm = K1 * (1 - B + B * model.lengths[did] / model.average)
        parts = Counter({t: w * doc[t] * (K1 + 1) / (doc[t] + norm) for t, w in weights.items() if t in doc})
        if parts:
            scored.append((sum(parts.values()), did, parts))
    scored.sort(key=lambda r: (-r[0], r[1]))
    top = scored[:limit]
    found = {d.id: d for d in db.session.scalars(select(Decision).where(Decision.id.in_([did for _, did, _ in top])))}
    surface = _surface_words(f"{commitment.title} {commitment.text}")
    return [(found[did], round(score, 3), [surface.get(t, t) for t, _ in parts.most_common(5)])
            for score, did, parts in top]
