"""The answer's text in the question's language: connecting words around the quotes, never a fact of its own;
and the one-line reasons of a no-answer."""
from __future__ import annotations

from collections.abc import Sequence

from ..render import item_label
from ..types import Answer, Citation, Clause, NoAnswer


def quoted(c: Citation) -> str:
    """A citation's quotes in quotation marks, the further ones after an ellipsis (each an exact substring)."""
    return "……".join(f"“{q}”" for q in c.quotes)


def compose(citations: Sequence[Citation], english: bool, compare: bool, uncovered: Sequence[str],
            national: frozenset[str] = frozenset()) -> str:
    """`national`: plans whose citations a question about a place should see marked as national documents."""
    def mark(c: Citation) -> str:
        return ("(national) " if english else "(全国性文件)") if c.plan_id in national else ""

    if compare:
        lines = ["Each plan on this question:" if english else "各计划的相关规定:"]
        for c in citations:
            lines.append(f"· {mark(c)}《{c.plan_title}》{c.item_path}: {quoted(c)}[{c.n}]")
    else:
        shown = citations[:2] if len(citations) > 1 and citations[1].plan_id != citations[0].plan_id \
            else citations[:1]
        lines = []
        for i, c in enumerate(shown):
            label = mark(c) + item_label(c.plan_title, c.item_path, c.item_title, english)
            if english:
                lines.append(f"{'According to' if i == 0 else 'See also'} {label}: {quoted(c)} [{c.n}]")
            else:
                lines.append(f"{'' if i == 0 else '另见'}{label}:{quoted(c)}[{c.n}]")
    if uncovered and any(c.plan_id in national for c in citations):
        lines.append(f"(The library has no local plan for {'、'.join(uncovered)}; quoted above: national documents.)"
                     if english else f"(本库没有{'、'.join(uncovered)}的地方计划,以上引自全国性文件。)")
    elif uncovered:
        lines.append(f"(The library has no plan for {'、'.join(uncovered)}.)" if english
                     else f"(本库没有{'、'.join(uncovered)}的计划。)")
    return "\n".join(lines)


def where_in(clause: Clause | None, c: Citation, english: bool) -> str:
    """`在哪一部分提出的?`: the headings above the first quote's clause, outermost first, as the document prints them."""
    chain = [h for h in (clause.parents if clause else ()) if h]
    if c.item_title and (not chain or chain[-1] != c.item_title):
        chain.append(c.item_title)
    where = " › ".join(chain)
    if english:
        return f"Where: 《{c.plan_title}》 {c.item_path}" + (f" ({where})" if where else "") + ".\n"
    return f"出处:《{c.plan_title}》{c.item_path}" + (f"({where})" if where else "") + "。\n"


def which_one(titles: Sequence[str], english: bool, plan_ids: Sequence[str] = ()) -> str:
    """The lead of an answer whose question names several plans alike (a title two of them share — a document
    received twice, under two headers — with each one's plan id, as the chat's buttons show them)."""
    ids = list(plan_ids) or [""] * len(titles)
    names = "、".join(f"《{t}》" + (f"({pid})" if pid and titles.count(t) > 1 else "") for t, pid in zip(titles, ids))
    return (f"The question may mean any of these documents: {names}. Quoted below: the closest clauses among "
            "them; pick one to ask it of that document alone.\n" if english else
            f"这个问题可能指以下几份文件:{names}。以下引自其中最相关的条款;可选定其中一份再问。\n")


def some_of(shown: int, total: int, english: bool) -> str:
    """The lead of an answer that compares only the plans one wide search found, of more in its scope."""
    return (f"{total} documents are in scope; quoted below: the {shown} that answer the question best.\n" if english
            else f"范围内共有{total}份文件,以下引自其中与问题最相关的{shown}份。\n")


def no_answer(question: str, reason: NoAnswer, english: bool, covered: Sequence[str], regions: Sequence[str],
              uncovered: Sequence[str], resolved: str | None, nationwide: bool = False) -> Answer:
    """`nationwide`: a Chinese place with no plan of its own, in a library with national plans (which apply there)."""
    where_covered = "、".join(covered)
    if reason == NoAnswer.REGION_NOT_COVERED:
        where = "、".join(uncovered or regions)
        text = (f"The library has no plan for {where}, so nothing in it applies there. It covers: {where_covered}."
                if english else f"本库没有{where}的产业计划,无法据此回答。目前收录的计划覆盖:{where_covered}。")
        if nationwide:  # (national plans apply there, but say nothing of the place's own policy)
            text = (f"The library has no plan of {where}'s own, so it cannot say what {where} itself offers; national "
                    "documents apply everywhere: name one, or ask about the national level, to be answered from it. "
                    f"It covers: {where_covered}." if english else
                    f"本库没有{where}自己的产业计划,无法据此回答{where}的政策;全国性文件适用于各地,点明文件或问国家层面即按其回答。"
                    f"目前收录的计划覆盖:{where_covered}。")
    elif reason == NoAnswer.OUT_OF_SCOPE:
        text = ("The library holds industrial policy documents and none of their clauses answers this question. "
                f"It covers: {where_covered}." if english else
                f"本库收录的是产业政策文件,没有条款回答这个问题。目前收录的计划覆盖:{where_covered}。")
    else:
        text = ("No clause in the selected plans matches this question." if english
                else "所选计划中没有与这个问题相关的条款。")
    return Answer(question=question, answer=text, no_answer=True, reason=reason, regions=tuple(regions),
                  resolved_question=resolved)
