"""Which support measures apply to a company: an enterprise profile matched against the tagged clauses.

Rules (the README says the same):
- 适用: the plan's region contains the company's location, and the clause names the company's kind among those it
  supports (its size, stage or status — 中小企业, 初创, 专精特新 …), or names enterprises and is about the company's
  line of business, or is a 保障措施 clause naming the plan's enterprises in general.
- 可能适用: the plan's region contains the company and the clause is about its line of business, but the text
  leaves open who benefits; also a news paragraph reporting a local policy of the company's district (never a
  plan clause), and any fitting clause when the company's location is only known to a level above the plan's.
- 不适用-地域: a clause that would fit, in a plan for another region; listed collapsed, for reference.
Nothing else is inferred: conditions, deadlines and amounts are only what the clause says.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..errors import BadInputError
from ..regions import Jurisdictions, Place
from ..search.corpus import CorpusView
from ..settings import Settings
from ..types import Applicability, Clause, MatchResult, Measure
from .profile import SIZES, STAGES, Profile
from .tags import GENERIC, TYPED, ClauseTags

APPLIES, MAYBE, ELSEWHERE = Applicability.APPLIES, Applicability.MAYBE, Applicability.ELSEWHERE
ORDER = {APPLIES: 0, MAYBE: 1, ELSEWHERE: 2}
# what a company's own description says about its status (`我们是专精特新企业`)
_STATUS = (("专精特新", re.compile(r"专精特新|小巨人|单项冠军")),
           ("龙头企业", re.compile(r"龙头|链主|头部企业|领军企业|骨干企业|独角兽|瞪羚")),
           ("高新技术企业", re.compile(r"高新技术企业|高企")),
           ("初创企业", re.compile(r"初创|创业|刚成立|孵化")),
           ("人才", re.compile(r"高层次人才|领军人才|人才团队|创新团队")),
           ("中小企业", re.compile(r"中小企业|中小微|小微")))
_NOT_COMPANY = re.compile(r"高校|大学|学院|科研院所|研究院|研究所|实验室")
_ALL_FIRMS = re.compile(r"元宇宙(?:领域|相关|行业|生态)?企业")
# headings whose clauses support the plan's enterprises whatever their line of business
_GENERAL = re.compile(r"保障措施|保障|政策措施")

HONESTY = ("这些条款出自产业发展行动计划，写的是支持方向，不是申报指南：申报条件、截止时间和具体金额以发布单位的"
           "实施细则或申报通知为准，计划没写的这里不作推断。")


def _local(tags: ClauseTags, line: set[str]) -> ClauseTags:
    """A news paragraph cut to the sentences about the company's own district (all of it when none are)."""
    own = [s for s in tags.sentences if any(p["code"] in line for p in s.places)]
    if not own or len(own) == len(tags.sentences):
        return tags
    places = list({p["code"]: p for s in own for p in s.places}.values())
    return replace(tags, jurisdiction=places, sentences=own)


class Matcher:
    """`match(profile)` -> MatchResult over the index's tagged clauses."""

    def __init__(self, corpus: CorpusView, jurisdictions: Jurisdictions):
        self.corpus = corpus
        self.jurisdictions = jurisdictions
        self.vocabulary = corpus.vocabulary  # the one the index's tags were made with

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

    def match(self, profile: Profile) -> MatchResult:
        place = self.locate(profile.region)
        gaz = self.jurisdictions.gazetteer
        line = {p.code for p in gaz.lineage(place)}
        domains = self.vocabulary.find("domain", profile.industry)
        kinds: dict[str, str] = {}  # beneficiary label -> the profile words that make the company one
        institution = _NOT_COMPANY.search(profile.industry)
        if institution:
            kinds["高校科研院所"] = f"描述“{institution.group(0)}”"
        else:
            kinds[GENERIC] = "企业"
        for label in SIZES.get(profile.size, ()):
            kinds[label] = f"规模“{profile.size}”"
        for label in STAGES.get(profile.stage, ()):
            kinds[label] = f"阶段“{profile.stage}”"
        for label, shape in _STATUS:
            m = shape.search(profile.industry)
            if m:
                kinds.setdefault(label, f"行业描述“{m.group(0)}”")
        notes = [HONESTY]
        if profile.industry and not domains:
            notes.append(f"行业描述“{profile.industry}”里没有认出领域词(如 VR终端、数字人、数字孪生、工业元宇宙、"
                         f"文旅内容),只按不限领域的保障措施和点名企业类型的条款匹配。")
        measures = []
        clauses = {}
        for tags in self.corpus.measures:
            clause = self.corpus.clause(tags.chunk_id)
            assert clause is not None, tags.chunk_id  # tags come from the same index
            clauses[tags.chunk_id] = clause
            if tags.source == "news":
                tags = _local(tags, line)
            verdict = self._judge(tags, clause, domains, kinds)
            if verdict is None:
                continue
            fits, quote_at = verdict
            where, scope = self._where(tags, place, line)
            if scope == "outside":
                label = ELSEWHERE
            elif tags.source == "news" or scope == "partial":
                label = MAYBE
            else:
                label = APPLIES if fits["beneficiary"] else MAYBE
            why = "; ".join([where] + fits["why"])
            sentence = tags.sentences[quote_at]
            measures.append(Measure(
                applicability=label, plan_id=tags.plan_id, plan_title=self.corpus.title(tags.plan_id),
                item_path=tags.item_path, item_title=clause.item_title,
                quote=clause.text[sentence.start:sentence.end], context=clause.text, amounts=tags.amounts,
                measure_types=list(tags.measures), why=why, source=tags.source, chunk_id=tags.chunk_id))
        measures.sort(key=lambda m: (ORDER[m.applicability], m.plan_id, clauses[m.chunk_id].order))
        notes.extend(self._plan_notes(measures))
        resolved = {"region": profile.region, "location": gaz.full_name(place), "industry": profile.industry,
                    "size": profile.size, "stage": profile.stage, "domains": domains,
                    "kinds": sorted(kinds)}
        counts = {k: sum(m.applicability == k for m in measures) for k in ORDER}
        notes.append(f"共 {counts[APPLIES]} 条适用、{counts[MAYBE]} 条可能适用、{counts[ELSEWHERE]} 条因地域不适用"
                     f"(仅供参考)。")
        return MatchResult(resolved, measures, notes)

    def _judge(self, tags: ClauseTags, clause: Clause, domains: dict[str, list[str]],
               kinds: dict[str, str]) -> tuple[dict[str, Any], int] | None:
        """None when the clause is not for this company; else what fits and the sentence to quote."""
        # not tied to a line of business: a 保障措施 clause, a clause naming no domain, or support for the
        # plan's enterprises as such (`支持元宇宙企业…`)
        general = (any(_GENERAL.search(p) for p in clause.parents) or bool(_GENERAL.search(clause.item_title))
                   or not tags.domains
                   or any(s.measures and _ALL_FIRMS.search(clause.text[s.start:s.end]) for s in tags.sentences))
        # who benefits: as named in the sentences that hold the measure (`支持…龙头企业…` is not for everyone)
        named: dict[str, list[str]] = {}
        for sentence in tags.sentences:
            if sentence.measures:
                for label, words in sentence.beneficiaries.items():
                    named.setdefault(label, []).extend(w for w in words if w not in named.get(label, []))
        specific = {k: w for k, w in named.items() if k != GENERIC and k in kinds}
        shared = {k: w for k, w in tags.domains.items() if k in domains}
        # enterprises in general, or of the company's line of business (`零售企业` only for a retailer)
        typed = [w for k, words in named.items() if k.startswith(TYPED) and k[len(TYPED):] in domains
                 for w in words]
        firms = (named.get(GENERIC, []) + typed) if GENERIC in kinds else []
        why = [f"对象:{kinds[label]}↔条款“{'”“'.join(words)}”" for label, words in specific.items()]
        why += [f"领域:行业“{'”“'.join(domains[label])}”↔条款“{'”“'.join(words)}”({label})"
                for label, words in shared.items()]
        if specific:
            beneficiary = True
        elif firms and (shared or general):
            beneficiary = True
            why.append(("不限领域;" if not shared else "") + f"对象:条款写有“{'”“'.join(firms)}”")
        elif shared and not named:
            beneficiary = False
            why.append("条款没有写明支持对象")
        else:
            return None
        # quote: the sentence with a measure that carries most of what fitted
        wanted = {w for words in list(specific.values()) + list(shared.values()) for w in words} | set(firms)

        def weight(i: int) -> tuple[int, int, int]:
            s = tags.sentences[i]
            own = {w for d in (s.beneficiaries, s.domains) for words in d.values() for w in words}
            return (bool(s.measures), len(own & wanted) + 2 * len(s.amounts), -i)

        quote_at = max(range(len(tags.sentences)), key=weight)
        return {"beneficiary": beneficiary, "why": why}, quote_at

    def _where(self, tags: ClauseTags, place: Place, line: set[str]) -> tuple[str, str]:
        """(why text, "inside" | "partial" | "outside") for the company's place against the clause's regions."""
        gaz = self.jurisdictions.gazetteer
        company = gaz.full_name(place)
        regions = [gaz.places[r["code"]] for r in tags.jurisdiction if r["code"] in gaz.places]
        if not regions:
            return f"地域:条款的适用地区未知,企业在{company}", "outside"
        names = "、".join(gaz.full_name(r) for r in regions)
        if any(r.level < 0 for r in regions):
            return f"地域:全国性文件,适用于各地(含{company})", "inside"
        if any(r.code in line for r in regions):
            lead = "相关报道转述的地方政策,不是本计划条款;" if tags.source == "news" else ""
            return f"{lead}地域:{company}在{names}内", "inside"
        if any(place.code in r.parents for r in regions):
            return f"地域:计划只适用于{names},企业所在地只写到{company},请确认是否在其范围内", "partial"
        return f"地域:计划适用于{names},企业在{company}", "outside"

    def _plan_notes(self, measures: list[Measure]) -> list[str]:
        notes = []
        for plan_id in dict.fromkeys(m.plan_id for m in measures if m.applicability != ELSEWHERE):
            meta = self.corpus.plans.get(plan_id)
            if meta is None:
                continue
            issuer = meta.issuer or "未载明"
            notes.append(f"《{meta.display_title}》发布单位:{issuer}。申报条件与办理渠道请向发布单位或企业所在地的"
                         f"主管部门咨询。")
        return notes


def open_matcher(settings: Settings) -> Matcher:
    """The matcher over the live index (no embedding model needed)."""
    from ..indexing.folder import open_index

    corpus = CorpusView(open_index(settings))
    return Matcher(corpus, Jurisdictions(corpus.plans.values()))

