"""The Gradio chat in a real browser (Debian's chromium driven by Playwright), and the file-route probes.

Screenshots go to test-artifacts/ in the project.
"""
from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import CALIBRATION, PROJECT_ROOT, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def server(built):
    with serving(built.with_(calibration=CALIBRATION)) as url:
        yield url


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("route", [
    "/gradio_api/file=pyproject.toml", "/gradio_api/file=../pyproject.toml", "/gradio_api/file=/etc/passwd",
    "/gradio_api/file=%2Fetc%2Fpasswd", "/gradio_api/file=..%2F..%2Fetc%2Fpasswd",
    "/gradio_api/file=%2e%2e/pyproject.toml", "/gradio_api/file=corpus/jinan-2022.txt",
    "/gradio_api/file=index/search/manifest.json", "/file=pyproject.toml", "/file=/etc/passwd",
    "/gradio_api/file={root}/pyproject.toml", "/gradio_api/file={home}/search/manifest.json",
    "/gradio_api/file={home}/models/multilingual-e5-small/config.json", "/static/../pyproject.toml",
    "/gradio_api/file=%252e%252e%252fpyproject.toml",
])
def test_file_routes_expose_nothing_of_the_server(server, built, route):
    route = route.format(root=PROJECT_ROOT, home=built.home)
    assert _status(server + route) in (403, 404)


def test_upload_routes_are_closed_and_a_foreign_origin_gets_no_cors_headers(server):
    """No component takes a file, so nothing a visitor uploads is stored; and a page on another site may not
    read the API's answers, whatever Host header it sends."""
    boundary = "pqa"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.html\"\r\n"
            f"Content-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n--{boundary}--\r\n").encode()
    for route in ("/gradio_api/upload", "/gradio_api/upload?upload_id=x"):
        request = urllib.request.Request(server + route, data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            urllib.request.urlopen(request, timeout=10)
            status = 200
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status == 404, route
    assert _status(server + "/gradio_api/upload_progress?upload_id=x") == 404
    for path in ("/", "/gradio_api/info", "/api/plans", "/config"):
        request = urllib.request.Request(server + path, headers={"Origin": "http://evil.example",
                                                                 "Host": "policy.example.org"})
        with urllib.request.urlopen(request, timeout=10) as r:
            assert not [k for k in r.headers if k.lower().startswith("access-control-")], path


def test_no_page_loads_anything_from_another_host(server):
    """The chat and /docs in a real browser: every request they make goes to the server itself (no CDN,
    no web font, no analytics): they work offline and tell no third party of a visit."""
    with _browser_page() as page:
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(server + "/", wait_until="load")  # (the chat keeps a connection open: never network-idle)
        page.wait_for_selector("#question textarea")
        page.wait_for_timeout(3000)  # late loads: fonts, icons, lazy chunks
        page.goto(server + "/docs", wait_until="networkidle")
        page.wait_for_selector("#swagger-ui .opblock")  # the operations rendered: the script and spec loaded
    foreign = [u for u in requested if not u.startswith((server, "data:", "blob:"))]
    assert requested and not foreign, foreign


@contextmanager
def _browser_page():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for the browser test: apt-get install chromium chromium-driver "
                    "(make test does this when it can)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(server):
    with _browser_page() as page:
        yield page


def _ask(page, question: str, answers_before: int) -> None:
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(f"document.querySelectorAll('#chat .pqa-answer, #chat .pqa-noanswer').length > "
                           f"{answers_before}")


def test_chat_in_a_real_browser(page, server):
    page.goto(server + "/", wait_until="load")
    page.wait_for_selector("#question textarea")
    page.wait_for_selector("#whoami-open")  # no account: the page says the server is open
    assert "未配置账号" in page.locator("#whoami-open").inner_text()
    _ask(page, "济南对入选新型智慧城市试点示范的项目补助多少?", 0)
    first = page.locator("#chat .pqa-citation").first
    assert "二、(一)3.(1)" in first.locator("summary").inner_text()
    first.locator("summary").click()
    assert "最高补助100万元" in first.locator("mark").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)

    _ask(page, "那江苏呢?", 1)
    second = page.locator("#chat .pqa-answer").nth(1).inner_text()
    # Jiangsu's plan states no amount: said so, with its closest clause as context (not a bare refusal)
    assert "江苏省元宇宙产业发展行动计划" in second and "未载明所问的金额" in second
    assert page.locator("#chat .pqa-citations").nth(1).locator("summary").count() >= 1

    _ask(page, "上海对元宇宙企业有什么补贴?", 2)
    refusal = page.locator("#chat .pqa-noanswer").last.inner_text()
    assert "无法回答" in refusal and "重庆市永川区" in refusal and "浙江省" in refusal

    page.click("#plan-filter input")
    page.keyboard.type("四川省")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _ask(page, "人才政策有哪些?", 3)
    summaries = page.locator("#chat .pqa-citations").last.locator("summary").all_inner_texts()
    assert summaries and all("四川省元宇宙产业发展行动计划" in s for s in summaries)
    page.screenshot(path=str(ARTIFACTS / "chat-conversation.png"), full_page=True)

    _ask(page, "<img src=x onerror=\"document.title='pwned'\">元宇宙人才", 4)
    assert page.title() != "pwned" and page.locator("#chat img[src='x']").count() == 0

    page.get_by_role("tab", name="计划").click()
    page.wait_for_selector("#plan-outline .pqa-outline")
    assert "二、" in page.locator("#plan-outline").inner_text()
    assert "文号" in page.locator("#plan-meta").inner_text()
    page.screenshot(path=str(ARTIFACTS / "plans.png"), full_page=True)


def test_a_citation_link_opens_its_clause_in_the_plans_tab(page, server):
    page.goto(server + "/", wait_until="load")
    page.wait_for_selector("#question textarea")
    _ask(page, "都江堰会建数字孪生吗?", 0)
    citation = page.locator("#chat .pqa-citation").first
    cited = citation.locator("summary").inner_text()
    href = citation.locator(".pqa-link").get_attribute("href")
    assert href.startswith("?clause=") and "二、(三)专栏4" in cited
    page.goto(server + "/" + href, wait_until="load")
    page.wait_for_selector("#linked-clause .pqa-clause")
    head = page.locator("#linked-clause .pqa-clause-head").inner_text()
    assert cited.split("》", 1)[1].split() == head.split("》", 1)[1].split()  # same item path and title
    assert "四川省元宇宙产业发展行动计划" in page.locator("#plan-meta").inner_text()
    page.screenshot(path=str(ARTIFACTS / "linked-clause.png"), full_page=True)


def test_the_match_tab_shows_a_checklist_per_measure_and_exports_it(page, server, tmp_path):
    page.goto(server + "/", wait_until="load")
    page.get_by_role("tab", name="政策匹配").click()
    page.click("#m-go")  # no region: one line saying what is missing, no result
    page.wait_for_selector("#m-result .pqa-noanswer")
    assert page.locator("#m-result .pqa-match-group").count() == 0

    page.fill("#m-region textarea, #m-region input", "济南市历下区")
    page.fill("#m-industry textarea, #m-industry input", "服务器整机研发制造")
    page.locator("#m-quals").get_by_label("高新技术企业").check()
    page.fill("#m-on textarea, #m-on input", "2026-11-23")
    page.click("#m-go")
    page.wait_for_selector("#m-result .pqa-match-group")
    head = page.locator("#m-result .pqa-answer").first.inner_text()
    assert "资质:高新技术企业" in head and "按 2026-11-23" in head
    confirm = page.locator('#m-result .pqa-match-group[data-label="需确认"]')
    measure = confirm.locator(".pqa-measure").filter(has_text="二、(一)3.(1)").filter(has_text="最高补助100万元")
    assert measure.count() == 1
    # the checklist: the selection to confirm, its span highlighted in the quote; the amount, unit, validity
    unknown = measure.locator('.pqa-check[data-status="unknown"]')
    assert "入选新型智慧城市试点示范" in unknown.first.inner_text()
    assert measure.locator("mark.pqa-unknown").first.inner_text() == "入选新型智慧城市试点示范"
    assert measure.locator('.pqa-check[data-status="met"]').count() >= 1
    facts = measure.locator(".pqa-facts").inner_text()
    assert "上限 100万元" in facts and "市工业和信息化局" in facts and "已到期" in facts
    # measures that do not apply are listed collapsed, each with its reason
    rest = page.locator('#m-result .pqa-match-group[data-label="不适用"] > details')
    assert rest.count() == 1 and rest.get_attribute("open") is None
    page.screenshot(path=str(ARTIFACTS / "match.png"), full_page=True)
    # both exports, every quote cited to plan and item path
    with page.expect_download() as md:
        page.click("#m-export-md")
    md_path = tmp_path / "m.md"
    md.value.save_as(md_path)
    assert "> ——《济南市促进元宇宙产业创新发展行动计划(2022—2025年)》二、(一)3.(1)" in md_path.read_text("utf-8")
    with page.expect_download() as docx:
        page.click("#m-export-docx")
    docx_path = tmp_path / "m.docx"
    docx.value.save_as(docx_path)
    from docx import Document

    body = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "出处:《济南市促进元宇宙产业创新发展行动计划(2022—2025年)》二、(一)3.(1)" in body


def test_plans_named_alike_are_offered_as_buttons_and_a_pick_asks_that_plan(page, unseen):
    """A library of 27 documents where three national opinions are all `乡村振兴意见` (a second server; the same
    browser)."""
    settings, _ = unseen
    with serving(settings) as url:
        page.goto(url + "/", wait_until="load")
        page.wait_for_selector("#question textarea")
        assert not page.locator("#candidates").is_visible()
        _ask(page, "乡村振兴意见对高标准农田建设有什么要求?", 0)
        choices = page.locator("#candidates label")
        choices.first.wait_for()
        titles = choices.all_inner_texts()
        assert len(titles) == 3 and all("乡村振兴" in t for t in titles)
        page.screenshot(path=str(ARTIFACTS / "candidates.png"), full_page=True)
        page.locator("#candidates label", has_text="全面推进乡村振兴加快农业农村现代化").click()
        page.wait_for_function("document.querySelectorAll('#chat .pqa-answer').length > 1")
        summaries = page.locator("#chat .pqa-citations").last.locator("summary").all_inner_texts()
        assert summaries and all("全面推进乡村振兴加快农业农村现代化" in s for s in summaries)
        assert "只问" in page.locator("#chat").inner_text()
        page.goto("about:blank")  # leave the second server before it stops
