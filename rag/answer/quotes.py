"""The quote for a clause: the sentence (or run of sentences) that answers the question, as an exact substring.

A sentence's fit is the question's words it holds (informativeness-weighted share) plus the shapes the
question asks for (a 文号, a date, a number …); the sentence's own embedding breaks ties between sentences of
one clause. Every weight is named in `QuoteWeights`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..search.corpus import CorpusView
from ..text.patterns import (
    ENUMERATIONS,
    LIST_ITEM,
    LIST_LEAD,
    OWNER,
    POINT_END,
    POINT_HEAD,
    POINT_START,
    barred,
    enumerations,
    is_owner_line,
    only_listed,
)
from ..types import Citation, Clause, ClauseKind, Hit
from .intent import NUMBER, Want, wants
from .parts import Part, joined, part_answers, parts

WORDS_CACHED = 1 << 16  # sentences whose words are kept
_TITLED = (ClauseKind.ITEM, ClauseKind.HEADING, ClauseKind.COLUMN_ENTRY, ClauseKind.GOAL)


@dataclass(frozen=True)
class QuoteWeights:
    semantic: float = 0.6  # the sentence's min-max scaled cosine to the question, added to its fit
    owner_penalty: float = 1.0  # a `(责任单位:…)` line, unless responsibility is asked
    number: float = 0.3  # a number in the sentence, when the question asks how much / how many
    neighbour_share: float = 0.7  # a neighbour scoring this share of the best sentence is quoted with it …
    quote_max: int = 160  # … while the quote stays within this many characters
    item_named: float = 0.5  # a question naming at least this share of an item's heading words …
    item_quote_max: int = 300  # … gets the whole item quoted, up to this many characters
    heading_chars: int = 12  # a best sentence shorter than this (a heading) takes the next one with it
    list_quote_max: int = 400  # a list's lead (`以下条件:`) takes the items after it, within this many characters
    list_line_chars: int = 30  # lines this short that state the asked fact form one list (a notice's signatures)
    notice_bonus: float = 0.5  # among document-fact clauses, the issuing notice first
    aspect_gain: float = 0.10  # a further sentence of the clause holding this share of the question's words the
    aspects: int = 2  # quote does not (its plan's title words aside) is quoted too, up to this many
    open_quote_max: int = 200  # an open question's quote takes its neighbours with it, within this many characters, …
    open_share: float = 0.3  # … each fitting the question at least this share as well as the quote's best sentence
    open_gap: float = 0.1  # (a cosine this far below the clause's best sentence's counts 0 for the fit by meaning)
    listed: float = 0.5  # a question's word a sentence holds only among four or more items (`…、…、…、…`) counts this
    part_fit: float = 0.15  # one question of a message asking several: its best sentence fitting it this well is quoted


DEFAULT_WEIGHTS = QuoteWeights()


def _adjacent(quoted: set[int], i: int) -> bool:  # sentence `i` is right before or after the quoted run
    return bool(quoted) and (i == min(quoted) - 1 or i == max(quoted) + 1)


class QuotePicker:
    def __init__(self, corpus: CorpusView, weights: QuoteWeights = DEFAULT_WEIGHTS):
        self.corpus = corpus
        self.weights = weights
        # a sentence's words, tokenized once per process (the library's sentences recur from question to question)
        self.words: Callable[[str], frozenset[str]] = lru_cache(maxsize=WORDS_CACHED)(
            lambda text: frozenset(corpus.tokenize(text)))
        self.lists: Callable[[str], tuple[tuple[int, int], ...]] = lru_cache(maxsize=WORDS_CACHED)(enumerations)

    def wants(self, question: str) -> list[Want]:
        return wants(question, self.weights.number)

    def terms(self, question: str) -> tuple[set[str], float]:
        """The question's words for choosing a sentence, and their total weight (the lexical fit's denominator)."""
        tokens = set(self.corpus.tokenize(question))
        return tokens, sum(self.corpus.terms.weight(t) for t in tokens) or 1.0

    def fit(self, sentence: str, tokens: set[str], total: float, shapes: list[Want]) -> float:
        """How well a sentence answers (comparable across clauses): the question's words it holds, weighted, + shapes."""
        words, lists, weight = self.words(sentence), self.lists(sentence), self.corpus.terms.weight
        return (sum(weight(t) * (self.weights.listed if only_listed(t, sentence, lists) else 1.0) for t in tokens & words) / total
                + sum(w for shape, w in shapes if shape.search(sentence)))

    def names_item(self, clause: Clause, tokens: set[str]) -> bool:
        """The question names the item by `item_named` of its heading's words (`江苏在开放合作方面…`: 深化开放合作)."""
        if clause.kind not in _TITLED or not clause.item_title:
            return False
        weight = self.corpus.terms.weight
        title = set(self.corpus.tokenize(clause.item_title))
        total = sum(weight(t) for t in title)
        return total > 0 and sum(weight(t) for t in title & tokens) / total >= self.weights.item_named

    def cite(self, hits: Sequence[Hit], question: str, vector: np.ndarray | None, aspects: bool = True,
             questions: Sequence[Part] | None = None) -> list[Citation]:
        """`aspects`: widen or join each quote by what it leaves out of the question (off: the best sentence);
        `questions`: the message's questions, each answered too (by default those its question marks close)."""
        tokens, total = self.terms(question)
        shapes, asks = self.wants(question), parts(question) if questions is None else questions
        citations = []
        for n, hit in enumerate(hits, start=1):
            clause = self.corpus.clause(hit.chunk_id)
            assert clause is not None, hit.chunk_id  # hits come from the same index
            best, _ = self.best_sentence(clause, tokens, total, shapes, vector)
            quote = self.widened(clause, best, tokens, total, vector) if aspects and not shapes else best
            title = self.corpus.title(hit.plan_id)
            asked = tokens - self.corpus.title_terms(hit.plan_id)  # the words naming the plan name no aspect
            quote, more = self.aspects(clause, quote, asked, shapes) if aspects else (quote, ())
            if aspects:  # the embedding preferred another sentence: the one holding most of the question's words too
                other = self.wordiest(clause, tokens, total, shapes)
                if other and not any(other in q for q in (quote, *more)) and self.fit(other, tokens, total, shapes) > self.fit(
                        "".join((best, *more)), tokens, total, shapes):
                    more = (*more, other)
                if is_owner_line(quote) and not more:  # who is responsible for what: the what, too
                    what, _ = self.best_sentence(clause, tokens, total, [x for x in shapes if x[1] < 1], vector)
                    more = (what,) if what not in quote and not is_owner_line(what) else ()
                quote, more = joined(clause.text, quote, more + part_answers(self, clause, asks, (quote, *more), hit.plan_id))
            citations.append(Citation(n=n, plan_id=hit.plan_id, plan_title=title, item_path=hit.item_path,
                                      item_title=hit.item_title, quote=quote, more_quotes=more, context=hit.text,
                                      score=round(float(hit.score), 6), chunk_id=hit.chunk_id))
        return citations

    def semantic(self, spans: Sequence[tuple[int, int, int]], vector: np.ndarray | None, gap: float = 0.0,
                 texts: Sequence[str] = ()) -> list[float]:
        """Each sentence's cosine to the question, min-max scaled in the clause; with `gap`: 1 for the best, 0 at `gap`
        below it. A point's heading (`二是…集聚。`, of `texts`) is as near as what it heads (a short one is near all)."""
        if vector is None:
            return [0.0] * len(spans)
        dense = self.corpus.sentence_vectors([r for r, _, _ in spans]) @ vector[0]
        for i in [i for i, t in enumerate(texts[:-1]) if POINT_HEAD.match(t) and not POINT_START.match(texts[i + 1])]:
            dense[i] = dense[i + 1]
        lo, hi = (float(dense.max()) - gap if gap else float(dense.min())), float(dense.max())
        return [max(0.0, (float(d) - lo) / (hi - lo)) if hi > lo else 0.0 for d in dense]

    def widened(self, clause: Clause, quote: str, tokens: set[str], total: float, vector: np.ndarray | None) -> str:
        """An open question (no number or document fact asked) is answered by a measure, not by its best sentence,
        which often says only where it starts (`推动家政服务提质扩容。` before `发展员工制家政企业`). The quote takes
        the better-fitting neighbour, one at a time, within `open_quote_max` characters, while it fits at least
        `open_share` as well as the best sentence (cosine scaled by `open_gap`); never an owner line or a question."""
        spans = self.corpus.sentences(clause.chunk_id)
        start = clause.text.find(quote)
        inside = [i for i, (_, a, b) in enumerate(spans) if start >= 0 and a >= start and b <= start + len(quote)]
        if not inside:
            return quote
        first, last = min(inside), max(inside)
        start, end = spans[first][1], spans[last][2]
        fits = []
        texts = [clause.text[a:b] for _, a, b in spans]
        for sentence, semantic in zip(texts, self.semantic(spans, vector, self.weights.open_gap, texts)):
            fits.append(-1.0 if barred(sentence, clause.item_title)
                        else self.fit(sentence, tokens, total, []) + self.weights.semantic * semantic)
        floor = max(0.0, self.weights.open_share * max(fits[first:last + 1]))
        while True:
            near = [j for j in (first - 1, last + 1) if 0 <= j < len(spans) and fits[j] > floor
                    and max(end, spans[j][2]) - min(start, spans[j][1]) <= self.weights.open_quote_max]
            if not near:
                return clause.text[start:end]
            j = max(near, key=lambda i: fits[i])
            first, last = min(first, j), max(last, j)
            start, end = spans[first][1], spans[last][2]

    def wordiest(self, clause: Clause, tokens: set[str], total: float, shapes: list[Want]) -> str | None:
        """The clause's sentence fitting the question best by its words alone (no responsibility line, no transcript's
        question): the embedding may prefer one merely sounding alike (`深化科技领域智库改革` for `智库怎么考核、钱怎么给`);
        holding more of the question's words than the quote, it is quoted as well."""
        spans = self.corpus.sentences(clause.chunk_id)
        sentences = [clause.text[a:b] for _, a, b in spans]
        fits = [-1.0 if barred(x, clause.item_title) else self.fit(x, tokens, total, shapes) for x in sentences]
        return sentences[int(np.argmax(fits))] if fits and max(fits) > 0 else None

    def aspects(self, clause: Clause, quote: str, asked: set[str], shapes: list[Want]) -> tuple[str, tuple[str, ...]]:
        """The quote widened to, or joined by, the clause's sentences that answer what it leaves out: a part of
        a two-part question (`资金和金融`), the sentence after a lead (`构建“3+1”布局。在浦东新区建设…`), the
        number a count question asks for. Greedy: each step takes the sentence holding the largest share of
        the asked words (the plan's title words name no aspect) not yet quoted (and an asked shape not yet present), if at
        least `aspect_gain`; a sentence next to the quote widens it while it stays within `quote_max`, else a further quote."""
        w = self.weights
        start = clause.text.find(quote)
        spans = self.corpus.sentences(clause.chunk_id)
        if start < 0 or len(spans) <= 1:
            return quote, ()
        end = start + len(quote)
        weight = self.corpus.terms.weight
        total = sum(weight(t) for t in asked) or 1.0
        asks_owner = any(shape is OWNER for shape, _ in shapes)
        words = [self.words(clause.text[a:b]) for _, a, b in spans]
        quoted = {i for i, (_, a, b) in enumerate(spans) if a >= start and b <= end}
        covered = set().union(*(words[i] for i in quoted)) if quoted else set(self.words(quote))
        missing = [(s, x) for s, x in shapes if not s.search(quote)]
        further: list[int] = []
        for _ in range(w.aspects):
            best, gain = -1, 0.0
            for i, (_, a, b) in enumerate(spans):
                sentence = clause.text[a:b]
                if i in quoted or i in further or barred(sentence, clause.item_title, asks_owner):
                    continue
                g = sum(weight(t) for t in (asked & words[i]) - covered) / total
                # an asked shape counts with some asked word beside it; a document fact (文号, date) alone, and the
                # number a how-many question asks when the quote holds none (`原则上5年为一个评估周期` for `how often`)
                g += sum(x for s, x in missing if (g > 0 or x >= 1 or s is NUMBER) and s.search(sentence))
                if g > gain:
                    best, gain = i, g
            if best < 0 or gain < w.aspect_gain:
                break
            covered |= words[best]
            first = last = best
            line = next((m for m in missing if m[1] >= 1 and m[0].search(clause.text[spans[best][1]:spans[best][2]])), None)
            if line is not None and spans[best][2] - spans[best][1] <= w.list_line_chars:  # a signature: all of them
                first, last = self.run(clause, spans, best, line)
            a, b = spans[first][1], spans[last][2]
            missing = [(s, x) for s, x in missing if not s.search(clause.text[a:b])]
            block = [j for j in range(first, last + 1) if j not in quoted and j not in further]
            if (_adjacent(quoted, first) or _adjacent(quoted, last)) and max(end, b) - min(start, a) <= w.quote_max:
                start, end = min(start, a), max(end, b)
                quoted.update(block)
            else:
                further.extend(block)
        # (further sentences next to each other are one quote; next to the quote, part of it)
        runs: list[list[int]] = []
        for i in sorted(further):
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for r in [r for r in runs if _adjacent(quoted, r[0]) or _adjacent(quoted, r[-1])]:
            start, end = min(start, spans[r[0]][1]), max(end, spans[r[-1]][2])
            runs.remove(r)
        more = tuple(clause.text[spans[r[0]][1]:spans[r[-1]][2]] for r in runs)
        return clause.text[start:end], more

    def run(self, clause: Clause, spans: Sequence[tuple[int, int, int]], i: int, shape: Want) -> tuple[int, int]:
        """The run of short lines around line `i` that state the asked fact (a joint notice's signatures)."""
        short = lambda j: spans[j][2] - spans[j][1] <= self.weights.list_line_chars and \
            shape[0].search(clause.text[spans[j][1]:spans[j][2]]) is not None
        first = last = i
        while first > 0 and short(first - 1):
            first -= 1
        while last + 1 < len(spans) and short(last + 1):
            last += 1
        return first, last

    def best_sentence(self, clause: Clause, tokens: set[str], total: float, shapes: list[Want],
                      vector: np.ndarray | None) -> tuple[str, float]:
        """The quote for a clause and its fit (see `fit`): its best sentence's, of the sentences it quotes."""
        w = self.weights
        spans = self.corpus.sentences(clause.chunk_id)
        if len(spans) <= 1:
            quote = clause.text[spans[0][1]:spans[0][2]] if spans else clause.text
            return quote, self.fit(quote, tokens, total, shapes)
        sentences = [clause.text[a:b] for _, a, b in spans]
        fits = [self.fit(sentence, tokens, total, shapes) for sentence in sentences]
        quoted = lambda i, j: (clause.text[i:j], max(f for f, (_, a, b) in zip(fits, spans) if i <= a and b <= j))
        # what the item does, asked by its heading: the item is the answer, up to its responsibility line
        if not shapes and self.names_item(clause, tokens):
            last = max((i for i, x in enumerate(sentences) if not is_owner_line(x)), default=-1)
            if last >= 0 and spans[last][2] - spans[0][1] <= w.item_quote_max:
                return quoted(spans[0][1], spans[last][2])
        asks_owner = any(shape is OWNER for shape, _ in shapes)
        scores = []
        for sentence, fit, semantic in zip(sentences, fits, self.semantic(spans, vector, texts=sentences)):
            penalty = w.owner_penalty if barred(sentence, clause.item_title, asks_owner) else 0.0
            scores.append(fit + w.semantic * semantic - penalty)
        # a question about the document's own facts (文号, date, issuer): a sentence stating one is the answer
        strict = [s for s, weight in shapes if weight >= 1]
        stating = [i for i, x in enumerate(sentences) if any(s.search(x) for s in strict)]
        best = max(stating, key=lambda i: scores[i]) if stating else int(np.argmax(scores))
        start, end = spans[best][1], spans[best][2]
        # a list the question asks for (the signatures of a joint notice): take the whole run of such lines
        shape = next((s for s in shapes if s[1] >= 1 and s[0].search(clause.text[start:end])), None)
        if shape is not None and end - start <= w.list_line_chars:
            first, last = self.run(clause, spans, best, shape)
            start, end = spans[first][1], spans[last][2]
        # a list's lead (`应具备以下基本条件:(一)…`, `扮演多重角色:首先,…;`): the items after it answer, as far as they go
        item = next((i for lead, i in ((LIST_LEAD, LIST_ITEM), *ENUMERATIONS) if lead.search(sentences[best])
                     and best + 1 < len(spans) and i.match(sentences[best + 1])), None) if shape is None else None
        if item is not None:
            last = best
            while last + 1 < len(spans) and item.match(sentences[last + 1]) and spans[last + 1][2] - start <= w.list_quote_max:
                last += 1
            if last > best:
                return quoted(start, spans[last][2])
        # a heading-like first sentence says little alone: take the next one with it; so does a sentence ending in a
        # point's heading (`…重点体现在3个方面:一是规模质效全面跃升。` before `营收从…增加到…`)
        if best + 1 < len(spans) and (end - start < w.heading_chars or (
                POINT_END.search(clause.text[start:end]) and not POINT_START.match(sentences[best + 1]))):
            end = spans[best + 1][2]
        elif shape is None and not stating and scores[best] > 0:
            # a neighbour that answers nearly as well belongs to the same answer (a measure said in two sentences)
            near = [j for j in (best - 1, best + 1)
                    if 0 <= j < len(spans) and scores[j] >= w.neighbour_share * scores[best]
                    and not OWNER.search(sentences[j])]
            if near:
                j = max(near, key=lambda i: scores[i])
                if max(end, spans[j][2]) - min(start, spans[j][1]) <= w.quote_max:
                    start, end = min(start, spans[j][1]), max(end, spans[j][2])
        return quoted(start, end)
