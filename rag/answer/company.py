"""A company describing itself in the chat (`我们是杭州一家做VR头显的中小企业,有什么政策?`): the profile read from
its words, matched like the 政策匹配 form, and shown as cited quotes."""
from __future__ import annotations

from ..limits import MAX_FIELD_CHARS
from ..match.matcher import HONESTY, Matcher
from ..match.profile import Profile
from ..match.result import Applicability, Status
from ..regions import Place
from ..render import item_label
from ..types import Answer, Citation, NoAnswer
from .intent import SIZE_WORDS, STARTUP
from .places import PlaceResolver

MAX_SHOWN = 12  # the chat lists the first measures (money first); the 政策匹配 tab has them all


def match_company(matcher: Matcher, places: PlaceResolver, question: str, text: str,
                  named: list[Place]) -> Answer:
    if not named:
        return Answer(question=question, answer="请说明企业所在地(省、市或区县),才能判断哪些计划的措施适用。",
                      no_answer=True, reason=NoAnswer.REGION_MISSING)
    size = next((v for k, v in SIZE_WORDS if k in text), "")
    stage = "初创" if STARTUP.search(text) else ""
    region = places.full_name(named[0])
    industry = places.strip_places(text)[:MAX_FIELD_CHARS]
    result = matcher.match(Profile(region, industry, size, stage))
    shown = [m for m in result.measures if m.applicability != Applicability.NOT and m.region_met][:MAX_SHOWN]
    citations = [Citation(n=n, plan_id=m.plan_id, plan_title=m.plan_title, item_path=m.item_path,
                          item_title=m.item_title, quote=m.quote, context=m.context,
                          score=1.0 if m.applicability == Applicability.APPLIES else 0.5, chunk_id=m.chunk_id)
                 for n, m in enumerate(shown, start=1)]
    p = result.profile
    lines = [f"按企业情况匹配(地区:{p['location']}" + (f";规模:{size}" if size else "") +
             (f";阶段:{stage}" if stage else "") + "):"]
    for label in (Applicability.APPLIES, Applicability.CONFIRM):
        group = [(c, m) for c, m in zip(citations, shown) if m.applicability == label]
        if group:
            lines.append(f"{label}:")
            for c, m in group:
                confirm = [k.reason for k in m.checks if k.status == Status.UNKNOWN]
                tail = f"(需确认:{';'.join(confirm)})" if confirm else ""
                lines.append(f"{item_label(c.plan_title, c.item_path, c.item_title)}:“{c.quote}”[{c.n}]{tail}")
    elsewhere = sum(m.applicability == Applicability.NOT and not m.region_met for m in result.measures)
    if not shown and not places.region_plans(named[:1])[0]:
        lines.append(f"本库没有{region}的产业计划,其他地区计划的措施不适用。目前收录的计划覆盖:"
                     f"{'、'.join(places.covered_regions())}。")
    elif not shown:
        lines.append("本库中覆盖该地区的计划里,没有找到这类企业可申请的支持措施。")
    if elsewhere:
        lines.append("(其他地区计划中的措施因地域不适用,未列出。)")
    if len([m for m in result.measures if m.applicability != Applicability.NOT]) > len(shown):
        lines.append("(只列出前几条;完整清单与逐项条件见“政策匹配”页。)")
    lines.append(HONESTY)
    return Answer(question=question, answer="\n".join(lines), no_answer=not shown, citations=tuple(citations),
                  regions=(region,), match=result.to_dict())
