"""The 22 real documents past the seed five, as received (crawler Markdown exports, national plans, 办法 with
articles, 问答实录): every one ingests, its header becomes metadata and never clause text, its title is the
official one, its numbered units match an outline counted by hand, and nothing is lost or invented."""
from __future__ import annotations

import json
import re

import pytest
from support import PLAN_IDS, PROJECT_ROOT

from rag.cli import main
from rag.ingest.body import COLUMN, GOAL, ITEM, PART, SECTION, SUBITEM
from rag.ingest.library import Library
from rag.ingest.shapes import ARTICLE, CHAPTER, SUBSECTION
from rag.itempath import is_qa, is_zone, split_path
from rag.settings import Settings
from rag.text.normalize import normalize_line, strip_space
from rag.types import ClauseKind

MORE = PROJECT_ROOT / "tests" / "data" / "corpus-more"
OUTLINES = PROJECT_ROOT / "tests" / "data" / "outlines"
MORE_IDS = sorted(p.stem for p in MORE.glob("*.txt"))
HEADER_KEYS = ("发布机构", "原文链接", "检索关键词", "检索时间", "**", "](http", "原文下载", "政策全文", "更新时间")


def _outline(plan_id: str) -> tuple[dict[str, str], list[str]]:
    lines = (OUTLINES / f"{plan_id}.txt").read_text(encoding="utf-8").splitlines()
    notes = dict(re.match(r"^# (\w+): (.*)$", x).groups() for x in lines if re.match(r"^# (title|shape|count):", x))
    return notes, [x.strip() for x in lines if x.strip() and not x.startswith("#")]


OUTLINED = sorted(p.stem for p in OUTLINES.glob("*.txt"))
TITLES = {k: v for k, v in json.loads((PROJECT_ROOT / "tests" / "data" / "titles.json").read_text("utf-8")).items()
          if not k.startswith("_")} | {pid: _outline(pid)[0]["title"] for pid in OUTLINED}


@pytest.fixture(scope="session")
def more(tmp_path_factory) -> Library:
    """The 22 documents added one by one with their suggested ids (national ones as 全国)."""
    root = tmp_path_factory.mktemp("more")
    lib = Library(Settings(home=root / "home", corpus=root / "corpus"))
    for plan_id in MORE_IDS:
        lib.ingest_path(MORE / f"{plan_id}.txt", plan_id=plan_id, region="全国" if plan_id.startswith("china") else "上海市")
    return lib


def test_every_document_is_ingested_with_a_shape(more):
    assert more.plan_ids() == MORE_IDS
    shapes = {pid: json.loads((more.settings.library_dir / pid / "meta.json").read_text())["shape"] for pid in MORE_IDS}
    assert shapes["china-satdirect-2025"] == shapes["shanghai-keylab-2025"] == "chapters and articles"
    assert shapes["shanghai-futureindustry-qa-2025"] == "questions and answers"
    assert shapes["china-digitaleconomy-2022"] == "parts and sections"


@pytest.mark.parametrize("plan_id", MORE_IDS)
def test_the_page_header_is_metadata_never_clause_text(more, plan_id):
    for c in more.clauses(plan_id):
        blob = c.item_title + c.text + "".join(c.parents)
        assert not [k for k in HEADER_KEYS if k in blob], (c.item_path, blob[:60])
        assert not re.search(r"https?://", blob), (c.item_path, "a link is not policy text")
    meta = more.meta(plan_id)
    assert meta.title and "**" not in meta.title and "#" not in meta.title and meta.title != "政策全文"


@pytest.mark.parametrize("plan_id", sorted(TITLES))
def test_the_title_is_the_official_one(more, plan_id):
    assert strip_space(more.meta(plan_id).title or "") == strip_space(normalize_line(TITLES[plan_id]))


@pytest.mark.parametrize("plan_id", OUTLINED)
def test_numbered_units_match_the_hand_counted_outline(more, plan_id):
    notes, want = _outline(plan_id)
    got: list[str] = []
    for c in more.clauses(plan_id):
        if is_zone(c.item_path):
            continue
        labels = split_path(c.item_path)
        got += [p for p in ("".join(labels[:k]) for k in range(1, len(labels) + 1)) if p not in got]
    assert got == want and len(want) == int(notes["count"])


def test_header_facts_keep_their_provenance_below_the_text(more):
    food = more.meta("shanghai-food-2026")
    assert (food.published, food.publisher) == ("2025-12-22", "上海市科学技术委员会")
    assert food.source_url.startswith("http://stcsm.sh.gov.cn/") and food.provenance["publisher"] == "header"
    assert food.doc_number == "沪科合〔2025〕42号" and food.provenance["doc_number"] == "text"
    plan = more.meta("china-digitaleconomy-2022")  # its header says the publisher is `加快布局`
    assert plan.publisher is None and plan.issuer == "国务院" and plan.doc_number == "国发〔2021〕29号"
    warnings = json.loads((more.settings.library_dir / "china-digitaleconomy-2022" / "meta.json").read_text())["warnings"]
    assert any("加快布局" in w for w in warnings)
    satcom = more.meta("china-satcom-2025")  # a header written as a list under `### 基本信息`
    assert satcom.doc_number == "工信部信管〔2025〕180号" and satcom.published == "2025年8月"
    assert more.meta("china-satdirect-2025").region.name == "全国"


def test_articles_keep_their_clauses_and_qa_keeps_each_answer_with_its_question(more):
    article = [c for c in more.clauses("china-satdirect-2025") if c.item_path == "第二章第六条"]
    assert len(article) == 1 and article[0].text.startswith("支持终端设备直连卫星技术研究")
    assert article[0].parents == ("发展与促进",)
    qa = more.clauses("shanghai-futureindustry-qa-2025")
    assert [c.item_path for c in qa] == [f"问答{n}" for n in range(1, 6)]
    assert qa[0].text.startswith("新华社:这次《若干措施》提出培育未来产业") and "屈炜:" in qa[0].text


def _libraries(library, more):
    return [(library, pid) for pid in PLAN_IDS] + [(more, pid) for pid in MORE_IDS]


def test_fidelity_both_ways_on_all_27_documents(library, more):
    """Every clause is in the cleaned text, and every cleaned sentence of the body is in some clause."""
    headings = (PART, SECTION, ITEM, SUBITEM, COLUMN, GOAL, CHAPTER, SUBSECTION, ARTICLE)
    for lib, plan_id in _libraries(library, more):
        clauses = lib.clauses(plan_id)
        cleaned = strip_space(lib.cleaned_text(plan_id))
        for c in clauses:
            assert strip_space(c.text) in cleaned, (plan_id, c.item_path, c.text[:40])
        held = strip_space("\n".join(c.text + "\n" + c.item_title + "\n" + "\n".join(c.parents) for c in clauses))
        title = strip_space(lib.meta(plan_id).title or "")
        for line in lib.cleaned_text(plan_id).splitlines():
            body = line
            for rx in headings:
                if m := rx.match(line):
                    body = m.group(m.lastindex)
            for sentence in filter(None, (strip_space(s) for s in re.split(r"[。:]", body))):
                assert sentence in held or sentence in title or sentence.lstrip("附:") in title \
                    or re.fullmatch(r"\(\d{4}年\d{1,2}月\d{1,2}日\)", sentence), (plan_id, line[:50])


def test_a_whole_folder_is_ingested_with_derived_unique_ids(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POLICYQA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("POLICYQA_CORPUS", str(tmp_path / "corpus"))
    assert main(["ingest", str(MORE)]) == 1
    out, err = capsys.readouterr()
    # a crawler error: china-ruralrevival-2024's page holds the 2023 document's text; refused, not added twice
    assert out.rstrip().endswith("21 of 22 documents ingested")
    assert re.search(r"china-ruralrevival-202[34].txt: the library already holds 《中共中央国务院关于做好2023年", err)
    ids = re.findall(r"^ingested ([a-z0-9-]+):", out, flags=re.M)
    assert len(ids) == len(set(ids)) == 21
    lib = Library(Settings(home=tmp_path / "home", corpus=tmp_path / "corpus"))
    for pid in ids:
        region = lib.meta(pid).region
        assert pid.startswith("china-") == (region.name == "全国"), (pid, region)
        assert region.name in ("全国", "上海市") or region.parent == "上海市", (pid, region)
    assert main(["ingest", str(MORE / "shanghai-food-2026.txt")]) == 1  # the same document again
    assert "already holds" in capsys.readouterr().err


def test_a_closing_paragraph_takes_its_headings_path(more):
    report = more.clauses("china-digitaleconomy-report-2022")
    part = [c.text[:6] for c in report if c.item_path == "一、"]
    assert part == ["党的十八大以", "成绩来之不易"]  # the part's opening paragraph, then its closing one
    last = next(c for c in report if c.item_path == "一、(六)")
    assert "成绩来之不易" not in last.text and last.text.startswith("习近平总书记在第二届世界互联网大会上")


def test_a_question_names_its_plan_the_way_users_write_it(library, more):
    from rag.answer.plans import COMMON_SHARE, PlanResolver
    from rag.regions import load_gazetteer

    plans = {pid: more.meta(pid) for pid in MORE_IDS} | {pid: library.meta(pid) for pid in PLAN_IDS}
    texts = ["".join(c.text for c in lib.clauses(pid)) for lib, ids in ((more, MORE_IDS), (library, PLAN_IDS))
             for pid in ids]
    gaz = load_gazetteer()
    resolver = PlanResolver(plans, more_tokenizer(), lambda t: t in gaz.aliases,
                            lambda t: sum(t in x for x in texts) > COMMON_SHARE * len(texts),
                            {pid for pid in MORE_IDS if all(is_qa(c.item_path) for c in more.clauses(pid)
                                                             if c.kind == ClauseKind.ITEM)})
    for question, plan in (("上海食品科技方案对新食品原料有什么支持?", "shanghai-food-2026"),
                           ("概念验证方案提出建设多少个平台?", "shanghai-poc-2025"),
                           ("重点实验室办法对评估有什么规定?", "shanghai-keylab-2025"),
                           ("数字经济规划提出的2025年目标是什么?", "china-digitaleconomy-2022"),
                           ("卫星通信的指导意见何时印发?", "china-satcom-2025")):
        assert resolver.resolve(question).plans[0] == plan, question
    assert resolver.resolve("济南对入选新型智慧城市试点示范的项目补助多少?").plans == ()  # its place decides
    both = resolver.resolve("数字经济规划和数字经济发展情况的报告有什么不同?").named
    assert set(both[:2]) == {"china-digitaleconomy-2022", "china-digitaleconomy-report-2022"}
    # naming more than a plan's title names the plan that carries it all: the transcript about the 意见
    transcript = resolver.resolve("《关于进一步深化改革创新 加快科技服务业高质量发展的若干意见》的问答实录是哪天发布的?")
    assert transcript.plans == ("shanghai-techservice-qa-2025",)
    # a plan named only by words better-named plans account for is not named beside them
    assert set(resolver.resolve("卫星通信指导意见和终端设备直连卫星服务管理规定在应急通信方面各有什么要求?").named[:2]) == \
        {"china-satcom-2025", "china-satdirect-2025"}
    assert resolver.resolve("“十四五”数字经济发展规划有什么目标?").named == ("china-digitaleconomy-2022",)
    # a comparison naming its plans one by one compares each, however faintly one is named beside the other
    assert resolver.resolve("概念验证平台方案和未来产业发布会上都说了“四位一体”,分别是哪四样?").compared() == \
        ("shanghai-poc-2025", "shanghai-futureindustry-qa-2025")
    assert resolver.resolve("概念验证方案在资金和人才方面各有什么支持?").compared() == ("shanghai-poc-2025",)
    assert {"jiangsu-2024", "zhejiang-2023"} <= set(resolver.resolve("江苏和浙江的元宇宙行动计划对产业规模的目标分别是多少?")
                                                   .compared())  # (one piece names them all: places choose)
    # a year written short names a document of that year (`23年乡村振兴意见`), not a length (`15年以上`)
    short = resolver.resolve("回乡创业能落户吗?23年乡村振兴意见咋说的").plans
    assert "china-ruralrevival-2023" in short and "china-ruralrevival-2021" not in short
    # (pieces naming every plan of a kind are told apart by their places, not by each piece's first three)
    assert {"jiangsu-2024", "zhejiang-2023"} <= set(resolver.resolve("浙江元宇宙行动计划与江苏元宇宙行动计划对人才分别有"
                                                                   "哪些举措?").compared())
    both = resolver.resolve("农房安全隐患排查整治,21年和23年两个乡村振兴意见分别怎么提的?").dated
    assert {"china-ruralrevival-2021", "china-ruralrevival-2023"} <= set(both)
    # a year names a plan when the plan's name follows it, not when it is a year of the content
    assert resolver.resolve("2024年乡村振兴意见对设施农业有什么金融支持?").plans == ("china-ruralrevival-2024",)
    assert resolver.resolve("数字经济报告里软件业务收入从2012年到2021年增长到多少?").plans == \
        ("china-digitaleconomy-report-2022",)
    # a name word the tokenizer cut otherwise (`能直连卫星` -> 能直 / 连 / 卫星) still names; a piece of a place's name
    # (`海市`, of 上海市, in `上海市场监管部门`) does not
    assert resolver.resolve("卖能直连卫星的手机要办什么手续?").plans == ("china-satdirect-2025",)
    assert resolver.resolve("上海市场监管部门在发布会上说了什么?").plans == ()
    # a file whose page header names another document than its text is found by either title
    assert plans["china-ruralrevival-2024"].page_title and plans["china-ruralrevival-2024"].title
    assert resolver.resolve("学习运用“千村示范、万村整治”工程经验的意见对农村改革有什么要求?").plans[0] == \
        "china-ruralrevival-2024"


def more_tokenizer():
    from rag.text.lexicon import Lexicon

    return Lexicon().tokenize


def test_markdown_list_numbers_are_the_documents_item_numbers(tmp_path):
    from rag.ingest.markdown import read_markdown

    page = read_markdown("# 某市数字经济实施方案\n\n**发布日期**: 2025-01-02\n\n---\n\n一、重点任务\n\n"
                         "1. 推进数据要素市场化。\n\n2. 支持企业上云,最高补助50万元。\n\n- 一个无序项\n")
    text = [line for line in page.lines if line]
    assert text == ["一、重点任务", "1.推进数据要素市场化。", "2.支持企业上云,最高补助50万元。", "一个无序项"]
    assert page.header.heading == "某市数字经济实施方案" and page.header.fields["published"] == "2025-01-02"


def test_a_manifest_alias_names_the_plan_as_users_call_it(tmp_path):
    """`2023年中央一号文件` is what people call the 2023 rural opinion; neither its text nor its page says so. A
    manifest's `aliases` give such names: the plan is found by the alias copied whole or by its words and year
    (`2023年那份一号文件`); the alias's kind word (`文件`) names nothing alone; a malformed alias is refused."""
    from rag.answer.plans import PlanResolver
    from rag.errors import IngestError

    lib = Library(Settings(home=tmp_path / "home", corpus=tmp_path / "corpus"))
    for pid in MORE_IDS:  # (the words' weights are the library's: all 22)
        lib.ingest_path(MORE / f"{pid}.txt", plan_id=pid, region="全国" if pid.startswith("china") else "上海市")
    for pid, alias in (("china-ruralrevival-2021", "2021年中央一号文件"), ("china-ruralrevival-2023", "2023年中央一号文件")):
        path = lib.settings.corpus / f"{pid}.json"
        path.write_text(json.dumps(json.loads(path.read_text("utf-8")) | {"aliases": [alias]}, ensure_ascii=False),
                        "utf-8")
    lib.ingest_corpus()
    plans = {pid: lib.meta(pid) for pid in lib.plan_ids()}
    assert plans["china-ruralrevival-2023"].aliases == ["2023年中央一号文件"]
    assert plans["china-ruralrevival-2023"].provenance["aliases"] == "manifest"
    resolver = PlanResolver(plans, more_tokenizer(), lambda t: False)
    copied = resolver.resolve("2021年中央一号文件对农村养老是怎么安排的?")
    assert copied.plans == ("china-ruralrevival-2021",) and copied.copied
    said = resolver.resolve("2023年那份一号文件对村容村貌怎么要求?")
    assert said.plans == ("china-ruralrevival-2023",) and said.names_any(["china-ruralrevival-2023"], 99.0)
    assert "文件" not in resolver.terms["china-ruralrevival-2023"]
    path = lib.settings.corpus / "china-satcom-2025.json"
    path.write_text(json.dumps(json.loads(path.read_text("utf-8")) | {"aliases": "卫星意见"}, ensure_ascii=False), "utf-8")
    with pytest.raises(IngestError, match="aliases"):
        lib.parse(lib.settings.corpus / "china-satcom-2025.txt", "china-satcom-2025", json.loads(path.read_text("utf-8")))
