"""Which support measures apply to a company: every condition of every measure judged against the profile.

Per condition (`Check`): met, not met, or unknown — a blank profile field is unknown, never not met.
- region: the measure's place (its plan's region; a reported district policy's district) contains the company's;
  national documents apply everywhere. A company located only above the measure's place: unknown.
- recipient: a company can be 企业, its 项目/产品/平台/团队, an applying 机构; 人才 is unknown (its people may
  qualify); 高校, 科研院所, 医院, 农户, 政府 are not met.
- qualification / size / stage (alternatives of one sentence: any met is enough), founded (成立N年内, from the
  founding year and the date `on`), location (a place the sentence names), selection / threshold / other
  (入选…, 投资额…以上, 符合条件的: only the company can say) — each from the profile's fields.
- domain (the measure's field): met when the company's business shares a telling word with the words naming the
  measure's field (else with its clause; a report's or a transcript's: its sentence). By meaning, judged against the
  library itself (`field.py`: z-scores of the business's fit over the library's measures), a plan whose measures
  lie on average below `floor` is outside the business's field: not met. Meaning never says "met": a generic
  sentence (a bank loan for food-tech firms) scores near every business. Else unknown, as when the business is blank.
Verdict: any condition not met -> 不适用; else any unknown -> 需确认 (listing exactly what to confirm); else 适用.
Money measures first, then by fit. A plan whose period has ended is marked 已到期 (its verdicts unchanged).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Callable, Sequence

import numpy as np

from ..errors import BadInputError
from ..itempath import is_qa, reported
from ..regions import Jurisdictions, Place
from ..search.corpus import CorpusView
from ..settings import Settings
from ..types import Clause, PlanMeta
from .conditions import judge
from .field import FieldScore, FitThresholds, field_scores
from .measures import SupportMeasure
from .profile import Profile
from .result import Applicability, Check, MatchResult, Measure, Status
from .validity import Validity

APPLIES, CONFIRM, NOT = Applicability.APPLIES, Applicability.CONFIRM, Applicability.NOT
ORDER = {APPLIES: 0, CONFIRM: 1, NOT: 2}
MET, UNKNOWN, NOT_MET = Status.MET, Status.UNKNOWN, Status.NOT_MET
ALTERNATIVES = ("qualification", "size", "stage")
# recipients a company cannot be
_NOT_A_COMPANY = {"高校", "科研院所", "医院", "农户", "政府"}



HONESTY = ("每条措施按原文逐项列出条件:✓ 已满足、✗ 不满足、? 需确认(企业信息未填写或只能由企业自行确认)。"
           "金额、申报时间以发布单位的实施细则或申报通知为准,计划没写的这里不作推断。")


def verdict_statuses(checks: Sequence[Check]) -> set[Status]:
    """The statuses the verdict reads: a sentence's qualification, size and stage words are alternatives
    (`中小企业、初创企业`), so they count as one — met if any is met, not met only if all are."""
    out = {c.status for c in checks if c.kind not in ALTERNATIVES}
    either = {c.status for c in checks if c.kind in ALTERNATIVES}
    if either:
        out.add(MET if MET in either else UNKNOWN if UNKNOWN in either else NOT_MET)
    return out


class Matcher:
    """`match(profile, on=date)` -> MatchResult over the index's support measures. `encode`: the business text
    to a query vector (None: fit by shared words only, the rest of the field unknown)."""

    def __init__(self, corpus: CorpusView, jurisdictions: Jurisdictions,
                 encode: Callable[[str], np.ndarray] | None = None, fit: FitThresholds | None = None):
        self.corpus = corpus
        self.jurisdictions = jurisdictions
        self.encode = encode
        self.fit = fit or FitThresholds(floor=-1.5)
        self.validity = Validity(corpus).of
        self._vectors: dict[str, np.ndarray] | None = None
        self._plan_of = {m.measure_id: m.plan_id for m in corpus.measures}

    # ----- places -----------------------------------------------------------------------------------
    def locate(self, region: str) -> Place:
        gaz = self.jurisdictions.gazetteer
        places = self.jurisdictions.places_in(region)
        # `杭州西湖区`: of two 西湖区, the one inside a place also named
        codes = {p.code for p in gaz.find(region)}
        nested = [p for p in places if codes & set(p.parents)]
        places = nested or places
        if not places:
            raise BadInputError(f"unknown region {region!r}: give a Chinese province, city or county name "
                                f"(e.g. 杭州市, 历下区)")
        if len(places) > 1:
            raise BadInputError(f"region {region!r} is ambiguous or names several places: "
                                f"{'; '.join(gaz.full_name(p) for p in places)} — give one, with its province")
        return places[0]

    # ----- matching ---------------------------------------------------------------------------------
    def match(self, profile: Profile, on: date | None = None) -> MatchResult:
        on = on or date.today()
        place = self.locate(profile.region)
        gaz = self.jurisdictions.gazetteer
        line = {p.code for p in gaz.lineage(place)}
        query = self.encode(profile.industry) if (self.encode and profile.industry) else None
        words = self._telling_words(profile.industry)
        fits = {m.measure_id: self._fit(m, query) for m in self.corpus.measures}
        field = field_scores(fits, self._plan_of)
        out = []
        for m in self.corpus.measures:
            clause = self.corpus.clause(m.chunk_id)
            assert clause is not None, m.chunk_id  # measures come from the same index
            meta = self.corpus.plans[m.plan_id]
            fit = fits[m.measure_id]
            checks = [self._region(m, place, line)] + self._recipient(m) + self._conditions(m, profile, on, place)
            checks.append(self._domain(m, clause, meta, profile, words, field.get(m.measure_id)))
            statuses = verdict_statuses(checks)
            verdict = NOT if NOT_MET in statuses else CONFIRM if UNKNOWN in statuses else APPLIES
            out.append(self._measure(m, clause, meta, verdict, checks, fit, on))
        out.sort(key=lambda x: (ORDER[x.applicability], not x.money, -(x.fit if x.fit is not None else -1.0),
                                x.plan_id, self._order(x.chunk_id), x.quote_start))
        notes = [HONESTY]
        if profile.industry and self.encode is None:
            notes.append("未加载向量模型:行业只按共有词判断,其余记为需确认。")
        expired = sorted({x.plan_title for x in out if x.applicability != NOT and x.validity["status"] == "已到期"})
        if expired:
            notes.append(f"已到期(按 {on.isoformat()}):{'、'.join(f'《{t}》' for t in expired)}——其措施仅供参考,"
                         f"请向发布单位确认是否延续。")
        resolved = profile.to_dict() | {"location": gaz.full_name(place), "on": on.isoformat()}
        result = MatchResult(resolved, out, notes)
        counts = result.counts()
        notes.append(f"共 {counts[APPLIES]} 条适用、{counts[CONFIRM]} 条需确认、{counts[NOT]} 条不适用。")
        return result

    def _order(self, chunk_id: str) -> int:
        clause = self.corpus.clause(chunk_id)
        return clause.order if clause is not None else 0

    def _region(self, m: SupportMeasure, place: Place, line: set[str]) -> Check:
        gaz = self.jurisdictions.gazetteer
        company = gaz.full_name(place)
        regions = [gaz.places[r["code"]] for r in m.jurisdiction if r["code"] in gaz.places]
        if not regions:
            return Check(kind="region", label="", text="", status=UNKNOWN, reason="地域:措施的适用地区未知")
        names = "、".join(gaz.full_name(r) for r in regions)
        if any(r.level < 0 for r in regions):
            return Check(kind="region", label="全国", text="全国", status=MET, reason=f"地域:国家级,适用于各地(含{company})")
        lead = "相关报道转述的地方政策;" if m.source == "news" else ""
        if any(r.code in line for r in regions):
            return Check(kind="region", label=names, text=names, status=MET, reason=f"{lead}地域:{company}在{names}内")
        if any(place.code in r.parents for r in regions):
            return Check(kind="region", label=names, text=names, status=UNKNOWN,
                         reason=f"{lead}地域:措施只适用于{names},企业所在地只写到{company},请确认")
        return Check(kind="region", label=names, text=names, status=NOT_MET,
                     reason=f"{lead}地域:措施适用于{names},企业在{company}")

    def _recipient(self, m: SupportMeasure) -> list[Check]:
        r = m.recipient
        if r is None:
            return [Check(kind="recipient", label="", text="", status=UNKNOWN, reason="对象:原文未写明支持对象,请确认")]
        if r.label in _NOT_A_COMPANY:
            status, reason = NOT_MET, f"对象:{r.text}(不是企业)"
        elif r.label == "人才":
            status, reason = UNKNOWN, f"对象:{r.text}——申请人为符合条件的人才,请确认"
        else:
            status, reason = MET, f"对象:{r.text}(企业可作为申请主体)"
        return [Check(kind="recipient", label=r.label, text=r.text, status=status, reason=reason,
                      start=r.start, end=r.end)]

    def _conditions(self, m: SupportMeasure, profile: Profile, on: date, place: Place) -> list[Check]:
        checks: list[Check] = []
        for c in m.conditions:
            if c.kind == "domain":
                continue
            status, reason = judge(c.kind, c.label, c.text, profile, on, place, self.jurisdictions)
            checks.append(Check(kind=c.kind, label=c.label, text=c.text, status=status, reason=reason, start=c.start,
                                end=c.end))
        either = [c for c in checks if c.kind in ALTERNATIVES]
        if len(either) > 1 and any(c.status == MET for c in either):
            checks = [c if c.kind not in ALTERNATIVES or c.status == MET else
                      Check(kind=c.kind, label=c.label, text=c.text, status=c.status,
                            reason=c.reason + "(已满足其中一项即可)", start=c.start, end=c.end) for c in checks]
        return checks

    # ----- the measure's field ------------------------------------------------------------------------
    def _telling_words(self, industry: str) -> list[str]:
        """The business's words that say what it does: tokens of two characters or more found in at most half
        of the library's plans (`企业`, `技术`, `服务` say nothing)."""
        if not industry:
            return []
        out = []
        for t in self.corpus.tokenize(industry):
            if len(t) >= 2 and not t.isdigit() and self.corpus.telling(t) and t not in out:
                out.append(t)
        return [t for t in out if not any(t != u and t in u for u in out)]  # `务器` inside `服务器`

    def _measure_vectors(self) -> dict[str, np.ndarray]:
        """measure_id -> the vectors that stand for its field: its sentence's and its clause's passages'."""
        if self._vectors is None:
            vectors: dict[str, np.ndarray] = {}
            for m in self.corpus.measures:
                rows = [r for r, a, b in self.corpus.sentences(m.chunk_id) if a == m.start and b == m.end]
                parts = [self.corpus.sentence_vectors(rows)] if rows else []
                if passages := self.corpus.passage_rows(m.chunk_id):
                    parts.append(self.corpus.passage_vectors(passages))
                if parts:
                    vectors[m.measure_id] = np.concatenate(parts)
            self._vectors = vectors
        return self._vectors

    def _fit(self, m: SupportMeasure, query: np.ndarray | None) -> float | None:
        if query is None:
            return None
        vectors = self._measure_vectors().get(m.measure_id)
        if vectors is None:
            return None
        return round(float((vectors @ query.reshape(-1)).max()), 4)

    def _domain(self, m: SupportMeasure, clause: Clause, meta: PlanMeta, profile: Profile, words: Sequence[str],
                field: FieldScore | None) -> Check:
        own = next((c for c in m.conditions if c.kind == "domain"), None)
        # else the item's heading — not a transcript's, the reporter's question — else the plan's title (a
        # transcript's: the document it is about, `问答实录:《…若干意见》的有关情况`)
        heading = "" if is_qa(clause.item_path) or re.search(r"[?？]", clause.item_title) else clause.item_title
        about = re.findall(r"《([^》]+)》", meta.display_title) or [meta.display_title]
        field_name = own.text if own else (heading or about[0])

        def check(status: Status, reason: str) -> Check:
            return Check(kind="domain", label=field_name, text=own.text if own else "", status=status, reason=reason,
                         start=own.start if own else None, end=own.end if own else None)

        if not profile.industry:
            return check(UNKNOWN, f"领域:是否属于“{field_name}”(行业未填写),请确认")
        # where a shared word shows the field: the words naming it when the sentence has them (`面向食品研发企业,提供
        # …检测…服务` is for food firms, whatever else it names), else the clause (a report or a transcript's long
        # answer ranges over many fields: its sentence)
        scope = own.text if own else m.sentence if reported(clause) else f"{clause.item_title} {clause.text}"
        shared = [w for w in words if w in scope]
        if shared:
            return check(MET, f"领域:行业“{'”“'.join(shared)}”见于条款")
        if field is None:
            return check(UNKNOWN, f"领域:是否属于“{field_name}”,请确认")
        # (no score in the reason: an answer's numbers are the documents'; the score is the measure's `fit`)
        if field.plan_z < self.fit.floor:
            return check(NOT_MET, f"领域:行业与《{meta.display_title}》的措施整体相去甚远(远低于本库平均),"
                                  f"不属于“{field_name}”")
        return check(UNKNOWN, f"领域:行业是否属于“{field_name}”,请确认")

    def _measure(self, m: SupportMeasure, clause: Clause, meta: PlanMeta, verdict: Applicability,
                 checks: list[Check], fit: float | None, on: date) -> Measure:
        return Measure(
            applicability=verdict, measure_id=m.measure_id, plan_id=m.plan_id, plan_title=meta.display_title,
            item_path=m.item_path, item_title=clause.item_title, chunk_id=m.chunk_id, quote=m.sentence,
            quote_start=m.start, quote_end=m.end, context=clause.text, types=list(dict.fromkeys(t.label for t in m.types)),
            money=m.money, amount=m.amount.text if m.amount else "",
            amount_span=(m.amount.start, m.amount.end) if m.amount else None, cap=m.cap, rate=m.rate,
            unit=m.unit.text if m.unit else "", unit_span=(m.unit.start, m.unit.end) if m.unit else None,
            checks=checks, national=any(r["code"] == "000000" for r in m.jurisdiction) or
            any(c.kind == "region" and c.label == "全国" for c in checks),
            validity=self.validity(m.plan_id, on), fit=fit, source=m.source)


def fit_of(settings: Settings | None) -> FitThresholds | None:
    return FitThresholds(settings.match_fit_floor) if settings is not None else None


def open_matcher(settings: Settings, with_model: bool = True, build: bool = False,
                 progress: Callable[[str], None] = lambda _: None) -> Matcher:
    """The matcher over the live index, with the embedding model unless `with_model` is False; `build`: bring the
    index up to date first (another library, `--corpus DIR`)."""
    from ..indexing.embedding import Embedder
    from ..indexing.folder import open_index

    loaded: list[Embedder] = []

    def model() -> Embedder:
        """Loaded once, when first needed: by the build, else by the first business to embed (a bad profile
        fails before it)."""
        if not loaded:
            loaded.append(Embedder.from_settings(settings, progress=progress))
        return loaded[0]

    if build:
        from ..indexing.build import build_index

        build_index(settings, model(), progress)

    def encode(text: str) -> np.ndarray:
        return np.asarray(model().queries([text])[0])

    corpus = CorpusView(open_index(settings))
    return Matcher(corpus, Jurisdictions(corpus.plans.values()), encode if with_model else None,
                   fit_of(settings))
