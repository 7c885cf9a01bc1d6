"""Extractive answers: quotes picked from retrieved clauses, each an exact substring, with contract citations.

The answerer orchestrates; each concept lives in its own module: `intent` and `asked` (what the question asks; the
number or fact it asks), `places` (which plans its places point to; follow-ups), `scope` (in or out of the library's
scope), `quotes` (the sentence that answers), `facts` (the document itself; unstated facts), `compose` (the text, in
the question's language), `company` (a company describing itself), `compare` (a clause per plan), `abroad` (another
country's policy), `followup` (about the clause just cited). Retrieval only through `Retriever`, the library through
`CorpusView`."""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..limits import DEFAULT_TOP_K, MAX_ANALYSED_CHARS, analysed_part, check_question, check_top_k
from ..match.matcher import Matcher, fit_of
from ..regions import Jurisdictions
from ..search.corpus import CorpusView
from ..search.retriever import Retriever, SearchResult
from ..text.bridge import Bridge
from ..text.normalize import normalize_text
from ..text.patterns import EFFECTIVE
from ..types import Answer, Clause, ClauseKind, Hit, NoAnswer, Turn
from . import intent, parts
from .abroad import countries_named
from .asked import ASKS_EFFECTIVE, asked_entity, asked_number
from .company import match_company
from .compare import WIDE_K, best_per_plan
from .compose import compose, no_answer, some_of, where_in, which_one
from .english import asked_english
from .facts import ENTITY, document_clauses, no_effective_date, not_stated_lead, stating_clause, unstated
from .followup import from_clause
from .nearly import nearly_quoted
from .places import PlaceResolver
from .plans import COMMON_SHARE, FAINT_K, PlanResolver, Resolution, own_first, with_best_found
from .quotes import DEFAULT_WEIGHTS, QuotePicker, QuoteWeights
from .scope import Calibration, ScopeJudge, Signals

MAX_COMPARED = WIDE_K  # more plans in scope than this: those one wide search finds are compared or asked of
MAX_CANDIDATES = 4  # more plans named alike than this: the words name a kind of document, not one to pick
MAX_STATED_SCOPE = 3  # "the plan does not state it" is said of the plans a question is about, not of the library
NAMES_CLEARLY = 2  # a question naming a plan this many times as clearly as naming needs is asked of the library
AGREEING_K = 5  # English: of its glosses' plans, those a wide search's first 5 come from (dev: 3 lost one, 10 let strays in)


class Answerer:
    """`answer(question, history)` -> Answer. One per process; safe to share (no per-call state)."""

    def __init__(self, retriever: Retriever, corpus: CorpusView, calibration: Calibration | None,
                 weights: QuoteWeights = DEFAULT_WEIGHTS, resolve_plans: bool = True, bridge_english: bool = True):
        """`resolve_plans`: restrict retrieval to the plans a question names; `bridge_english`: an English question's
        words through the dictionary to the library's, to find and quote clauses (off: ablations; scope reads it anyway)."""
        self.retriever = retriever
        self.corpus = corpus
        self.jurisdictions = Jurisdictions(corpus.plans.values())
        self.places = PlaceResolver(self.jurisdictions, corpus.tokenize)
        bridge = Bridge(corpus.in_library, corpus.plan_count, pieces=corpus.tokenize)
        self.scope = ScopeJudge(corpus, calibration, bridge)  # (English questions in scope: read through the bridge)
        self.quotes = QuotePicker(corpus, weights)
        self.matcher = Matcher(corpus, self.jurisdictions, lambda text: retriever.embed_query(text).reshape(-1),
                               fit_of(getattr(retriever, "settings", None)))
        common, gazetteer = COMMON_SHARE * len(corpus.plans), self.jurisdictions.gazetteer
        self.named = PlanResolver(corpus.plans, corpus.tokenize, lambda t: t in gazetteer.aliases,
                                  lambda t: corpus.plan_count(t) > common, corpus.transcripts)
        self.resolve_plans = resolve_plans
        self.bridge = bridge if bridge_english else None

    def answer(self, question: str, history: Sequence[Turn] = (), top_k: int = DEFAULT_TOP_K,
               plans: Sequence[str] | None = None, qid: Any = None) -> Answer:
        started = time.perf_counter()
        check_question(question)
        check_top_k(top_k)
        if plans:
            self.corpus.check_plans(plans)  # unknown plan ids are bad input
        analysed = analysed_part(question)
        result = self._answer(analysed, list(history), top_k, list(plans or []))
        if analysed != question:  # answered from its first part only: said in the answer, the question kept whole
            english = intent.is_english(normalize_text(analysed))
            note = (f"(The question is long: answered from its first {MAX_ANALYSED_CHARS} characters.)" if english
                    else f"(问题较长,只按前{MAX_ANALYSED_CHARS}个字作答。)")
            result = replace(result, question=question, answer=f"{result.answer}\n{note}".strip(),
                             analysed_chars=MAX_ANALYSED_CHARS)
        return replace(result, id=qid, latency_ms=round((time.perf_counter() - started) * 1000, 1))

    def signals(self, question: str) -> Signals | None:
        """What the out-of-scope rule sees for a question; None when the region decides alone."""
        text = normalize_text(question)
        places = self.places.places_in(text)
        region_plans, _ = self.places.region_plans(places)
        if places and not region_plans:
            return None
        query = self.places.topic(text, places)
        probe = self.retriever.retrieve(query, k=1, plans=region_plans or None)
        return self.scope.signals(query, intent.is_english(text), probe.top_dense)

    def _answer(self, question: str, history: list[Turn], top_k: int, plans: list[str]) -> Answer:
        text = normalize_text(question)
        english = intent.is_english(text)
        previous = history[-1] if history else None
        if previous and intent.CLAUSE_REF.search(text) and previous.answer.citations:
            return from_clause(self.corpus, self.retriever, self.quotes, self.places, question, text, previous, english)

        places = self.places.places_in(text)
        # a company asking what applies to it (not what a plan it names says on one matter: that is a question)
        if intent.is_company(text) and not english and not intent.NAMES_DOCUMENT.search(text) \
                and not (self.resolve_plans and self.named.resolve(text).plans):
            return match_company(self.matcher, self.places, question, text, places)
        resolved = None
        if previous and self.places.is_follow_up(text, places):
            earlier = analysed_part(previous.answer.resolved_question or previous.question)  # bounded as well
            topic = self.places.strip_places(normalize_text(earlier))
            resolved = f"{topic} {' '.join(p.name for p in places)}".strip() if places else f"{topic} {text}"
            text = normalize_text(resolved)
            places = places or self.places.places_in(text)
        if previous and intent.PLAN_REF.search(text) and not places and not plans:
            plans = sorted({c.plan_id for c in previous.answer.citations})

        regions = [self.places.full_name(p) for p in places]
        region_plans, uncovered = self.places.region_plans(places)

        def refuse(reason: NoAnswer, nationwide: bool = False) -> Answer:
            return no_answer(question, reason, english, self.places.covered_regions(), regions, uncovered, resolved,
                             nationwide)

        scope = sorted(set(region_plans) & set(plans)) if plans and region_plans else (plans or region_plans)
        if places and (not region_plans or (plans and not scope)):  # (no plan of the place, or none it was given)
            return refuse(NoAnswer.REGION_NOT_COVERED)
        asks_compare = bool(intent.COMPARE.search(text))
        # an English question's words as the library's words they may mean: they name plans and rank clauses
        bridge = self.bridge if english else None
        bridged = bridge.chinese(text) if bridge else ""
        worded = f"{text} {bridged}" if bridged else text  # the question's words, an English one's bridged too
        candidates: list[str] = []
        named_order: list[str] = []  # the plans the question names, best named first
        names_clearly = False  # … by its own words, twice as clearly as naming needs: asked of the library
        vector = None  # the question's embedding, once made
        calibrated = query = self.places.topic(text, places)  # (the scope rule reads it as calibrated)
        if self.resolve_plans and not plans:  # the plans the question names, within its places' plans
            gloss = (lambda span: set(self.corpus.tokenize(bridge.chinese(span)))) if bridge and bridged else None
            resolution = self.named.resolve(worded, gloss, (lambda words: bridge.said(text, words)) if bridge else None)
            wanted = resolution.compared() if asks_compare else resolution.plans
            named = [p for p in wanted if not scope or p in scope]
            clearly, own = NAMES_CLEARLY * self.named.enough, places and not asks_compare and not intent.NATIONAL.search(text)
            named = own_first(named, resolution, self.jurisdictions.national, scope, clearly) if own else named
            if bridged and named and not asks_compare:  # (an English question names plans through glosses)
                vector = self.retriever.embed_query(query)
                named = self._agreeing(named, query, scope, bridged, vector, resolution)
            named_order, found = named, list[SearchResult]()  # (named faintly: the best clauses' plans searched too)
            if not english and not places and not asks_compare and not intent.about_document(text) \
                    and not ASKS_EFFECTIVE.search(text):
                def best() -> list[str]:
                    found.append(self.retriever.retrieve(query, k=FAINT_K))
                    return [h.plan_id for h in found[0].hits]
                named = with_best_found(named, resolution, clearly, MAX_STATED_SCOPE, best, text)
                vector = found[0].query_vector if found else vector  # (the same query: embedded once)
            # a place named, no plan: its own plans answer (the national ones only when it has none)
            scope = named or (self.places.own(scope) if own else scope)
            names_clearly = not bridged and resolution.names_any(named_order, clearly)
            if own and not named and len(uncovered) == len(places):  # `天津市对…有什么补贴?`: no plan of its own,
                return refuse(NoAnswer.REGION_NOT_COVERED, True)  # none named (national ones are named, or asked)
            candidates = named_order if 1 < len(named_order) <= MAX_CANDIDATES and not asks_compare else []

        # another country's policy (the plans are China's), unless a plan it names speaks of that country
        if not places and not plans and (abroad := countries_named(text)) and not self.corpus.holding(
                [c.chinese for c in abroad if c.chinese], 1, named_order or ["-"]):
            names = [c.name for c in abroad]
            return no_answer(question, NoAnswer.REGION_NOT_COVERED, english, self.places.covered_regions(), names,
                             names, resolved)
        compare = asks_compare and len(scope) != 1
        if places and scope and (searched := self.places.topic(text, places, scope)) != query:
            query, vector = searched, None  # (a place its plans do not govern is asked about: searched for)
        # an English question's own words match only a clause printing an English name: its Chinese words rank, else meaning
        mode = "dense" if english and not bridged else None
        lexical = bridged or None
        probe = self.retriever.retrieve(query, k=top_k, plans=scope or None, mode=mode, lexical=lexical,
                                        vector=vector if mode != "bm25" else None)
        # a phrase quoted that the library holds verbatim (a plan's slogan) is in scope; its clauses answer first (not a title's)
        held = {q: self.corpus.holding([q], top_k + 1) for q in intent.QUOTED.findall(text)}  # (one read each)
        phrases = [q for q, clauses in held.items() if clauses]
        quotes_library = any(len(held[q]) <= top_k for q in phrases)  # a rare one only
        phrases = [q for q in phrases if not any(q in m.display_title for m in self.corpus.plans.values())]
        if scope and len(scope) <= MAX_STATED_SCOPE:  # a phrase quoted nearly as the (few) plans write it
            phrases += [near for q, clauses in held.items() if not clauses
                        and (near := nearly_quoted(self.corpus, q, scope, top_k))]
        if not quotes_library and not names_clearly \
                and self.scope.out_of_scope(probe, self.scope.signals(calibrated, english, probe.top_dense)):
            return refuse(NoAnswer.OUT_OF_SCOPE)
        about_document = intent.about_document(text)
        every_plan = scope or sorted(self.corpus.plans)
        in_scope = len(every_plan)
        if in_scope > MAX_COMPARED and (about_document or compare):  # not each of thousands of plans, one by one
            wide = self.retriever.retrieve(query, k=WIDE_K, plans=scope or None, vector=probe.query_vector,
                                           mode=mode, lexical=lexical).hits
            every_plan = list(dict.fromkeys([*named_order, *(h.plan_id for h in wide)]))[:MAX_COMPARED]
        dated = self._dated(text, every_plan)  # (none for more than a few plans)
        if about_document:
            hits = document_clauses(self.corpus, self.quotes, every_plan, text, probe.query_vector, top_k)
            hits = hits or probe.hits
        elif compare:
            hits = best_per_plan(self.retriever, self.corpus, self.quotes, query, every_plan, probe.query_vector,
                                 mode, dated, named_order, lexical)
        elif intent.DEFINES.search(text) and (term := intent.defined_term(text)) \
                and (defining := self._defining(term, scope)):
            hits = self._holding([term], scope, probe.hits, top_k, defining)
        elif scope and dated:
            hits = self._holding([], scope, probe.hits, top_k, dated)
        else:
            hits = self._holding(phrases, scope, probe.hits, top_k) if phrases else probe.hits
        if not hits:
            return refuse(NoAnswer.NOT_FOUND)
        # an English question's number: its clause answers first; never "not stated" (said of 5 of 36 stated numbers)
        if english:
            asked = asked_english(query) if bridge else None
        else:
            asked = asked_number(query, self.corpus.is_word) or asked_entity(query)
        # (no plan named: a Chinese number's thing no plan of its best clauses names, `免征购置税`, is not the library's)
        nearby = list(dict.fromkeys(h.plan_id for h in hits))[:MAX_STATED_SCOPE] if asked and not scope and not english else []
        if asked and (scope or nearby) and len(scope) <= MAX_STATED_SCOPE and not about_document and not compare:
            glosses = (lambda t: [frozenset(words) for _, words in bridge.terms(t)]) if bridge else None
            stating = stating_clause(self.corpus, self.quotes, scope or nearby, worded, asked,
                                     self.jurisdictions.places_in, glosses)
            if stating is None and nearby:
                return refuse(NoAnswer.OUT_OF_SCOPE)
            if stating is None and not english:
                # context only: the closest sentence, never widened to one that might hold some other number
                citations = self.quotes.cite(hits[:1], text, probe.query_vector, aspects=False)
                lead = not_stated_lead([self.corpus.title(hits[0].plan_id)], asked.unit, english)
                return Answer(question=question, answer=lead + compose(citations, english, False, []),
                              no_answer=True, citations=tuple(citations), reason=NoAnswer.NOT_STATED,
                              regions=tuple(regions), resolved_question=resolved)
            # (a number's clause answers first; who or where is only checked to be stated: retrieval ranks it;
            # a thing the plans never name in the question's words is not judged)
            if isinstance(stating, Hit) and stating.chunk_id != hits[0].chunk_id and asked.unit not in ENTITY:
                hits = [stating, *(h for h in hits if h.chunk_id != stating.chunk_id)][:top_k]
        vector = self.retriever.embed_query(worded) if bridged else probe.query_vector  # (English: its meaning with
        citations = self.quotes.cite(hits, worded, vector, questions=parts.english_parts(  # its dictionary words picks a Chinese
            text, bridge.chinese, self.retriever.embedder.queries) if bridge and bridged else None)  # sentence better)
        answer_text = compose(citations, english, compare, uncovered, self.jurisdictions.national if regions else frozenset())
        if (compare or about_document) and len(every_plan) < in_scope:
            answer_text = some_of(len({c.plan_id for c in citations}), in_scope, english) + answer_text
        if candidates:
            answer_text = which_one([self.corpus.title(p) for p in candidates], english, candidates) + answer_text
        if intent.STRUCTURE.search(text) and citations:
            answer_text = where_in(self.corpus.clause(citations[0].chunk_id), citations[0], english) + answer_text
        lead, nothing = unstated(text, citations, english, self.corpus.plans[scope[0]] if len(scope) == 1 else None) \
            if about_document else ("", False)  # (every asked document fact unstated: not stated, as for a number)
        if not about_document and len(scope) == 1 and ASKS_EFFECTIVE.search(text) and not dated \
                and not any(EFFECTIVE.search(q) for c in citations for q in c.quotes):
            lead = no_effective_date(self.corpus.title(scope[0]), english)
        return Answer(question=question, answer=lead + answer_text, no_answer=nothing, citations=tuple(citations),
                      regions=tuple(regions), resolved_question=resolved, candidates=tuple(candidates),
                      reason=NoAnswer.NOT_STATED if nothing else None)

    def _agreeing(self, named: list[str], query: str, scope: list[str], lexical: str, vector: np.ndarray,
                  resolution: Resolution) -> list[str]:
        """Those of the plans an English question names (through the dictionary's glosses: `farm businesses` gives
        业务, a word of a satellite plan's title) that are among the AGREEING_K plans its best clauses come from, or
        the best named of those it names by a year as well (`the 2021 No.1 document … funding`: 资金 is everywhere)."""
        hits = self.retriever.retrieve(query, k=WIDE_K, plans=scope or None, lexical=lexical, vector=vector).hits
        found = list(dict.fromkeys(h.plan_id for h in hits))[:AGREEING_K]
        years = {p: resolution.score_of(p) for p in named if p in resolution.dated}
        best = max(years.values(), default=0.0)
        dated = [p for p, score in years.items() if score >= best]
        return [p for p in named if p in found or p in dated]

    def _dated(self, text: str, scope: list[str]) -> list[Clause]:
        """`什么时候开始施行?`: the clauses (of a few named plans) with a sentence saying when they take effect."""
        if not ASKS_EFFECTIVE.search(text) or len(scope) > MAX_STATED_SCOPE:
            return []
        return [c for c in self.corpus.clauses_of(scope) if EFFECTIVE.search(c.text)
                and c.kind != ClauseKind.NEWS]  # a notice may say it (`印发给你们,自…起施行`); a news report not

    def _defining(self, term: str, scope: list[str]) -> list[Clause]:
        """The clauses (of the scope) with a sentence that defines `term` (`本规定所称X,是指…`)."""
        return [c for c in self._clauses_holding([term], scope)
                if any(term in (x := c.text[a:b]) and intent.DEFINITION.search(x)
                        for _, a, b in self.corpus.sentences(c.chunk_id))]

    def _clauses_holding(self, phrases: list[str], scope: list[str], limit: int | None = None) -> list[Clause]:
        """The clauses (of these plans; of the library for none) holding one of the phrases verbatim (the first `limit`)."""
        if scope and len(scope) <= MAX_STATED_SCOPE:
            return [c for c in self.corpus.clauses_of(scope) if any(p in c.text for p in phrases)][:limit]
        return self.corpus.holding(phrases, limit, scope or None)

    def _holding(self, phrases: list[str], scope: list[str], hits: list[Hit], top_k: int,
                 holding: list[Clause] | None = None) -> list[Hit]:
        """The clauses (of the scope) holding a quoted phrase verbatim first, in retrieval order, then the rest —
        when the phrase singles them out (at most `top_k` hold it; `“十四五”` is everywhere)."""
        ranked = {h.chunk_id: h for h in hits}
        if holding is None:
            holding = self._clauses_holding(phrases, scope, top_k + 1)
        if len(holding) > top_k:
            return hits
        holding.sort(key=lambda c: (ranked[c.chunk_id].rank if c.chunk_id in ranked else len(hits) + 1, c.order))
        first = [ranked.get(c.chunk_id) or Hit.of(c, rank=0, score=0.0) for c in holding[:top_k]]
        rest = [h for h in hits if h.chunk_id not in {f.chunk_id for f in first}]
        return [replace(h, rank=i) for i, h in enumerate([*first, *rest][:top_k], start=1)]
