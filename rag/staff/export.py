"""A saved conversation as Markdown and as a Word document: every question, its answer, and each quote with its
plan, item path and chunk id (what a reader needs to find the clause again)."""
from __future__ import annotations

import io
from typing import Any


def _citations(result: dict[str, Any]) -> list[dict[str, Any]]:
    return list(result.get("citations") or [])


def _source(c: dict[str, Any]) -> str:
    return f"《{c.get('plan_title') or c.get('plan_id')}》{c.get('item_path', '')}(chunk {c.get('chunk_id', '')})"


def conversation_markdown(saved: dict[str, Any]) -> str:
    out = [f"# {saved['title'] or '对话'}", "", f"对话 {saved['id']},创建于 {saved['created_at']}", ""]
    for n, turn in enumerate(saved["turns"], start=1):
        result = turn["result"]
        out += [f"## {n}. {turn['question']}", "", result.get("answer", "").strip(), ""]
        if result.get("no_answer"):
            out += ["(未作答:本库收录的文本中没有可引用的依据)", ""]
        for c in _citations(result):
            out.append(f"- [{c.get('n', '')}] {_source(c)}:“{c.get('quote', '')}”")
            out += [f"  - 另见:“{q}”" for q in c.get("more_quotes") or []]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def conversation_docx(saved: dict[str, Any]) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(saved["title"] or "对话", level=0)
    doc.add_paragraph(f"对话 {saved['id']},创建于 {saved['created_at']}")
    for n, turn in enumerate(saved["turns"], start=1):
        result = turn["result"]
        doc.add_heading(f"{n}. {turn['question']}", level=1)
        doc.add_paragraph(result.get("answer", "").strip())
        for c in _citations(result):
            quote = doc.add_paragraph(style="Intense Quote")
            quote.add_run(f"“{c.get('quote', '')}”")
            doc.add_paragraph(f"[{c.get('n', '')}] 出处:{_source(c)}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
