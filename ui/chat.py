"""The chat's answer step without Gradio: a question in, an `Answer` out — never an exception. A person's bad
input is explained; anything else gets a friendly line, with the details in the server log."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from rag.answer.answerer import Answerer
from rag.errors import BadInputError
from rag.served import CpuThread, Served
from rag.types import Answer, NoAnswer, Turn

log = logging.getLogger("policyqa.chat")
SORRY = "抱歉,系统暂时无法回答这个问题,请稍后再试或联系管理员。"


def plan_choices(served: Served) -> list[tuple[str, str]]:
    """(title, plan id) of the plans served now, by id: what the plan pickers offer (a new plan at once)."""
    return [(m.display_title, pid) for pid, m in sorted(served.answerer.corpus.plans.items())]


def safe_answer(answerer: Answerer, cpu: CpuThread, message: str, history: Sequence[Turn],
                plans: Sequence[str] | None) -> Answer:
    try:
        return cpu.run(answerer.answer, message, history, plans=plans or None)
    except BadInputError as exc:  # the person's own input: say what is wrong with it
        return Answer(question=message, answer=f"无法处理这个问题:{exc}", no_answer=True,
                      reason=NoAnswer.BAD_INPUT)
    except Exception:
        log.exception("chat answer failed for %r", message)
        return Answer(question=message, answer=SORRY, no_answer=True, reason=NoAnswer.BAD_INPUT)
