"""Which plans a question names, by the words users write for them (`食品科技方案`, `重点实验室办法`,
`数字经济规划`, "the digital economy plan"): computed from the library's own plan metadata, so a plan is
resolvable the moment it is ingested.

A plan's name terms are the words of its title (jieba, as for search) that are not place names — a place is
the region's business — weighted by how few titles share them: log(N / df) over the library's N titles. A
question names a plan when the name terms it holds weigh at least as much as one term shared by a third of a
dozen titles would (`DISTINCTIVE_SHARE`); the plan's years (its period, issue and publication years) then break
ties between plans named alike (乡村振兴 of 2021 or of 2023). An English question is resolved on the library
words its phrases may mean (`text.bridge`: `domestic demand … outline` -> 内需 … 纲要), and on the name words one
of whose dictionary glosses it says (`direct-to-device` says 直连, `to connect directly to`). A question copying a whole
title names that plan, whatever else its words name.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace

from ..types import PlanMeta

# A question names a plan when its matched terms weigh at least log(1 / DISTINCTIVE_SHARE): as much as one term
# held by at most this share of the library's titles. With 27 titles: a term in at most 3 of them.
DISTINCTIVE_SHARE = 0.12
# A word held by more than this share of the library's plans' texts is common: it never names a plan alone.
COMMON_SHARE = 0.75
# Plans named within this ratio of the best are named too (several candidates: answer from each).
CLOSE = 0.75
# A plan named faintly: the plans of the library's first this many clauses are asked as well (the citations an answer
# shows first; with 1, `…通信星…真名实姓?` reworded kept only the faintly named plan)
FAINT_K = 3
COMPARED_SHARE = 0.5  # … and those within this ratio of it are the plans a comparison compares (dev sets: 0.5)
MIN_INSIDE = 2  # characters of a name word found in the question's text though the tokenizer cut it otherwise
# A question holding a plan's whole title (at least this long) names that plan, and its other words are about
# the content (`《…食品科技…行动方案》对建设概念验证平台的单位…` does not name the 概念验证 plan)
MIN_TITLE = 8
# A transcript (every clause a `问答N`) is named by the meeting it records: `科技服务业发布会`, "the press conference"
TRANSCRIPT_NAMES = "新闻发布会 发布会 记者会 答记者问 吹风会"
_YEAR = re.compile(r"(?:19|20)\d\d")
# (`23年来`, `15年以上`: no year; `23年一号文件`, `21年和23年两个…文件` name documents of those years)
_BEFORE_NAME = r"[^\d\s,，。;；?？以内来间后前多余左右]{0,6}?(?:文件|方案|计划|规划|意见|办法|规定|报告|细则|通知)"
_SHORT_YEAR = re.compile(rf"(?<![\d.])([12]\d)年(?=的|版|那|出|发布|印发|{_BEFORE_NAME}|(?:[和与及、][12]\d年)+{_BEFORE_NAME})")
_MORE_YEARS = r"(?:[和与及、至到—-](?:19|20)\d\d年?)*"  # years listed together name alike (`2021年和2023年的…文件`)
# A word naming a kind of document (`办法`, `规定`, `实施方案`), not what it is about: it adds to a name and never
# names alone (`发布会上说了什么办法` names no 管理办法; "the … rules" no 规定)
DOCUMENT_KIND = re.compile(r"(?:行动|实施|工作|管理|暂行|试行|指导|若干|发展|政策)*"
                           r"(?:计划|方案|办法|规定|细则|意见|规划|纲要|措施|报告|条例|决定|通知|文件|实录|问答|答问|"
                           r"指南|指引|清单|要点)")
# plans named one by one, joined (`A规划和B报告`, `A、B各…`): each piece saying a document names its own (at most this many alike)
_CONJUNCTION = re.compile(r"和|与|及|跟|、|以及|还有")
_SAYS_DOCUMENT = re.compile(rf"{DOCUMENT_KIND.pattern}|{'|'.join(TRANSCRIPT_NAMES.split())}")
MAX_EACH = 3


@dataclass(frozen=True)
class Resolution:
    """The plans a question names, best first, with their scores (empty: it names none)."""

    plans: tuple[str, ...]  # the best and those close to it
    scores: tuple[float, ...]
    named: tuple[str, ...] = ()  # every plan the question names by words of its own, however far behind (a
    # comparison wants all)
    reached: tuple[tuple[str, float], ...] = ()  # every plan whose name words the question holds enough of, scored
    # (also those whose words a better-named plan accounts for: `上海…未来产业` and `七部门关于推动未来产业…`)
    copied: bool = False  # named by a whole title the question copies
    dated: tuple[str, ...] = ()  # the plans it names by a year as well (`2023年那份一号文件`)
    each: tuple[str, ...] = ()  # a comparison naming its plans one by one (`A方案和B发布会上…`): each one's plans

    @property
    def one(self) -> str | None:
        return self.plans[0] if len(self.plans) == 1 else None

    def compared(self) -> tuple[str, ...]:
        """The plans a comparison asks about: each one's plans when it names them one by one (`each`); else those named
        by a copied title, and of the plans named by words those at least COMPARED_SHARE as well named as the best or
        named by a year — not a plan one of the compared matter's words names faintly (`…在应急通信方面` names an 应急
        plan at a third of the two named plans' score)."""
        if len(self.each) > 1:  # (however faintly one is named beside the other: `…方案和未来产业发布会上都说了`)
            return self.each
        scores = dict(self.reached)
        sure = self.plans if self.copied else ()
        rest = [p for p in self.named if p not in sure]
        if not rest or not scores:
            return self.named
        best = max(scores.get(p, 0.0) for p in rest)
        return tuple(sure) + tuple(p for p in rest if scores.get(p, 0.0) >= COMPARED_SHARE * best or p in self.dated)

    def score_of(self, plan_id: str) -> float:
        """How well the question names a plan (0 for one only `named`, far behind the best)."""
        return dict(zip(self.plans, self.scores)).get(plan_id, 0.0)

    def names_any(self, plans: list[str], weight: float) -> bool:
        """Does it name one of these plans with at least this weight (or by a whole title it copies, or by its
        words and its year)?"""
        return any(self.score_of(p) >= weight or (self.copied and p in self.plans) or p in self.dated for p in plans)


def own_first(named: list[str], resolution: Resolution, national: frozenset[str], scope: list[str],
              clearly: float) -> list[str]:
    """`上海…未来产业…` (a place named, not the national level: the caller asks): the plans the question names among
    the place's own (`scope` less the national ones), however far behind a national plan named by a generic word
    (`各部门` for `七部门关于…`), the best and those close to it — of all its own plans whose name words it holds
    (`reached`), when one of those scores above every own plan it names (pruned from `named` only because the
    national plan accounts for its words, which the place's own plans do not have to share). Naming none of its own,
    the national plans it names `clearly` (this score) or by a copied title; none for national plans named faintly (`Jinan … pilot
    projects`: `projects` -> 工程, of `千村示范、万村整治”工程`): the place's own plans answer."""
    if resolution.copied:
        return named
    score = dict(resolution.reached)
    own = {p for p in scope if p not in national}
    # (those named beside better-named ones first, unless a plan of its own is named better than they are by words
    # only a national plan accounted for: `Shanghai's press conference on future industries`)
    reached, mine = [p for p in score if p in own], [p for p in resolution.named if p in own]
    mine = mine if mine and max(score[p] for p in mine) >= max(score[p] for p in reached) else reached
    mine = [p for p in mine if p in resolution.dated] or mine  # (those a year names, if any)
    if mine:
        best = max(score[p] for p in mine)
        return [p for p in mine if score[p] >= CLOSE * best]
    return named if resolution.names_any(named, clearly) else []


def with_best_found(named: list[str], resolution: Resolution, clearly: float, limit: int,
                    best: Callable[[], list[str]], question: str | None = None) -> list[str]:
    """Plans named only faintly — by words weighing less than `clearly`, neither by a copied title nor by a year — may
    be named by a word the question uses for what it asks (`通信` of 卫星通信's title in `用手机直接连天上的通信星
    打电话…`): the plans the library's best clauses come from (`best`, asked only then) are searched as well, up to
    `limit` plans in all. So are plans named clearly by a question that speaks of no document at all (no 方案, 规定,
    发布会 …): its words are what it asks about (`做手机连卫星业务的公司要不要出力?` names no 卫星通信 意见). (No
    `question`: taken to speak of one.)"""
    refers = question is None or bool(resolution.dated or DOCUMENT_KIND.search(question)
                                      or any(w in question for w in TRANSCRIPT_NAMES.split()))
    if not named or resolution.copied or (refers and resolution.names_any(named, clearly)):
        return named
    return list(dict.fromkeys([*named, *best()]))[:max(limit, len(named))]


def plan_years(meta: PlanMeta) -> set[str]:
    """The years of a plan's period, issue and publication dates and names."""
    text = " ".join(x for x in (meta.period, meta.issued_on, meta.published, *meta.names) if x)
    return set(_YEAR.findall(text))


class PlanResolver:
    def __init__(self, plans: Mapping[str, PlanMeta], tokenize: Callable[[str], list[str]],
                 is_place: Callable[[str], bool], common: Callable[[str], bool] = lambda _: False,
                 transcripts: Collection[str] = ()):
        """`common`: a word most of the library's texts use (示范, 规划): it adds to a name, never names alone;
        `transcripts`: the plans that are transcripts (`CorpusView.transcripts`), named by TRANSCRIPT_NAMES as well."""
        self.tokenize = tokenize
        self.common = common
        self.terms: dict[str, set[str]] = {}
        # whole titles, as a question may copy one (`《上海市加快…行动方案(2026—2030年)》对…`)
        self.titles: dict[str, list[str]] = {pid: [t for t in meta.names if len(t) >= MIN_TITLE] for pid, meta in plans.items()}
        self.years: dict[str, set[str]] = {pid: plan_years(meta) for pid, meta in plans.items()}
        self.all_years = set().union(*self.years.values())
        for pid, meta in plans.items():
            words = {t for t in tokenize(" ".join(meta.names)) if len(t) >= 2 and not t.isdigit() and not is_place(t)}
            # an alias's own words name the plan (`一号`), its kind words do not (`文件` of `中央一号文件`: no title's)
            titled = set(tokenize(" ".join(t for t in (meta.title, meta.page_title) if t)))
            self.terms[pid] = {t for t in words if t in titled or not DOCUMENT_KIND.fullmatch(t)}
            if pid in transcripts:
                self.terms[pid] |= set(TRANSCRIPT_NAMES.split())  # (whole: 新闻 or 记者 alone names no meeting)
        places = {t for meta in plans.values() for t in tokenize(" ".join(meta.names)) if is_place(t)}
        self.fragments = {w for words in self.terms.values() for w in words if any(w in p and w != p for p in places)}
        n = max(1, len(plans))
        df: dict[str, int] = {}
        for words in self.terms.values():
            for t in words:
                df[t] = df.get(t, 0) + 1
        self.weight = {t: math.log(n / d) for t, d in df.items()}
        # the plans each word names (a word every plan's name has weighs nothing: it names none of them)
        self.plans_of: dict[str, list[str]] = {}
        for pid, words in self.terms.items():
            for t in words:
                if self.weight[t] > 0:
                    self.plans_of.setdefault(t, []).append(pid)
        year_df: dict[str, int] = {}
        for ys in self.years.values():
            for y in ys:
                year_df[y] = year_df.get(y, 0) + 1
        self.year_weight = {y: math.log(n / d) for y, d in year_df.items()}
        self.enough = math.log(1 / DISTINCTIVE_SHARE)

    def resolve(self, question: str, gloss: Callable[[str], set[str]] | None = None,
                said: Callable[[set[str]], set[str]] | None = None) -> Resolution:
        """`gloss`: for an English question (its dictionary words appended), the library words an English span may
        mean; a year names a plan when the few English words after it mean one of the plan's name words (`the 2023
        No.1 central document` -> 中央, `the 2021 rural revitalization opinion`; not `the 2024 scale of …`)."""
        # a year written short (`23年的中央一号文件`) is a plan's year in full when a plan has it
        question = _SHORT_YEAR.sub(lambda m: f"20{m.group(1)}年" if f"20{m.group(1)}" in self.all_years else m.group(0),
                                   question)
        copied = [(pid, t) for pid, titles in self.titles.items() for t in titles if t in question]
        if copied:
            return self._by_title(question, copied)
        found = self._by_words(question, gloss, said)
        pieces = [p for p in _CONJUNCTION.split(question) if _SAYS_DOCUMENT.search(p)] if gloss is None else []
        if len(pieces) > 1:  # (a question saying one document at most names no plans one by one: nothing more to read)
            named = [plans for piece in pieces if (plans := self._by_words(piece).plans)]
            # (two pieces at least, each saying a document and naming few plans: `浙江元宇宙计划与江苏元宇宙计划` names
            # every 元宇宙 plan in each piece — their places choose —, `江苏和浙江的…计划` has one such piece)
            if len(named) > 1 and all(len(plans) <= MAX_EACH for plans in named):
                found = replace(found, each=tuple(dict.fromkeys(p for plans in named for p in plans)))
        return found

    def _by_title(self, question: str, copied: list[tuple[str, str]]) -> Resolution:
        """The plans whose whole titles the question copies; or a plan whose title holds a copied one and whose
        own further words the question uses as well (`《…若干意见》的问答实录`: the transcript). The rest of the
        question may name further plans by their words: those are named for a comparison (`《A》和B规划各…`),
        not otherwise (`《A》对建设概念验证平台…` asks A about 概念验证)."""
        rest = question
        for _, title in copied:
            rest = rest.replace(title, " ")
        said = set(self.tokenize(rest))
        named = set().union(*(self.tokenize(c) for _, c in copied))
        around = [pid for pid, titles in self.titles.items() if pid not in {p for p, _ in copied}
                  and any(c in t for t in titles for _, c in copied) and (self.terms[pid] - named) & said]
        found = tuple(dict.fromkeys(around or [pid for pid, _ in copied]))
        by_words = self._by_words(rest)
        others = tuple(p for p in by_words.named if p not in found)
        return Resolution(found, tuple(1.0 for _ in found), found + others, by_words.reached, copied=True,
                          dated=by_words.dated)

    def _by_words(self, question: str, gloss: Callable[[str], set[str]] | None = None,
                  said: Callable[[set[str]], set[str]] | None = None) -> Resolution:
        cut = self.tokenize(question)
        # a name word the question writes though its words were cut otherwise (`能直连卫星` -> 能直 / 连 / 卫星) counts;
        # not in a kind word (`管理办法`), not a word most texts use, not a piece of a place's name (`海市` of 上海市)
        written = DOCUMENT_KIND.sub(" ", question)  # (`管理办法` names a kind: its 管理 is no topic)
        inside = {w for w in self.plans_of if len(w) >= MIN_INSIDE and w in written and not self.common(w)
                  and w not in self.fragments}
        tokens = set(cut) | inside | (said(set(self.plans_of)) if said else set())
        asked_years = set(_YEAR.findall(question))
        after = {y: gloss(" ".join([m.group(1) for m in re.finditer(rf"\b{y}\b((?:\W+[A-Za-z0-9]+){{1,4}})", question)]
                                   + [m.group(1) for m in re.finditer(rf"((?:[A-Za-z0-9]+\W+){{1,3}})(?:for|of) {y}\b",
                                                                      question)]))
                 for y in asked_years} if gloss else {}
        scored = []
        words: dict[str, set[str]] = {}  # a plan's name words the question holds …
        years: dict[str, set[str]] = {}  # … and the years that name it
        # only plans sharing a word of some weight with the question can reach `enough`
        for pid in dict.fromkeys(pid for t in sorted(tokens) for pid in self.plans_of.get(t, ())):
            words[pid] = self.terms[pid] & tokens
            weight = sum(self.weight[t] for t in words[pid])
            if weight < self.enough or all(self.common(t) for t in words[pid]) \
                    or all(DOCUMENT_KIND.fullmatch(t) for t in words[pid]):
                continue
            # a year names the plan when its name follows (`2024年乡村振兴意见`), not as a year of its content
            # (`从2012年到2021年增长到多少`)
            years[pid] = {y for y in self.years[pid] & asked_years if after.get(y, set()) & words[pid]
                          or any(re.search(rf"{y}年?{_MORE_YEARS}[度版的、和与及]*\S{{0,4}}?{re.escape(w)}", question)
                                 for w in words[pid])}
            scored.append((weight + sum(self.year_weight[y] for y in years[pid]), pid))
        if not scored:
            return Resolution((), ())
        scored.sort(key=lambda s: (-s[0], s[1]))
        # a plan named only by words that better-named plans account for (and by no year of its own) is not named
        # beside them: `《…若干意见》的问答实录` names the transcript, not the 意见; `“十四五”数字经济发展规划`
        # names no other 十四五 规划
        named: list[tuple[float, str]] = []
        for s, pid in scored:
            above = set().union(*(words[p] for _, p in named)) if named else set()
            above_years = set().union(*(years[p] for _, p in named)) if named else set()
            tied = any(words[pid] == words[p] for _, p in named)  # named exactly as a kept one: kept too
            if named and words[pid] <= above and years[pid] <= above_years and not tied:
                continue
            named.append((s, pid))
        # close candidates, some named by the year the question gives (`2024年乡村振兴意见`): those; in English,
        # the plans a year names (its words around the year mean the plan's: `the rural revitalization document for
        # 2023`), however far behind one a further gloss names (`rural` -> 农村, of the 2021 plan's title)
        close = [(s, pid) for s, pid in named if s >= CLOSE * named[0][0]]
        kept = [(s, pid) for s, pid in (named if gloss else close) if years[pid]] or close
        return Resolution(tuple(pid for _, pid in kept), tuple(round(s, 3) for s, _ in kept),
                          tuple(pid for _, pid in named), tuple((pid, round(s, 3)) for s, pid in scored),
                          dated=tuple(pid for _, pid in scored if years[pid]))
