"""`policyqa ingest` and `policyqa show`: other formats, bad input, a relocatable data directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import raw_text

from rag.cli import main
from rag.ingest.identity import derive_plan_id, find_region
from rag.ingest.library import Library
from rag.text.normalize import strip_space
from rag.types import Region


def run(monkeypatch, settings, *argv: str) -> int:
    monkeypatch.setenv("POLICYQA_HOME", str(settings.home))
    monkeypatch.setenv("POLICYQA_CORPUS", str(settings.corpus))
    return main(list(argv))


def texts(settings, plan_id: str) -> list[tuple[str, str, str]]:
    return [(c.item_path, c.item_title, strip_space(c.text)) for c in Library(settings).clauses(plan_id)]


def _jinan_lines() -> list[str]:
    return [line for line in raw_text("jinan-2022").splitlines() if line.strip()]


def _write_docx(path: Path, lines: list[str]) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def _write_pdf(path: Path, lines: list[str], width: int = 38) -> None:
    """A real text-layer PDF, lines wrapped at a page width as a PDF does."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    y = 800
    for line in lines:
        for start in range(0, len(line), width):
            if y < 50:
                pdf.showPage()
                y = 800
            pdf.setFont("STSong-Light", 11)
            pdf.drawString(40, y, line[start:start + width])
            y -= 15
    pdf.save()


@pytest.fixture
def reference(scratch, monkeypatch):
    """Jinan's clauses as parsed from the UTF-8 text file."""
    assert run(monkeypatch, scratch, "ingest") == 0
    return texts(scratch, "jinan-2022")


@pytest.mark.parametrize("suffix", ["gbk.txt", "md", "html", "docx", "pdf"])
def test_other_formats_give_the_same_clauses(scratch, monkeypatch, reference, tmp_path, suffix):
    lines = _jinan_lines()
    path = tmp_path / f"jinan.{suffix}"
    if suffix == "gbk.txt":
        path.write_bytes("\n".join(lines).encode("gb18030"))
    elif suffix == "md":
        path.write_text("\n\n".join(("## " + line if line[:2] in ("一、", "二、", "三、") else line) for line in lines),
                        encoding="utf-8")
    elif suffix == "html":
        body = "".join(f"<p>{line}</p>" for line in lines)
        path.write_text(f"<html><head><meta charset='utf-8'><script>var ad='购物车';</script></head><body>"
                        f"<nav>首页 | 新闻 | 购物车</nav>{body}<footer>版权所有</footer></body></html>",
                        encoding="utf-8")
    elif suffix == "docx":
        _write_docx(path, lines)
    else:
        _write_pdf(path, lines)
    assert run(monkeypatch, scratch, "ingest", str(path), "--plan-id", "jinanformat-2022") == 0
    assert texts(scratch, "jinanformat-2022") == reference
    assert (scratch.corpus / f"jinanformat-2022{path.suffix}").read_bytes() == path.read_bytes()
    manifest = json.loads((scratch.corpus / "jinanformat-2022.json").read_text(encoding="utf-8"))
    assert manifest["plan_id"] == "jinanformat-2022" and manifest["region"]["name"] == "济南市"


def test_a_new_plan_gets_an_id_of_the_contract_shape(scratch, monkeypatch, tmp_path, capsys):
    (scratch.corpus / "jinan-2022.json").unlink()
    (scratch.corpus / "jinan-2022.txt").unlink()
    path = tmp_path / "downloaded page.txt"
    path.write_text(raw_text("jinan-2022"), encoding="utf-8")
    assert run(monkeypatch, scratch, "ingest", str(path)) == 0
    assert "ingested jinan-2022" in capsys.readouterr().out
    assert (scratch.corpus / "jinan-2022.txt").exists()
    assert find_region("重庆市永川区元宇宙产业发展三年行动计划(2023-2025年)", []) == Region("永川区", "县级", "重庆市")
    shanghai = find_region("上海市促进城市数字化转型的若干政策措施(2022—2024年)", [])
    assert derive_plan_id("上海市促进城市数字化转型的若干政策措施(2022—2024年)", shanghai, ["2022-2024"], set(), "x") \
        == "shanghai-2022"


def test_regions_and_ids_come_from_the_gazetteer_and_never_clash():
    """Place names ending in 州 are places, not cut at 州: 广州市 is guangzhou, 贵州省 guizhou."""
    assert find_region("广州市数字经济促进条例", []) == Region("广州市", "地级", "广东省")
    assert find_region("贵州省大数据发展应用促进条例", []) == Region("贵州省", "省级", None)
    assert find_region("杭州市元宇宙产业发展行动计划", []) == Region("杭州市", "地级", "浙江省")
    assert find_region("“十四五”数字经济发展规划", ["国务院"]) == Region("全国", "全国", None)
    assert find_region("关于推动未来产业创新发展的实施意见", ["工业和信息化部等七部门"]).name == "全国"
    assert find_region("问答实录:《若干措施》有关情况", ["上海市科学技术委员会"]).name == "上海市"
    assert find_region("关于做好工作的意见", []) is None
    ids = {"guangzhou-2023": "广州市数字经济促进条例(2023年)", "guizhou-2023": "贵州省大数据发展应用促进条例(2023年)"}
    for pid, title in ids.items():
        assert derive_plan_id(title, find_region(title, []), ["2023"], set(), "x") == pid
    suzhou = derive_plan_id("苏州市智能制造行动计划", find_region("苏州市智能制造行动计划", []), ["2023"], set(), "x")
    suzhou2 = derive_plan_id("宿州市智能制造行动计划", find_region("宿州市智能制造行动计划", []), ["2023"], {suzhou}, "x")
    assert suzhou == "suzhou-2023" and suzhou2 == "suzhou-zhinengzhizao-2023"
    food = "上海市加快食品科技创新赋能产业发展行动方案(2026—2030年)"
    assert derive_plan_id(food, find_region(food, []), ["2026-2030"], {"shanghai-2026"}, "x") == \
        "shanghai-shipinkeji-2026"
    assert derive_plan_id(food, find_region(food, []), ["2026"], {"shanghai-2026", "shanghai-shipinkeji-2026"}, "x") \
        == "shanghai-shipinkeji2-2026"


def test_an_id_already_taken_by_another_document_is_refused(scratch, monkeypatch, tmp_path, capsys):
    path = tmp_path / "jinan-copy.txt"
    path.write_text(raw_text("jinan-2022") + "\n补充说明。", encoding="utf-8")
    assert run(monkeypatch, scratch, "ingest", str(path)) == 1
    err = capsys.readouterr().err
    assert "the library already holds 《济南市促进元宇宙产业创新发展行动计划(2022—2025年)》 as jinan-2022" in err
    assert "--plan-id" in err
    assert run(monkeypatch, scratch, "ingest", str(path), "--plan-id", "jinan-2022") == 1
    assert "plan id jinan-2022 is already used by jinan-2022.txt" in capsys.readouterr().err


def test_bad_files_fail_alone_with_a_reason_and_leave_the_library_untouched(scratch, monkeypatch, tmp_path,
                                                                              capsys):
    (scratch.corpus / "jinan-2022.json").unlink()  # so the good file below is a new plan
    (scratch.corpus / "jinan-2022.txt").unlink()
    assert run(monkeypatch, scratch, "ingest") == 0
    before = {p: p.read_bytes() for p in scratch.library_dir.rglob("*") if p.is_file()}
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    scan = tmp_path / "scan.pdf"
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with scan.open("wb") as f:
        writer.write(f)
    recipe = tmp_path / "recipe.txt"
    recipe.write_text("红烧肉做法\n五花肉切块,焯水。\n加冰糖炒出糖色,炖一小时。\n", encoding="utf-8")
    good = tmp_path / "jinan.gbk.txt"
    good.write_bytes(raw_text("jinan-2022").encode("gbk"))
    capsys.readouterr()

    code = run(monkeypatch, scratch, "ingest", str(empty), str(binary), str(scan), str(recipe), str(good))
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 5  # one line per failed file, then the summary
    assert lines[0] == f"error: {empty}: the file is empty"
    assert str(binary) in lines[1] and "binary" in lines[1]
    assert str(scan) in lines[2] and "no text layer" in lines[2]
    assert str(recipe) in lines[3] and "cannot derive a plan id" in lines[3]  # no numbering is not a reason
    assert "4 of 5 documents failed" in lines[4]
    assert "ingested jinan-2022: 31 clauses" in out
    assert {p: p.read_bytes() for p in before} == before, "what was ingested before must be untouched"
    assert Library(scratch).clauses("jinan-2022", "二、(一)3.(1)")


def test_gbk_file_is_detected_and_converted(scratch, monkeypatch, tmp_path, reference):
    good = tmp_path / "jinan.gbk.txt"
    good.write_bytes(raw_text("jinan-2022").encode("gbk"))
    assert run(monkeypatch, scratch, "ingest", str(good), "--plan-id", "jinangbk-2022") == 0
    assert texts(scratch, "jinangbk-2022") == reference
    assert "gb18030" in Library(scratch).meta("jinangbk-2022").read_as


def test_show_outline_clause_and_json(scratch, monkeypatch, capsys):
    assert run(monkeypatch, scratch, "show", "jinan-2022") == 0  # builds the library on first use
    outline = capsys.readouterr().out
    assert "《济南市促进元宇宙产业创新发展行动计划(2022—2025年)》" in outline
    assert "    3.培育一批元宇宙企业\n      (1)壮大本地元宇宙企业" in outline
    assert run(monkeypatch, scratch, "show", "jinan-2022", "二、(一)3.(1)") == 0
    assert "最高补助100万元" in capsys.readouterr().out
    assert run(monkeypatch, scratch, "show", "sichuan-2023", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(Library(scratch).clauses("sichuan-2023"))
    assert all({"plan_id", "item_path", "item_title", "text", "chunk_id"} <= set(r) for r in rows)
    assert run(monkeypatch, scratch, "show", "sichuan-2023", "二、(三)专栏4", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 9
    assert run(monkeypatch, scratch, "show", "zhejiang-2023", "--dropped") == 0
    assert "购物车" in capsys.readouterr().out


def test_show_errors_name_the_valid_choices(scratch, monkeypatch, capsys):
    assert run(monkeypatch, scratch, "show", "shanghai-2022") == 2
    assert "known plans: jiangsu-2024, jinan-2022" in capsys.readouterr().err
    assert run(monkeypatch, scratch, "show", "jinan-2022", "二、(九)") == 2
    assert "no clause at 二、(九)" in capsys.readouterr().err
    assert run(monkeypatch, scratch, "show", "jinan-2022", "chapter 2") == 2
    assert "not an item path" in capsys.readouterr().err


def test_state_lives_under_policyqa_home(scratch, tmp_path):
    env = dict(os.environ, POLICYQA_HOME=str(tmp_path / "elsewhere"), POLICYQA_CORPUS=str(scratch.corpus))
    proc = subprocess.run([sys.executable, "-m", "rag", "ingest"], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "elsewhere" / "library").iterdir()) == \
        ["jiangsu-2024", "jinan-2022", "sichuan-2023", "yongchuan-2023", "zhejiang-2023"]


def test_an_interrupted_swap_restores_the_previous_plan(scratch, monkeypatch):
    assert run(monkeypatch, scratch, "ingest") == 0
    plan = scratch.library_dir / "jinan-2022"
    plan.rename(scratch.library_dir / ".jinan-2022.old")  # the state a crash between the two renames leaves
    assert "jinan-2022" in Library(scratch).plan_ids()
    assert Library(scratch).clauses("jinan-2022", "二、(一)3.(1)")


def test_a_body_without_numbering_is_ingested_by_paragraph(scratch, monkeypatch, tmp_path, capsys):
    statement = tmp_path / "statement.txt"
    statement.write_text("某市人民政府关于数字经济的声明\n数字经济是重要引擎。\n我们将加大投入,最高支持500万元。\n"
                         "各部门要抓好落实。\n", encoding="utf-8")
    assert run(monkeypatch, scratch, "ingest", str(statement), "--plan-id", "moushi-statement-2024",
               "--region", "杭州市") == 0
    assert "paragraphs without numbering" in capsys.readouterr().out
    clauses = Library(scratch).clauses("moushi-statement-2024")
    assert [(c.item_path, c.text) for c in clauses] == [("第1段", "数字经济是重要引擎。"),
                                                         ("第2段", "我们将加大投入,最高支持500万元。"),
                                                         ("第3段", "各部门要抓好落实。")]
