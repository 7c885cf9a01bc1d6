"""The chat as a staff tool, in a real browser (Debian's chromium driven by Playwright): the login, a saved
conversation surviving a server restart, a 👎 with a chosen clause coming out of `policyqa feedback export`, the
检索测试 tab, the 统计 tab for admins only. Screenshots go to test-artifacts/."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from support import CALIBRATION, PROJECT_ROOT, private_copy, serving
from test_ui import ARTIFACTS, _ask, _browser_page

from rag.staff import accounts
from rag.staff.db import Database

QUESTION = "济南对入选新型智慧城市试点示范的项目补助多少?"
PASSWORDS = {"root": "password-root", "ann": "password-ann"}


def _staffed(built, root):
    """A data directory, corpus and index of its own (copies; the session's model linked in) with an admin and a
    staff account, so the chat asks for a login (a document added here changes nothing of the session's)."""
    settings = private_copy(built, root, CALIBRATION)
    db = Database.open(settings)
    accounts.add_user(db, "root", "admin", PASSWORDS["root"])
    accounts.add_user(db, "ann", "staff", PASSWORDS["ann"])
    db.close()
    return settings


@pytest.fixture(scope="module")
def staffed(built, tmp_path_factory):
    return _staffed(built, tmp_path_factory.mktemp("staff-ui"))


@pytest.fixture
def staffed_alone(built, tmp_path):
    """As `staffed`, for one test that changes the library."""
    return _staffed(built, tmp_path)


def _login(page, url: str, name: str) -> None:
    page.goto(url + "/logout", wait_until="load")  # (Gradio's: ends whatever session the browser had)
    page.goto(url + "/", wait_until="load")
    page.fill("input[type=text]", name)
    page.fill("input[type=password]", PASSWORDS[name])
    page.click("button:has-text('Login')")
    page.wait_for_selector(f"#whoami-{name}")  # the page has loaded as this user (its tabs shown or hidden)


def _tab(page, label: str) -> None:
    page.locator("button[role=tab]", has_text=label).click()


def test_login_a_thumbs_down_with_its_clause_and_a_conversation_that_survives_a_restart(staffed):
    with serving(staffed) as url, _browser_page() as page:
        page.goto(url + "/", wait_until="load")
        page.fill("input[type=text]", "ann")
        page.fill("input[type=password]", "wrong password")
        page.click("button:has-text('Login')")
        page.wait_for_selector("text=/Incorrect|错误|incorrect/i")  # Gradio's message for a wrong password
        assert page.locator("#question textarea").count() == 0  # and the chat is not opened
        _login(page, url, "ann")
        _ask(page, QUESTION, 0)
        assert QUESTION in page.locator("#conversations").inner_text()
        page.locator("#chat button[aria-label=Dislike]").last.click()
        page.wait_for_selector("#feedback-panel", state="visible")
        page.locator("#fb-reason label", has_text="引用的条款不对").click()
        page.fill("#fb-query textarea", "元宇宙人才 培养 引进")
        page.click("#fb-search")
        page.wait_for_selector("#fb-clause label")
        chosen = page.locator("#fb-clause label").first.inner_text()
        page.locator("#fb-clause label").first.click()
        page.fill("#fb-comment textarea", "问的是补助,这条更合适")
        page.click("#fb-send")
        page.wait_for_function("document.querySelector('#fb-note').innerText.includes('反馈已保存')")
        page.screenshot(path=str(ARTIFACTS / "staff-feedback.png"), full_page=True)
    export = subprocess.run([sys.executable, "-m", "rag", "feedback", "export", "--jsonl"], capture_output=True,
                            text=True, cwd=PROJECT_ROOT, timeout=120,
                            env=dict(os.environ, POLICYQA_HOME=str(staffed.home)))
    cases = [json.loads(line) for line in export.stdout.splitlines()]
    assert len(cases) == 1 and cases[0]["question"] == QUESTION and cases[0]["type"] == "fact"
    gold = cases[0]["gold"][0]
    assert gold["item_path"] in chosen and cases[0]["group"] == "feedback"

    with serving(staffed) as url, _browser_page() as page:  # a new server process: the same database
        _login(page, url, "ann")
        page.wait_for_function("document.querySelector('#conversations').innerText.includes('补助')")
        page.locator("#conversations label").first.click()
        page.wait_for_selector("#chat .pqa-citation")
        assert "二、(一)3.(1)" in page.locator("#chat .pqa-citation summary").first.inner_text()
        _ask(page, "这一条的责任单位是谁?", 1)  # the resumed conversation is the context of a follow-up
        assert "二、(一)3.(1)" in page.locator("#chat .pqa-citation summary").last.inner_text()
        page.wait_for_selector("#c-export-md", state="visible")
        with page.expect_download() as download:
            page.click("#c-export-md")
        exported = open(download.value.path(), encoding="utf-8").read()
        assert QUESTION in exported and "这一条的责任单位是谁?" in exported and "二、(一)3.(1)" in exported
        assert "chunk " in exported
        page.screenshot(path=str(ARTIFACTS / "staff-resumed.png"), full_page=True)
        _login(page, url, "root")  # another user sees none of ann's conversations
        assert "补助" not in page.locator("#conversations").inner_text()


def test_the_retrieval_test_tab_shows_ranks_scores_and_matched_words(staffed):
    with serving(staffed) as url, _browser_page() as page:
        _login(page, url, "ann")
        _tab(page, "检索测试")
        page.fill("#r-query textarea", QUESTION)
        page.click("#r-go")
        page.wait_for_selector("#r-result table")
        header = page.locator("#r-result thead").inner_text()
        for column in ("BM25 名次", "向量名次", "融合得分", "命中词"):
            assert column in header
        first = page.locator("#r-result tbody tr").first.inner_text()
        assert "二、(一)3.(1)" in first and "试点示范" in first
        assert len(page.locator("#r-result tbody tr").all()) == 10
        assert "检索模式:hybrid" in page.locator("#r-result .pqa-filters").inner_text()
        page.screenshot(path=str(ARTIFACTS / "staff-retrieval.png"), full_page=True)


def test_the_stats_tab_is_for_admins_and_counts_the_questions(staffed):
    with serving(staffed) as url, _browser_page() as page:
        _login(page, url, "ann")
        _ask(page, "明天杭州天气怎么样?", 0)
        assert page.locator("button[role=tab]", has_text="统计").count() == 0  # staff: no statistics
        _login(page, url, "root")
        _tab(page, "统计")
        page.click("#s-go")
        page.wait_for_selector("#stats-summary")
        summary = page.locator("#stats-summary").inner_text()
        assert "明天杭州天气怎么样?" in page.locator("#stats-unanswered").inner_text()
        assert "未作答占比" in summary and "p95" in summary
        with page.expect_download() as download:
            page.click("#s-csv")
        csv_text = open(download.value.path(), encoding="utf-8-sig").read()
        assert csv_text.startswith("at,user,route,question") and "明天杭州天气怎么样?" in csv_text and ",ann," in csv_text
        page.screenshot(path=str(ARTIFACTS / "staff-stats.png"), full_page=True)


def test_an_admin_uploads_a_document_that_answers_without_a_restart(staffed_alone):
    staffed = staffed_alone
    new_doc = PROJECT_ROOT / "tests" / "data" / "corpus-more" / "china-satcom-2025.txt"
    with serving(staffed) as url, _browser_page() as page:
        _login(page, url, "ann")
        assert page.locator("button[role=tab]", has_text="文档管理").count() == 0  # staff: no document management
        _login(page, url, "root")
        _tab(page, "文档管理")
        page.locator("#d-file input[type=file]").set_input_files(str(new_doc))
        page.wait_for_timeout(1500)
        page.click("#d-preview")
        page.wait_for_selector("#d-outline")
        outline = page.locator("#d-outline").inner_text()
        assert "卫星通信" in outline and "全国" in outline and "七、(十七)" in outline
        assert page.locator("#d-plan input, #d-plan textarea").first.input_value()  # a suggested plan id
        page.locator("#d-plan input, #d-plan textarea").first.fill("china-satcom-2025")
        page.click("#d-accept")
        page.wait_for_selector("#d-done", timeout=300_000)
        assert "china-satcom-2025" in page.locator("#d-done").inner_text()
        page.screenshot(path=str(ARTIFACTS / "staff-upload.png"), full_page=True)
        _tab(page, "问答")
        _ask(page, "国家对卫星通信领域重点企业有哪些资金支持?", 0)
        assert "卫星通信" in page.locator("#chat .pqa-citation summary").first.inner_text()
