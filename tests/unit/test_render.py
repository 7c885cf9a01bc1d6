"""The chat's HTML for an answer (ui/render.py)."""
from __future__ import annotations

from rag.types import Answer, Citation, NoAnswer
from ui.render import answer_html


def test_a_fact_the_plan_does_not_state_is_shown_with_its_context_not_as_a_refusal():
    context = "智慧城市领域,鼓励有条件的地区加快BIM技术集成应用。"
    citation = Citation(n=1, plan_id="jiangsu-2024", plan_title="江苏省元宇宙产业发展行动计划", item_path="二、(五)12.",
                        item_title="", quote=context, context=context, score=1.0, chunk_id="jiangsu-2024#1")
    unstated = Answer(question="那江苏呢?", answer="《江苏省元宇宙产业发展行动计划》未载明所问的金额。", no_answer=True,
                      citations=(citation,), reason=NoAnswer.NOT_STATED)
    html = answer_html(unstated, ["江苏省"])
    assert 'class="pqa-answer pqa-notstated"' in html and "未载明所问的金额" in html and "二、(五)12." in html
    assert "无法回答" not in html
    refused = Answer(question="天气", answer="超出范围", no_answer=True, reason=NoAnswer.OUT_OF_SCOPE)
    html = answer_html(refused, ["江苏省", "浙江省"])
    assert "无法回答" in html and "<li>浙江省</li>" in html
