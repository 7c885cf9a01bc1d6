"""The whole answer pipeline on the real corpus with the fake encoder: index -> search -> quotes -> answer,
plus the HTTP and command-line edges. What is pinned here does not depend on the model's vectors."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.cli import main
from rag.errors import BadInputError
from rag.types import Answer, ClauseKind, NoAnswer, Turn

QUESTIONS = ["济南对入选新型智慧城市试点示范的项目补助多少?", "江苏在开放合作方面有什么措施?",
             "各省市的元宇宙产业规模目标分别是多少?", "濟南怎樣推動元宇宙和文化旅遊結合?"]


def test_the_index_holds_the_five_plans_and_verifies(fake_index):
    counts = fake_index.manifest["counts"]
    assert (counts["plans"], counts["clauses"]) == (5, 211)
    assert counts["passages"] == len(fake_index.passages) and counts["measures"] == len(fake_index.measures)


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_quote_is_an_exact_substring_of_its_indexed_clause(fake_answerer, question):
    answer = fake_answerer.answer(question)
    assert not answer.no_answer and answer.citations
    for c in answer.citations:
        clause = fake_answerer.corpus.clause(c.chunk_id)
        assert clause is not None and c.context == clause.text and c.quote and c.quote in c.context
        assert (c.plan_id, c.item_path) == (clause.plan_id, clause.item_path)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert 1 in markers and markers <= {c.n for c in answer.citations}


def test_a_region_without_a_plan_is_refused_with_the_covered_regions(fake_answerer):
    answer = fake_answerer.answer("上海对元宇宙企业有什么补贴?")
    assert answer.no_answer and answer.reason is NoAnswer.REGION_NOT_COVERED and not answer.citations
    assert "上海" in answer.answer and "四川省" in answer.answer


def test_out_of_scope_chinese_is_refused_from_the_library_terms_alone(fake_answerer):
    answer = fake_answerer.answer("红烧肉怎么做才好吃?")
    assert answer.no_answer and answer.reason is NoAnswer.OUT_OF_SCOPE


def test_a_document_fact_is_quoted_from_the_issuing_notice(fake_answerer):
    answer = fake_answerer.answer("四川元宇宙产业发展行动计划的文号是什么?")
    first = answer.citations[0]
    assert (first.plan_id, first.item_path) == ("sichuan-2023", "印发通知") and "〔2023〕142号" in first.quote
    jinan = fake_answerer.answer("济南元宇宙行动计划的文号是什么?")
    assert jinan.answer.startswith("本库收录的《济南市促进元宇宙产业创新发展行动计划(2022—2025年)》文本未载明文号")


def test_a_follow_up_about_this_item_answers_from_the_clause_cited_before(fake_answerer):
    first = fake_answerer.answer("济南对入选新型智慧城市试点示范的项目补助多少?")
    follow = fake_answerer.answer("这一条的责任单位是谁?", [Turn(first.question, first)])
    assert follow.citations[0].chunk_id == first.citations[0].chunk_id
    assert follow.resolved_question and first.citations[0].item_path in follow.resolved_question


def test_bad_input_is_refused_before_any_work(fake_answerer):
    for question, top_k, plans in (("", 5, None), ("  ", 5, None), ("问" * 2001, 5, None), ("人才", 0, None),
                                   ("人才", 21, None), ("人才", 5, ["nowhere-2020"])):
        with pytest.raises(BadInputError):
            fake_answerer.answer(question, top_k=top_k, plans=plans)


@pytest.fixture
def client(fake_answerer):
    return TestClient(create_app(fake_answerer))


def test_api_history_round_trips_the_result_object(client):
    first = client.post("/api/ask", json={"question": "济南对入选新型智慧城市试点示范的项目补助多少?"}).json()
    assert Answer.from_dict(first).citations[0].item_path == first["citations"][0]["item_path"]
    r = client.post("/api/ask", json={"question": "这一条的责任单位是谁?",
                                      "history": [{"question": first["question"], "answer": first}]})
    assert r.status_code == 200 and r.json()["citations"][0]["chunk_id"] == first["citations"][0]["chunk_id"]
    bad = {"question": "这一条呢?", "history": [{"question": "q", "answer": {"citations": [{"n": 1}]}}]}
    r = client.post("/api/ask", json=bad)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "history", 0, "answer", "citations", 0,
                                                                     "chunk_id"]


@pytest.mark.parametrize("field, value", [
    ("chunk_id", ["a"]), ("chunk_id", {"a": 1}), ("chunk_id", 7), ("plan_id", ["jinan-2022"]), ("plan_id", {"x": 1}),
    ("plan_id", 3), ("chunk_id", "0123456789abcdef"), ("score", "high"),
    ("resolved_question", ["a"]), ("resolved_question", 5), ("no_answer", "yes"), ("citations", "x"),
])
def test_a_history_that_is_not_a_real_earlier_answer_is_refused_with_422(client, field, value):
    """The six shapes that once answered 500 (a citation's chunk_id/plan_id a list, dict or number; a non-string
    resolved_question) and their kin: each is 422 naming the field, never trusted, never 500."""
    first = client.post("/api/ask", json={"question": "济南对入选新型智慧城市试点示范的项目补助多少?"}).json()
    answer = dict(first)
    if field in ("resolved_question", "no_answer", "citations"):
        answer[field] = value
    else:
        answer["citations"] = [dict(first["citations"][0], **{field: value})]
    r = client.post("/api/ask", json={"question": "这一条的责任单位是谁?",
                                      "history": [{"question": first["question"], "answer": answer}]})
    assert r.status_code == 422, r.text
    loc = r.json()["detail"][0]["loc"]
    assert r.json()["error"] == "invalid request" and loc[:4] == ["body", "history", 0, "answer"] and field in loc


def test_api_body_limit_with_and_without_content_length(client):
    big = b'{"question": "' + "元宇宙".encode() * 30000 + b'"}'
    r = client.post("/api/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json() == {"error": "request body over 65536 bytes"}

    def chunks():
        yield big[:40000]
        yield big[40000:]

    r = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413

    def small():
        yield b'{"question": "'
        yield "济南人才政策".encode() + b'"}'

    r = client.post("/api/ask", content=small(), headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["citations"]
    r = client.post("/api/ask", content=b"{}", headers={"content-type": "application/json", "content-length": "x"})
    assert r.status_code == 400


def test_cli_exit_codes_before_the_model_loads(fake_env, tmp_path, monkeypatch, capsys):
    assert main(["ask", "人才政策", "--plan", "nowhere-2020"]) == 2
    assert "unknown plan id nowhere-2020; known plans: jiangsu-2024" in capsys.readouterr().err
    assert main(["ask", ""]) == 2 and "empty" in capsys.readouterr().err
    assert main(["ask", "q", "--batch", str(tmp_path / "missing.jsonl")]) == 2
    monkeypatch.setenv("POLICYQA_HOME", str(tmp_path / "empty-home"))
    assert main(["ask", "人才政策"]) == 1
    assert "run `policyqa index`" in capsys.readouterr().err


def test_the_chat_shows_a_friendly_line_and_logs_the_details(fake_answerer, caplog):
    from rag.served import CpuThread
    from ui.chat import SORRY, safe_answer

    class Broken:
        def answer(self, *args, **kwargs):
            raise RuntimeError("index file /srv/policyqa/search/vectors.npy vanished")

    result = safe_answer(Broken(), CpuThread(), "济南人才政策", [], None)  # type: ignore[arg-type]
    assert result.answer == SORRY and "vectors.npy" not in result.answer
    assert "vectors.npy vanished" in caplog.text
    bad = safe_answer(fake_answerer, CpuThread(), "人才", [], ["nowhere-2020"])
    assert bad.no_answer and "unknown plan id nowhere-2020" in bad.answer


def test_clause_kinds_in_the_index_are_the_enum(fake_index):
    assert {c.kind for c in fake_index.clauses} <= set(ClauseKind)


def test_a_quoted_phrase_of_the_library_answers_first_and_is_never_out_of_scope(fake_answerer):
    a = fake_answerer.answer("“链主型”是什么意思?")
    assert not a.no_answer and "链主型" in a.citations[0].context
    assert fake_answerer.answer("“四个一批”是什么意思?").no_answer  # a phrase the library does not hold


def test_where_a_thing_is_said_names_the_headings_above_it(fake_answerer):
    a = fake_answerer.answer("浙江“链主型”企业是在计划的哪一部分提出的?")
    first = a.citations[0]
    clause = fake_answerer.corpus.clause(first.chunk_id)
    assert a.answer.startswith(f"出处:《{first.plan_title}》{first.item_path}(")
    assert clause is not None and all(h in a.answer.splitlines()[0] for h in clause.parents if h)


def test_a_plan_that_does_not_say_when_it_takes_effect_is_said_not_to(fake_answerer):
    a = fake_answerer.answer("江苏元宇宙行动计划什么时候开始施行?")
    assert a.answer.startswith("本库收录的《江苏省元宇宙产业发展行动计划(2024—2026年)》文本未载明施行")
    assert a.citations and a.citations[0].plan_id == "jiangsu-2024"
