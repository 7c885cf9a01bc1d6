"""Extractive answers: quotes picked from retrieved clauses, each an exact substring, with contract citations.

The answer text is connecting words plus quotes; nothing in it states a fact that is not quoted. Questions
about a region with no plan, or about topics outside the library, get `no_answer` with the reason.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .errors import BadInputError
from .match import APPLIES, ELSEWHERE, HONESTY, MAX_FIELD_CHARS, MAYBE, Matcher, Profile
from .regions import Jurisdictions, Place
from .render import item_label
from .retriever import HybridRetriever
from .textnorm import normalize_text
from .types import Clause, Hit

MAX_QUESTION_CHARS = 2000
# a company describing itself and asking what support it can get
_SELF = re.compile(r"(?:我们|我司|本公司|我公司|本企业|我是)[^??]{0,40}?(?:公司|企业|厂|工作室|团队|初创|创业)")
_ASKS_SUPPORT = re.compile(r"政策|支持|补贴|补助|扶持|适用|享受|申请|优惠|奖励")
_SIZE_WORDS = (("中小企业", "中小"), ("小微", "小型"), ("小型", "小型"), ("微型", "微型"), ("中型", "中型"),
               ("大型", "大型"))
_QUANTITY = re.compile(r"多少|几[个家项年]|多大|多高|多长|规模|目标|金额|额度|比例|上限|最高|补助|补贴|奖励|资助|"
                       r"how much|how many|how large|how big|target|amount|percent|subsid", re.I)
_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万亿]+(?:个|家|项|人|亿|万)")
_COMPARE = re.compile(r"分别|哪些地方|哪些地区|哪些省|哪些市|哪些计划|哪几个|比较|对比|各省|各市|各地|各个|各计划|"
                      r"不同地区|区别|差异|异同|compare|comparison|which (?:plans|regions|provinces|cities)|"
                      r"each (?:plan|province|region)|differ", re.I)
_CLAUSE_REF = re.compile(r"这一?条|该条|上一条|这项|该项|这个措施|该措施|这个条款|该条款|上述|这一?款|它的|this (?:item|clause)", re.I)
_PLAN_REF = re.compile(r"这个计划|该计划|这份计划|这份文件|该文件|这个文件|this plan", re.I)
_FOLLOW_UP_TAIL = re.compile(r"(?:呢|的呢|怎么样|如何|又如何)[??]?$|^(?:那|那么|那么在|还有|and|what about)", re.I)
_ENGLISH = re.compile(r"[A-Za-z]")
# a neighbouring sentence scoring this share of the best one is quoted with it, up to QUOTE_MAX characters
NEIGHBOUR_SHARE = 0.7
QUOTE_MAX = 160
# a question naming an item by at least this share of its heading's words gets the whole item quoted (≤ ITEM_QUOTE_MAX)
ITEM_NAMED = 0.5
ITEM_QUOTE_MAX = 300
_TITLED = ("item", "heading", "column_entry", "goal")
_OWNER = re.compile(r"责任单位")


def _owner_line(sentence: str) -> bool:
    """`(责任单位:…)`: says who is responsible, never what is done."""
    return _OWNER.match(sentence.strip("(()) ")) is not None


# Questions about the plan's own facts, and what a sentence stating that fact looks like.
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号|\[\d{4}\]\d+号")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日")
_BODY = re.compile(r"(?:政府|厅|局|委员会|委|部|部门|办公室|办|中心|院|会|室)(?:$|等|联合)")
_SALUTATION = re.compile(r"^各[^。;;]{2,}[::]$")  # whom a notice is addressed to: `各市(州)经济和信息化局……:`
_ADDRESSEES = re.compile(r"主送|印发给|发给|下发给|下发到|发至|发送给|addressed to|sent to|recipients", re.I)
_META_INTENTS = (
    (re.compile(r"文号|发文字号|document number", re.I), _DOC_NUMBER),
    (re.compile(r"哪天|哪一天|何时|什么时候|日期|哪年|when|date", re.I), _DATE),
    (re.compile(r"谁|哪个部门|哪些部门|哪个机关|机关|哪个单位|发布单位|issued|issuer|which (?:department|body)", re.I),
     _BODY),
    # who is responsible for an item: the plans name it in `(责任单位:…)`
    (re.compile(r"负责|责任单位|牵头|主管|responsible", re.I), _OWNER),
    (_ADDRESSEES, _SALUTATION),
)


@dataclass(frozen=True)
class Citation:
    n: int
    plan_id: str
    plan_title: str
    item_path: str
    item_title: str
    quote: str
    context: str
    score: float
    chunk_id: str


@dataclass
class Answer:
    """The contract's result object (extra fields are the contract's allowed extensions)."""

    question: str
    answer: str
    no_answer: bool
    citations: list[Citation]
    latency_ms: float = 0.0
    id: Any = None
    reason: str | None = None  # why there is no answer: region_not_covered | out_of_scope | not_found
    regions: list[str] = field(default_factory=list)  # places the question names
    resolved_question: str | None = None  # a follow-up rewritten with the previous turn's topic
    match: dict[str, Any] | None = None  # a company describing itself: the matcher's result (rag/match.py)

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "question": self.question, "answer": self.answer, "no_answer": self.no_answer,
             "citations": [asdict(c) for c in self.citations], "latency_ms": self.latency_ms,
             "reason": self.reason, "regions": self.regions}
        if self.resolved_question:
            d["resolved_question"] = self.resolved_question
        if self.match is not None:
            d["match"] = self.match
        return d


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: Answer


@dataclass(frozen=True)
class Calibration:
    """Out-of-scope thresholds, fitted on evaluation questions by `policyqa calibrate`.

    keyness_min: a Chinese question is in scope when one of its words is at least this much more frequent in
                 the library than in general Chinese (log ratio; see `Answerer.keyness`) …
    coverage_min: … or when at least this share of its words (idf-weighted) are words the library uses.
    english_dense_min: an English question (no word of it is in the library) is in scope when its best
                 passage cosine reaches this.
    """

    keyness_min: float
    coverage_min: float
    english_dense_min: float
    source: str = ""

    @classmethod
    def load(cls, path: Path) -> "Calibration":
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls(float(d["keyness_min"]), float(d["coverage_min"]), float(d["english_dense_min"]),
                   d.get("source", ""))


@dataclass(frozen=True)
class Signals:
    english: bool
    keyness: float  # best keyness of the question's words (-inf when none is in the library)
    coverage: float  # idf-weighted share of the question's words that the library uses at all
    top_dense: float


_DOCUMENT = re.compile(r"计划|方案|文件|通知|政策|plan|document|policy", re.I)
_ABOUT_DOCUMENT = re.compile(r"文号|发文字号|印发|发布|发文|出台|哪天|哪一天|何时|什么时候|日期|机关|哪个部门|哪些部门|"
                             r"issued|published|released|document number|when|" + _ADDRESSEES.pattern, re.I)
_ISSUANCE = re.compile(r"印发|发布|出台")
# what `_unstated` calls a document fact no quote states (asking whom it was sent to is not asking who sent it)
_META_NAMES = ((re.compile(r"文号|发文字号|document number", re.I), _DOC_NUMBER, "文号", "document number"),
               (re.compile(r"哪天|哪一天|何时|什么时候|日期|when|date", re.I), _DATE, "印发日期", "issue date"),
               (re.compile(r"谁|哪个部门|哪些部门|机关|单位|issued by|which", re.I), _BODY, "印发机关", "issuing body"),
               (_ADDRESSEES, _SALUTATION, "主送单位", "addressees"))


def _short_match(shape: re.Pattern[str], text: str, span: tuple[int, int, int]) -> bool:
    return span[2] - span[1] <= 30 and shape.search(text[span[1]:span[2]]) is not None


def is_english(text: str) -> bool:
    letters = len(_ENGLISH.findall(text))
    return letters > 0 and letters >= 0.5 * len(re.sub(r"\s", "", text))


def open_answerer(settings, progress=print, plans: Sequence[str] = ()) -> "Answerer":
    """The retriever plus the calibrated thresholds (a missing calibration file is an error, not a guess)."""
    from .errors import NotBuiltError
    from .retriever import open_retriever

    if not settings.calibration.is_file():
        raise NotBuiltError(f"no out-of-scope calibration at {settings.calibration}; "
                            "run `policyqa calibrate eval/questions.jsonl`")
    return Answerer(open_retriever(settings, progress, plans), Calibration.load(settings.calibration))


class Answerer:
    """`answer(question, history)` -> Answer. One per process; safe to share (no per-call state)."""

    def __init__(self, retriever: HybridRetriever, calibration: Calibration | None):
        self.retriever = retriever
        self.index = retriever.index
        self.calibration = calibration
        self.jurisdictions = Jurisdictions(self.index.plans.values())
        self.titles = {pid: m.title or pid for pid, m in self.index.plans.items()}
        n_docs = self.index.bm25.weights.shape[1]
        df = np.diff(self.index.bm25.weights.indptr)
        self.idf = {t: float(np.log(1 + n_docs / max(1, df[i]))) for t, i in self.index.bm25.vocab.items()}
        self.share = {t: (df[i] + 0.01) / n_docs for t, i in self.index.bm25.vocab.items()}
        self.matcher = Matcher(self.index, self.jurisdictions)

    def keyness(self, query: str) -> float:
        """How typical of this library the question's most library-typical word is.

        log(share of passages holding the word) - log(its frequency in general Chinese, from jieba's
        dictionary). Words the library never uses, and bare numbers, count for nothing.
        """
        best = float("-inf")
        for token in set(self.index.lexicon.tokenize(query)):
            if token not in self.share or token.isdigit():
                continue
            count, total = self.index.lexicon.general_frequency(token)
            best = max(best, float(np.log(self.share[token]) - np.log((count + 1) / total)))
        return best

    def coverage(self, query: str) -> float:
        """Idf-weighted share of the question's words that occur in the library (unknown words weigh most)."""
        tokens = {t for t in self.index.lexicon.tokenize(query) if not t.isdigit()}
        unknown = float(np.log(1 + self.index.bm25.weights.shape[1]))
        weights = {t: self.idf.get(t, unknown) for t in tokens}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in self.idf) / total if total else 0.0

    def _signals(self, query: str, english: bool, top_dense: float) -> Signals:
        return Signals(english, self.keyness(query), self.coverage(query), top_dense)

    # ----- public ------------------------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Turn] = (), top_k: int = 5,
               plans: Sequence[str] | None = None, qid: Any = None) -> Answer:
        started = time.perf_counter()
        if not isinstance(question, str) or not question.strip():
            raise BadInputError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise BadInputError(f"the question has {len(question)} characters; at most {MAX_QUESTION_CHARS}")
        if not 1 <= top_k <= 20:
            raise BadInputError("top_k must be between 1 and 20")
        if plans:
            self.retriever._allowed(plans)  # unknown plan ids are bad input
        result = self._answer(question, list(history), top_k, list(plans or []))
        result.id = qid
        result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return result

    def signals(self, question: str) -> Signals | None:
        """What the out-of-scope rule sees for a question; None when the region decides alone."""
        text = normalize_text(question)
        places = self.jurisdictions.places_in(text)
        region_plans, _ = self._region_plans(places)
        if places and not region_plans:
            return None
        query = self._topic(text, places)
        probe = self.retriever.retrieve(query, k=1, plans=region_plans or None)
        return self._signals(query, is_english(text), probe.top_dense)

    # ----- steps -------------------------------------------------------------------------------------
    def _answer(self, question: str, history: list[Turn], top_k: int, plans: list[str]) -> Answer:
        text = normalize_text(question)
        english = is_english(text)
        previous = history[-1] if history else None

        if previous and _CLAUSE_REF.search(text) and previous.answer.citations:
            return self._from_clause(question, text, previous, english)

        places = self.jurisdictions.places_in(text)
        if _SELF.search(text) and _ASKS_SUPPORT.search(text) and not english:
            return self._match_company(question, text, places)
        resolved = None
        if previous and self._is_follow_up(text, places):
            topic = self._strip_places(normalize_text(previous.answer.resolved_question or previous.question))
            resolved = f"{topic} {' '.join(p.name for p in places)}".strip() if places else f"{topic} {text}"
            text = normalize_text(resolved)
            places = places or self.jurisdictions.places_in(text)
        if previous and _PLAN_REF.search(text) and not places and not plans:
            plans = sorted({c.plan_id for c in previous.answer.citations})

        regions = [self.jurisdictions.gazetteer.full_name(p) for p in places]
        region_plans, uncovered = self._region_plans(places)
        if places and not region_plans:
            return self._no_answer(question, "region_not_covered", english, regions, uncovered, resolved)
        scope = sorted(set(region_plans) & set(plans)) if plans and region_plans else (plans or region_plans)
        if places and plans and not scope:
            return self._no_answer(question, "region_not_covered", english, regions, uncovered, resolved)

        query = self._topic(text, places)
        compare = bool(_COMPARE.search(text)) and (len(scope) != 1)
        probe = self.retriever.retrieve(query, k=top_k, plans=scope or None)
        if self._out_of_scope(probe, self._signals(query, english, probe.top_dense)):
            return self._no_answer(question, "out_of_scope", english, regions, uncovered, resolved)
        about_document = bool(_DOCUMENT.search(text) and _ABOUT_DOCUMENT.search(text))
        if about_document:
            hits = self._document_clauses(scope or sorted(self.index.plans), text, probe.query_vector, top_k)
            hits = hits or probe.hits
        elif compare:
            hits = self._best_per_plan(query, scope or sorted(self.index.plans), top_k, probe.query_vector)
        else:
            hits = probe.hits
        if not hits:
            return self._no_answer(question, "not_found", english, regions, uncovered, resolved)
        citations = self._cite(hits, text, probe.query_vector)
        answer_text = self._compose(citations, english, compare, uncovered)
        if about_document:
            answer_text = self._unstated(text, citations, english) + answer_text
        return Answer(question, answer_text, False, citations, regions=regions, resolved_question=resolved)

    def _match_company(self, question: str, text: str, places: list[Place]) -> Answer:
        """`我们是杭州一家做VR头显的中小企业,有什么政策?`: the profile matcher's result, as cited quotes."""
        if not places:
            return Answer(question, "请说明企业所在地(省、市或区县),才能判断哪些计划的措施适用。", True, [],
                          reason="region_missing")
        size = next((v for k, v in _SIZE_WORDS if k in text), "")
        stage = "初创" if re.search(r"初创|刚成立|创业", text) else ""
        region = self.jurisdictions.gazetteer.full_name(places[0])
        industry = self._strip_places(text)[:MAX_FIELD_CHARS]
        result = self.matcher.match(Profile(region, industry, size, stage))
        shown = [m for m in result.measures if m.applicability != ELSEWHERE]
        citations = [Citation(n, m.plan_id, m.plan_title, m.item_path, m.item_title, m.quote, m.context,
                              1.0 if m.applicability == APPLIES else 0.5, m.chunk_id)
                     for n, m in enumerate(shown, start=1)]
        p = result.profile
        lines = [f"按企业情况匹配(地区:{p['location']}" + (f";规模:{size}" if size else "") +
                 (f";阶段:{stage}" if stage else "") + "):"]
        for label in (APPLIES, MAYBE):
            group = [(c, m) for c, m in zip(citations, shown) if m.applicability == label]
            if group:
                lines.append(f"{label}:")
                lines.extend(f"{item_label(c.plan_title, c.item_path, c.item_title)}:“{c.quote}”[{c.n}]"
                             for c, _ in group)
        elsewhere = len(result.measures) - len(shown)
        if not shown and not self._region_plans(places[:1])[0]:
            lines.append(f"本库没有{region}的产业计划,其他地区计划的措施不适用。目前收录的计划覆盖:"
                         f"{'、'.join(self.jurisdictions.covered_regions())}。")
        elif not shown:
            lines.append("本库中覆盖该地区的计划里,没有找到点名这类企业或这一领域的支持条款。")
        if elsewhere:
            lines.append("(其他地区计划中的措施因地域不适用,未列出。)")
        lines.append(HONESTY)
        return Answer(question, "\n".join(lines), not shown, citations, regions=[region],
                      match=result.to_dict())

    def _document_clauses(self, plans: list[str], text: str, vector, top_k: int) -> list[Hit]:
        """Questions about the document itself: its issuing notice, and news paragraphs that report issuance."""
        candidates = [c for c in self.index.clauses if c.plan_id in plans and
                      (c.kind == "notice" or (c.kind == "news" and _ISSUANCE.search(c.text)))]
        if not candidates:
            return []
        wants = self._wants(text)
        tokens, weight = self._terms(text)

        def value(c: Clause) -> float:
            quote, _ = self._best_sentence(c, tokens, weight, wants, vector)
            return sum(w for shape, w in wants if shape.search(quote)) + (0.5 if c.kind == "notice" else 0.0)

        ranked = sorted(((value(c), c) for c in candidates), key=lambda vc: (-vc[0], vc[1].order))[:top_k]
        return [Hit(i, c.plan_id, c.item_path, c.item_title, c.text, c.chunk_id, round(v, 4), None, None,
                    c.kind, c.parents) for i, (v, c) in enumerate(ranked, start=1)]

    def _unstated(self, text: str, citations: list[Citation], english: bool) -> str:
        """Say so when the quoted text does not state the fact asked for (no guess from elsewhere)."""
        missing = []
        for intent, shape, name, name_en in _META_NAMES:
            if shape is _BODY and _ADDRESSEES.search(text):
                continue
            if intent.search(text) and not any(shape.search(c.quote) for c in citations):
                missing.append(name_en if english else name)
        if not missing:
            return ""
        return (f"The text in the library does not state the {', '.join(missing)}; the closest passages: \n"
                if english else f"本库收录的文本未载明{'、'.join(missing)};相关原文如下:\n")

    def _is_follow_up(self, text: str, places: list[Place]) -> bool:
        """`那江苏呢?`, `杭州呢`, `what about Jiangsu?`: short, and about a place or ending like a follow-up."""
        rest = self._strip_places(text)
        content = [t for t in self.index.lexicon.tokenize(rest) if t not in ("呢", "那", "那么")]
        return bool(_FOLLOW_UP_TAIL.search(text)) and len(content) <= 1 or (bool(places) and not content)

    def _strip_places(self, text: str) -> str:
        """The question without its place names (the plan filter carries them), e.g. `济南历下区的…` -> `的…`."""
        gazetteer = self.jurisdictions.gazetteer
        for place in sorted(gazetteer.find(text), key=lambda p: -len(p.name)):
            for alias in gazetteer.names_of(place.code):
                text = text.replace(alias, "")
        return re.sub(r"\s+", " ", text).strip()

    def _topic(self, text: str, places: list[Place]) -> str:
        """What to search for: the question without the places it names (the whole question if that is all)."""
        return (self._strip_places(text) if places else text) or text

    def _terms(self, question: str) -> tuple[set[str], float]:
        """The question's words for choosing a sentence, and their total idf (the lexical score's denominator)."""
        tokens = set(self.index.lexicon.tokenize(question))
        return tokens, sum(self.idf.get(t, 1.0) for t in tokens) or 1.0

    def _region_plans(self, places: list[Place]) -> tuple[list[str], list[str]]:
        plans, uncovered = [], []
        for place in places:
            cover = self.jurisdictions.coverage(place)
            found = cover.covering + cover.inside
            if not found:
                uncovered.append(self.jurisdictions.gazetteer.full_name(place))
            plans.extend(p for p in found if p not in plans)
        return plans, uncovered

    def _out_of_scope(self, probe, signals: Signals) -> bool:
        c = self.calibration
        if c is None or not probe.hits:
            return not probe.hits
        if signals.english:
            return signals.top_dense < c.english_dense_min
        return signals.keyness < c.keyness_min and signals.coverage < c.coverage_min

    def _best_per_plan(self, query: str, plans: list[str], top_k: int, vector) -> list[Hit]:
        """The best clause of each plan: from one wide search (a plan's first three hits compete on how well
        their best sentence fits the question), then a filtered search for any plan it missed."""
        wide = self.retriever.retrieve(query, k=30, plans=plans, vector=vector).hits
        per_plan: dict[str, list[Hit]] = {}
        for hit in wide:
            per_plan.setdefault(hit.plan_id, [])
            if len(per_plan[hit.plan_id]) < 3:
                per_plan[hit.plan_id].append(hit)
        for plan_id in plans:
            if plan_id not in per_plan:
                found = self.retriever.retrieve(query, k=1, plans=[plan_id], vector=vector).hits
                if found:
                    per_plan[plan_id] = found
        tokens, weight = self._terms(query)
        wants = self._wants(query)
        best = []
        for candidates in per_plan.values():
            def fit(h: Hit) -> float:
                return self._best_sentence(self.index.by_id[h.chunk_id], tokens, weight, wants, vector)[1]
            best.append(max(candidates, key=lambda h: (fit(h), h.score)))
        hits = sorted(best, key=lambda h: -h.score)
        return [replace(h, rank=i) for i, h in enumerate(hits, start=1)]

    def _from_clause(self, question: str, text: str, previous: Turn, english: bool) -> Answer:
        """`这一条的责任单位是谁?`: answer from the clause the previous answer cited first."""
        first = previous.answer.citations[0]
        clause = self.index.by_id.get(first.chunk_id)
        if clause is None:
            return self._no_answer(question, "not_found", english, [], [], None)
        vector = self.retriever.dense.embedder.queries([text])
        hit = Hit(1, clause.plan_id, clause.item_path, clause.item_title, clause.text, clause.chunk_id,
                  first.score, None, None, clause.kind, clause.parents)
        citations = self._cite([hit], text, vector)
        return Answer(question, self._compose(citations, english, False, []), False, citations,
                      resolved_question=f"{clause.item_path} {clause.item_title}: {text}")

    # ----- quotes ------------------------------------------------------------------------------------
    def _cite(self, hits: list[Hit], question: str, vector: np.ndarray | None) -> list[Citation]:
        tokens, weight = self._terms(question)
        wants = self._wants(question)
        citations = []
        for n, hit in enumerate(hits, start=1):
            quote, _ = self._best_sentence(self.index.by_id[hit.chunk_id], tokens, weight, wants, vector)
            citations.append(Citation(n, hit.plan_id, self.titles.get(hit.plan_id, hit.plan_id), hit.item_path,
                                      hit.item_title, quote, hit.text, round(float(hit.score), 6), hit.chunk_id))
        return citations

    @staticmethod
    def _wants(question: str) -> list[tuple[re.Pattern[str], float]]:
        """Shapes of the sentence the question asks for, with how much finding one counts."""
        wants = [(shape, 1.0) for intent, shape in _META_INTENTS if intent.search(question)]
        if _QUANTITY.search(question):
            wants.append((_NUMBER, 0.3))
        return wants

    def _fit(self, sentence: str, tokens: set[str], weight: float, wants: list[tuple[re.Pattern[str], float]]) -> float:
        """How well one sentence answers, comparable across clauses: the question's words it holds (idf share)
        plus the shapes the question asks for."""
        words = set(self.index.lexicon.tokenize(sentence))
        return (sum(self.idf.get(t, 1.0) for t in tokens & words) / weight
                + sum(w for shape, w in wants if shape.search(sentence)))

    def _names_item(self, clause: Clause, tokens: set[str]) -> bool:
        """The question names the item by its heading (`江苏在开放合作方面…` for 深化开放合作): at least
        ITEM_NAMED of the heading's words, idf-weighted."""
        if clause.kind not in _TITLED or not clause.item_title:
            return False
        title = set(self.index.lexicon.tokenize(clause.item_title))
        total = sum(self.idf.get(t, 1.0) for t in title)
        return total > 0 and sum(self.idf.get(t, 1.0) for t in title & tokens) / total >= ITEM_NAMED

    def _best_sentence(self, clause: Clause, tokens: set[str], weight: float,
                       wants: list[tuple[re.Pattern[str], float]], vector: np.ndarray | None) -> tuple[str, float]:
        """The quote for a clause and its fit (see `_fit`)."""
        spans = self.index.sentences_of.get(clause.chunk_id, [])
        if len(spans) <= 1:
            quote = clause.text[spans[0][1]:spans[0][2]] if spans else clause.text
            return quote, self._fit(quote, tokens, weight, wants)
        sentences = [clause.text[a:b] for _, a, b in spans]
        fits = [self._fit(sentence, tokens, weight, wants) for sentence in sentences]
        # what the item does, asked by its heading: the item is the answer, up to its responsibility line
        if not wants and self._names_item(clause, tokens):
            last = max((i for i, x in enumerate(sentences) if not _owner_line(x)), default=-1)
            if last >= 0 and spans[last][2] - spans[0][1] <= ITEM_QUOTE_MAX:
                return clause.text[spans[0][1]:spans[last][2]], max(fits)
        rows = [r for r, _, _ in spans]
        dense = (self.index.sentence_vectors[rows] @ vector[0]) if vector is not None else np.zeros(len(rows))
        lo, hi = float(dense.min()), float(dense.max())
        asks_owner = any(shape is _OWNER for shape, _ in wants)
        scores = []
        for sentence, fit, d in zip(sentences, fits, dense):
            semantic = (float(d) - lo) / (hi - lo) if hi > lo else 0.0
            scores.append(fit + 0.6 * semantic - (1.0 if not asks_owner and _owner_line(sentence) else 0.0))
        # a question about the document's own facts (文号, date, issuer): a sentence stating one is the answer
        strict = [w for w, weight in wants if weight >= 1]
        stating = [i for i, x in enumerate(sentences) if any(w.search(x) for w in strict)]
        best = max(stating, key=lambda i: scores[i]) if stating else int(np.argmax(scores))
        start, end = spans[best][1], spans[best][2]
        # a list the question asks for (the signatures of a joint notice): take the whole run of such lines
        shape = next((w for w, weight in wants if weight >= 1 and w.search(clause.text[start:end])), None)
        if shape is not None and end - start <= 30:
            first = last = best
            while first > 0 and _short_match(shape, clause.text, spans[first - 1]):
                first -= 1
            while last + 1 < len(spans) and _short_match(shape, clause.text, spans[last + 1]):
                last += 1
            start, end = spans[first][1], spans[last][2]
        # a heading-like first sentence says little alone: take the next one with it
        if end - start < 12 and best + 1 < len(spans):
            end = spans[best + 1][2]
        elif shape is None and not stating and scores[best] > 0:
            # a neighbour that answers nearly as well belongs to the same answer (a measure said in two sentences)
            near = [j for j in (best - 1, best + 1)
                    if 0 <= j < len(spans) and scores[j] >= NEIGHBOUR_SHARE * scores[best]
                    and not _OWNER.search(sentences[j])]
            if near:
                j = max(near, key=lambda i: scores[i])
                if max(end, spans[j][2]) - min(start, spans[j][1]) <= QUOTE_MAX:
                    start, end = min(start, spans[j][1]), max(end, spans[j][2])
        return clause.text[start:end], fits[best]

    # ----- text --------------------------------------------------------------------------------------
    def _compose(self, citations: list[Citation], english: bool, compare: bool, uncovered: list[str]) -> str:
        if compare:
            lines = ["Each plan on this question:" if english else "各计划的相关规定:"]
            for c in citations:
                lines.append(f"· 《{c.plan_title}》{c.item_path}: “{c.quote}”[{c.n}]")
        else:
            shown = citations[:2] if len(citations) > 1 and citations[1].plan_id != citations[0].plan_id \
                else citations[:1]
            lines = []
            for i, c in enumerate(shown):
                label = item_label(c.plan_title, c.item_path, c.item_title, english)
                if english:
                    lines.append(f"{'According to' if i == 0 else 'See also'} {label}: “{c.quote}” [{c.n}]")
                else:
                    lines.append(f"{'' if i == 0 else '另见'}{label}:“{c.quote}”[{c.n}]")
        if uncovered:
            lines.append(f"(The library has no plan for {'、'.join(uncovered)}.)" if english
                         else f"(本库没有{'、'.join(uncovered)}的计划。)")
        return "\n".join(lines)

    def _no_answer(self, question: str, reason: str, english: bool, regions: list[str], uncovered: list[str],
                   resolved: str | None) -> Answer:
        covered = "、".join(self.jurisdictions.covered_regions())
        if reason == "region_not_covered":
            where = "、".join(uncovered or regions)
            text = (f"The library has no plan for {where}, so nothing in it applies there. It covers: {covered}."
                    if english else f"本库没有{where}的产业计划,无法据此回答。目前收录的计划覆盖:{covered}。")
        elif reason == "out_of_scope":
            text = ("The library holds industrial policy plans (metaverse industry action plans) and none of their "
                    f"clauses answers this question. It covers: {covered}." if english else
                    f"本库收录的是元宇宙产业发展行动计划,没有条款回答这个问题。目前收录的计划覆盖:{covered}。")
        else:
            text = ("No clause in the selected plans matches this question." if english
                    else "所选计划中没有与这个问题相关的条款。")
        return Answer(question, text, True, [], reason=reason, regions=regions, resolved_question=resolved)
